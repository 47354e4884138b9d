import ComptoirCore

extension SQLiteSociete {
    public func read(
        _ view: RecordView, query: ReadQuery, lookAhead: Bool, start: ([FieldValue]?) throws -> Void,
        record: (ReadRecord) throws -> Void
    ) throws -> [FieldValue]? {
        try RecordReading.read(
            view, query: query, on: ReadOnlyConnection(path: path), lookAhead: lookAhead, start: start, record: record)
    }

    public func readRecord(_ view: RecordView, key: [String]) throws -> ReadRecord? {
        try RecordReading.readRecord(view, key: key, on: ReadOnlyConnection(path: path))
    }

    public func columns(of table: String) throws -> [String] {
        let statement = try ReadOnlyConnection(path: path).prepare("SELECT * FROM \(Schema.quoted(table)) LIMIT 0")
        return (0..<statement.columnCount).map { statement.columnName($0).uppercased() }
    }
}
