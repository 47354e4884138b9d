import ComptoirCore

/// What a request's store has read and answers again without asking its database: whether a
/// row keyed by one code exists, and the columns read of it, in the tables the request has not
/// written, so that the codes a file names again and again (countries, families, sous-familles)
/// are looked up once; and the preferences and custom columns, which only the request changes.
/// Every store keeps one per request.
struct ReadCache {
    private var knownRows: [String: [String: Bool]] = [:]
    private var knownValues: [String: [RowRead: [FieldValue]?]] = [:]
    private var writtenTables: Set<String> = []
    var preferences: [String: String?] = [:]
    var customColumns: [String: [String]] = [:]

    /// A row read by its code.
    private struct RowRead: Hashable {
        let code: String
        let columns: [String]
    }

    /// The code of a single-column key of a table this request has not written: what the
    /// cache is keyed by; nil when a read by `key` cannot be kept.
    func code(in table: String, _ key: LineValues) -> String? {
        key.fields.count == 1 && !writtenTables.contains(table) ? key.fields[0].value.text : nil
    }

    /// Whether the row of `table` keyed `code` exists, when it was looked up.
    func exists(in table: String, code: String) -> Bool? { knownRows[table]?[code] }

    mutating func remember(exists: Bool, in table: String, code: String) {
        knownRows[table, default: [:]][code] = exists
    }

    /// The values of `columns` read of the row of `table` keyed `code` (nil inside: no such
    /// row), when they were read.
    func row(in table: String, code: String, columns: [String]) -> [FieldValue]?? {
        knownValues[table]?[RowRead(code: code, columns: columns)]
    }

    mutating func remember(row: [FieldValue]?, in table: String, code: String, columns: [String]) {
        knownValues[table, default: [:]][RowRead(code: code, columns: columns)] = .some(row)
    }

    /// A write to `table`: what was read of it may have changed.
    mutating func wrote(_ table: String) {
        if writtenTables.insert(table).inserted {
            knownRows[table] = nil
            knownValues[table] = nil
        }
        if table == "PREFERENCES" { preferences = [:] }
    }
}
