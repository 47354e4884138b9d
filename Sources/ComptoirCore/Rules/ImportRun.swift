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
        let dataLines = parametres.lines.dropFirst(layout.skipsFirstLine ? 1 : 0)
        for (offset, line) in dataLines.enumerated() where !line.isEmpty {
            if stop() { throw ImportStopped() }
            let outcome: LineOutcome
            switch reader.read(line) {
            case .success(let values): outcome = try rules.importLine(values, into: store)
            case .failure(let rejection): outcome = .rejected(rejection)
            }
            report.record(line: offset + 1, outcome: outcome)
        }
        if stop() { throw ImportStopped() }
        return report
    }
}
