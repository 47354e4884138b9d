import ComptoirCore
import PostgresNIO

/// The import rules' view of a PostgreSQL société, inside the request's transaction, on a
/// connection that this thread alone uses: every statement waits for its answer. The SQL of
/// each shape of statement is written once per request.
final class PostgresRecordStore: RecordStore {
    private let connection: PostgresConnection
    /// The schema's tables: a domain may name the table of a domain to come.
    private let tables: Set<String>
    private var preferences: [String: String?] = [:]
    private var customColumnsByTable: [String: [String]] = [:]
    private var statements: [StatementShape: String] = [:]

    init(connection: PostgresConnection, tables: Set<String>) {
        self.connection = connection
        self.tables = tables
    }

    /// What a statement does, on which table, with which columns: what its SQL follows from.
    private struct StatementShape: Hashable {
        enum Action: Hashable {
            case create, update, exists, row, firstRow, rows
        }

        let action: Action
        let table: String
        let parts: [[String]]
        var columns: [String] = []
    }

    private func sql(_ shape: StatementShape, _ write: () -> String) -> String {
        if let known = statements[shape] { return known }
        let sql = write()
        statements[shape] = sql
        return sql
    }

    private static func quoted(_ name: String) -> String { PostgresLink.quoted(name) }

    /// `"A" = $n AND "B" = $n+1`, its parameters numbered from `first`.
    private static func condition(_ key: LineValues, from first: Int) -> String {
        key.fields.enumerated().map { "\(quoted($1.name)) = $\(first + $0)" }.joined(separator: " AND ")
    }

    private func rows(_ sql: String, _ parts: [LineValues]) throws -> [[FieldValue]] {
        try connection.rowsWaiting(sql, parts.flatMap { $0.fields.map(\.value) })
    }

    func row(in table: String, key: LineValues, columns: [String]) throws -> [FieldValue]? {
        guard tables.contains(table) else { return nil }
        let shape = StatementShape(action: .row, table: table, parts: [key.fields.map(\.name)], columns: columns)
        let sql = sql(shape) {
            "SELECT \(columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table)) WHERE \(Self.condition(key, from: 1))"
        }
        return try rows(sql, [key]).first
    }

    func exists(in table: String, key: LineValues) throws -> Bool {
        guard tables.contains(table) else { return false }
        let shape = StatementShape(action: .exists, table: table, parts: [key.fields.map(\.name)])
        let sql = sql(shape) { "SELECT 1 FROM \(Self.quoted(table)) WHERE \(Self.condition(key, from: 1))" }
        return try !rows(sql, [key]).isEmpty
    }

    func firstRow(in table: String, matching: LineValues, other: LineValues, columns: [String]) throws -> [FieldValue]?
    {
        guard tables.contains(table) else { return nil }
        let shape = StatementShape(
            action: .firstRow, table: table, parts: [matching.fields.map(\.name), other.fields.map(\.name)],
            columns: columns)
        let sql = sql(shape) {
            """
            SELECT \(columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table))
            WHERE \(Self.condition(matching, from: 1)) AND NOT (\(Self.condition(other, from: matching.fields.count + 1))) LIMIT 1
            """
        }
        return try rows(sql, [matching, other]).first
    }

    func rows(in table: String, matching: LineValues, columns: [String]) throws -> [[FieldValue]] {
        guard tables.contains(table) else { return [] }
        let shape = StatementShape(action: .rows, table: table, parts: [matching.fields.map(\.name)], columns: columns)
        let sql = sql(shape) {
            // SQLite puts NULL first in ascending order.
            let order = columns.map { Self.quoted($0) + " NULLS FIRST" }.joined(separator: ", ")
            return """
                SELECT \(columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table))
                WHERE \(Self.condition(matching, from: 1)) ORDER BY \(order)
                """
        }
        return try rows(sql, [matching])
    }

    func write(_ change: RecordChange) throws {
        let parts = change.kind == .create ? [change.key, change.values] : [change.values, change.key]
        let shape = StatementShape(
            action: change.kind == .create ? .create : .update, table: change.table,
            parts: parts.map { $0.fields.map(\.name) })
        let sql = sql(shape) {
            let table = Self.quoted(change.table)
            switch change.kind {
            case .create:
                let names = (change.key.fields + change.values.fields).map { Self.quoted($0.name) }
                let parameters = names.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
                return "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(parameters))"
            case .update:
                let assignments = change.values.fields.enumerated().map { "\(Self.quoted($1.name)) = $\($0 + 1)" }
                return """
                    UPDATE \(table) SET \(assignments.joined(separator: ", ")) \
                    WHERE \(Self.condition(change.key, from: change.values.fields.count + 1))
                    """
            }
        }
        _ = try rows(sql, parts)
        if change.table == "PREFERENCES" { preferences = [:] }
    }

    func preference(_ code: String) throws -> String? {
        if let known = preferences[code] { return known }
        let value = try connection.rowsWaiting(
            #"SELECT "PRF_VALEUR" FROM "PREFERENCES" WHERE "PRF_CODE" = $1"#, [.text(code)]
        ).first?.first?.text
        preferences[code] = value
        return value
    }

    func nextNumber(of counter: String) throws -> String? {
        guard let value = try preference(counter) else { return nil }
        let next = Counter.incremented(value)
        _ = try connection.rowsWaiting(
            #"UPDATE "PREFERENCES" SET "PRF_VALEUR" = $1 WHERE "PRF_CODE" = $2"#, [.text(next), .text(counter)])
        preferences[counter] = next
        return value
    }

    func inSavepoint(_ work: () throws -> SavepointEnd) throws {
        _ = try connection.rowsWaiting("SAVEPOINT line")
        let end: SavepointEnd
        do {
            end = try work()
        } catch {
            try undoSavepoint()
            throw error
        }
        switch end {
        case .keep: _ = try connection.rowsWaiting("RELEASE SAVEPOINT line")
        case .undo: try undoSavepoint()
        }
    }

    /// Undoes the savepoint's writes, and forgets what was read since they may have changed it.
    private func undoSavepoint() throws {
        _ = try connection.rowsWaiting("ROLLBACK TO SAVEPOINT line")
        _ = try connection.rowsWaiting("RELEASE SAVEPOINT line")
        preferences = [:]
        customColumnsByTable = [:]
    }

    func addCustomColumns(_ names: [String], to table: String) throws {
        guard !names.isEmpty else { return }
        let existing = Set(try customColumns(of: table))
        for name in names where !existing.contains(name) {
            _ = try connection.rowsWaiting(
                "ALTER TABLE \(Self.quoted(table)) ADD COLUMN \(Self.quoted(name)) text COLLATE \"C\"")
            customColumnsByTable[table] = nil
        }
    }

    /// Read once per request and table: only `addCustomColumns` changes them.
    func customColumns(of table: String) throws -> [String] {
        if let known = customColumnsByTable[table] { return known }
        let columns = try connection.rowsWaiting(
            """
            SELECT upper(column_name) FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 AND upper(column_name) LIKE 'XXX\\_%'
            ORDER BY ordinal_position
            """, [.text(table)]
        ).compactMap { $0.first?.text }
        customColumnsByTable[table] = columns
        return columns
    }
}
