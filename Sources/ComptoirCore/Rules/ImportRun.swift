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
    /// Rejected lines and lines with warnings, in line order.
    public var entries: [LineEntry] = []

    public init() {}

    mutating func record(line: Int, outcome: LineOutcome) {
        switch outcome {
        case .imported(let warnings):
            importedCount += 1
            if !warnings.isEmpty { entries.append(LineEntry(line: line, outcome: outcome)) }
        case .rejected:
            rejectedCount += 1
            entries.append(LineEntry(line: line, outcome: outcome))
        }
    }
}

/// An import stopped before its end because its session was ended: the transaction rolls back.
public struct ImportStopped: Error, Equatable, Sendable {
    public init() {}
}

/// Runs an import's lines through its domain's rules, in one pass, inside the store's transaction.
public enum ImportRun {
    /// How many lines are read (split and typed) together, at most: a request of up to this
    /// many reads them all at once, on its own thread; a larger one reads each next chunk on
    /// another thread, while the rules and the store take the lines of the chunk before.
    static let chunkSize = 1024
    /// How much text a chunk holds, at most (but always one line): very long lines are read a
    /// few at a time, so that the chunks read ahead never hold much of the body twice.
    static let chunkBytes = 1 << 20

    /// - Parameter stop: asked before each line and at the end; when it answers true the run
    ///   throws `ImportStopped`, so that nothing of it is committed.
    public static func run(
        parametres: ImportParameters,
        layout: FieldLayout,
        rules: some LineImporter,
        store: some RecordStore,
        stop: () -> Bool = { false }
    ) throws -> ImportReport {
        let reader = LineReader(layout: layout, separator: parametres.separator, qualifier: parametres.qualifier)
        try store.addCustomColumns(layout.customFields, to: rules.table)
        var report = ImportReport()
        let lines = parametres.lines
        let first = layout.skipsFirstLine ? min(1, lines.count) : 0
        var next: ReadLines? = ReadLines(lines, chunk(of: lines, from: first), reader: reader, inBackground: false)
        while let current = next {
            let end = current.range.upperBound
            next =
                end < lines.count
                ? ReadLines(lines, chunk(of: lines, from: end), reader: reader, inBackground: true) : nil
            for (index, read) in zip(current.range, current.values()) {
                guard let read else { continue }
                if stop() { throw ImportStopped() }
                let outcome: LineOutcome
                switch read {
                case .success(let values): outcome = try rules.importLine(values, into: store)
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

/// A range of a request's lines, read: each line's values or the reasons it is rejected, nil
/// for an empty line. Reading needs nothing of the société, so it can run on another thread.
private final class ReadLines: @unchecked Sendable {
    let range: Range<Int>
    /// Written once, before `done` is signalled (or in `init`), read after.
    private var outcomes: [Result<LineValues, LineRejection>?] = []
    private let done: DispatchSemaphore?

    init(_ lines: StringList, _ range: Range<Int>, reader: LineReader, inBackground: Bool) {
        self.range = range
        guard inBackground else {
            done = nil
            outcomes = Self.read(lines, range, reader)
            return
        }
        let done = DispatchSemaphore(value: 0)
        self.done = done
        DispatchQueue.global().async { [self] in
            outcomes = Self.read(lines, range, reader)
            done.signal()
        }
    }

    /// The lines' values, once read. Called once.
    func values() -> [Result<LineValues, LineRejection>?] {
        done?.wait()
        return outcomes
    }

    private static func read(
        _ lines: StringList, _ range: Range<Int>, _ reader: LineReader
    ) -> [Result<LineValues, LineRejection>?] {
        range.map { index in
            let line = lines[index]
            return line.isEmpty ? nil : reader.read(line)
        }
    }
}
