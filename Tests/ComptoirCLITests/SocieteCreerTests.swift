import ArgumentParser
import ComptoirStore
import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirCLI

@Suite("comptoir societe creer, in process")
struct SocieteCreerTests {
    /// Parses `arguments` as the command line would, then runs the command.
    private func run(_ arguments: [String]) async throws {
        try await Comptoir.run(try Comptoir.parseAsRoot(arguments))
    }

    @Test("creates <dossier>/<NOM>.Gestimum with its first user and password")
    func createsSocieteWithUser() async throws {
        try await withTemporaryFolder { folder in
            let command = try Comptoir.parseAsRoot(
                ["societe", "creer", "ACME", "--utilisateur", "U", "--mot-passe", "p", "--dossier", folder])
            let creer = try #require(command as? SocieteCommand.Creer)
            #expect(creer.nom == "ACME")
            #expect(creer.utilisateur == "U")
            #expect(creer.motPasse.motPasse == "p")
            #expect(creer.folder.dossier == folder)

            try await Comptoir.run(command)
            #expect(try contents(of: folder) == ["ACME.Gestimum"])
            let societe = try SocieteFolder(path: folder).sqliteSociete(named: "ACME")
            #expect(try await societe.authenticate(user: "U", password: "p"))
            #expect(try await !societe.authenticate(user: "U", password: ""))
            #expect(try await !societe.authenticate(user: "U", password: "P"))
        }
    }

    @Test("makes the data folder when it does not exist yet")
    func makesTheFolder() async throws {
        try await withTemporaryFolder { root in
            let folder = (root as NSString).appendingPathComponent("a/b/societes")
            try await run(["societe", "creer", "NEW", "--utilisateur", "U", "--dossier", folder])
            #expect(try contents(of: folder) == ["NEW.Gestimum"])
        }
    }

    @Test("without --mot-passe the password is empty")
    func emptyPasswordByDefault() async throws {
        try await withTemporaryFolder { folder in
            let command = try Comptoir.parseAsRoot([
                "societe", "creer", "ACME", "--utilisateur", "U", "--dossier", folder,
            ])
            #expect((command as? SocieteCommand.Creer)?.motPasse.motPasse == nil)
            try await Comptoir.run(command)
            let societe = try SocieteFolder(path: folder).sqliteSociete(named: "ACME")
            #expect(try await societe.authenticate(user: "U", password: ""))
            #expect(try await !societe.authenticate(user: "U", password: "x"))
        }
    }

    @Test("creating the same société twice fails in French and keeps the first one")
    func createTwiceFails() async throws {
        try await withTemporaryFolder { folder in
            try await run(["societe", "creer", "ACME", "--utilisateur", "U", "--mot-passe", "p", "--dossier", folder])
            let path = (folder as NSString).appendingPathComponent("ACME.Gestimum")
            let before = try Data(contentsOf: URL(fileURLWithPath: path))

            let failure = await #expect(throws: (any Error).self) {
                try await run([
                    "societe", "creer", "ACME", "--utilisateur", "V", "--mot-passe", "q", "--dossier", folder,
                ])
            }
            #expect(failure?.frenchMessage == "La société ACME.Gestimum existe déjà")
            // Also under another spelling of the same file name.
            let again = await #expect(throws: (any Error).self) {
                try await run(["societe", "creer", "ACME.Gestimum", "--utilisateur", "V", "--dossier", folder])
            }
            #expect(again?.frenchMessage == "La société ACME.Gestimum existe déjà")

            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(try contents(of: folder) == ["ACME.Gestimum"])
            let societe = try SocieteFolder(path: folder).sqliteSociete(named: "ACME")
            #expect(try await societe.authenticate(user: "U", password: "p"))
            #expect(try await !societe.authenticate(user: "V", password: "q"))
        }
    }

    @Test(
        "an invalid name fails with a French message that says why, and creates nothing",
        arguments: [
            ("Société", "lettres sans accent, chiffres, espaces"), (".cache", "il ne peut pas commencer par un point"),
            ("A*B", "lettres sans accent, chiffres, espaces"), ("", "il est vide"),
        ])
    func invalidNameFails(name: String, reason: String) async throws {
        try await withTemporaryFolder { folder in
            let failure = await #expect(throws: (any Error).self) {
                try await run(["societe", "creer", name, "--utilisateur", "U", "--dossier", folder])
            }
            let message = try #require(failure?.frenchMessage)
            #expect(message.hasPrefix("Le nom de société « \(name) » est invalide"))
            #expect(message.contains(reason), "\(message)")
            let leftovers = try contents(of: folder)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("a data folder that cannot be made fails with a French message, not a raw system error")
    func unusableFolderFailsInFrench() async throws {
        try await withTemporaryFolder { root in
            let file = (root as NSString).appendingPathComponent("fichier")
            try Data("pas un dossier".utf8).write(to: URL(fileURLWithPath: file))
            let folder = (file as NSString).appendingPathComponent("societes")
            let failure = await #expect(throws: (any Error).self) {
                try await run(["societe", "creer", "ACME", "--utilisateur", "U", "--dossier", folder])
            }
            // Comptoir.main prints it as "Erreur : <message>".
            #expect(
                failure?.frenchMessage == "Impossible d'écrire \(folder) : un élément du chemin n'est pas un dossier")
        }
    }

    @Test("--utilisateur is required")
    func userIsRequired() async throws {
        try await withTemporaryFolder { folder in
            #expect(throws: (any Error).self) {
                _ = try Comptoir.parseAsRoot(["societe", "creer", "ACME", "--dossier", folder])
            }
            #expect(throws: (any Error).self) {
                _ = try Comptoir.parseAsRoot(["societe", "creer", "--utilisateur", "U", "--dossier", folder])
            }
            let leftovers = try contents(of: folder)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("unknown subcommands and options are refused")
    func unknownArguments() {
        #expect(throws: (any Error).self) { _ = try Comptoir.parseAsRoot(["societe", "supprimer", "ACME"]) }
        #expect(throws: (any Error).self) {
            _ = try Comptoir.parseAsRoot(["societe", "creer", "ACME", "--utilisateur", "U", "--password", "p"])
        }
    }
}
