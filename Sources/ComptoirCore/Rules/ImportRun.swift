/// What an import did, line by line, for the journal and the statistics.
public struct ImportReport: Sendable, Equatable {
    /// The journal lines of one data line: its rejection reasons or its warnings.
    public struct LineEntry: Sendable, Equatable {
        public let line: Int
        public let outcome: LineOutcome
        /// The kind of line an Ecritures journal names (`E`, `H`, `S`), nil elsewhere.
        public var marker: String? = nil
    }

    /// What becomes of the entries of the lines.
    public enum Entries: Sendable {
        /// Kept in `entries`.
        case kept
        /// Counted only: without a journal nobody reads them, and a million warned lines would
        /// hold their warnings for nothing.
        case dropped
        /// Handed to a sink as they come, so that they need not all be held at once.
        case sent(any LineEntrySink)
    }

    public var importedCount = 0
    public var rejectedCount = 0
    /// Rejected lines and lines with warnings, in line order, when they are kept.
    public var entries: [LineEntry] = []
    /// What an Ecritures import counts besides, for its own journal block and statistics.
    public var ecritures: EcrituresCounts?
    private let destination: Entries

    public init(entries destination: Entries = .kept) { self.destination = destination }

    /// The report of a run of `parametres`: entries dropped without a journal, otherwise sent
    /// to `sink`, restarted first, or kept without one.
    init(parametres: ImportParameters, sink: (any LineEntrySink)?) throws {
        if !parametres.journal {
            self.init(entries: .dropped)
        } else if let sink {
            try sink.restart()
            self.init(entries: .sent(sink))
        } else {
            self.init(entries: .kept)
        }
    }

    public static func == (lhs: ImportReport, rhs: ImportReport) -> Bool {
        lhs.importedCount == rhs.importedCount && lhs.rejectedCount == rhs.rejectedCount
            && lhs.entries == rhs.entries && lhs.ecritures == rhs.ecritures
    }

    mutating func record(line: Int, outcome: LineOutcome) throws {
        switch outcome {
        case .imported(let warnings):
            importedCount += 1
            if warnings.isEmpty { return }
        case .rejected:
            rejectedCount += 1
        }
        try add(LineEntry(line: line, outcome: outcome))
    }

    /// Keeps, drops or sends an entry, as the report's destination says.
    mutating func add(_ entry: LineEntry) throws {
        switch destination {
        case .kept: entries.append(entry)
        case .dropped: break
        case .sent(let sink): try sink.add(entry)
        }
    }
}

/// Takes the entries of an import's lines as the run makes them.
public protocol LineEntrySink: AnyObject, Sendable {
    func add(_ entry: ImportReport.LineEntry) throws
    /// Drops every entry taken so far: the run starts again from its first line.
    func restart() throws
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

    /// - Parameters:
    ///   - readAhead: where each next chunk of lines is read while the store takes the one
    ///     before; by default, on the calling thread when it is needed.
    ///   - sink: where the lines' entries go when the journal is asked for; without one they
    ///     are kept in the report. The run may be started again: it restarts the sink first.
    ///   - stop: asked before each line and at the end; when it answers true the run throws
    ///     `ImportStopped`, so that nothing of it is committed.
    public static func run<Rules: LineImporter>(
        parametres: ImportParameters,
        layout: FieldLayout,
        rules: Rules,
        store: any RecordStore,
        readAhead: any ReadAhead = InlineReading(),
        sink: (any LineEntrySink)? = nil,
        stop: () -> Bool = { false }
    ) throws -> ImportReport {
        var report = try ImportReport(parametres: parametres, sink: sink)
        let reader = LineReader(layout: layout, separator: parametres.separator, qualifier: parametres.qualifier)
        try store.addCustomFields(layout.customFields, to: rules.table)
        let settledRules = try rules.settled(in: store)
        // The reads of the chunk about to be taken, listed when it was the next one.
        var announced: [PlannedRead]?
        try forEachLine(
            of: parametres, layout: layout, readAhead: readAhead, stop: stop,
            read: { line in reader.read(line).flatMap(settledRules.prepare) },
            chunkTaken: { chunk, next in
                guard store.wantsPlannedReads else { return }
                func plannedReads(_ lines: [Result<Rules.PreparedLine, LineRejection>?]) -> [PlannedRead] {
                    var reads: [PlannedRead] = []
                    for case .success(let line)? in lines { reads += settledRules.plannedReads(of: line) }
                    return reads
                }
                let reads = announced ?? plannedReads(chunk)
                announced = next().map(plannedReads)
                if !reads.isEmpty || announced?.isEmpty == false { try store.prepare(for: reads, then: announced) }
            },
            body: { number, prepared in
                let outcome: LineOutcome
                // Consumed: the prepared line moves into `apply`, its texts not copied.
                switch consume prepared {
                case .success(let line): outcome = try settledRules.apply(consume line, to: store)
                case .failure(let rejection): outcome = .rejected(rejection)
                }
                try report.record(line: number, outcome: outcome)
            })
        return report
    }

    /// Reads the request's data lines in chunks and hands each non-empty one, read by `read`,
    /// to `body` with its number (the first data line is 1), in order. `read` needs nothing of
    /// the société's rows: each next chunk is read where `readAhead` says while `body` takes the
    /// chunk before. `chunkTaken` sees each chunk before `body` takes its lines, and may ask for
    /// the next chunk's lines (nil after the last): they are then read at once, and the chunk
    /// after them starts. `settle`, when given, sees each chunk's read lines where they were
    /// read. Throws `ImportStopped` as soon as `stop` answers true.
    static func forEachLine<Read: Sendable>(
        of parametres: ImportParameters,
        layout: FieldLayout,
        readAhead: any ReadAhead,
        stop: () -> Bool,
        read: @escaping @Sendable (String) -> Read,
        settle: (@Sendable (inout [Read?]) -> Void)? = nil,
        chunkTaken: ([Read?], _ next: () -> [Read?]?) throws -> Void = { _, _ in },
        body: (Int, consuming Read) throws -> Void
    ) throws {
        let lines = parametres.lines
        let first = layout.skipsFirstLine ? min(1, lines.count) : 0
        // Where the next chunk to start begins.
        var end = first
        // Starts reading the chunk at `end`, with `reader`: its range, and what gives its lines
        // (read: nil for an empty line).
        func start(_ reader: any ReadAhead) -> (range: Range<Int>, lines: () -> [Read?])? {
            guard end < lines.count else { return nil }
            let range = chunk(of: lines, from: end)
            end = range.upperBound
            return (
                range,
                reader.start {
                    var chunkLines = range.map { index in
                        let line = lines[index]
                        // Nothing but spaces, tabs or a DOS end of file (`^Z`) is an empty line.
                        return line.utf8.allSatisfy { $0 <= 0x20 } ? nil : read(line)
                    }
                    settle?(&chunkLines)
                    return chunkLines
                }
            )
        }
        var current = start(InlineReading())
        var next = start(readAhead)
        // The next chunk's lines when `chunkTaken` asked for them, and the chunk started then.
        var nextLines: [Read?]?
        var afterNext: (range: Range<Int>, lines: () -> [Read?])?
        while let chunk = current {
            var chunkLines = nextLines.take() ?? chunk.lines()
            try chunkTaken(chunkLines) {
                if nextLines == nil, let next {
                    nextLines = next.lines()
                    afterNext = start(readAhead)
                }
                return nextLines
            }
            for (index, position) in zip(chunk.range, chunkLines.indices) {
                // Moved out of the chunk, not copied: a read line holds many texts.
                guard let line = chunkLines[position].take() else { continue }
                if stop() { throw ImportStopped() }
                try body(index - first + 1, consume line)
            }
            current = next
            next = afterNext.take() ?? start(readAhead)
        }
        if stop() { throw ImportStopped() }
    }

    /// Reads the request's data lines as `forEachLine` does and hands `group` each run of
    /// consecutive lines of one group: a document, a pièce, where each line stands as `place`
    /// says.
    static func forEachGroup<Read: Sendable>(
        of parametres: ImportParameters,
        layout: FieldLayout,
        readAhead: any ReadAhead,
        stop: () -> Bool,
        read: @escaping @Sendable (String) -> Read,
        place: @escaping @Sendable (Read) -> GroupPlace,
        trimFollowing: (@Sendable (inout Read) -> Void)? = nil,
        group: (consuming [(number: Int, line: Read)]) throws -> Void
    ) throws {
        var lines: [(number: Int, line: Read)] = []
        var tracking = GroupTracking()
        // A line that does not start a group, after a line of the same chunk that it can
        // follow, continues a group: what only a group's first line needs is dropped there, on
        // the thread that read it.
        let settle = trimFollowing.map { trim in
            { @Sendable (chunk: inout [Read?]) in
                var tracking = GroupTracking()
                for index in chunk.indices {
                    guard var line = chunk[index].take() else { continue }
                    let followsOne = tracking.hasGroup
                    if !tracking.startsGroup(at: place(line)), followsOne { trim(&line) }
                    chunk[index] = line
                }
            }
        }
        func close() throws {
            guard !lines.isEmpty else { return }
            // Handed over, not copied: `group` may change its lines in place.
            var run: [(number: Int, line: Read)] = []
            run.reserveCapacity(lines.count)
            swap(&run, &lines)
            try group(consume run)
        }
        try forEachLine(
            of: parametres, layout: layout, readAhead: readAhead, stop: stop, read: read, settle: settle,
            body: { number, line in
                if tracking.startsGroup(at: place(line)) { try close() }
                lines.append((number, consume line))
            })
        try close()
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

/// Where an import reads the lines of its next chunk while the store takes the chunk before:
/// the host decides (another thread, say); the core only starts the reading and later takes
/// its result.
public protocol ReadAhead: Sendable {
    /// Starts `read`, and gives what returns its result, waiting for it if need be. The result
    /// is taken once, and handed over: the caller holds its only reference.
    func start<Lines: Sendable>(_ read: @escaping @Sendable () -> Lines) -> () -> Lines
}

/// Reads each chunk on the calling thread, when its lines are needed.
public struct InlineReading: ReadAhead {
    public init() {}

    public func start<Lines: Sendable>(_ read: @escaping @Sendable () -> Lines) -> () -> Lines { read }
}
