import ArgumentParser
import ComptoirStore
import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirCLI

/// `comptoir utilisateur creer|lister|supprimer|mot-de-passe` (issue 4), run in process; their
/// effects checked on the société itself.
// Serialized: each test hashes passwords at the real cost, which keeps a thread busy.
@Suite("comptoir utilisateur, in process", .serialized)
struct UtilisateurCommandTests {
    /// Parses `arguments` as the command line would, then runs the command.
    private func run(_ arguments: [String]) async throws {
        try await Comptoir.run(try Comptoir.parseAsRoot(arguments))
    }

    /// The French message a failing command would print after `Erreur : `; nil (and a failed
    /// expectation) when it succeeds.
    private func failure(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async -> String? {
        do {
            try await run(arguments)
            Issue.record("comptoir \(arguments.joined(separator: " ")) succeeded", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error.frenchMessage
        }
    }

    /// Runs `body` with a data folder holding the société ACME, whose first user is ADMIN with
    /// the password "admin".
    private func withAcme(_ body: (_ folder: String, _ societe: SQLiteSociete) async throws -> Void) async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "ACME", user: "ADMIN", password: "admin", hashCost: 4)
            try await body(folder, try societes.sqliteSociete(named: "ACME"))
        }
    }

    // MARK: creer

    @Test("creer parses its code, société, password and folder")
    func creerParses() throws {
        let command = try Comptoir.parseAsRoot([
            "utilisateur", "creer", "JD", "--societe", "ACME", "--mot-passe", "p", "--dossier", "/d",
        ])
        let creer = try #require(command as? UtilisateurCommand.Creer)
        #expect(creer.code == "JD")
        #expect(creer.motPasse.motPasse == "p")
        #expect(creer.societe.societe == "ACME")
        #expect(creer.societe.folder.path == "/d")
    }

    @Test("creer adds a user who signs in with its password, stored hashed")
    func creerAddsAUser() async throws {
        try await withAcme { (folder, societe) async throws in
            try await run([
                "utilisateur", "creer", "JD", "--societe", "ACME", "--mot-passe", "Secret 2026", "--dossier", folder,
            ])
            #expect(try societe.users().map(\.code) == ["ADMIN", "JD"])
            #expect(try await societe.authenticate(user: "JD", password: "Secret 2026"))
            #expect(try await !societe.authenticate(user: "JD", password: "secret 2026"))
            #expect(try await !societe.authenticate(user: "JD", password: ""))
            // The first user is untouched.
            #expect(try await societe.authenticate(user: "ADMIN", password: "admin"))
            let file = try Data(contentsOf: URL(fileURLWithPath: societe.path))
            #expect(file.range(of: Data("Secret 2026".utf8)) == nil)
        }
    }

    @Test("creer without --mot-passe gives an empty password")
    func creerEmptyPassword() async throws {
        try await withAcme { (folder, societe) async throws in
            let command = try Comptoir.parseAsRoot([
                "utilisateur", "creer", "JD", "--societe", "ACME", "--dossier", folder,
            ])
            #expect((command as? UtilisateurCommand.Creer)?.motPasse.motPasse == nil)
            try await Comptoir.run(command)
            #expect(try await societe.authenticate(user: "JD", password: ""))
            #expect(try await !societe.authenticate(user: "JD", password: "x"))
        }
    }

    @Test("the société is found as a request finds it: extension optional, only the file name")
    func creerFindsTheSociete() async throws {
        try await withAcme { (folder, societe) async throws in
            try await run(["utilisateur", "creer", "A1", "--societe", "ACME.Gestimum", "--dossier", folder])
            try await run(["utilisateur", "creer", "A2", "--societe", #"C:\Gestimum\ACME"#, "--dossier", folder])
            #expect(try societe.users().map(\.code) == ["A1", "A2", "ADMIN"])
        }
    }

    @Test("a code no import could name is refused: a user's or a dépôt's, empty, too long or with spaces around")
    func codesAnImportCanName() async throws {
        try await withAcme { (folder, societe) async throws in
            for code in ["", " JD", String(repeating: "U", count: 21)] {
                #expect(
                    await failure(["utilisateur", "creer", code, "--societe", "ACME", "--dossier", folder])
                        == "Le code « \(code) » ne convient pas pour l'utilisateur : de 1 à 20 caractères, sans espace autour"
                )
            }
            #expect(try societe.users().map(\.code) == ["ADMIN"])
            #expect(
                await failure(["societe", "ajouter", "ACME", "depot", "LYON", "Lyon", "--dossier", folder])
                    == "Le code « LYON » ne convient pas pour le dépôt : de 1 à 3 caractères, sans espace autour")
            #expect(
                await failure(["societe", "creer", "B", "--utilisateur", "", "--dossier", folder])
                    == "Le code «  » ne convient pas pour l'utilisateur : de 1 à 20 caractères, sans espace autour")
        }
    }

    @Test("creer refuses a user who already exists, whatever the case, and keeps its password")
    func creerExistingUser() async throws {
        try await withAcme { (folder, societe) async throws in
            #expect(
                await failure([
                    "utilisateur", "creer", "ADMIN", "--societe", "ACME", "--mot-passe", "x", "--dossier", folder,
                ])
                    == "L'utilisateur ADMIN existe déjà")
            #expect(
                await failure([
                    "utilisateur", "creer", "admin", "--societe", "ACME", "--mot-passe", "x", "--dossier", folder,
                ])
                    == "L'utilisateur admin existe déjà")
            #expect(try societe.users().map(\.code) == ["ADMIN"])
            #expect(try await societe.authenticate(user: "ADMIN", password: "admin"))
            #expect(try await !societe.authenticate(user: "ADMIN", password: "x"))
        }
    }

    @Test("every command refuses an unknown société, and creates none")
    func unknownSociete() async throws {
        try await withAcme { (folder, _) async throws in
            for arguments in [
                ["utilisateur", "creer", "JD", "--societe", "NOPE"],
                ["utilisateur", "lister", "--societe", "NOPE"],
                ["utilisateur", "supprimer", "JD", "--societe", "NOPE"],
                ["utilisateur", "mot-de-passe", "JD", "--societe", "NOPE", "--mot-passe", "x"],
            ] {
                #expect(await failure(arguments + ["--dossier", folder]) == "La société NOPE.Gestimum est introuvable")
            }
            #expect(try contents(of: folder).filter { $0.hasSuffix(".Gestimum") } == ["ACME.Gestimum"])
        }
    }

    @Test("an unknown data folder is said to be missing, and is not made")
    func unknownFolder() async throws {
        try await withTemporaryFolder { root in
            let folder = (root as NSString).appendingPathComponent("absent")
            #expect(
                await failure(["utilisateur", "creer", "JD", "--societe", "ACME", "--dossier", folder])
                    == "Le dossier des sociétés \(folder) n'existe pas")
            #expect(!FileManager.default.fileExists(atPath: folder))
        }
    }

    @Test("an invalid société name is refused in French")
    func invalidSocieteName() async throws {
        try await withAcme { (folder, _) async throws in
            let message = await failure(["utilisateur", "lister", "--societe", "Société", "--dossier", folder])
            #expect(message?.hasPrefix("Le nom de société « Société » est invalide") == true, "\(message ?? "")")
        }
    }

    @Test("--societe is required")
    func societeIsRequired() throws {
        for arguments in [
            ["utilisateur", "creer", "JD"], ["utilisateur", "lister"], ["utilisateur", "supprimer", "JD"],
            ["utilisateur", "mot-de-passe", "JD"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { try Comptoir.parseAsRoot(arguments) }
        }
    }

    // MARK: lister

    @Test("lister reads the users of the société, by code")
    func listerParses() async throws {
        try await withAcme { (folder, societe) async throws in
            try await run(["utilisateur", "creer", "ZOE", "--societe", "ACME", "--dossier", folder])
            try await run(["utilisateur", "creer", "BOB", "--societe", "ACME", "--dossier", folder])
            let command = try Comptoir.parseAsRoot(["utilisateur", "lister", "--societe", "ACME", "--dossier", folder])
            #expect(command is UtilisateurCommand.Lister)
            try await Comptoir.run(command)
            #expect(try societe.users().map(\.code) == ["ADMIN", "BOB", "ZOE"])
        }
    }

    @Test("creer puts a user in DEFAUT, or in the group --groupe names; the first user is ADMIN")
    func groups() async throws {
        try await withAcme { (folder, societe) async throws in
            try await run(["utilisateur", "creer", "VENTE", "--societe", "ACME", "--dossier", folder])
            try await run([
                "utilisateur", "creer", "CHEF", "--societe", "ACME", "--groupe", "admin", "--dossier", folder,
            ])
            #expect(
                try societe.users().map { "\($0.code) \($0.group ?? "")" } == [
                    "ADMIN ADMIN", "CHEF ADMIN", "VENTE DEFAUT",
                ])
        }
    }

    @Test("supprimer never removes the last user of group ADMIN")
    func supprimerLastAdministrator() async throws {
        try await withAcme { (folder, societe) async throws in
            try await run(["utilisateur", "creer", "VENTE", "--societe", "ACME", "--dossier", folder])
            #expect(
                await failure(["utilisateur", "supprimer", "ADMIN", "--societe", "ACME", "--dossier", folder])
                    == "L'utilisateur ADMIN est le dernier du groupe ADMIN : il ne peut pas être supprimé")
            try await run([
                "utilisateur", "creer", "CHEF", "--societe", "ACME", "--groupe", "ADMIN", "--dossier", folder,
            ])
            try await run(["utilisateur", "supprimer", "ADMIN", "--societe", "ACME", "--dossier", folder])
            #expect(try societe.users().map(\.code) == ["CHEF", "VENTE"])
        }
    }

    // MARK: supprimer

    @Test("supprimer removes a user, who can no longer sign in")
    func supprimerRemoves() async throws {
        try await withAcme { (folder, societe) async throws in
            try await run(["utilisateur", "creer", "JD", "--societe", "ACME", "--mot-passe", "p", "--dossier", folder])
            try await run(["utilisateur", "supprimer", "JD", "--societe", "ACME", "--dossier", folder])
            #expect(try societe.users().map(\.code) == ["ADMIN"])
            #expect(try await !societe.authenticate(user: "JD", password: "p"))
            // The code is free again.
            try await run(["utilisateur", "creer", "JD", "--societe", "ACME", "--mot-passe", "q", "--dossier", folder])
            #expect(try await societe.authenticate(user: "JD", password: "q"))
        }
    }

    @Test("supprimer refuses an unknown user")
    func supprimerUnknownUser() async throws {
        try await withAcme { (folder, societe) async throws in
            try await run(["utilisateur", "creer", "JD", "--societe", "ACME", "--dossier", folder])
            #expect(
                await failure(["utilisateur", "supprimer", "PERSONNE", "--societe", "ACME", "--dossier", folder])
                    == "L'utilisateur PERSONNE n'existe pas")
            #expect(try societe.users().map(\.code) == ["ADMIN", "JD"])
        }
    }

    @Test("supprimer never removes the last user")
    func supprimerLastUser() async throws {
        try await withAcme { (folder, societe) async throws in
            #expect(
                await failure(["utilisateur", "supprimer", "ADMIN", "--societe", "ACME", "--dossier", folder])
                    == "L'utilisateur ADMIN est le dernier de la société : il ne peut pas être supprimé")
            #expect(try societe.users().map(\.code) == ["ADMIN"])
            #expect(try await societe.authenticate(user: "ADMIN", password: "admin"))
            // With another administrator, ADMIN can go; then that one is the last.
            try await run(["utilisateur", "creer", "JD", "--societe", "ACME", "--groupe", "ADMIN", "--dossier", folder])
            try await run(["utilisateur", "supprimer", "ADMIN", "--societe", "ACME", "--dossier", folder])
            #expect(
                await failure(["utilisateur", "supprimer", "JD", "--societe", "ACME", "--dossier", folder])
                    == "L'utilisateur JD est le dernier de la société : il ne peut pas être supprimé")
            #expect(try societe.users().map(\.code) == ["JD"])
        }
    }

    // MARK: mot-de-passe

    @Test("mot-de-passe changes the password: the new one works, the old one no longer")
    func motDePasseChanges() async throws {
        try await withAcme { (folder, societe) async throws in
            let command = try Comptoir.parseAsRoot([
                "utilisateur", "mot-de-passe", "ADMIN", "--societe", "ACME", "--mot-passe", "nouveau", "--dossier",
                folder,
            ])
            let change = try #require(command as? UtilisateurCommand.MotDePasse)
            #expect(change.code == "ADMIN")
            #expect(change.motPasse.motPasse == "nouveau")
            try await Comptoir.run(command)
            #expect(try await societe.authenticate(user: "ADMIN", password: "nouveau"))
            #expect(try await !societe.authenticate(user: "ADMIN", password: "admin"))
            // Without --mot-passe, refused: a forgotten option must not open the account.
            let forgotten = ["utilisateur", "mot-de-passe", "ADMIN", "--societe", "ACME", "--dossier", folder]
            #expect(throws: (any Error).self) { try Comptoir.parseAsRoot(forgotten) }
            #expect(try await societe.authenticate(user: "ADMIN", password: "nouveau"))
            // An empty one, given as such.
            try await run(forgotten + ["--mot-passe", ""])
            #expect(try await societe.authenticate(user: "ADMIN", password: ""))
            #expect(try await !societe.authenticate(user: "ADMIN", password: "nouveau"))
        }
    }

    @Test("mot-de-passe refuses an unknown user")
    func motDePasseUnknownUser() async throws {
        try await withAcme { (folder, societe) async throws in
            #expect(
                await failure([
                    "utilisateur", "mot-de-passe", "PERSONNE", "--societe", "ACME", "--mot-passe", "x", "--dossier",
                    folder,
                ]) == "L'utilisateur PERSONNE n'existe pas")
            #expect(try societe.users().map(\.code) == ["ADMIN"])
        }
    }

    // MARK: Help

    @Test("utilisateur's help lists its four commands in French")
    func utilisateurHelp() {
        let help = Comptoir.helpMessage(for: UtilisateurCommand.self, columns: 500)
        #expect(help.contains("Gérer les utilisateurs d'une société."))
        for name in ["creer", "lister", "supprimer", "mot-de-passe"] { #expect(help.contains(name), "\(name)") }
        #expect(help.contains("Créer un utilisateur dans une société."))
        #expect(help.contains("Lister les utilisateurs d'une société."))
        #expect(
            help.contains("Supprimer un utilisateur (jamais le dernier, ni le dernier ADMIN)."))
        #expect(help.contains("Changer le mot de passe d'un utilisateur."))
        let root = Comptoir.helpMessage(columns: 500)
        #expect(root.contains("utilisateur"))
        #expect(root.contains("Gérer les utilisateurs d'une société."))
    }

    @Test(
        "each command's help, in French",
        arguments: [
            (
                UtilisateurCommand.Creer.self as any ParsableCommand.Type,
                [
                    "Créer un utilisateur dans une société.", "<code>", "Code de l'utilisateur.", "--mot-passe",
                    "Le mot de passe de l'utilisateur (vide par défaut).",
                ]
            ),
            (UtilisateurCommand.Lister.self, ["Lister les utilisateurs d'une société."]),
            (
                UtilisateurCommand.Supprimer.self,
                [
                    "Supprimer un utilisateur (jamais le dernier, ni le dernier ADMIN).",
                    "<code>", "Code de l'utilisateur.",
                ]
            ),
            (
                UtilisateurCommand.MotDePasse.self,
                [
                    "Changer le mot de passe d'un utilisateur.", "<code>", "Code de l'utilisateur.", "--mot-passe",
                    "Le mot de passe de l'utilisateur (vide par défaut).",
                ]
            ),
        ])
    func commandHelp(command: any ParsableCommand.Type, texts: [String]) {
        let help = Comptoir.helpMessage(for: command, columns: 500)
        let common = [
            "--societe", "Nom de la société (fichier <NOM>.Gestimum).", "--dossier",
            "Dossier des sociétés (par défaut $COMPTOIR_DOSSIER, sinon ./societes).",
        ]
        for text in texts + common { #expect(help.contains(text), "\(text) in \(help)") }
    }

    @Test("--help parses to the help of the command")
    func helpFlag() throws {
        for (arguments, text) in [
            (["utilisateur", "--help"], "Gérer les utilisateurs d'une société."),
            (["utilisateur", "creer", "--help"], "Créer un utilisateur dans une société."),
            (["utilisateur", "lister", "--help"], "Lister les utilisateurs d'une société."),
            (
                ["utilisateur", "supprimer", "--help"],
                "Supprimer un utilisateur (jamais le dernier, ni le dernier ADMIN)."
            ),
            (["utilisateur", "mot-de-passe", "-h"], "Changer le mot de passe d'un utilisateur."),
        ] {
            var command = try Comptoir.parseAsRoot(arguments)
            do {
                try command.run()
                Issue.record("\(arguments) ran a command")
            } catch {
                // What ArgumentParser prints for it, and the exit status: the help, 0.
                #expect(Comptoir.exitCode(for: error) == .success, "\(arguments)")
                #expect(Comptoir.message(for: error).contains(text), "\(arguments)")
            }
        }
    }
}

/// The same commands through the built executable: what they print, and their exit status.
@Suite(
    "comptoir utilisateur, as a process",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct UtilisateurExecutableTests {
    private func comptoir(_ arguments: [String], in folder: String) async throws -> ProcessOutcome {
        try await runComptoir(try #require(comptoirExecutable), arguments, directory: folder)
    }

    @Test("a password read from standard input is never on the command line; an empty one is said")
    func passwordFromStandardInput() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "ACME", user: "ADMIN", password: "admin", hashCost: 4)
            let read = try await runComptoir(
                executable,
                ["utilisateur", "creer", "JD", "--societe", "ACME", "--mot-passe-entree", "--dossier", folder],
                directory: folder, input: "Très secret\r\n")
            #expect(read.status == 0 && read.standardError.isEmpty, "\(read.standardError)")
            let societe = try societes.sqliteSociete(named: "ACME")
            #expect(try await societe.authenticate(user: "JD", password: "Très secret"))
            let empty = try await comptoir(
                ["utilisateur", "mot-de-passe", "JD", "--societe", "ACME", "--mot-passe", "", "--dossier", folder],
                in: folder)
            #expect(empty.status == 0)
            #expect(
                empty.standardError
                    == "Attention : l'utilisateur JD a un mot de passe vide, que tout le monde peut donner\n")
            let both = try await comptoir(
                ["utilisateur", "creer", "X", "--societe", "ACME", "--mot-passe", "a", "--mot-passe-entree"], in: folder
            )
            #expect(both.status == 64)
            #expect(both.standardError.hasPrefix("Erreur : Donnez --mot-passe ou --mot-passe-entree, pas les deux\n"))
            let schema = try await comptoir(
                ["societe", "creer", "B", "--utilisateur", "U", "--schema", "b"], in: folder)
            #expect(schema.status == 64)
            #expect(
                schema.standardError.hasPrefix(
                    "Erreur : --schema et --variable-mot-passe ne valent qu'avec --postgres\n"))
        }
    }

    @Test("lister prints each user with its creation time, and never a hash")
    func listerPrints() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "ACME", user: "ADMIN", password: "admin", hashCost: 4)
            let created = try await comptoir(
                ["utilisateur", "creer", "JD", "--societe", "ACME", "--mot-passe", "p", "--dossier", folder], in: folder
            )
            #expect(created.status == 0, "\(created.standardError)")
            #expect(created.standardOutput == "Utilisateur JD créé dans ACME\n")
            let listed = try await comptoir(
                ["utilisateur", "lister", "--societe", "ACME", "--dossier", folder], in: folder)
            #expect(listed.status == 0, "\(listed.standardError)")
            let lines = listed.standardOutput.split(separator: "\n").map(String.init)
            try #require(lines.count == 2, "\(listed.standardOutput)")
            #expect(
                lines[0].wholeMatch(of: /ADMIN\tADMIN\tcréé le \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/) != nil,
                "\(lines[0])")
            #expect(
                lines[1].wholeMatch(of: /JD\tDEFAUT\tcréé le \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/) != nil, "\(lines[1])"
            )
            #expect(!listed.standardOutput.contains("$2"))
        }
    }

    @Test("a refused command says why in French on standard error and exits with 1")
    func refusalsInFrench() async throws {
        try await withTemporaryFolder { folder in
            try SocieteFolder(path: folder).create(name: "ACME", user: "ADMIN", password: "admin", hashCost: 4)
            let cases: [([String], String)] = [
                (["creer", "ADMIN", "--societe", "ACME"], "L'utilisateur ADMIN existe déjà"),
                (["supprimer", "JD", "--societe", "ACME"], "L'utilisateur JD n'existe pas"),
                (
                    ["supprimer", "ADMIN", "--societe", "ACME"],
                    "L'utilisateur ADMIN est le dernier de la société : il ne peut pas être supprimé"
                ),
                (["mot-de-passe", "JD", "--societe", "ACME", "--mot-passe", "x"], "L'utilisateur JD n'existe pas"),
                (["lister", "--societe", "NOPE"], "La société NOPE.Gestimum est introuvable"),
            ]
            for (arguments, message) in cases {
                let outcome = try await comptoir(["utilisateur"] + arguments + ["--dossier", folder], in: folder)
                #expect(outcome.status == 1, "\(arguments)")
                #expect(outcome.standardError == "Erreur : \(message)\n", "\(arguments)")
                #expect(outcome.standardOutput == "", "\(arguments)")
            }
        }
    }

    @Test("--help prints the command's French help and exits with 0")
    func helpPrints() async throws {
        try await withTemporaryFolder { folder in
            let cases: [([String], String)] = [
                (["utilisateur", "--help"], "Gérer les utilisateurs d'une société."),
                (["utilisateur", "creer", "--help"], "Créer un utilisateur dans une société."),
                (["utilisateur", "lister", "--help"], "Lister les utilisateurs d'une société."),
                (
                    ["utilisateur", "supprimer", "--help"],
                    "Supprimer un utilisateur (jamais le dernier, ni le dernier ADMIN)."
                ),
                (["utilisateur", "mot-de-passe", "--help"], "Changer le mot de passe d'un utilisateur."),
            ]
            for (arguments, abstract) in cases {
                let outcome = try await comptoir(arguments, in: folder)
                #expect(outcome.status == 0, "\(arguments): \(outcome.standardError)")
                #expect(outcome.standardOutput.contains(abstract), "\(arguments): \(outcome.standardOutput)")
                #expect(!outcome.standardError.contains("CommandError"), "\(arguments): \(outcome.standardError)")
            }
        }
    }
}
