import ComptoirCore
import Foundation
import GRDB
import Synchronization

/// One société: an SQLite file in WAL mode whose commits are on disk before they are acknowledged.
public final class SQLiteSociete: Societe {
    /// The absolute path of the société file, as the journal names it.
    public let path: String
    let pool: DatabasePool
    private let commits: GroupCommit
    private let checkpoints: Checkpoints
    public let verifiedPasswords = VerifiedPasswords()
    private let sessions = Mutex<SessionFiles?>(nil)
    /// The file that was opened: one deleted or replaced since is no longer this société's.
    private let openedFile: FileIdentity?

    /// Opens the société file at `path`, its checkpoints made in the background (the pool's
    /// configuration holds the `Checkpoints` its connections report to).
    private init(path: String) throws {
        let checkpoints = Checkpoints(lock: try CheckpointLock(societePath: path))
        let pool = try DatabasePool(path: path, configuration: Self.configuration(checkpoints: checkpoints))
        checkpoints.checkpoint(on: pool)
        try Self.syncEveryCommit(pool)
        self.path = path
        self.pool = pool
        self.checkpoints = checkpoints
        self.commits = GroupCommit(pool: pool, lock: checkpoints.lock)
        self.openedFile = FileIdentity(path: path)
    }

    /// Closes a société whose file was replaced (a backup put in its place), so that the new
    /// file can be opened. SQLite does not copy the log of a moved file into it, and leaves the
    /// log in place: it holds the old file's last commits, which the new file would read as its
    /// own. That log and its index are removed once every connection of the old file is
    /// closed: one still open would remove the new file's when it closes. Gives whether it
    /// could close them all; the writer's request, if one runs, is waited for.
    public func closeReplaced() -> Bool {
        do {
            try closeConnections()
        } catch {
            return false
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return true
    }

    public func close() {
        // The pool closes its writer before its readers, which cannot remove the log: the last
        // connection to close, one opened for writing, copies the log into the file and removes it.
        guard (try? closeConnections()) != nil else { return }
        try? Self.readOnlyConnection(to: path).close()
    }

    /// Closes the pool's connections, its checkpoints first, and the lock file they shared,
    /// which would otherwise stay open until GRDB deallocates the last connection.
    private func closeConnections() throws {
        checkpoints.close()
        try pool.close()
        checkpoints.lock.close()
    }

    /// Whether the file at the société's path is still the one it opened.
    public var isInPlace: Bool { openedFile != nil && FileIdentity(path: path) == openedFile }

    /// Opens an existing société file, upgrading its schema when it is older than this server.
    public static func open(at path: String) throws -> SQLiteSociete {
        SQLiteLibrary.configured
        guard FileManager.default.fileExists(atPath: path) else {
            throw SocieteError.notFound((path as NSString).lastPathComponent)
        }
        // Look before opening for writing: a database that is not a société must stay as it is.
        do {
            try readOnlyConnection(to: path).close()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw SocieteError.notASociete(path)
        } catch {
            throw StorageFailure.translating(error, path: path)
        }
        do {
            let societe = try SQLiteSociete(path: path)
            try societe.migrate()
            return societe
        } catch {
            throw StorageFailure.translating(error, path: path)
        }
    }

    /// A read-only connection to the société file at `path`, refused when the file is a
    /// database but not a société (its `application_id`). Nothing is written through it
    /// (`query_only`), but it is opened for writing when the file allows it: the last
    /// connection to close then removes the `-wal` and `-shm` files, which a connection opened
    /// read-only leaves behind.
    static func readOnlyConnection(to path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = ON") }
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        let applicationID = try connection.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") }
        guard applicationID == Schema.applicationID else {
            try? connection.close()
            throw SocieteError.notASociete(path)
        }
        return connection
    }

    /// Creates a new société file with its first user. Never overwrites: the file is built aside,
    /// then linked into place, which fails if the name was taken in the meantime.
    public static func create(at path: String, user: String, password: String, hashCost: UInt8 = Passwords.defaultCost)
        throws
    {
        SQLiteLibrary.configured
        let name = (path as NSString).lastPathComponent
        guard !FileManager.default.fileExists(atPath: path) else { throw SocieteError.alreadyExists(name) }
        // A draft name of its own length, so that the longest société names fit too.
        let draft = (path as NSString).deletingLastPathComponent + "/.creation-\(UUID().uuidString)"
        defer {
            for suffix in ["", "-wal", "-shm", "-sessions"] {
                try? FileManager.default.removeItem(atPath: draft + suffix)
            }
        }
        do {
            try PrivateFile.create(draft)
            let societe = try SQLiteSociete(path: draft)
            try societe.migrate()
            // The first user administers the société: it alone can import its users at first.
            try societe.addUser(
                code: user, name: user, password: password, group: UtilisateursGroups.administrators,
                hashCost: hashCost)
            try societe.closeConnections()
        } catch {
            throw StorageFailure.translating(error, path: path)
        }
        try putInPlace(draft: draft, as: path)
    }

    /// Gives the finished société at `draft` the name `path`, which must be free. A write-ahead
    /// log or shared memory that a société removed earlier left at that name would be read as
    /// the new société's own: they are removed first, while the lock that every write to that
    /// name takes is held exclusive, so that no log they remove is that of a société another
    /// command has just put there. Such a command saw them too, and waits for that lock.
    static func putInPlace(draft: String, as path: String) throws {
        let name = (path as NSString).lastPathComponent
        let companions = ["-wal", "-shm"].map { path + $0 }
        func linkDraft() throws {
            guard link(draft, path) == 0 else {
                if errno == EEXIST { throw SocieteError.alreadyExists(name) }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        guard companions.contains(where: FileManager.default.fileExists(atPath:)) else { return try linkDraft() }
        try CheckpointLock(societePath: path).excludingWrites {
            guard !FileManager.default.fileExists(atPath: path) else { throw SocieteError.alreadyExists(name) }
            for companion in companions where unlink(companion) != 0 && errno != ENOENT {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: companion])
            }
            try linkDraft()
        }
    }

    /// Brings the société's schema up to this server's.
    private func migrate() throws {
        try checkpoints.lock.whileWriting { try Schema.migrator.migrate(pool) }
    }

    /// Runs `work` in a transaction of the writer, apart from other connections' checkpoints.
    func inWriteTransaction<T>(_ work: (Database) throws -> T) throws -> T {
        try checkpoints.lock.whileWriting { try pool.write(work) }
    }

    private static func configuration(checkpoints: Checkpoints) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in checkpoints.install(on: db) }
        return configuration
    }

    /// Makes the pool's writer sync the write-ahead log at every commit, so that a commit is on
    /// disk before it is acknowledged. It must come after the pool is open: GRDB sets
    /// `synchronous = NORMAL` when it switches the writer to WAL, after `prepareDatabase`, and
    /// NORMAL syncs only at checkpoints. Read back, so that a société never serves without it.
    private static func syncEveryCommit(_ pool: DatabasePool) throws {
        let synchronous = try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        guard synchronous == Self.synchronousFull else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "PRAGMA synchronous vaut \(synchronous.map(String.init) ?? "rien") au lieu de FULL (2)")
        }
    }

    /// `PRAGMA synchronous`'s value for FULL.
    static let synchronousFull = 2

    /// `Societe.write`: the outcome is on disk when it returns. Concurrent requests share
    /// commits (`GroupCommit`), never their outcome.
    /// A file deleted or replaced during the request took what was written with it: that is
    /// a `StorageFailure`, as are a full disk, a read-only file and input/output errors. That
    /// is looked for once the outcome is written: the folder checked the file just before.
    public func write<T: Sendable>(
        keeping keeps: @escaping @Sendable (T) -> Bool,
        _ work: @escaping @Sendable (any RecordStore) throws -> T
    ) async throws -> T {
        try await failingAsStorage {
            let result = try await commits.write(keeping: keeps) { db in
                let store = SQLiteRecordStore(db: db)
                let result = try work(store)
                try store.writeTakenCounters()
                return result
            }
            try checkInPlace()
            return result
        }
    }

    /// The sessions file beside the société, opened at its first session.
    public func sessionRegistry() throws(SessionRefusal) -> any SessionRegistry {
        try sessions.withLock { files throws(SessionRefusal) in
            if let files { return files }
            let opened = try SessionFiles(societePath: path)
            files = opened
            return opened
        }
    }

    /// Runs `work`, every error of the database made a `StorageFailure`: what the store's
    /// callers are told never is the database's own error.
    func translatingErrors<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch {
            throw StorageFailure.translating(error, path: path)
        }
    }

    /// Runs `work`, its errors that come from the file or the disk made `StorageFailure`s.
    func failingAsStorage<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch {
            throw StorageFailure(error, path: path) ?? error
        }
    }

    private func checkInPlace() throws {
        guard isInPlace else {
            throw StorageFailure(.fileReplaced, path: path, code: 0, detail: "fichier supprimé ou remplacé")
        }
    }

    /// Reads from the société, for checks and tests.
    public func read<T: Sendable>(_ query: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(query)
    }
}

/// A file's device and inode: what stays the same while it is renamed, and changes when another
/// file takes its name. With `includingChanges`, its time of last change too: a connection file
/// mended in place by an editor is then another file, where a database's writes are not.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let changed: [Int]?

    init?(path: String, includingChanges: Bool = false) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        changed = includingChanges ? [status.st_mtim.tv_sec, status.st_mtim.tv_nsec, Int(status.st_size)] : nil
    }
}
