import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirStore

@Suite("Users: bcrypt hashes and authentication")
struct UserTests {
    /// The stored hash of `code`, read through a separate connection.
    private func storedHash(_ path: String, user code: String) throws -> String? {
        try openFile(path).read { db in
            try String.fetchOne(db, sql: "SELECT USR_MDP_HASH FROM UTILISATEURS WHERE USR_CODE = ?", arguments: [code])
        }
    }

    @Test("the password is stored only as a bcrypt hash")
    func passwordIsStoredAsHash() async throws {
        try await withTemporaryFolder { folder in
            let password = "Mot-de-passe 2026 !"
            let path = try SocieteFolder(path: folder).create(name: "S", user: "U", password: password, hashCost: 4)
            let hash = try #require(try storedHash(path, user: "U"))
            #expect(hash.hasPrefix("$2"))
            #expect(hash.hasPrefix("$2b$04$") || hash.hasPrefix("$2a$04$") || hash.hasPrefix("$2y$04$"))
            #expect(hash != password)
            #expect(!hash.contains(password))
            #expect(!hash.contains("Mot-de-passe"))

            // Nowhere else in the file either.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(bytes.range(of: Data(password.utf8)) == nil)
        }
    }

    @Test("the user row holds the code, the name and the creation time")
    func userRow() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try societe.addUser(code: "JD", name: "Jeanne Dupont", password: "x", group: "DEFAUT", hashCost: 4)
            let row = try #require(try fetchRow(societe.path, table: "UTILISATEURS", keyColumn: "USR_CODE", key: "JD"))
            #expect(row["USR_NOM"] as String? == "Jeanne Dupont")
            let created: String = try #require(row["USR_DTCREE"])
            // `AAAA-MM-JJ HH:MM:SS`, as the audit columns.
            #expect(created.count == 19)
            #expect(created.wholeMatch(of: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/) != nil)
        }
    }

    @Test("two salted hashes of one password differ")
    func hashesAreSalted() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try societe.addUser(code: "A", name: "A", password: "same", group: "DEFAUT", hashCost: 4)
            try societe.addUser(code: "B", name: "B", password: "same", group: "DEFAUT", hashCost: 4)
            #expect(try storedHash(societe.path, user: "A") != storedHash(societe.path, user: "B"))
        }
    }

    @Test("the default cost is bcrypt's 10")
    func defaultCost() async throws {
        #expect(Passwords.defaultCost == 10)
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try societe.addUser(code: "SLOW", name: "Slow", password: "p", group: "DEFAUT")
            let hash = try #require(try storedHash(societe.path, user: "SLOW"))
            #expect(hash.hasPrefix("$2") && hash.dropFirst(3).hasPrefix("$10$"))
            #expect(try await societe.authenticate(user: "SLOW", password: "p"))
        }
    }

    @Test("authenticate: right password, wrong password, unknown user")
    func authenticate() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try societe.addUser(code: "U", name: "U", password: "secret", group: "DEFAUT", hashCost: 4)
            #expect(try await societe.authenticate(user: "U", password: "secret"))
            #expect(try await !societe.authenticate(user: "U", password: "Secret"))
            #expect(try await !societe.authenticate(user: "U", password: "secret "))
            #expect(try await !societe.authenticate(user: "U", password: "wrong"))
            #expect(try await !societe.authenticate(user: "NOBODY", password: "secret"))
            #expect(try await !societe.authenticate(user: "NOBODY", password: ""))
            #expect(try await !societe.authenticate(user: "", password: ""))
        }
    }

    @Test("a user created with an empty password signs in with an empty password only")
    func emptyPassword() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try societe.addUser(code: "E", name: "E", password: "", group: "DEFAUT", hashCost: 4)
            #expect(try await societe.authenticate(user: "E", password: ""))
            #expect(try await !societe.authenticate(user: "E", password: "x"))
            #expect(try await !societe.authenticate(user: "E", password: " "))
        }
    }

    @Test("a user created with a password does not sign in with an empty one")
    func passwordUserRefusesEmptyPassword() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try societe.addUser(code: "P", name: "P", password: "p", group: "DEFAUT", hashCost: 4)
            #expect(try await !societe.authenticate(user: "P", password: ""))
            #expect(try await societe.authenticate(user: "P", password: "p"))
        }
    }

    @Test("passwords with accents and other non-ASCII characters work")
    func unicodePassword() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try societe.addUser(code: "F", name: "F", password: "crème brûlée €", group: "DEFAUT", hashCost: 4)
            #expect(try await societe.authenticate(user: "F", password: "crème brûlée €"))
            #expect(try await !societe.authenticate(user: "F", password: "creme brulee €"))
        }
    }

    @Test("a user code cannot be added twice")
    func duplicateUser() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let error = #expect(throws: UserError.self) {
                try societe.addUser(code: "DEMO", name: "Again", password: "other", group: "DEFAUT", hashCost: 4)
            }
            #expect(error?.message == "L'utilisateur DEMO existe déjà")
            #expect(try await societe.authenticate(user: "DEMO", password: ""))
            #expect(try await !societe.authenticate(user: "DEMO", password: "other"))
        }
    }
}
