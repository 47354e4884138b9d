import ComptoirCore
import GRDB
import GRDBSQLite

/// A query `ExporterRequeteBaseDonnees` may not run, with its French message.
public struct QueryRefusal: FrenchError, Equatable, Sendable {
    public let message: String

    static let notASelect = QueryRefusal(message: "Seules les requêtes SELECT sont permises")
}

extension Societe {
    /// Runs `query`, one `SELECT` (or `WITH … SELECT`), on a connection of its own that SQLite
    /// opens read-only and whose authorizer allows reading and nothing else: any statement that
    /// would write, attach or change a setting is refused before it runs. Password hashes read
    /// as NULL. Gives the column names to `columns`, then each row to `row`, as they are read,
    /// values as SQLite gives them as text, NULL as nil. Returns the number of rows.
    public func export(
        query: String, columns: ([String]) throws -> Void, row: ([String?]) throws -> Void
    ) throws -> Int {
        var connection: OpaquePointer?
        defer { sqlite3_close_v2(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let connection else {
            throw StorageFailure.translating(Self.lastError(of: connection), path: path)
        }
        sqlite3_busy_timeout(connection, 30_000)
        sqlite3_set_authorizer(connection, readOnlyAuthorizer, nil)

        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        // What follows the first statement, read while the query's C string lives.
        let (prepared, rest) = query.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(connection, text, -1, &statement, &tail)
            return (code, tail.map { String(cString: $0) } ?? "")
        }
        if prepared == SQLITE_AUTH { throw QueryRefusal.notASelect }
        guard prepared == SQLITE_OK, let statement else {
            if prepared == SQLITE_OK { throw QueryRefusal.notASelect }  // only a comment, or nothing
            throw QueryRefusal(message: "Requête invalide : \(String(cString: sqlite3_errmsg(connection)))")
        }
        // One statement only: what follows it may hold nothing but spaces and semicolons.
        guard rest.allSatisfy({ $0 == ";" || $0.isWhitespace }), sqlite3_stmt_readonly(statement) != 0,
            sqlite3_column_count(statement) > 0
        else { throw QueryRefusal.notASelect }

        let count = sqlite3_column_count(statement)
        try columns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
        var rows = 0
        var values = [String?](repeating: nil, count: Int(count))
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                for column in 0..<count {
                    values[Int(column)] =
                        sqlite3_column_type(statement, column) == SQLITE_NULL
                        ? nil : sqlite3_column_text(statement, column).map { String(cString: $0) }
                }
                try row(values)
                rows += 1
            case SQLITE_DONE: return rows
            default: throw StorageFailure.translating(Self.lastError(of: connection), path: path)
            }
        }
    }
}

extension Societe {
    /// SQLite's last error on `connection`, as GRDB gives its errors.
    fileprivate static func lastError(of connection: OpaquePointer?) -> DatabaseError {
        guard let connection else { return DatabaseError(resultCode: .SQLITE_CANTOPEN) }
        return DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
            message: String(cString: sqlite3_errmsg(connection)))
    }
}

/// Reads, and nothing else; the password hashes of `UTILISATEURS` read as NULL.
private func readOnlyAuthorizer(
    _: UnsafeMutableRawPointer?, action: Int32, first: UnsafePointer<CChar>?, second: UnsafePointer<CChar>?,
    _: UnsafePointer<CChar>?, _: UnsafePointer<CChar>?
) -> Int32 {
    switch action {
    case SQLITE_READ:
        let table = first.map { String(cString: $0) }?.uppercased()
        let column = second.map { String(cString: $0) }?.uppercased()
        return table == "UTILISATEURS" && column == "USR_MDP_HASH" ? SQLITE_IGNORE : SQLITE_OK
    case SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE: return SQLITE_OK
    default: return SQLITE_DENY
    }
}
