import ComptoirStore
import Foundation

/// A new, empty, uniquely named folder in the system's temporary directory, removed with all it
/// holds when the test lets go of it.
public final class TemporaryFolder: Sendable {
    public let path: String

    public init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("comptoir-tests-\(UUID().uuidString)", isDirectory: true).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with the path of a new temporary folder, removed afterwards.
public func withTemporaryFolder(_ body: (String) async throws -> Void) async throws {
    let folder = try TemporaryFolder()
    defer { withExtendedLifetime(folder) {} }
    try await body(folder.path)
}

/// The names of the files in `folder`, sorted.
public func contents(of folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
}

extension SocieteFolder {
    /// The SQLite société `fichier` names, for the tests that look into its file.
    public func sqliteSociete(named fichier: String) throws -> SQLiteSociete {
        let societe = try societe(named: fichier)
        guard let sqlite = societe as? SQLiteSociete else { throw SocieteError.notASociete(societe.path) }
        return sqlite
    }
}
