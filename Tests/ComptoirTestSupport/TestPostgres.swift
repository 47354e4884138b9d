import ComptoirStore
import Foundation

/// The PostgreSQL server the tests may use: the URL in `COMPTOIR_TEST_POSTGRES`
/// (`scripts/postgres-jetable` starts one). Without it, the tests that need one are skipped.
public enum TestPostgres {
    public static var url: String? {
        ProcessInfo.processInfo.environment["COMPTOIR_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isAvailable: Bool { url != nil }

    /// A connection to a new schema of its own, so that tests never see each other's rows.
    public static func connection() throws -> ConnectionFile {
        guard let url else { throw SocieteError.badConnectionFile("TEST", reason: "COMPTOIR_TEST_POSTGRES manque") }
        let schema = "essai_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        return try ConnectionFile(url: url, schema: schema)
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
