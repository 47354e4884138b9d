/// Runs the lines of a document file (`documents.md` §2): consecutive lines with the same
/// break fields form a document, and each document is checked and written whole by its rules.
enum DocumentRun {
    static func run(
        parametres: ImportParameters,
        layout: FieldLayout,
        rules: DocumentRules,
        store: any RecordStore,
        readAhead: any ReadAhead,
        sink: (any LineEntrySink)?,
        stop: () -> Bool
    ) throws -> ImportReport {
        var report = try ImportReport(parametres: parametres, sink: sink)
        let reader = LineReader(layout: layout, separator: parametres.separator, qualifier: parametres.qualifier)
        var rules = try rules.settled(in: store, layout: layout)
        try store.addCustomFields(rules.documentCustomFields(of: layout.customFields), to: rules.table)
        let reading = rules
        try ImportRun.forEachGroup(
            of: parametres, layout: layout, readAhead: readAhead, stop: stop,
            read: { line in reading.prepare(reader.readFields(line)) },
            place: { $0.breakKey.map(GroupPlace.keyed) ?? .unknown(readable: $0.readableBreakKey) },
            trimFollowing: { $0.header = LineValues([]) },
            group: { document in
                for (number, outcome) in try rules.apply(consume document, to: store) {
                    try report.record(line: number, outcome: outcome)
                }
            })
        try rules.finish(in: store)
        return report
    }
}
