import ComptoirCore
import GRDB
import GRDBSQLite

/// The import rules' view of a société, inside the request's transaction. Statements are
/// prepared once per connection (GRDB's statement cache) and reused for every line and every
/// request; reference codes and preferences, which an import does not change, are read once per
/// request.
final class SQLiteRecordStore: RecordStore {
    let db: Database
    private var knownPays: [String: Bool] = [:]
    private var knownDevises: [String: Bool] = [:]
    private var preferences: [String: String?] = [:]
    /// The statements of the store's own queries, by `Query.rawValue`, once found.
    private var queries = [RawStatement?](repeating: nil, count: Query.allCases.count)
    private var shapedStatements: [ShapedStatement] = []
    private var customColumnsByTable: [String: [String]] = [:]
    private let boundTexts = BoundTexts()

    init(db: Database) { self.db = db }

    /// The store's own queries. Each one's statement is looked up in GRDB's cache once per
    /// request, then kept: no line hashes the SQL to find it.
    private enum Query: Int, CaseIterable {
        case tiers
        case tiersHoldingAccount
        case account
        case tiersAndAccount
        case pays
        case devise
        case preference

        var sql: String {
            switch self {
            case .tiers: Self.tiersSQL
            case .tiersHoldingAccount: "SELECT PCF_CODE FROM TIERS WHERE CPT_NUMERO = ? AND PCF_CODE <> ? LIMIT 1"
            case .account: Self.accountSQL
            case .tiersAndAccount: Self.tiersAndAccountSQL
            case .pays: "SELECT 1 FROM PAYS WHERE PAY_CODE = ?"
            case .devise: "SELECT 1 FROM DEVISES WHERE DEV_CODE = ?"
            case .preference: "SELECT PRF_VALEUR FROM PREFERENCES WHERE PRF_CODE = ?"
            }
        }

        /// The columns `existingTiers(in:from:)` reads, then those `existingAccount(in:from:)` reads.
        private static let tiersColumns = ["PCF_TYPE", "CPT_NUMERO", "PAY_CODE", "PCF_NUMMAJ"]
        private static let accountColumns = ["CPT_NUMERO", "CPT_TYPE", "PCF_CODE"]
        private static let tiersSQL =
            "SELECT \(tiersColumns.joined(separator: ", ")) FROM TIERS WHERE PCF_CODE = ?"
        private static let accountSQL =
            "SELECT \(accountColumns.joined(separator: ", ")) FROM COMPTES WHERE CPT_NUMERO = ?"
        /// `tiers`, `account` and `tiersHoldingAccount` in one statement, whose `(SELECT 1)`
        /// gives the row that the two joins may leave empty.
        private static let tiersAndAccountSQL = """
            SELECT \(tiersColumns.map { "t." + $0 }.joined(separator: ", ")), \
            \(accountColumns.map { "c." + $0 }.joined(separator: ", ")),
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

    func tiers(code: String) throws -> ExistingTiers? {
        try statement(.tiers).firstRow(binding: [.text(code)]) { Self.existingTiers(in: $0, from: 0) } ?? nil
    }

    func tiersHoldingAccount(_ number: String, other code: String) throws -> String? {
        try statement(.tiersHoldingAccount).firstRow(binding: [.text(number), .text(code)]) { $0.text(0) } ?? nil
    }

    func account(number: String) throws -> ExistingAccount? {
        try statement(.account).firstRow(binding: [.text(number)]) { Self.existingAccount(in: $0, from: 0) } ?? nil
    }

    func tiersAndAccount(code: String, accountNumber number: String) throws -> TiersAndAccount {
        let read = try statement(.tiersAndAccount).firstRow(binding: [.text(code), .text(number)]) { row in
            TiersAndAccount(
                tiers: Self.existingTiers(in: row, from: 0), account: Self.existingAccount(in: row, from: 4),
                otherHolder: row.text(7))
        }
        return read ?? TiersAndAccount(tiers: nil, account: nil, otherHolder: nil)
    }

    /// The tiers of a row of `Query.tiers`'s columns from `column` on; nil when they are NULL.
    private static func existingTiers(in row: RawStatement, from column: Int32) -> ExistingTiers? {
        guard let type = row.text(column).flatMap(TiersType.init(rawValue:)) else { return nil }
        return ExistingTiers(
            type: type, accountNumber: row.text(column + 1), payCode: row.text(column + 2),
            updateCount: row.integer(column + 3))
    }

    /// The account of a row of `Query.account`'s columns from `column` on; nil when they are NULL.
    private static func existingAccount(in row: RawStatement, from column: Int32) -> ExistingAccount? {
        guard row.text(column) != nil else { return nil }
        return ExistingAccount(type: row.text(column + 1) ?? "", tiersCode: row.text(column + 2))
    }

    func paysExists(_ code: String) throws -> Bool {
        try referenceExists(.pays, code, known: &knownPays)
    }

    func deviseExists(_ code: String) throws -> Bool {
        try referenceExists(.devise, code, known: &knownDevises)
    }

    private func referenceExists(_ query: Query, _ code: String, known: inout [String: Bool]) throws -> Bool {
        if let exists = known[code] { return exists }
        let exists = try statement(query).firstRow(binding: [.text(code)]) { _ in true } ?? false
        known[code] = exists
        return exists
    }

    func preference(_ code: String) throws -> String? {
        if let known = preferences[code] { return known }
        let value = try statement(.preference).firstRow(binding: [.text(code)]) { $0.text(0) } ?? nil
        preferences[code] = value
        return value
    }

    func updateCount(in table: String, key: LineValues, countColumn: String) throws -> Int? {
        let statement = try prepared(.updateCount(countColumn), table, [key]) {
            "SELECT \(Schema.quoted(countColumn)) FROM \(Schema.quoted(table)) WHERE \(condition(key))"
        }
        return try statement.firstRow(bindingFieldsOf: [key]) { $0.integer(0) }
    }

    func exists(in table: String, key: LineValues) throws -> Bool {
        let statement = try prepared(.exists, table, [key]) {
            "SELECT 1 FROM \(Schema.quoted(table)) WHERE \(condition(key))"
        }
        return try statement.firstRow(bindingFieldsOf: [key]) { _ in true } ?? false
    }

    func addCustomColumns(_ names: [String], to table: String) throws {
        guard !names.isEmpty else { return }
        let existing = Set(try customColumns(of: table))
        for name in names where !existing.contains(name) {
            try db.execute(sql: "ALTER TABLE \(Schema.quoted(table)) ADD COLUMN \(Schema.quoted(name)) TEXT")
            customColumnsByTable[table] = nil
        }
    }

    /// Read once per request and table: only `addCustomColumns` changes them.
    func customColumns(of table: String) throws -> [String] {
        if let known = customColumnsByTable[table] { return known }
        // Read afresh: a column added by a request whose savepoint was rolled back is gone,
        // though GRDB's schema cache would still remember it.
        db.clearSchemaCache()
        let columns = try db.columns(in: table).map { $0.name.uppercased() }.filter { $0.hasPrefix("XXX_") }
        customColumnsByTable[table] = columns
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
            case create
            case update
            case exists
            case updateCount(String)
        }

        let action: Action
        let table: String
        let columns: [String]
        let statement: RawStatement

        /// Whether this statement's parameters are the columns of `parts`, in order.
        func serves(_ action: Action, _ table: String, _ parts: [LineValues]) -> Bool {
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
        _ parts: [LineValues],
        sql: () -> String
    ) throws -> RawStatement {
        if let known = shapedStatements.first(where: { $0.serves(action, table, parts) }) { return known.statement }
        let statement = try prepared(sql())
        let columns = parts.flatMap { $0.fields.map(\.name) }
        shapedStatements.append(ShapedStatement(action: action, table: table, columns: columns, statement: statement))
        return statement
    }

    func write(_ change: RecordChange) throws {
        let parts = change.kind == .create ? [change.key, change.values] : [change.values, change.key]
        let statement = try prepared(change.kind == .create ? .create : .update, change.table, parts) {
            sql(for: change)
        }
        _ = try statement.firstRow(bindingFieldsOf: parts) { _ in () }
    }

    private func sql(for change: RecordChange) -> String {
        let table = Schema.quoted(change.table)
        switch change.kind {
        case .create:
            let names = (change.key.fields + change.values.fields).map { Schema.quoted($0.name) }
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
        case .update:
            let assignments = change.values.fields.map { "\(Schema.quoted($0.name)) = ?" }.joined(separator: ", ")
            return "UPDATE \(table) SET \(assignments) WHERE \(condition(change.key))"
        }
    }
}

/// A prepared statement run through SQLite's C interface: an import's hot path binds and steps
/// without building GRDB arguments or rows for every line.
struct RawStatement {
    private let statement: Statement
    private let connection: SQLiteConnection?
    private let texts: BoundTexts

    init(_ statement: Statement, connection: SQLiteConnection?, texts: BoundTexts) {
        self.statement = statement
        self.connection = connection
        self.texts = texts
    }

    /// Binds `values` to the statement's parameters, in order, runs it and reads its first row,
    /// if any, then resets it, so that no statement stays pending across savepoints and commits.
    /// Each statement's parameters are all bound every time, so none needs clearing.
    func firstRow<T>(binding values: some Sequence<FieldValue>, _ read: (RawStatement) -> T) throws -> T? {
        try run(read) { textsUsed in
            for (index, value) in zip(Int32(1)..., values) { try bind(value, at: index, textsUsed: &textsUsed) }
        }
    }

    /// The same, with the values of the fields of `parts`, in order, bound in place: the
    /// parameters of a generated statement.
    func firstRow<T>(bindingFieldsOf parts: [LineValues], _ read: (RawStatement) -> T) throws -> T? {
        try run(read) { textsUsed in
            var index: Int32 = 1
            for part in parts {
                for field in part.fields.indices {
                    try bind(part.fields[field].value, at: index, textsUsed: &textsUsed)
                    index += 1
                }
            }
        }
    }

    private func run<T>(_ read: (RawStatement) -> T, binding: (inout Int) throws -> Void) throws -> T? {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        var textsUsed = 0
        try binding(&textsUsed)
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return read(self)
        case SQLITE_DONE: return nil
        case let code: throw error(code)
        }
    }

    /// Binds a value; a text is copied into `texts` after the `textsUsed` bytes the statement's
    /// other texts take, and SQLite reads it there until the reset. A text that does not fit
    /// any more is copied by SQLite itself.
    private func bind(_ value: FieldValue, at index: Int32, textsUsed: inout Int) throws {
        let handle = statement.sqliteStatement
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let integer): code = sqlite3_bind_int64(handle, index, Int64(integer))
        case .text(let text):
            let start = texts.base + textsUsed
            let size = text.utf8.count
            if size <= BoundTexts.capacity - textsUsed,
                text.utf8.withContiguousStorageIfAvailable({ (bytes: UnsafeBufferPointer<UInt8>) -> Void in
                    if let source = bytes.baseAddress { start.copyMemory(from: source, byteCount: size) }
                }) != nil
            {
                textsUsed += size
                // No destructor (SQLITE_STATIC): the text stays in `texts` until the reset.
                code = sqlite3_bind_text(handle, index, start, Int32(size), nil)
            } else {
                var text = text
                code = text.withUTF8 {
                    sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient)
                }
            }
        }
        guard code == SQLITE_OK else { throw error(code) }
    }

    func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement.sqliteStatement, column) else { return nil }
        return String(cString: text)
    }

    func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement.sqliteStatement, column)) }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: connection.map { String(cString: sqlite3_errmsg($0)) },
            sql: statement.sql)
    }
}

/// Memory a statement's bound texts are copied to, one after the other, for SQLite to read them
/// in place: it would otherwise copy each one into an allocation of its own, freed at the next
/// binding. One store's statements run one at a time, so they share it. A reset statement still
/// points to its last texts, even once this memory is gone; that is safe because every run
/// binds all of its statement's parameters anew before stepping it.
final class BoundTexts {
    static let capacity = 64 << 10
    let base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)

    deinit { base.deallocate() }
}

/// Tells SQLite to copy a bound text, which Swift only lends for the call.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
