import ComptoirCore
import GRDB
import GRDBSQLite

/// A connection of its own to a société's file, that SQLite opens read-only and whose
/// authorizer allows reading and nothing else: any statement that would write, attach or change
/// a setting is refused before it runs, and password hashes read as NULL. The queries of the
/// read API and of `ExporterRequeteBaseDonnees` run on it, outside the société's writer and
/// its pool, each in a transaction of its own.
final class ReadOnlyConnection: ReadingConnection {
    static var dialect: SQLDialect { .sqlite }

    let path: String
    private let handle: OpaquePointer

    init(path: String) throws {
        self.path = path
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let connection else {
            let error = Self.lastError(of: connection)
            sqlite3_close_v2(connection)
            throw StorageFailure.translating(error, path: path)
        }
        handle = connection
        sqlite3_busy_timeout(handle, 30_000)
        sqlite3_set_authorizer(handle, readOnlyAuthorizer, nil)
        sqlite3_create_function_v2(
            handle, Self.decimalComparison, 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, compareDecimals, nil, nil, nil)
    }

    /// The SQL function that compares two decimals written as text, exactly: -1, 0 or 1, and
    /// NULL when either is NULL or no decimal. SQLite has no exact decimal type of its own.
    static let decimalComparison = "comptoir_decimal_cmp"

    deinit { sqlite3_close_v2(handle) }

    func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        defer { try? execute("COMMIT") }
        return try body()
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw failure() }
    }

    /// Prepares one of Comptoir's own statements.
    func prepare(_ sql: String) throws -> ReadStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw failure()
        }
        return ReadStatement(statement, connection: self)
    }

    /// SQLite reads a statement's rows from the file as they are stepped.
    func prepareMany(_ sql: String) throws -> ReadStatement { try prepare(sql) }

    func columns(of table: String) throws -> [String] {
        let statement = try prepare("SELECT * FROM \(Schema.quoted(table)) LIMIT 0")
        return (0..<statement.columnCount).map { statement.columnName($0).uppercased() }
    }

    /// Prepares the first statement of a text that comes from outside (a tâche's query), which
    /// must be a single `SELECT`: `QueryRefusal` otherwise.
    func prepareSelect(_ query: String) throws -> ReadStatement {
        var statement: OpaquePointer?
        // What follows the first statement, read while the query's C string lives.
        let (prepared, rest) = query.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(handle, text, -1, &statement, &tail)
            return (code, tail.map { String(cString: $0) } ?? "")
        }
        guard prepared == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            if prepared == SQLITE_AUTH || prepared == SQLITE_OK { throw QueryRefusal.notASelect }  // or only a comment
            throw QueryRefusal.invalid(sqliteMessage: String(cString: sqlite3_errmsg(handle)))
        }
        let select = ReadStatement(statement, connection: self)
        // One statement only: what follows it may hold nothing but spaces and semicolons.
        guard rest.allSatisfy({ $0 == ";" || $0.isWhitespace }), sqlite3_stmt_readonly(statement) != 0,
            select.columnCount > 0
        else { throw QueryRefusal.notASelect }
        return select
    }

    /// SQLite's last error on this connection, as a storage failure of the société.
    fileprivate func failure() -> Error {
        StorageFailure.translating(Self.lastError(of: handle), path: path)
    }

    /// SQLite's last error on `connection`, as GRDB gives its errors.
    private static func lastError(of connection: OpaquePointer?) -> DatabaseError {
        guard let connection else { return DatabaseError(resultCode: .SQLITE_CANTOPEN) }
        return DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
            message: String(cString: sqlite3_errmsg(connection)))
    }
}

/// A statement of a `ReadOnlyConnection`: bound, stepped row by row, read as text.
final class ReadStatement: ReadingStatement {
    private let statement: OpaquePointer
    private let connection: ReadOnlyConnection

    fileprivate init(_ statement: OpaquePointer, connection: ReadOnlyConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    var columnCount: Int { Int(sqlite3_column_count(statement)) }

    func columnName(_ column: Int) -> String { String(cString: sqlite3_column_name(statement, Int32(column))) }

    /// Resets the statement and binds `values` to its parameters, in order; SQLite copies texts.
    func bind(_ values: [FieldValue]) throws {
        sqlite3_reset(statement)
        for (index, value) in zip(Int32(1)..., values) {
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, index)
            case .integer(let integer): code = sqlite3_bind_int64(statement, index, Int64(integer))
            case .text(let text): code = sqlite3_bind_text(statement, index, text, -1, sqliteTransient)
            }
            guard code == SQLITE_OK else { throw connection.failure() }
        }
    }

    /// Moves to the next row: false once there is none.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.failure()
        }
    }

    /// The current row's values, as text; NULL as nil.
    func texts() -> [String?] {
        (0..<sqlite3_column_count(statement)).map { column in
            sqlite3_column_type(statement, column) == SQLITE_NULL
                ? nil : sqlite3_column_text(statement, column).map { String(cString: $0) }
        }
    }
}

/// `ReadOnlyConnection.decimalComparison`, as SQLite calls it.
private func compareDecimals(
    _ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?
) {
    let values = (0..<Int(count)).map { index -> DecimalNumber? in
        arguments?[index].flatMap(sqlite3_value_text).map { String(cString: $0) }.flatMap(DecimalNumber.init)
    }
    guard values.count == 2, let left = values[0], let right = values[1] else {
        sqlite3_result_null(context)
        return
    }
    sqlite3_result_int(context, left < right ? -1 : left == right ? 0 : 1)
}

/// Reads, and nothing else; the password hashes read as NULL. `BEGIN` and `COMMIT` only hold a
/// snapshot on a connection that cannot write.
private func readOnlyAuthorizer(
    _: UnsafeMutableRawPointer?, action: Int32, first: UnsafePointer<CChar>?, second: UnsafePointer<CChar>?,
    _: UnsafePointer<CChar>?, _: UnsafePointer<CChar>?
) -> Int32 {
    switch action {
    case SQLITE_READ:
        let table = first.map { String(cString: $0) }?.uppercased()
        let column = second.map { String(cString: $0) }?.uppercased()
        let hidden = RecordView.passwordHash
        return table == hidden.table && column == hidden.column ? SQLITE_IGNORE : SQLITE_OK
    case SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE, SQLITE_TRANSACTION: return SQLITE_OK
    default: return SQLITE_DENY
    }
}
