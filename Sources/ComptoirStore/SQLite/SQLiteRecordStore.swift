import ComptoirCore
import GRDB

/// The import rules' view of a société, inside the request's transaction. Statements are
/// prepared once per connection (GRDB's statement cache) and reused for every line and every
/// request; what can be read once per request is (`ReadCache`).
final class SQLiteRecordStore: RecordStore {
    let db: Database
    private var cache = ReadCache()
    /// The counters taken since they were last written, with the value to write: a document
    /// takes two numbers, written once before the request's work ends rather than each time.
    private var takenCounters: [String: String] = [:]
    private var knownTables: [String: Bool] = [:]
    /// The statements of the store's own queries, by `Query.rawValue`, once found.
    private var queries = [RawStatement?](repeating: nil, count: Query.allCases.count)
    private var shapedStatements: [ShapedStatement] = []
    private let boundTexts = BoundTexts()

    init(db: Database) { self.db = db }

    /// The store's own queries. Each one's statement is looked up in GRDB's cache once per
    /// request, then kept: no line hashes the SQL to find it.
    private enum Query: Int, CaseIterable {
        case tiersAndAccount
        case preference
        case setPreference

        var sql: String {
            switch self {
            case .tiersAndAccount: Self.tiersAndAccountSQL
            case .preference: "SELECT PRF_VALEUR FROM PREFERENCES WHERE PRF_CODE = ?"
            case .setPreference: "UPDATE PREFERENCES SET PRF_VALEUR = ? WHERE PRF_CODE = ?"
            }
        }

        /// `tiers`, `account` and `tiersHoldingAccount` in one statement, whose `(SELECT 1)`
        /// gives the row that the two joins may leave empty.
        private static let tiersAndAccountSQL = """
            SELECT \(SQLiteRecordStore.tiersColumns.map { "t." + $0 }.joined(separator: ", ")), c.CPT_NUMERO, \
            \(SQLiteRecordStore.accountColumns.map { "c." + $0 }.joined(separator: ", ")),
                (SELECT PCF_CODE FROM TIERS WHERE CPT_NUMERO = ?2 AND PCF_CODE <> ?1 LIMIT 1)
            FROM (SELECT 1) LEFT JOIN TIERS t ON t.PCF_CODE = ?1 LEFT JOIN COMPTES c ON c.CPT_NUMERO = ?2
            """
    }

    private func statement(_ query: Query) throws -> RawStatement {
        if let known = queries[query.rawValue] { return known }
        let statement = try prepared(query.sql)
        queries[query.rawValue] = statement
        return statement
    }

    /// One statement instead of three: a tiers line with its account asks it of every line.
    func tiersAndAccount(code: String, accountNumber number: String) throws -> TiersAndAccount {
        let read = try statement(.tiersAndAccount).firstRow(binding: [.text(code), .text(number)]) { row in
            TiersAndAccount(
                tiers: ExistingTiers(row: (0..<4).map { row.value($0) }),
                account: row.text(4) == nil ? nil : ExistingAccount(row: [row.value(5), row.value(6)]),
                otherHolder: row.text(7))
        }
        return read ?? TiersAndAccount(tiers: nil, account: nil, otherHolder: nil)
    }

    func preference(_ code: String) throws -> String? {
        if let known = cache.preferences[code] { return known }
        let value = try statement(.preference).firstRow(binding: [.text(code)]) { $0.text(0) } ?? nil
        cache.preferences[code] = value
        return value
    }

    func nextNumber(of counter: String) throws -> String? {
        guard let value = try preference(counter) else { return nil }
        let next = Counter.incremented(value)
        cache.preferences[counter] = next
        takenCounters[counter] = next
        return value
    }

    /// Writes the counters taken: before anything else reads or writes `PREFERENCES`, and when
    /// the request's work ends.
    func writeTakenCounters() throws {
        for (counter, next) in takenCounters {
            _ = try statement(.setPreference).firstRow(binding: [.text(next), .text(counter)]) { _ in () }
        }
        takenCounters = [:]
    }

    /// `writeTakenCounters` before a read or write of `table`.
    private func writeTakenCounters(before table: String) throws {
        if table == "PREFERENCES", !takenCounters.isEmpty { try writeTakenCounters() }
    }

    /// Whether the société has `table`: a domain may name the table of a domain to come.
    private func hasTable(_ table: String) throws -> Bool {
        if let known = knownTables[table] { return known }
        let exists = try db.tableExists(table)
        knownTables[table] = exists
        return exists
    }

    func row(in table: String, key: LineValues, columns: [String]) throws -> [FieldValue]? {
        try writeTakenCounters(before: table)
        let code = cache.code(in: table, key)
        if let code, let known = cache.row(in: table, code: code, columns: columns) { return known }
        guard try hasTable(table) else { return nil }
        let statement = try prepared(.row(columns), table, [key]) {
            // No column asked is a look for the row alone, which SQLite's grammar needs a value for.
            let selected = columns.isEmpty ? "1" : columns.map(Schema.quoted).joined(separator: ", ")
            return "SELECT \(selected) FROM \(Schema.quoted(table)) WHERE \(condition(key))"
        }
        let values = try statement.firstRow(bindingFieldsOf: [key]) { $0.values(columns.count) }
        if let code { cache.remember(row: values, in: table, code: code, columns: columns) }
        return values
    }

    func exists(in table: String, key: LineValues) throws -> Bool {
        try writeTakenCounters(before: table)
        let code = cache.code(in: table, key)
        if let code, let known = cache.exists(in: table, code: code) { return known }
        guard try hasTable(table) else { return false }
        let statement = try prepared(.exists, table, [key]) {
            "SELECT 1 FROM \(Schema.quoted(table)) WHERE \(condition(key))"
        }
        let exists = try statement.firstRow(bindingFieldsOf: [key]) { _ in true } ?? false
        if let code { cache.remember(exists: exists, in: table, code: code) }
        return exists
    }

    func rows(in table: String, matching: LineValues, columns: [String]) throws -> [[FieldValue]] {
        try writeTakenCounters(before: table)
        guard try hasTable(table) else { return [] }
        let names = columns.map(Schema.quoted).joined(separator: ", ")
        let statement = try prepared(.rows(columns), table, [matching]) {
            "SELECT \(names) FROM \(Schema.quoted(table)) WHERE \(condition(matching)) ORDER BY \(names)"
        }
        return try statement.allRows(bindingFieldsOf: [matching]) { $0.values(columns.count) }
    }

    func firstRow(in table: String, matching: LineValues, other: LineValues, columns: [String]) throws -> [FieldValue]?
    {
        try writeTakenCounters(before: table)
        guard try hasTable(table) else { return nil }
        let statement = try prepared(.firstRow(columns), table, [matching, other]) {
            """
            SELECT \(columns.map(Schema.quoted).joined(separator: ", ")) FROM \(Schema.quoted(table))
            WHERE \(condition(matching)) AND NOT (\(condition(other))) LIMIT 1
            """
        }
        return try statement.firstRow(bindingFieldsOf: [matching, other]) { $0.values(columns.count) }
    }

    func firstValue(
        of column: String, in table: String, matching: LineValues, from lowest: String, through highest: String
    ) throws -> String? {
        try writeTakenCounters(before: table)
        guard try hasTable(table) else { return nil }
        let range = LineValues([(column, .text(lowest)), (column, .text(highest)), (column, .text(lowest))])
        let statement = try prepared(.firstValue, table, [matching, range]) {
            let name = Schema.quoted(column)
            return """
                SELECT \(name) FROM \(Schema.quoted(table))
                WHERE \(condition(matching)) AND \(name) >= ? AND \(name) <= ? AND length(\(name)) = length(?)
                ORDER BY \(name) LIMIT 1
                """
        }
        return try statement.firstRow(bindingFieldsOf: [matching, range]) { $0.text(0) } ?? nil
    }

    func addCustomColumns(_ names: [String], to table: String) throws {
        guard !names.isEmpty else { return }
        let existing = Set(try customColumns(of: table))
        for name in names where !existing.contains(name) {
            try db.execute(sql: "ALTER TABLE \(Schema.quoted(table)) ADD COLUMN \(Schema.quoted(name)) TEXT")
            cache.customColumns[table] = nil
        }
    }

    /// Read once per request and table: only `addCustomColumns` changes them.
    func customColumns(of table: String) throws -> [String] {
        if let known = cache.customColumns[table] { return known }
        // Read afresh: a column added by a request whose savepoint was rolled back is gone,
        // though GRDB's schema cache would still remember it.
        db.clearSchemaCache()
        let columns = try db.columns(in: table).map { $0.name.uppercased() }.filter { $0.hasPrefix("XXX_") }
        cache.customColumns[table] = columns
        return columns
    }

    private func condition(_ key: LineValues) -> String {
        key.fields.map { "\(Schema.quoted($0.name)) = ?" }.joined(separator: " AND ")
    }

    /// The statement of a piece of SQL, prepared once per connection.
    private func prepared(_ sql: String) throws -> RawStatement {
        RawStatement(try db.cachedStatement(sql: sql), connection: db.sqliteConnection, texts: boundTexts)
    }

    /// A generated statement: what it does, on which table, with which columns as parameters.
    private struct ShapedStatement {
        enum Action: Equatable {
            /// Rows created by one statement: the parameters are those of one row.
            case create(rows: Int)
            case update
            case exists
            case row([String])
            case firstRow([String])
            case rows([String])
            case firstValue
        }

        let action: Action
        let table: String
        let columns: [String]
        let statement: RawStatement

        /// Whether this statement's parameters are the columns of `parts`, in order.
        func serves(_ action: Action, _ table: String, _ parts: some Collection<LineValues>) -> Bool {
            guard self.action == action, self.table == table else { return false }
            var index = 0
            for part in parts {
                for field in part.fields.indices {
                    guard index < columns.count, columns[index] == part.fields[field].name else { return false }
                    index += 1
                }
            }
            return index == columns.count
        }
    }

    /// The statement of `action` on `table` whose parameters are the columns of `parts`, in
    /// order. A request needs a handful of them, and its lines share their columns: the
    /// statement is found by comparing names in place, without hashing or gathering them for
    /// every line; its SQL is written once per request.
    private func prepared(
        _ action: ShapedStatement.Action,
        _ table: String,
        _ parts: some Collection<LineValues>,
        sql: () -> String
    ) throws -> RawStatement {
        if let known = shapedStatements.first(where: { $0.serves(action, table, parts) }) { return known.statement }
        let statement = try prepared(sql())
        let columns = parts.flatMap { $0.fields.map(\.name) }
        shapedStatements.append(ShapedStatement(action: action, table: table, columns: columns, statement: statement))
        return statement
    }

    func write(_ change: RecordChange) throws {
        switch change.kind {
        case .create:
            try create(CollectionOfOne(change))
        case .update:
            let parts = [change.values, change.key]
            try run(.update, change.table, shape: parts, binding: parts) { updateSQL(change) }
        }
    }

    /// Writes each run of rows created in one table with the same columns by one statement,
    /// up to `rowsPerInsert` rows: SQLite then starts its statement once for them all.
    func write(contentsOf changes: [RecordChange]) throws {
        var start = changes.startIndex
        while start < changes.endIndex {
            var end = start + 1
            while end < changes.endIndex, end - start < Self.rowsPerInsert,
                Self.createsAlike(changes[start], changes[end])
            {
                end += 1
            }
            if changes[start].kind == .create {
                try create(changes[start..<end])
            } else {
                try write(changes[start])
            }
            start = end
        }
    }

    /// The most rows one `INSERT` takes: a statement is prepared for each number of rows.
    static let rowsPerInsert = 8

    /// Creates `rows`, which `createsAlike` found alike, by one statement.
    private func create(_ rows: some Collection<RecordChange>) throws {
        guard let first = rows.first else { return }
        var parts: [LineValues] = []
        parts.reserveCapacity(2 * rows.count)
        for row in rows {
            parts.append(row.key)
            parts.append(row.values)
        }
        // One row's parts name the parameters.
        try run(.create(rows: rows.count), first.table, shape: parts.prefix(2), binding: parts) {
            insertSQL(first, rows: rows.count)
        }
    }

    /// Runs the statement of `action` on `table` whose parameters are the columns of `shape`,
    /// binding the fields of `binding`, and notes that `table` changed.
    private func run(
        _ action: ShapedStatement.Action, _ table: String, shape: some Collection<LineValues>, binding: [LineValues],
        sql: () -> String
    ) throws {
        try writeTakenCounters(before: table)
        let statement = try prepared(action, table, shape, sql: sql)
        _ = try statement.firstRow(bindingFieldsOf: binding) { _ in () }
        cache.wrote(table)
    }

    /// Whether two changes create rows of one table with the same columns, in the same order.
    private static func createsAlike(_ one: RecordChange, _ other: RecordChange) -> Bool {
        guard one.kind == .create, other.kind == .create, one.table == other.table else { return false }
        return sameNames(one.key, other.key) && sameNames(one.values, other.values)
    }

    private static func sameNames(_ one: LineValues, _ other: LineValues) -> Bool {
        one.fields.count == other.fields.count
            && one.fields.indices.allSatisfy { one.fields[$0].name == other.fields[$0].name }
    }

    private func updateSQL(_ change: RecordChange) -> String {
        let assignments = change.values.fields.map { "\(Schema.quoted($0.name)) = ?" }.joined(separator: ", ")
        return "UPDATE \(Schema.quoted(change.table)) SET \(assignments) WHERE \(condition(change.key))"
    }

    /// `INSERT` of `rows` rows with the columns of `change`.
    private func insertSQL(_ change: RecordChange, rows: Int) -> String {
        let names = (change.key.fields + change.values.fields).map { Schema.quoted($0.name) }
        let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        let values = Array(repeating: row, count: rows).joined(separator: ", ")
        return "INSERT INTO \(Schema.quoted(change.table)) (\(names.joined(separator: ", "))) VALUES \(values)"
    }
}
