import ComptoirCore
import Foundation
import GRDB
import HummingbirdBcrypt

/// Password hashing: bcrypt, salted and slow by design. A password is never stored or logged.
public enum Passwords {
    /// bcrypt's cost: 2^10 rounds, some tens of milliseconds per check on a server.
    public static let defaultCost: UInt8 = 10

    /// A hash checked when the user does not exist, so that an unknown user and a wrong
    /// password take the same time to refuse.
    private static let decoy = Bcrypt.hash("", cost: defaultCost)

    static func hash(_ password: String, cost: UInt8) -> String { Bcrypt.hash(password, cost: cost) }

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

extension Societe {
    /// Adds a user to the société's `UTILISATEURS`. An empty password is allowed: that user
    /// then signs in with an empty password, and only such a user can.
    public func addUser(code: String, name: String, password: String, hashCost: UInt8 = Passwords.defaultCost) throws {
        let hash = Passwords.hash(password, cost: hashCost)
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO UTILISATEURS (USR_CODE, USR_NOM, USR_MDP_HASH, USR_DTCREE) VALUES (?, ?, ?, ?)",
                arguments: [code, name, hash, LocalTime.audit(Date())]
            )
        }
    }

    /// Whether `code` is a user of this société and `password` is theirs. The answer takes as
    /// long for an unknown user as for a wrong password.
    public func authenticate(user code: String, password: String) async throws -> Bool {
        let hash = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT USR_MDP_HASH FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code])
        }
        return await Passwords.verify(password, hash: hash)
    }
}
