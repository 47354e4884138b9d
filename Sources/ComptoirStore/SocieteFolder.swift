import ComptoirCore
import Foundation
import Synchronization

/// The server's data folder: one `<NOM>.Gestimum` file per société. Sociétés stay open once
/// opened, so that a request does not pay for opening its file.
public final class SocieteFolder: Sendable {
    /// The folder's absolute path.
    public let path: String
    private let openSocietes = Mutex<[String: any Societe]>([:])

    public init(path: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The absolute path of the société `fichier` names, which may not exist. A name in another
    /// case names the file the folder has, when it has one and only one: Gestimum's clients and
    /// `.ini` files come from Windows, where `demo` and `DEMO.Gestimum` are one file.
    public func filePath(for fichier: String) throws(RequestRefusal) -> String {
        let name = try SocieteName.fileName(for: fichier)
        let exact = (path as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: exact) { return exact }
        let folded = name.lowercased()
        let matches = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
            $0.lowercased() == folded
        }
        return matches.count == 1 ? (path as NSString).appendingPathComponent(matches[0]) : exact
    }

    /// The open société `fichier` names. A request never creates one: a missing file is
    /// `SocieteError.notFound`, one that cannot be opened a `StorageFailure`.
    public func societe(named fichier: String) throws -> any Societe {
        let filePath = try filePath(for: fichier)
        guard let realPath = realSocieteFile(filePath) else {
            throw SocieteError.notFound((filePath as NSString).lastPathComponent)
        }
        // Keyed by the real file, so that a symbolic link and its target are one société.
        // Opened under the lock: requests arriving together must not open (and migrate) one
        // file at once, where one of them would find it locked.
        return try openSocietes.withLock { open in
            if let societe = open[realPath] {
                if societe.isInPlace { return societe }
                // Until the old file's connections are closed, the new file is not opened.
                guard societe.closeReplaced() else {
                    throw StorageFailure(.fileReplaced, path: realPath, code: "Comptoir", detail: "fermeture en cours")
                }
            }
            do {
                let societe: any Societe =
                    ConnectionFile.isConnectionFile(realPath)
                    ? try PostgresSociete(path: realPath) : try SQLiteSociete.open(at: realPath)
                open[realPath] = societe
                return societe
            } catch {
                throw StorageFailure(error, path: realPath) ?? error
            }
        }
    }

    /// Closes every société opened, when the process is done with them.
    public func closeAll() {
        openSocietes.withLock { open in
            for societe in open.values { societe.close() }
            open = [:]
        }
    }

    /// The real path of `filePath` when it is a regular file really in the folder: a symbolic
    /// link leading out of it, or anything but a regular file, is no société. Sociétés deleted
    /// since they were opened are forgotten: they are kept under their real paths, which a
    /// missing file no longer gives, so every one whose file is gone is dropped.
    func realSocieteFile(_ filePath: String) -> String? {
        guard let realFile = Self.realPath(filePath), Self.isRegularFile(realFile) else {
            openSocietes.withLock { open in open = open.filter { Self.isRegularFile($0.key) } }
            return nil
        }
        guard let realFolder = Self.realPath(path) else { return nil }
        return realFile.hasPrefix(realFolder + "/") ? realFile : nil
    }

    /// The absolute path of `path` with every symbolic link resolved, or nil when nothing is there.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// Creates the société `name` with its first user, making the folder if needed, and returns
    /// the société file's path.
    @discardableResult
    public func create(
        name: String,
        user: String,
        password: String,
        hashCost: UInt8 = Passwords.defaultCost
    ) throws -> String {
        let filePath = try filePath(for: name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try SQLiteSociete.create(at: filePath, user: user, password: password, hashCost: hashCost)
        return filePath
    }

    /// Creates the société `name` in PostgreSQL, where `connection` says, with its first user,
    /// and its connection file in the folder; returns the file's path.
    @discardableResult
    public func create(
        name: String, on connection: ConnectionFile, user: String, password: String,
        hashCost: UInt8 = Passwords.defaultCost
    ) async throws -> String {
        let filePath = try filePath(for: name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try await PostgresSociete.create(
            at: filePath, connection: connection, user: user, password: password, hashCost: hashCost)
        return filePath
    }
}
