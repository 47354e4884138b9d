import ComptoirCore
import Foundation
import GRDB
import HummingbirdBcrypt
import Synchronization

/// Password hashing: bcrypt, salted and slow by design. A password is never stored or logged.
public enum Passwords {
    /// bcrypt's cost: 2^10 rounds, some tens of milliseconds per check on a server.
    public static let defaultCost: UInt8 = 10

    /// A hash checked when the user does not exist, so that an unknown user and a wrong
    /// password take the same time to refuse.
    private static let decoy = Bcrypt.hash("", cost: defaultCost)

    static func hash(_ password: String, cost: UInt8) -> String { Bcrypt.hash(password, cost: cost) }

    /// The hashing the import rules store passwords with.
    public struct Hashing: PasswordHashing {
        let cost: UInt8

        public init(cost: UInt8 = Passwords.defaultCost) { self.cost = cost }

        public func hash(_ password: String) -> String { Passwords.hash(password, cost: cost) }
    }

    /// Checks a password against a stored hash (or the decoy when there is none), off the
    /// cooperative thread pool since bcrypt is slow on purpose.
    static func verify(_ password: String, hash: String?) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let matches = Bcrypt.verify(password, hash: hash ?? decoy)
                continuation.resume(returning: hash != nil && matches)
            }
        }
    }
}

/// The passwords bcrypt has accepted, by stored hash. Only a keyed hash of each is kept
/// (Swift's `Hasher`, SipHash with a key drawn at random for each process), never the password:
/// neither a memory dump nor a guess made elsewhere tells it.
final class VerifiedPasswords: Sendable {
    private let fingerprints = Mutex<[String: Int]>([:])

    func isVerified(_ password: String, for hash: String) -> Bool {
        fingerprints.withLock { $0[hash] } == Self.fingerprint(password)
    }

    func remember(_ password: String, for hash: String) {
        fingerprints.withLock { $0[hash] = Self.fingerprint(password) }
    }

    private static func fingerprint(_ password: String) -> Int {
        var hasher = Hasher()
        hasher.combine(password)
        return hasher.finalize()
    }
}

/// Why a user cannot be added, changed or removed, in French.
public struct UserError: FrenchError, Equatable, Sendable {
    public let message: String
}

/// A user of a société, as `comptoir utilisateur lister` shows it.
public struct Utilisateur: Sendable, Equatable {
    public let code: String
    public let name: String
    /// Its group: `ADMIN` may import users.
    public let group: String?
    /// Local time of creation, `AAAA-MM-JJ HH:MM:SS`.
    public let created: String
}

extension Societe {
    /// Adds a user of `group` to the société's `UTILISATEURS`. An empty password is allowed:
    /// that user then signs in with an empty password, and only such a user can.
    public func addUser(
        code: String, name: String, password: String, group: String, hashCost: UInt8 = Passwords.defaultCost
    ) throws {
        let hash = Passwords.hash(password, cost: hashCost)
        try translatingErrors {
            try pool.write { db in
                guard try !userExists(code, db) else { throw UserError(message: "L'utilisateur \(code) existe déjà") }
                try Schema.addUserGroup(group.uppercased(), db)
                try db.execute(
                    sql: """
                        INSERT INTO UTILISATEURS (USR_CODE, USR_NOM, USR_MDP_HASH, USR_GROUPE, USR_DTCREE, USR_USRCRE)
                        VALUES (?, ?, ?, ?, ?, 'COMPTOIR')
                        """,
                    arguments: [code, name, hash, group.uppercased(), LocalTime.audit(Date())]
                )
            }
        }
    }

    /// The group of a user, if it has one.
    public func group(ofUser code: String) async throws -> String? {
        try await failingAsStorage {
            try pool.unsafeRead { db in
                try String.fetchOne(
                    db, sql: "SELECT USR_GROUPE FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code])
            }
        }
    }

    /// The société's users, by code.
    public func users() throws -> [Utilisateur] {
        try translatingErrors {
            try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT USR_CODE, USR_NOM, USR_GROUPE, USR_DTCREE FROM UTILISATEURS ORDER BY USR_CODE"
                ).map { Utilisateur(code: $0[0], name: $0[1], group: $0[2], created: $0[3]) }
            }
        }
    }

    /// Removes a user. The last user of a société cannot be removed, nobody could use it then,
    /// nor the last of group `ADMIN`, nobody could import users then.
    public func removeUser(code: String) throws {
        try translatingErrors {
            try pool.write { db in
                guard try userExists(code, db) else { throw UserError(message: "L'utilisateur \(code) n'existe pas") }
                guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM UTILISATEURS") ?? 0 > 1 else {
                    throw UserError(
                        message: "L'utilisateur \(code) est le dernier de la société : il ne peut pas être supprimé")
                }
                let administrators = UtilisateursGroups.administrators
                let group = try String.fetchOne(
                    db, sql: "SELECT USR_GROUPE FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code])
                let others =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM UTILISATEURS WHERE USR_GROUPE = ? AND USR_CODE <> ?",
                        arguments: [administrators, code]) ?? 0
                guard group != administrators || others > 0 else {
                    throw UserError(
                        message:
                            "L'utilisateur \(code) est le dernier du groupe \(administrators) : il ne peut pas être supprimé"
                    )
                }
                try db.execute(sql: "DELETE FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code])
            }
        }
    }

    /// Gives a user a new password (empty allowed).
    public func setPassword(user code: String, password: String, hashCost: UInt8 = Passwords.defaultCost) throws {
        let hash = Passwords.hash(password, cost: hashCost)
        try translatingErrors {
            try pool.write { db in
                guard try userExists(code, db) else { throw UserError(message: "L'utilisateur \(code) n'existe pas") }
                try db.execute(
                    sql: "UPDATE UTILISATEURS SET USR_MDP_HASH = ? WHERE USR_CODE = ?", arguments: [hash, code])
            }
        }
    }

    private func userExists(_ code: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code]) != nil
    }

    /// Whether `code` is a user of this société and `password` is theirs. The answer takes as
    /// long for an unknown user as for a wrong password. A password bcrypt accepted is
    /// remembered for its stored hash, so that a client's every request does not pay for bcrypt.
    public func authenticate(user code: String, password: String) async throws -> Bool {
        let hash = try await failingAsStorage { try passwordHash(user: code) }
        if let hash, verifiedPasswords.isVerified(password, for: hash) { return true }
        let matches = await Passwords.verify(password, hash: hash)
        if matches, let hash { verifiedPasswords.remember(password, for: hash) }
        return matches
    }

    /// The stored hash of a user's password. Read on the calling thread: one indexed row takes
    /// microseconds, less than handing the read to a reader's queue and waking the caller back,
    /// which every request would pay. One statement reads one consistent row: no transaction
    /// is needed around it.
    private func passwordHash(user code: String) throws -> String? {
        try pool.unsafeRead { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT USR_MDP_HASH FROM UTILISATEURS WHERE USR_CODE = ?"), arguments: [code])
        }
    }
}
