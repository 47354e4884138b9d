import ComptoirStore
import Foundation
import PostgresNIO
import Synchronization

/// The PostgreSQL database of `--postgres`: the schemas the bench creates in it, each a société
/// of its own, remembered so that they are all dropped at the end.
final class PostgresDatabase: Sendable {
    let url: String
    private let connection: ConnectionFile
    private let password: String?
    private let created = Mutex<[String]>([])
    static let logger = Logger(label: "comptoir-bench.postgres")

    init(url: String) throws {
        // The server's own reading of the URL, so that the bench connects where the société lives.
        connection = try ConnectionFile(url: url, schema: "bench")
        guard case .inFile(let password) = connection.password else {
            throw BenchFailure("--postgres : l'adresse doit porter le mot de passe")
        }
        self.url = url
        self.password = password
    }

    /// A new schema's name, unique so that runs sharing the database never meet.
    func newSchema() -> String {
        let name = "bench_" + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        created.withLock { $0.append(name) }
        return name
    }

    /// Runs `work` on a connection whose `search_path` is `schema`, closed afterwards.
    func withConnection<T>(schema: String?, _ work: (PostgresConnection) async throws -> T) async throws -> T {
        var configuration = PostgresConnection.Configuration(
            host: connection.host, port: connection.port, username: connection.user, password: password,
            database: connection.database, tls: .disable)
        if let schema {
            configuration.options.additionalStartupParameters = [("search_path", "\"\(schema)\"")]
        }
        do {
            let postgres = try await PostgresConnection.connect(
                configuration: configuration, id: 1, logger: Self.logger)
            do {
                let result = try await work(postgres)
                try await postgres.close()
                return result
            } catch {
                try? await postgres.close()
                throw error
            }
        } catch let error as PSQLError {
            // PostgresNIO's own description hides the server's message, which is what one needs here.
            throw BenchFailure("PostgreSQL : \(String(reflecting: error))")
        }
    }

    /// Runs `sql`, made by the bench alone, discarding its rows.
    static func execute(_ sql: String, on postgres: PostgresConnection) async throws {
        _ = try await postgres.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }

    /// The codes of the tiers stored in `schema`.
    func storedClientCodes(schema: String) async throws -> Set<String> {
        try await withConnection(schema: schema) { postgres in
            var codes = Set<String>()
            let rows = try await postgres.query(#"SELECT "PCF_CODE" FROM "TIERS""#, logger: Self.logger)
            for try await code in rows.decode(String.self) { codes.insert(code) }
            return codes
        }
    }

    /// Drops every schema the bench created, with its tables.
    func dropCreatedSchemas() async throws {
        let schemas = created.withLock { $0 }
        guard !schemas.isEmpty else { return }
        try await withConnection(schema: nil) { postgres in
            for schema in schemas {
                try await Self.execute("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE", on: postgres)
            }
        }
        created.withLock { $0.removeAll() }
    }
}
