import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

@Suite("SocieteFolder: creating and finding sociétés")
struct SocieteFolderTests {
    @Test("create makes <folder>/<NOM>.Gestimum, and the folder itself, and returns its path")
    func createMakesFileAndFolder() async throws {
        try await withTemporaryFolder { root in
            let folder = (root as NSString).appendingPathComponent("data/societes")
            let path = try SocieteFolder(path: folder).create(name: "ACME", user: "U", password: "p", hashCost: 4)
            #expect(path == (folder as NSString).appendingPathComponent("ACME.Gestimum"))
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try contents(of: folder) == ["ACME.Gestimum"])
        }
    }

    @Test("create keeps the .Gestimum extension once and uses only the file-name part of the name")
    func createNormalisesTheName() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "ACME.Gestimum", user: "U", password: "", hashCost: 4)
            try societes.create(name: #"C:\ProgramData\Gestimum\DEMO"#, user: "U", password: "", hashCost: 4)
            #expect(try contents(of: folder) == ["ACME.Gestimum", "DEMO.Gestimum"])
        }
    }

    @Test("a created société can be opened and its first user signs in")
    func createdSocieteIsUsable() async throws {
        try await withTemporaryFolder { folder in
            try SocieteFolder(path: folder).create(name: "ACME", user: "U", password: "p", hashCost: 4)
            // A fresh folder object opens the file from disk, not an instance kept by the creator.
            let societe = try SocieteFolder(path: folder).sqliteSociete(named: "ACME")
            #expect(try await societe.authenticate(user: "U", password: "p"))
            #expect(societe.path == (folder as NSString).appendingPathComponent("ACME.Gestimum"))
        }
    }

    @Test("create never overwrites an existing société, and leaves it byte-identical")
    func createRefusesToOverwrite() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            let path = try societes.create(name: "X", user: "U", password: "first", hashCost: 4)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))

            let error = #expect(throws: SocieteError.self) {
                try societes.create(name: "X", user: "V", password: "second", hashCost: 4)
            }
            #expect(error == .alreadyExists("X.Gestimum"))
            #expect(error?.message == "La société X.Gestimum existe déjà")

            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(try contents(of: folder) == ["X.Gestimum"])
            let societe = try societes.sqliteSociete(named: "X")
            #expect(try await societe.authenticate(user: "U", password: "first"))
            #expect(try await !societe.authenticate(user: "V", password: "second"))
        }
    }

    @Test("concurrent creations of one name: exactly one wins, the others are told it exists")
    func concurrentCreationsOfOneName() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        Result { try societes.create(name: "RACE", user: "U\(index)", password: "", hashCost: 4) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let successes = outcomes.filter { if case .success = $0 { true } else { false } }
            #expect(successes.count == 1)
            for case .failure(let error) in outcomes {
                #expect(error as? SocieteError == .alreadyExists("RACE.Gestimum"))
            }
            let files = try contents(of: folder)
            #expect(files == ["RACE.Gestimum"])
        }
    }

    @Test(
        "create refuses invalid names and leaves nothing behind",
        arguments: ["", "é", "Société", ".cache", ".Gestimum", "A*B", "A;B", "A:B", "A/", "..", "tab\tname"]
    )
    func createRefusesInvalidNames(name: String) async throws {
        try await withTemporaryFolder { folder in
            let error = #expect(throws: RequestRefusal.self) {
                try SocieteFolder(path: folder).create(name: name, user: "U", password: "", hashCost: 4)
            }
            #expect(error?.message.hasPrefix("Le nom de société") == true)
            let leftovers = try contents(of: folder)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("create leaves no draft file (*.creation-*) nor journal files beside the société")
    func createLeavesNoDrafts() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "A", user: "U", password: "", hashCost: 4)
            try societes.create(name: "B", user: "U", password: "", hashCost: 4)
            _ = try? societes.create(name: "A", user: "U", password: "", hashCost: 4)
            _ = try? societes.create(name: "bad/..", user: "U", password: "", hashCost: 4)
            let files = try contents(of: folder)
            #expect(files == ["A.Gestimum", "B.Gestimum"])
            #expect(!files.contains { $0.contains(".creation-") })
        }
    }

    @Test("societe(named:) returns the same open instance every time, whatever form of the name")
    func societeNamedReturnsTheSameInstance() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "DEMO", user: "DEMO", password: "", hashCost: 4)
            let first = try societes.sqliteSociete(named: "DEMO")
            let second = try societes.sqliteSociete(named: "DEMO")
            let third = try societes.sqliteSociete(named: #"C:\ProgramData\Gestimum\DEMO.Gestimum"#)
            #expect(first === second)
            #expect(first === third)
        }
    }

    @Test("societe(named:) throws notFound for a missing société, also once its file is deleted")
    func societeNamedThrowsNotFound() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            #expect(throws: SocieteError.notFound("NONE.Gestimum")) { try societes.sqliteSociete(named: "NONE") }

            let path = try societes.create(name: "GONE", user: "U", password: "", hashCost: 4)
            _ = try societes.sqliteSociete(named: "GONE")
            try FileManager.default.removeItem(atPath: path)
            let error = #expect(throws: SocieteError.self) { try societes.sqliteSociete(named: "GONE") }
            #expect(error == .notFound("GONE.Gestimum"))
            #expect(error?.message == "La société GONE.Gestimum est introuvable")
        }
    }

    /// A société deleted then made again under the same name is the new file, not the one the
    /// folder had open, also when the data folder is reached through a symbolic link (the open
    /// société is kept under its real path).
    @Test("a data folder reached through a symbolic link forgets a deleted société", arguments: [false, true])
    func deletedSocieteIsForgotten(throughALink: Bool) async throws {
        try await withTemporaryFolder { root in
            let real = (root as NSString).appendingPathComponent("reel")
            let link = (root as NSString).appendingPathComponent("lien")
            try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
            let societes = SocieteFolder(path: throughALink ? link : real)

            let path = try societes.create(name: "ACME", user: "ANCIEN", password: "a", hashCost: 4)
            #expect(try await societes.sqliteSociete(named: "ACME").authenticate(user: "ANCIEN", password: "a"))
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            #expect(throws: SocieteError.notFound("ACME.Gestimum")) { try societes.sqliteSociete(named: "ACME") }

            try societes.create(name: "ACME", user: "NOUVEAU", password: "n", hashCost: 4)
            let again = try societes.sqliteSociete(named: "ACME")
            #expect(try await again.authenticate(user: "NOUVEAU", password: "n"))
            #expect(try await !again.authenticate(user: "ANCIEN", password: "a"))
        }
    }

    @Test("societe(named:) never creates a société and refuses invalid names")
    func societeNamedNeverCreates() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            #expect(throws: SocieteError.self) { try societes.sqliteSociete(named: "NEW") }
            #expect(throws: RequestRefusal.self) { try societes.sqliteSociete(named: "../NEW*") }
            let leftovers = try contents(of: folder)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("the folder path is made absolute and standardised")
    func folderPathIsAbsolute() {
        let folder = SocieteFolder(path: "relative/./societes")
        #expect(folder.path.hasPrefix("/"))
        #expect(folder.path.hasSuffix("/relative/societes"))
    }
}
