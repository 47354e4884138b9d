import ComptoirCore
import Foundation

/// Why a société cannot be created or opened, in French.
public enum SocieteError: FrenchError, Equatable, Sendable {
    case notFound(String)
    case alreadyExists(String)
    case notASociete(String)
    /// A backup's destination that exists already.
    case fileExists(String)
    /// A société whose database is PostgreSQL's, for a command that works on société files.
    case onPostgreSQL(String)
    /// A connection file that cannot be read, or that names no database Comptoir can use.
    case badConnectionFile(String, reason: String)
    /// A société that `societe creer` cannot create where it is asked to (a PostgreSQL address,
    /// a schema that exists): no connection file is there yet to blame.
    case notCreated(String, reason: String)
    /// A société whose name in the folder is a symbolic link that leads out of it.
    case outsideFolder(String)
    /// A backup to restore, or a copy to check, that is not there.
    case backupNotFound(String)
    /// The folder a backup is to be written in, which does not exist.
    case missingFolder(String)
    /// A copy of a société (a backup, the demonstration model) that its disk had no room for
    /// (`full`), or that its folder would not take.
    case copyNotWritten(String, full: Bool)

    public var message: String {
        switch self {
        case .notFound(let name): "La société \(name) est introuvable"
        case .alreadyExists(let name): "La société \(name) existe déjà"
        case .notASociete(let path): "Le fichier \(path) n'est pas une société Comptoir"
        case .fileExists(let path): "Le fichier \(path) existe déjà : une sauvegarde ne remplace jamais un fichier"
        case .onPostgreSQL(let name):
            "La société \(name) est dans PostgreSQL : sauvegardez et vérifiez sa base avec les outils de PostgreSQL (pg_dump)"
        case .badConnectionFile(let name, let reason):
            "Le fichier de connexion de la société \(name) est invalide : \(reason)"
        case .notCreated(let name, let reason): "La société \(name) n'a pas pu être créée : \(reason)"
        case .outsideFolder(let name):
            "La société \(name) est un lien symbolique qui sort du dossier des sociétés : Comptoir ne le suit jamais"
        case .backupNotFound(let path): "La sauvegarde \(path) est introuvable"
        case .missingFolder(let path): "Le dossier \(path) n'existe pas"
        case .copyNotWritten(let path, let full):
            "La copie \(path) n'a pas pu être écrite : "
                + (full ? "plus de place sur le disque" : "son dossier est en lecture seule ou interdit en écriture")
        }
    }
}

/// A record as the read API gives it: its values in its view's columns' order, and the rows of
/// each of its children.
public struct ReadRecord: Sendable {
    public let values: [String?]
    public let children: [[[String?]]]
}

/// One société, wherever its database lives: the port that the import service, the read API
/// and the command line use. Its file in the data folder is the société itself (SQLite,
/// `SQLiteSociete`) or a connection file naming a PostgreSQL schema (`PostgresSociete`).
public protocol Societe: AnyObject, Sendable {
    /// The absolute path of the société's file in the data folder, as the journal names it.
    var path: String { get }

    /// Whether the file at the société's path is still the one it opened.
    var isInPlace: Bool { get }

    /// Closes a société whose file was replaced, so that the new file can be opened; false when
    /// some of it could not be closed yet, and the new file must wait.
    func closeReplaced() -> Bool

    /// Closes the société when the process is done with it (a tâche ends): a SQLite société's
    /// log is then copied into its file and removed, so that the file alone holds every commit.
    func close()

    /// Runs `work` atomically: kept when it returns and `keeps` its result (rolled back for
    /// `tester=Oui`, or an import that imported nothing), rolled back entirely when it throws.
    /// It returns once the outcome is durable. A failure of the database or its disk is a
    /// `StorageFailure`.
    func write<T: Sendable>(
        keeping keeps: @escaping @Sendable (T) -> Bool, _ work: @escaping @Sendable (any RecordStore) throws -> T
    ) async throws -> T

    /// Where the société's sessions are kept, for every process that opens it to see them.
    func sessionRegistry() throws(SessionRefusal) -> any SessionRegistry

    /// The stored hash of a user's password, nil for an unknown user.
    func passwordHash(user code: String) async throws -> String?
    /// The passwords bcrypt accepted for this société, by stored hash (`authenticate`).
    var verifiedPasswords: VerifiedPasswords { get }

    /// Adds a user of `group` to the société's `UTILISATEURS`. An empty password is allowed:
    /// that user then signs in with an empty password, and only such a user can.
    func addUser(code: String, name: String, password: String, group: String, hashCost: UInt8) throws
    /// The user a code names, without regard to case: its code as stored, and its group if it
    /// has one; nil when there is none.
    func user(named code: String) async throws -> (code: String, group: String?)?
    /// The société's users, by code.
    func users() throws -> [Utilisateur]
    /// Removes a user. The last user of a société cannot be removed, nobody could use it then,
    /// nor the last of group `ADMIN`, nobody could import users then.
    func removeUser(code: String) throws
    /// Gives a user a new password (empty allowed).
    func setPassword(user code: String, password: String, hashCost: UInt8) throws

    /// Runs `body` with a reader of the société's records, on one connection of its own, in
    /// one read transaction. Blocks its thread: never called on a shared pool.
    func reading<T>(_ body: (any RecordReader) throws -> T) throws -> T

    /// Runs `query`, one `SELECT` (or `WITH … SELECT`) of `ExporterRequeteBaseDonnees`, reading
    /// and nothing else, password hashes never given. Gives the column names to `columns`, then
    /// each row to `row`, as they are read, NULL as nil. Returns the number of rows. A query
    /// that may not run is a `QueryRefusal`.
    func export(query: String, columns: ([String]) throws -> Void, row: ([String?]) throws -> Void) throws -> Int
}

/// The société's data model, the same on every store.
public enum DataModel {
    /// The version of the data model that every société is migrated to.
    public static var version: String { Schema.dataModelVersion }
}

extension Societe {
    /// `work`, kept unless `rollback` is set.
    public func write<T: Sendable>(
        rollback: Bool, _ work: @escaping @Sendable (any RecordStore) throws -> T
    ) async throws -> T {
        try await write(keeping: { _ in !rollback }, work)
    }

    public func addUser(code: String, name: String, password: String, group: String) throws {
        try addUser(code: code, name: name, password: password, group: group, hashCost: Passwords.defaultCost)
    }

    public func setPassword(user code: String, password: String) throws {
        try setPassword(user: code, password: password, hashCost: Passwords.defaultCost)
    }

    /// Whether `code` is a user of this société and `password` is theirs. The answer takes as
    /// long for an unknown user as for a wrong password; a code or password that no user can
    /// have (a NUL, more than bcrypt reads) is refused at once. A password bcrypt accepted is
    /// remembered for its stored hash, so that a client's every request does not pay for bcrypt.
    public func authenticate(user code: String, password: String) async throws -> Bool {
        // A NUL would end the code where the database reads it, and the password where bcrypt
        // does: another user's or password's beginning would open the session.
        guard !code.utf8.contains(0), Passwords.refusal(of: password) == nil else { return false }
        let hash = try await passwordHash(user: code)
        if let hash, verifiedPasswords.isVerified(password, for: hash) { return true }
        let matches = await Passwords.verify(password, hash: hash)
        if matches, let hash { verifiedPasswords.remember(password, for: hash) }
        return matches
    }
}

/// Why a user cannot be removed, whatever the store: the checks of `removeUser`, on what the
/// store counted.
enum UserRemoval {
    /// The refusal of removing `code`, when there is one: `users` the société has in all,
    /// `group` the user's, `otherAdministrators` of `ADMIN` besides it.
    static func refusal(of code: String, exists: Bool, users: Int, group: String?, otherAdministrators: Int)
        -> UserError?
    {
        guard exists else { return UserError(message: "L'utilisateur \(code) n'existe pas") }
        guard users > 1 else {
            return UserError(
                message: "L'utilisateur \(code) est le dernier de la société : il ne peut pas être supprimé")
        }
        let administrators = UtilisateursGroups.administrators
        guard group != administrators || otherAdministrators > 0 else {
            return UserError(
                message:
                    "L'utilisateur \(code) est le dernier du groupe \(administrators) : il ne peut pas être supprimé")
        }
        return nil
    }
}
