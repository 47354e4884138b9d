import ComptoirCore
import Foundation
import GRDB

extension SQLiteSociete {
    public func addUser(code: String, name: String, password: String, group: String, hashCost: UInt8) throws {
        let hash = try Passwords.checkedHash(password, cost: hashCost)
        try translatingErrors {
            try inWriteTransaction { db in
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

    public func user(named code: String) async throws -> (code: String, group: String?)? {
        try await failingAsStorage {
            try pool.unsafeRead { db in
                try Row.fetchOne(
                    db, sql: "SELECT USR_CODE, USR_GROUPE FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code]
                ).map { (code: $0[0], group: $0[1]) }
            }
        }
    }

    public func users() throws -> [Utilisateur] {
        try translatingErrors {
            try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT USR_CODE, USR_NOM, USR_GROUPE, USR_DTCREE FROM UTILISATEURS ORDER BY USR_CODE"
                ).map { Utilisateur(code: $0[0], name: $0[1], group: $0[2], created: $0[3]) }
            }
        }
    }

    public func removeUser(code: String) throws {
        try translatingErrors {
            try inWriteTransaction { db in
                let exists = try userExists(code, db)
                let users = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM UTILISATEURS") ?? 0
                let group = try String.fetchOne(
                    db, sql: "SELECT USR_GROUPE FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code])
                let others =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM UTILISATEURS WHERE USR_GROUPE = ? AND USR_CODE <> ?",
                        arguments: [UtilisateursGroups.administrators, code]) ?? 0
                if let refusal = UserRemoval.refusal(
                    of: code, exists: exists, users: users, group: group, otherAdministrators: others)
                {
                    throw refusal
                }
                try db.execute(sql: "DELETE FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code])
            }
        }
    }

    public func setPassword(user code: String, password: String, hashCost: UInt8) throws {
        let hash = try Passwords.checkedHash(password, cost: hashCost)
        try translatingErrors {
            try inWriteTransaction { db in
                guard try userExists(code, db) else { throw UserError(message: "L'utilisateur \(code) n'existe pas") }
                try db.execute(
                    sql: "UPDATE UTILISATEURS SET USR_MDP_HASH = ? WHERE USR_CODE = ?", arguments: [hash, code])
            }
        }
    }

    private func userExists(_ code: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code]) != nil
    }

    /// The stored hash of a user's password. Read on the calling thread: one indexed row takes
    /// microseconds, less than handing the read to a reader's queue and waking the caller back,
    /// which every request would pay. One statement reads one consistent row: no transaction
    /// is needed around it.
    public func passwordHash(user code: String) async throws -> String? {
        try await failingAsStorage {
            try pool.unsafeRead { db in
                try String.fetchOne(
                    db.cachedStatement(sql: "SELECT USR_MDP_HASH FROM UTILISATEURS WHERE USR_CODE = ?"),
                    arguments: [code])
            }
        }
    }
}
