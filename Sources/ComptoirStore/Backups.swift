import ComptoirCore
import Foundation
import GRDB

/// What `comptoir societe verifier` and `lister` tell of a société file, read without changing
/// it: no migration, no lock held beyond a read.
public struct SocieteState: Sendable, Equatable {
    /// The société's name, its file name without `.Gestimum`.
    public let name: String
    /// The file and its write-ahead log, in bytes.
    public let size: Int
    /// The data model version the file is at (the server's is `DataModel.version`);
    /// nil when the file cannot be read.
    public let dataModelVersion: Int?
    /// The last write to the file or its log.
    public let lastWrite: Date
    /// Whether the file is the connection file of a société that lives in PostgreSQL.
    public var onPostgreSQL = false
}

extension SocieteFolder {
    /// The folder where backups go by default.
    public var backupsFolder: String { (path as NSString).appendingPathComponent("sauvegardes") }

    /// Copies the société `fichier`, which a server may be writing to, to `destination` (by
    /// default `sauvegardes/<NOM>-<AAAAMMJJ-HHMMSS>.Gestimum`), and returns the copy's path.
    /// The copy is SQLite's online backup of one read snapshot: it holds every import committed
    /// before it started and nothing of any other, and imports go on meanwhile. It is written
    /// beside its destination, checked with `PRAGMA integrity_check`, then renamed into place;
    /// an existing file is never replaced.
    public func backup(_ fichier: String, to destination: String? = nil, now: Date = Date()) throws -> String {
        let source = try existingFile(fichier)
        let name = SocieteName.societe(ofFile: source)
        let target: String
        if let destination {
            target = URL(fileURLWithPath: destination).standardizedFileURL.path
            let folder = (target as NSString).deletingLastPathComponent
            guard FileManager.default.isFolder(atPath: folder) else { throw SocieteError.missingFolder(folder) }
        } else {
            try PrivateFile.createFolder(backupsFolder)
            target = (backupsFolder as NSString).appendingPathComponent(
                "\(name)-\(Self.stamp(now))\(SocieteName.fileExtension)")
        }
        guard !FileManager.default.fileExists(atPath: target) else { throw SocieteError.fileExists(target) }
        let draft = Self.draft(of: target)
        defer { Self.remove(draft: draft) }
        let reader: DatabaseQueue
        do {
            reader = try SQLiteSociete.readOnlyConnection(to: source)
        } catch {
            throw StorageFailure.translating(error, path: source)
        }
        do {
            try PrivateFile.create(draft)
            let copy = try DatabaseQueue(path: draft)
            try reader.backup(to: copy)
            try reader.close()
            let problems = try Self.integrityProblems(copy)
            try copy.close()
            guard problems.isEmpty else { throw SocieteDamage(name: name, problems: problems) }
        } catch let damage as SocieteDamage {
            throw damage
        } catch {
            throw Self.copyFailure(error, copy: target) ?? StorageFailure.translating(error, path: source)
        }
        if link(draft, target) == 0 { return target }
        let linkError = errno
        if linkError == EEXIST { throw SocieteError.fileExists(target) }
        guard [EPERM, EOPNOTSUPP, ENOTSUP].contains(linkError) else {
            throw SocieteError.copyNotWritten(target, full: linkError == ENOSPC)
        }
        // A disk without hard links (a FAT or exFAT key): the name is taken by a file created
        // for the copy, which then replaces it, so that no other file is ever replaced.
        do {
            try PrivateFile.create(target)
        } catch {
            let code = ((error as? CocoaError)?.userInfo[NSUnderlyingErrorKey] as? POSIXError)?.code
            if code == .EEXIST { throw SocieteError.fileExists(target) }
            throw SocieteError.copyNotWritten(target, full: code == .ENOSPC)
        }
        guard rename(draft, target) == 0 else {
            let renameError = errno
            unlink(target)
            throw SocieteError.copyNotWritten(target, full: renameError == ENOSPC)
        }
        return target
    }

    /// Where a copy is written before it takes `target`'s name: this process's alone, so that a
    /// backup started in the same second, or an unrelated `<F>.partiel`, is never its to remove.
    private static func draft(of target: String) -> String { target + ".\(getpid()).partiel" }

    /// Removes a draft and the files SQLite kept beside it.
    private static func remove(draft: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: draft + suffix) }
    }

    /// A failure of the copy's own disk or folder, said of the copy: it is not the société's.
    /// The société is only read, so a full disk, or a file that cannot be created or written,
    /// is the copy's.
    private static func copyFailure(_ error: any Error, copy: String) -> SocieteError? {
        switch error {
        case let error as DatabaseError where error.resultCode == .SQLITE_FULL: .copyNotWritten(copy, full: true)
        case let error as DatabaseError where error.resultCode == .SQLITE_READONLY: .copyNotWritten(copy, full: false)
        case let error as CocoaError:
            .copyNotWritten(copy, full: (error.userInfo[NSUnderlyingErrorKey] as? POSIXError)?.code == .ENOSPC)
        default: nil
        }
    }

    /// The model of the demonstration société, which `CreerFichierDemo` writes and
    /// `comptoir demarrer --demo` copies.
    public var demoModel: String { (path as NSString).appendingPathComponent("Demo.modele") }

    /// Writes a consistent copy of the société `fichier` as the demonstration model, replacing
    /// the previous one whole: it is a backup (checked, then put in place by a rename).
    public func writeDemoModel(from fichier: String) throws -> String {
        let draft = demoModel + "-\(UUID().uuidString)"
        _ = try backup(fichier, to: draft)
        guard rename(draft, demoModel) == 0 else {
            let error = CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: demoModel])
            try? FileManager.default.removeItem(atPath: draft)
            throw StorageFailure.translating(error, path: demoModel)
        }
        return demoModel
    }

    /// Restores the backup `backupFile` as the société `fichier`, and returns its path. The
    /// backup must be a sound société of this server's data model or an older one, which is
    /// then migrated in a copy beside the société, before anything of the société changes. A
    /// société that does not exist is that copy, linked into place. One that exists is
    /// overwritten by SQLite's online backup, in one write transaction: a running server sees it
    /// whole or not at all, no import is cut in two, and nothing is left to do after it. That
    /// transaction waits for the société's imports to end: `wait` when `replacing`, not at all
    /// otherwise, and a société still in use is then left as it was.
    public func restore(_ backupFile: String, as fichier: String, replacing: Bool, wait: Duration) throws -> String {
        let source = URL(fileURLWithPath: backupFile).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: source) else { throw SocieteError.backupNotFound(source) }
        let target = try filePath(for: fichier)
        let name = SocieteName.societe(ofFile: target)
        let replaced = FileManager.default.fileExists(atPath: target)
        if replaced {
            // Restored where the server would open it: never through a link out of the folder.
            try requireInFolder(target)
            guard !ConnectionFile.isConnectionFile(target) else { throw SocieteError.onPostgreSQL(name) }
        }
        let (backup, version) = try Self.openBackup(source)
        defer { try? backup.close() }
        let current = Schema.migrator.migrations.count
        guard version <= current else { throw RestoreRefusal.newerModel(backup: version, server: current) }
        let draft = Self.draft(of: target)
        defer { Self.remove(draft: draft) }
        var migrated: DatabaseQueue?
        defer { try? migrated?.close() }
        do {
            if version < current || !replaced {
                try PrivateFile.create(draft)
                let copy = try DatabaseQueue(path: draft)
                migrated = copy
                try backup.backup(to: copy)
                try Schema.migrator.migrate(copy)
                guard replaced else {
                    try copy.close()
                    try SQLiteSociete.putInPlace(draft: draft, as: target)
                    return target
                }
            }
            let restored = migrated ?? backup
            var configuration = Configuration()
            configuration.busyMode = .timeout(replacing ? TimeInterval(wait.components.seconds) : 0)
            // Its log is copied by the server's checkpoints, never by this connection's own,
            // which would not take the checkpoint lock.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            let destination = try DatabaseQueue(path: target, configuration: configuration)
            defer { try? destination.close() }
            // A write as any other: no checkpoint of a running server crosses it.
            try CheckpointLock(societePath: target).whileWriting {
                do {
                    try restored.backup(to: destination)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                    throw replacing ? RestoreRefusal.stillInUse(name, wait) : RestoreRefusal.inUse(name)
                }
            }
        } catch let refusal as any FrenchError {
            throw refusal
        } catch {
            throw StorageFailure.translating(error, path: target)
        }
        return target
    }

    /// A sound backup, read only, and its data model version. A backup that cannot be read is
    /// said of the backup, never of the société it would replace.
    private static func openBackup(_ path: String) throws -> (DatabaseQueue, version: Int) {
        let reader: DatabaseQueue
        do {
            reader = try soundReader(of: path)
        } catch let damage as SocieteDamage {
            throw RestoreRefusal.damagedBackup(path: path, problems: damage.problems)
        } catch let refusal as any FrenchError {
            throw refusal
        } catch {
            throw RestoreRefusal.unreadableBackup(path: path, detail: Self.detail(of: error))
        }
        do {
            let folder = SocieteFolder(path: (path as NSString).deletingLastPathComponent)
            return (reader, try folder.state(of: path, reader: reader).dataModelVersion ?? 0)
        } catch {
            try? reader.close()
            throw RestoreRefusal.unreadableBackup(path: path, detail: Self.detail(of: error))
        }
    }

    /// What SQLite or the system said of a file it could not read.
    private static func detail(of error: any Error) -> String {
        (error as? DatabaseError)?.message ?? error.localizedDescription
    }

    /// Checks the société `fichier` without changing it: its integrity, and its data model
    /// version. A damaged file is a `SocieteDamage`.
    public func check(_ fichier: String) throws -> SocieteState {
        try Self.check(file: existingFile(fichier))
    }

    /// Checks the copy of a société at `path`, whatever its name, as `check` does.
    public static func checkCopy(at path: String) throws -> SocieteState {
        guard FileManager.default.fileExists(atPath: path), !FileManager.default.isFolder(atPath: path) else {
            throw SocieteError.backupNotFound(path)
        }
        return try check(file: path)
    }

    private static func check(file: String) throws -> SocieteState {
        let folder = SocieteFolder(path: (file as NSString).deletingLastPathComponent)
        let reader = try soundReader(of: file)
        defer { try? reader.close() }
        return try folder.state(of: file, reader: reader)
    }

    /// A read-only connection to `file`, once `PRAGMA integrity_check` finds it sound: a file
    /// that is damaged, or no database at all, is a `SocieteDamage`, however SQLite finds out.
    private static func soundReader(of file: String) throws -> DatabaseQueue {
        do {
            let reader = try SQLiteSociete.readOnlyConnection(to: file)
            let problems = try integrityProblems(reader)
            guard problems.isEmpty else {
                try? reader.close()
                throw SocieteDamage(name: SocieteName.societe(ofFile: file), problems: problems)
            }
            return reader
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw SocieteDamage(
                name: SocieteName.societe(ofFile: file), problems: [error.message ?? "\(error.resultCode)"])
        }
    }

    /// The sociétés of the folder, by name; a file that cannot be read has no version, and one
    /// that is no société is left out.
    public func list() throws -> [SocieteState] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(SocieteName.fileExtension) }.sorted().compactMap { name in
            let file = (path as NSString).appendingPathComponent(name)
            // A link out of the folder is no société of it, as the server sees it.
            guard realSocieteFile(file) != nil else { return nil }
            if ConnectionFile.isConnectionFile(file) {
                var state = state(of: file, version: nil)
                state.onPostgreSQL = true
                return state
            }
            do {
                let reader = try SQLiteSociete.readOnlyConnection(to: file)
                defer { try? reader.close() }
                return try state(of: file, reader: reader)
            } catch is SocieteError {
                return nil
            } catch {
                return state(of: file, version: nil)
            }
        }
    }

    /// The file of an existing société of the folder.
    private func existingFile(_ fichier: String) throws -> String {
        let file = try filePath(for: fichier)
        guard FileManager.default.fileExists(atPath: file) else {
            throw SocieteError.notFound((file as NSString).lastPathComponent)
        }
        try requireInFolder(file)
        guard !ConnectionFile.isConnectionFile(file) else {
            throw SocieteError.onPostgreSQL(SocieteName.societe(ofFile: file))
        }
        return file
    }

    /// Refuses `file`, which exists, unless it is a société file really in the folder: a
    /// folder or a device is no société, and a symbolic link out of the folder is never followed.
    private func requireInFolder(_ file: String) throws {
        guard realSocieteFile(file) == nil else { return }
        guard Self.isRegularFile(file) else { throw SocieteError.notASociete(file) }
        throw SocieteError.outsideFolder(SocieteName.societe(ofFile: file))
    }

    private func state(of file: String, reader: DatabaseQueue) throws -> SocieteState {
        let version = try reader.read { db in
            try db.tableExists("grdb_migrations")
                ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0 : 0
        }
        return state(of: file, version: version)
    }

    private func state(of file: String, version: Int?) -> SocieteState {
        var size = 0
        var lastWrite = Date.distantPast
        for suffix in ["", "-wal"] {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file + suffix) else { continue }
            let fileSize = (attributes[.size] as? Int) ?? 0
            size += fileSize
            // An empty write-ahead log holds no write: opening the société to read it makes one.
            guard suffix.isEmpty || fileSize > 0 else { continue }
            if let modified = attributes[.modificationDate] as? Date, modified > lastWrite { lastWrite = modified }
        }
        return SocieteState(
            name: SocieteName.societe(ofFile: file), size: size, dataModelVersion: version, lastWrite: lastWrite)
    }

    /// What `PRAGMA integrity_check` finds wrong, nothing when all is well.
    private static func integrityProblems(_ database: some DatabaseReader) throws -> [String] {
        let lines = try database.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return lines == ["ok"] ? [] : lines
    }

    /// `AAAAMMJJ-HHMMSS`, local time.
    private static func stamp(_ date: Date) -> String {
        LocalTime.audit(date).filter { $0 != "-" && $0 != ":" }.replacingOccurrences(of: " ", with: "-")
    }
}

/// A société file that `PRAGMA integrity_check` finds damaged.
public struct SocieteDamage: FrenchError, Equatable {
    public let name: String
    public let problems: [String]

    public var message: String {
        "La société \(name) est endommagée ; SQLite signale : \(problems.prefix(3).joined(separator: " ; "))"
    }
}

/// Why a backup is not restored.
public enum RestoreRefusal: FrenchError, Equatable {
    case inUse(String)
    case stillInUse(String, Duration)
    case newerModel(backup: Int, server: Int)
    /// A backup that is damaged, or no société at all.
    case damagedBackup(path: String, problems: [String])
    /// A backup that cannot be read: its permissions, a disk error.
    case unreadableBackup(path: String, detail: String)

    public var message: String {
        switch self {
        case .inUse(let name):
            "La société \(name) est en cours d'utilisation : relancez avec --remplacer pour attendre la fin de ses "
                + "imports et la remplacer"
        case .stillInUse(let name, let wait):
            "La société \(name) est restée en cours d'utilisation pendant \(wait.components.seconds) s : "
                + "rien n'a été restauré"
        case .newerModel(let backup, let server):
            "La sauvegarde est au modèle de données \(backup), plus récent que celui de ce serveur (\(server)) : "
                + "restaurez-la avec un Comptoir à jour"
        case .damagedBackup(let path, let problems):
            "La sauvegarde \(path) est endommagée, ou n'est pas une société : rien n'a été restauré ; SQLite signale : "
                + problems.prefix(3).joined(separator: " ; ")
        case .unreadableBackup(let path, let detail):
            "La sauvegarde \(path) ne peut pas être lue (\(detail)) : rien n'a été restauré"
        }
    }
}
