import ComptoirStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The PostgreSQL server the tests may use: the URL in `COMPTOIR_TEST_POSTGRES`
/// (`scripts/postgres-jetable` starts one). Without it, the tests that need one are skipped.
public enum TestPostgres {
    public static var url: String? {
        ProcessInfo.processInfo.environment["COMPTOIR_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isAvailable: Bool { url != nil }

    /// A connection to a new schema of its own, so that tests never see each other's rows.
    /// Its name tells the machine and the test process that made it (`essai_<machine>_<pid>_…`),
    /// so that a later process can drop it once this one has ended.
    public static func connection() throws -> ConnectionFile {
        guard let url else { throw SocieteError.badConnectionFile("TEST", reason: "COMPTOIR_TEST_POSTGRES manque") }
        let template = try ConnectionFile(url: url, schema: "public")
        dropEndedProcessesSchemasOnce(template)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return try ConnectionFile(url: url, schema: "\(schemaPrefix)\(getpid())_\(suffix)")
    }

    /// The start of the names of this machine's test schemas.
    static let schemaPrefix: String = {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let machine = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(20)
        return "essai_\(machine)_"
    }()

    /// Drops, once per process, the schemas of this machine's test processes that have ended:
    /// tests never drop their own, and a long-lived database would otherwise keep them all.
    /// Each goes by its own statement (one `DROP` of hundreds runs out of locks), and a failure
    /// only leaves a schema for the next process: the tests do not depend on it.
    private static func dropEndedProcessesSchemasOnce(_ connection: ConnectionFile) {
        // Held while the first one drops them: the others wait rather than drop them too.
        endedProcessesSchemasDropped.withLock { dropped in
            guard !dropped else { return }
            dropped = true
            try? dropEndedProcessesSchemas(connection)
        }
    }

    private static let endedProcessesSchemasDropped = Mutex(false)

    private static func dropEndedProcessesSchemas(_ connection: ConnectionFile) throws {
        let logger = Logger(label: "comptoir.tests.postgres")
        let postgres = try connect(connection)
        defer { try? postgres.close().wait() }
        let pattern = schemaPrefix.replacingOccurrences(of: "_", with: "\\_") + "%"
        let schemas = try postgres.query(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE \(pattern)", logger: logger
        ).wait().rows.compactMap { try? $0.decode(String.self) }
        for schema in schemas {
            let process = schema.dropFirst(schemaPrefix.count).prefix { $0 != "_" }
            guard let pid = pid_t(process), kill(pid, 0) == -1, errno == ESRCH else { continue }
            _ = try? postgres.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \"\(schema)\" CASCADE"), logger: logger)
                .wait()
        }
    }

    /// Creates the société `name` of `folder` in a new schema, with its first user.
    @discardableResult
    public static func createSociete(
        _ name: String, in folder: String, user: String, password: String
    ) async throws -> ConnectionFile {
        let connection = try connection()
        try await SocieteFolder(path: folder).create(
            name: name, on: connection, user: user, password: password, hashCost: 4)
        return connection
    }
}
