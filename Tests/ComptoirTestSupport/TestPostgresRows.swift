import ComptoirCore
import ComptoirStore
import Foundation
import Logging
import NIOPosix
import PostgresNIO

extension TestPostgres {
    /// The rows `sql` gives in the schema of `connection`, each column by name: what the tests
    /// read of a PostgreSQL société, as they read an SQLite one through GRDB. `sql` may be
    /// written as for SQLite: its `?` are numbered, and its column names (capitals with an
    /// underscore) quoted.
    /// Waits on this thread (never an event loop's), as GRDB's reads do.
    public static func rows(_ sql: String, _ arguments: [FieldValue] = [], in connection: ConnectionFile)
        throws -> [[(name: String, value: FieldValue)]]
    {
        let postgres = try connect(connection)
        defer { try? postgres.close().wait() }
        do {
            var binds = PostgresBindings()
            for argument in arguments {
                switch argument {
                case .null: binds.appendNull()
                case .text(let text): binds.append(text)
                case .integer(let integer): binds.append(integer)
                }
            }
            let logger = Logger(label: "comptoir.tests.postgres")
            let tables = Set(
                try postgres.query(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
                    logger: logger
                ).wait().rows.compactMap { try? $0.decode(String.self) })
            let result = try postgres.query(
                PostgresQuery(unsafeSQL: dialect(sql, tables: tables), binds: binds), logger: logger
            ).wait()
            return result.rows.map { row in
                row.makeRandomAccess().map { cell in
                    let value: FieldValue =
                        if cell.bytes == nil {
                            .null
                        } else if [.int2, .int4, .int8].contains(cell.dataType) {
                            (try? cell.decode(Int.self)).map(FieldValue.integer) ?? .null
                        } else {
                            (try? cell.decode(String.self)).map(FieldValue.text) ?? .null
                        }
                    return (cell.columnName, value)
                }
            }
        }
    }

    /// A connection in the schema of `connection`. Waits on this thread (never an event loop's).
    static func connect(_ connection: ConnectionFile) throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: connection.host, port: connection.port, username: connection.user,
            password: { if case .inFile(let password) = connection.password { password } else { nil } }(),
            database: connection.database, tls: .disable)
        configuration.options.additionalStartupParameters = [("search_path", "\"\(connection.schema)\"")]
        return try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1,
            logger: Logger(label: "comptoir.tests.postgres")
        ).wait()
    }

    /// `sql` written as for SQLite, in PostgreSQL's: `?` numbered, the names of `tables` and
    /// of columns (capitals with an underscore) quoted, `WHERE 1` made `WHERE true`.
    static func dialect(_ sql: String, tables: Set<String>) -> String {
        var result = ""
        var parameter = 0
        var inLiteral = false
        var word = ""
        func endWord() {
            let isColumn =
                word.first?.isLetter == true && word.contains("_")
                && word.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" }
            if (isColumn || tables.contains(word)) && !result.hasSuffix("\"") {
                result += "\"\(word)\""
            } else if word == "1" && result.hasSuffix("WHERE ") {
                result += "true"
            } else {
                result += word
            }
            word = ""
        }
        for character in sql {
            if !inLiteral, character.isLetter || character.isNumber || character == "_" {
                word.append(character)
                continue
            }
            endWord()
            if character == "'" { inLiteral.toggle() }
            if character == "?", !inLiteral {
                parameter += 1
                result += "$\(parameter)"
            } else {
                result.append(character)
            }
        }
        endWord()
        return result
    }
}
