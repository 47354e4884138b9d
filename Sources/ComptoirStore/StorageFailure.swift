import ComptoirCore
import Foundation
import GRDB

/// A société that cannot be opened or written for a reason outside Comptoir: a full disk, a file
/// or file system made read-only, an input/output error, a file deleted or replaced while the
/// server ran. Nothing of the request that met it is kept.
public struct StorageFailure: FrenchError, Sendable, Equatable {
    public enum Cause: Sendable, Equatable {
        case noSpace
        /// SQLite's temporary folder is full, where a large transaction keeps a copy of the
        /// pages it changes: the société's own disk has room.
        case noTemporarySpace(folder: String)
        case readOnly
        case cannotOpen
        case fileReplaced
        case inputOutput
        /// A file SQLite finds damaged (a copy cut short, a disk that lost pages).
        case damaged
        /// Another program (a tâche, a backup, another server) kept the société's file locked
        /// past SQLite's wait.
        case busy
        /// A database server that cannot be reached, or refuses the login.
        case unreachable
        /// Any other refusal of the database, which no request should meet.
        case database
        /// The file of the société's sessions (`<NOM>.Gestimum-sessions`) cannot be opened or
        /// locked: removed while the server runs, say, or no descriptor left.
        case sessions
    }

    public let cause: Cause
    /// The société's file.
    public let path: String
    /// The database's code (SQLite's extended result code, PostgreSQL's SQLSTATE) and message
    /// (or the system's), for the log.
    public let code: String
    public let detail: String

    init(_ cause: Cause, path: String, code: Int32, detail: String) {
        self.init(cause, path: path, code: "SQLite \(code)", detail: detail)
    }

    init(_ cause: Cause, path: String, code: String, detail: String) {
        self.cause = cause
        self.path = path
        self.code = code
        self.detail = detail
    }

    /// Any error of the database of the société at `path`, as a `StorageFailure`: the ones a
    /// disk or a file causes by their cause, the others as `database`. Other errors are kept.
    static func translating(_ error: any Error, path: String) -> any Error {
        if let failure = StorageFailure(error, path: path) { return failure }
        guard let error = error as? DatabaseError else { return error }
        return StorageFailure(
            .database, path: path, code: error.extendedResultCode.rawValue, detail: error.message ?? "")
    }

    /// The failure an error of the société at `path` stands for, or nil when it is none.
    /// `temporaryFolder` is where SQLite writes its temporary files.
    init?(_ error: any Error, path: String, temporaryFolder: String? = SQLiteLibrary.temporaryFolder) {
        if let failure = error as? StorageFailure {
            self = failure
            return
        }
        guard let error = error as? DatabaseError else { return nil }
        let cause: Cause
        switch error.resultCode {
        case .SQLITE_FULL: cause = Self.fullDisk(of: path, temporaryFolder: temporaryFolder)
        case .SQLITE_READONLY: cause = error.extendedResultCode == .SQLITE_READONLY_DBMOVED ? .fileReplaced : .readOnly
        // A file, or a folder, that cannot be written cannot get its log and its index.
        case .SQLITE_CANTOPEN: cause = Self.isWritable(path) ? .cannotOpen : .readOnly
        case .SQLITE_IOERR: cause = .inputOutput
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: cause = .damaged
        case .SQLITE_BUSY: cause = .busy
        default: return nil
        }
        self.init(cause, path: path, code: error.extendedResultCode.rawValue, detail: error.message ?? "")
    }

    /// Which disk is full: the société's, unless the temporary folder is on another disk that
    /// has less room left, as a full one has.
    private static func fullDisk(of path: String, temporaryFolder: String?) -> Cause {
        guard let temporaryFolder,
            let temporary = FreeSpace(of: temporaryFolder),
            let societe = FreeSpace(of: (path as NSString).deletingLastPathComponent),
            temporary.device != societe.device, temporary.bytes < societe.bytes
        else { return .noSpace }
        return .noTemporarySpace(folder: temporaryFolder)
    }

    /// Whether the file and its folder, where SQLite makes the log and its index, can be written.
    private static func isWritable(_ path: String) -> Bool {
        access(path, W_OK) == 0 && access((path as NSString).deletingLastPathComponent, W_OK) == 0
    }

    /// The société as a request names it: its file name without `.Gestimum`.
    public var societe: String { SocieteName.societe(ofFile: path) }

    /// What the client is told, in French.
    public var message: String {
        switch cause {
        case .noSpace: "Espace disque insuffisant pour écrire dans la société \(societe)"
        case .noTemporarySpace(let folder):
            "Espace disque insuffisant dans le dossier temporaire \(folder) : rien n'a été écrit dans la société \(societe)"
        case .readOnly: "La société \(societe) est en lecture seule : rien n'a pu y être écrit"
        case .cannotOpen: "Le fichier de la société \(societe) ne peut pas être ouvert"
        case .fileReplaced:
            "Le fichier de la société \(societe) a été supprimé ou remplacé pendant la requête : rien n'y a été écrit"
        case .inputOutput: "Erreur d'entrée-sortie sur le fichier de la société \(societe) : rien n'y a été écrit"
        case .damaged:
            "Le fichier de la société \(societe) est endommagé : rien n'y a été écrit ; "
                + "vérifiez-le (comptoir societe verifier \(societe)) et restaurez sa dernière sauvegarde"
        case .busy:
            "La société \(societe) est restée occupée par un autre programme (une tâche, un autre serveur) : "
                + "rien n'y a été écrit, réessayez plus tard"
        case .unreachable: "La base de données de la société \(societe) est inaccessible : \(detail)"
        case .database: "La base de la société \(societe) a refusé l'opération (\(detail))"
        case .sessions: "Impossible de tenir les sessions de la société \(societe) : \(detail)"
        }
    }

    /// Whether the failure is a full disk (HTTP 507).
    public var isNoSpace: Bool {
        switch cause {
        case .noSpace, .noTemporarySpace: true
        default: false
        }
    }

    /// What the operator reads in the log: the real code and the path.
    public var logDescription: String { "\(path) : \(code) (\(detail))" }
}

/// The room left on the file system of a folder, and which file system it is.
private struct FreeSpace {
    let device: UInt
    let bytes: UInt

    init?(of folder: String) {
        var status = stat()
        var stats = statvfs()
        guard stat(folder, &status) == 0, statvfs(folder, &stats) == 0 else { return nil }
        device = UInt(status.st_dev)
        bytes = UInt(stats.f_bavail) * UInt(stats.f_frsize)
    }
}
