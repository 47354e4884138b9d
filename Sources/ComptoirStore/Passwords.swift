import ComptoirCore
import Foundation
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

    /// The bytes of a password bcrypt reads: past them, and past a NUL, it reads no further, so
    /// that two passwords would open the same user.
    public static let maximumBytes = 72

    /// Why `password` cannot be a user's, in French; nil when it can.
    public static func refusal(of password: String) -> String? {
        if password.utf8.contains(0) { return "Le mot de passe contient un caractère nul (U+0000)" }
        guard password.utf8.count <= maximumBytes else {
            return "Le mot de passe dépasse \(maximumBytes) octets, au-delà desquels bcrypt ne le lit plus"
        }
        return nil
    }

    /// The hash a user's password is stored as, when it can be a user's.
    static func checkedHash(_ password: String, cost: UInt8) throws -> String {
        if let refusal = refusal(of: password) { throw UserError(message: refusal) }
        return hash(password, cost: cost)
    }

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
public final class VerifiedPasswords: Sendable {
    public init() {}

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
