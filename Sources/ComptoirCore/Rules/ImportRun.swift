import Dispatch

/// What an import did, line by line, for the journal and the statistics.
public struct ImportReport: Sendable, Equatable {
    /// The journal lines of one data line: its rejection reasons or its warnings.
    public struct LineEntry: Sendable, Equatable {
        public let line: Int
        public let outcome: LineOutcome
    }

    public var importedCount = 0
    public var rejectedCount = 0
    /// Rejected lines and lines with warnings, in line order, when the journal is asked for.
    public var entries: [LineEntry] = []
    /// Whether the entries are kept: without a journal nobody reads them, and a million warned
    /// lines would hold their warnings for nothing.
    let keepsEntries: Bool

    public init(keepsEntries: Bool = true) { self.keepsEntries = keepsEntries }

    mutating func record(line: Int, outcome: LineOutcome) {
        switch outcome {
        case .imported(let warnings):
            importedCount += 1
            if keepsEntries, !warnings.isEmpty { entries.append(LineEntry(line: line, outcome: outcome)) }
        case .rejected:
            rejectedCount += 1
            if keepsEntries { entries.append(LineEntry(line: line, outcome: outcome)) }
        }
    }
}

/// An import stopped before its end because its session was ended: the transaction rolls back.
public struct ImportStopped: Error, Equatable, Sendable {
    public init() {}
}

/// Runs an import's lines through its domain's rules, in one pass, inside the store's transaction.
public enum ImportRun {
    /// How many lines are read (split, typed and prepared by the rules) together, at most: a
    /// request of up to this many reads them all at once, on its own thread; a larger one reads
    /// each next chunk on another thread, while the store takes the lines of the chunk before.
    static let chunkSize = 1024
    /// How much text a chunk holds, at most (but always one line): very long lines are read a
    /// few at a time, so that the chunks read ahead never hold much of the body twice.
    static let chunkBytes = 1 << 20

    /// - Parameter stop: asked before each line and at the end; when it answers true the run
    ///   throws `ImportStopped`, so that nothing of it is committed.
    public static func run(
        parametres: ImportParameters,
        layout: FieldLayout,
        rules: any LineImporter,
        store: any RecordStore,
        stop: () -> Bool = { false }
    ) throws -> ImportReport {
        // The tiers family, which bulk imports are made of, gets a run compiled for its rules:
        // their prepared lines then go through the loop without generic indirection.
        if let tiersRules = rules as? TiersRules {
            return try run(parametres, layout, tiersRules, store, stop)
        }
        return try run(parametres, layout, rules, store, stop)
    }

    private static func run<Rules: LineImporter>(
        _ parametres: ImportParameters,
        _ layout: FieldLayout,
        _ rules: Rules,
        _ store: any RecordStore,
        _ stop: () -> Bool
    ) throws -> ImportReport {
        let reader = LineReader(layout: layout, separator: parametres.separator, qualifier: parametres.qualifier)
        try store.addCustomColumns(layout.customFields, to: rules.table)
        let settledRules = try rules.settled(in: store)
        let read: @Sendable (String) -> Result<Rules.PreparedLine, LineRejection> = { line in
            reader.read(line).flatMap(settledRules.prepare)
        }
        var report = ImportReport(keepsEntries: parametres.journal)
        let lines = parametres.lines
        let first = layout.skipsFirstLine ? min(1, lines.count) : 0
        var next: ReadLines? = ReadLines(lines, chunk(of: lines, from: first), read: read, inBackground: false)
        while let current = next {
            let end = current.range.upperBound
            next =
                end < lines.count
                ? ReadLines(lines, chunk(of: lines, from: end), read: read, inBackground: true) : nil
            var chunkLines = current.lines()
            for (index, position) in zip(current.range, chunkLines.indices) {
                // Moved out of the chunk, not copied: a prepared line holds many texts.
                guard let prepared = chunkLines[position].take() else { continue }
                if stop() { throw ImportStopped() }
                let outcome: LineOutcome
                // Consumed: the prepared line moves into `apply`, its texts not copied.
                switch consume prepared {
                case .success(let line): outcome = try settledRules.apply(consume line, to: store)
                case .failure(let rejection): outcome = .rejected(rejection)
                }
                report.record(line: index - first + 1, outcome: outcome)
            }
        }
        if stop() { throw ImportStopped() }
        return report
    }

    /// The lines of the chunk that starts at `start`: up to `chunkSize` lines and `chunkBytes`
    /// of text, and at least one line.
    static func chunk(of lines: StringList, from start: Int) -> Range<Int> {
        var end = start
        var bytes = 0
        while end < lines.count, end - start < chunkSize, end == start || bytes < chunkBytes {
            bytes += lines.encodedSize(at: end)
            end += 1
        }
        return start..<end
    }
}

/// A range of a request's lines, read and prepared: each line ready for the store or the
/// reasons it is rejected, nil for an empty line. That needs nothing of the société's rows, so
/// it can run on another thread.
private final class ReadLines<Line: Sendable>: @unchecked Sendable {
    let range: Range<Int>
    /// Written once, before `done` is signalled (or in `init`), read after.
    private var outcomes: [Result<Line, LineRejection>?] = []
    private let done: DispatchSemaphore?

    init(
        _ lines: StringList, _ range: Range<Int>, read: @escaping @Sendable (String) -> Result<Line, LineRejection>,
        inBackground: Bool
    ) {
        self.range = range
        guard inBackground else {
            done = nil
            outcomes = Self.read(lines, range, read)
            return
        }
        let done = DispatchSemaphore(value: 0)
        self.done = done
        DispatchQueue.global().async { [self] in
            outcomes = Self.read(lines, range, read)
            done.signal()
        }
    }

    /// The lines, once read, handed over: the caller holds the only reference to them, and
    /// can move each one out without copying the chunk. Called once.
    func lines() -> [Result<Line, LineRejection>?] {
        done?.wait()
        var lines: [Result<Line, LineRejection>?] = []
        swap(&lines, &outcomes)
        return lines
    }

    private static func read(
        _ lines: StringList, _ range: Range<Int>, _ read: (String) -> Result<Line, LineRejection>
    ) -> [Result<Line, LineRejection>?] {
        range.map { index in
            let line = lines[index]
            return line.isEmpty ? nil : read(line)
        }
    }
}
