import Foundation
import GRDB

/// Where a measured société keeps its rows: its SQLite file, or a schema of the `--postgres`
/// database. What a measure does is the same for both; only creating the société and reading
/// back what it stored differ.
enum SocieteStorage: Sendable {
    case sqlite
    case postgres(PostgresDatabase, schema: String)

    /// A PostgreSQL société in a new schema of `database`.
    static func newSchema(of database: PostgresDatabase) -> SocieteStorage {
        .postgres(database, schema: database.newSchema())
    }

    /// What `comptoir societe creer` takes to create the société here.
    var creationOptions: [String] {
        switch self {
        case .sqlite: []
        case .postgres(let database, let schema): ["--postgres", database.url, "--schema", schema]
        }
    }

    /// The codes of the tiers the société of `societePath` holds.
    func storedClientCodes(societePath: String) async throws -> Set<String> {
        switch self {
        case .sqlite:
            let queue = try DatabaseQueue(path: societePath)
            defer { try? queue.close() }
            return Set(try await queue.read { db in try String.fetchAll(db, sql: "SELECT PCF_CODE FROM TIERS") })
        case .postgres(let database, let schema):
            return try await database.storedClientCodes(schema: schema)
        }
    }
}
