import ArgumentParser
import Testing

@testable import ComptoirCLI

@Suite("Help texts, in French")
struct HelpTests {
    @Test("the root help names both commands")
    func rootHelp() {
        let help = Comptoir.helpMessage(columns: 500)
        #expect(help.contains("Comptoir : le web service de Gestimum"))
        #expect(help.contains("comptoir"))
        #expect(help.contains("societe"))
        #expect(help.contains("Gérer les sociétés."))
        #expect(help.contains("demarrer"))
        #expect(help.contains("Démarrer le web service."))
        #expect(help.contains("<NOM>.Gestimum"))
    }

    @Test("societe creer's help")
    func creerHelp() {
        let help = Comptoir.helpMessage(for: SocieteCommand.Creer.self, columns: 500)
        #expect(help.contains("Créer une société"))
        #expect(help.contains("Créer une société vide avec son premier utilisateur."))
        #expect(help.contains("<nom>"))
        #expect(help.contains("--utilisateur"))
        #expect(help.contains("Code du premier utilisateur."))
        #expect(help.contains("--mot-passe"))
        #expect(help.contains("Le mot de passe de l'utilisateur (vide par défaut)."))
        #expect(help.contains("--dossier"))
        #expect(help.contains("$COMPTOIR_DOSSIER"))
        #expect(help.contains("./societes"))
        #expect(help.contains("Une société existante n'est jamais écrasée."))
        #expect(help.contains("comptoir societe creer"))
    }

    @Test("societe's help lists creer")
    func societeHelp() {
        let help = Comptoir.helpMessage(for: SocieteCommand.self, columns: 500)
        #expect(help.contains("Gérer les sociétés."))
        #expect(help.contains("creer"))
    }

    @Test("demarrer's help")
    func demarrerHelp() {
        let help = Comptoir.helpMessage(for: DemarrerCommand.self, columns: 500)
        #expect(help.contains("Démarrer le web service."))
        #expect(help.contains("SIGTERM"))
        #expect(help.contains("--hote"))
        #expect(help.contains("Adresse d'écoute."))
        #expect(help.contains("127.0.0.1"))
        #expect(help.contains("--port"))
        #expect(help.contains("8080"))
        #expect(help.contains("--demo"))
        #expect(help.contains("DEMO.Gestimum"))
        #expect(help.contains("--dossier"))
        #expect(help.contains("--metriques"))
        #expect(help.contains("comptoir demarrer"))
    }

    /// ArgumentParser's English words that must not reach a user.
    private static let english = [
        "USAGE", "OVERVIEW", "SUBCOMMANDS", "OPTIONS:", "Show help", "default:", "subcommand", "Error:", "Usage:",
        "Help:", "See '", "Missing", "Unknown", "invalid", "Unexpected", "Did you mean",
    ]

    @Test("ArgumentParser's headings and words in a help are French")
    func helpHeadingsInFrench() {
        let commands: [any ParsableCommand.Type] = [
            Comptoir.self, SocieteCommand.self, DemarrerCommand.self, TacheCommand.self,
        ]
        // A terminal's width wraps a line anywhere, `default:` and its value apart among them.
        for command in commands {
            for columns in [500, 80] {
                let help = FrenchUsage.translated(Comptoir.helpMessage(for: command, columns: columns))
                #expect(help.contains("UTILISATION : comptoir"))
                #expect(help.contains("OPTIONS :"))
                #expect(help.contains("Afficher cette aide."))
                for word in Self.english { #expect(!help.contains(word), "\(word) in \(help)") }
            }
        }
        let demarrer = FrenchUsage.translated(Comptoir.helpMessage(for: DemarrerCommand.self, columns: 500))
        #expect(demarrer.contains("(par défaut : 8080)"))
    }

    @Test(
        "a wrong command line is told in French",
        arguments: [
            (["societe", "creer"], "Erreur : Argument manquant : '<nom>'"),
            (["demarrer", "--port", "abc"], "Erreur : La valeur 'abc' ne convient pas à '--port <port>'"),
            (["demarrer", "--prt", "3"], "Erreur : Option inconnue : '--prt'. Vouliez-vous dire '--port' ?"),
            (["nimporte"], "Erreur : Argument inattendu : 'nimporte'"),
            (["societe", "creer", "A"], "Erreur : Argument manquant : '--utilisateur <utilisateur>'"),
            (
                ["demarrer", "--format-journal", "xml"],
                "Erreur : La valeur 'xml' ne convient pas à '--format-journal <format-journal>'. Valeurs possibles : 'texte' et 'json'."
            ),
        ])
    func usageErrorsInFrench(arguments: [String], expected: String) throws {
        let error = try #require(throws: (any Error).self) { try Comptoir.parseAsRoot(arguments) }
        let message = FrenchUsage.translated(Comptoir.fullMessage(for: error))
        #expect(message.hasPrefix(expected), "\(message)")
        #expect(message.contains("Utilisation : comptoir"))
        for word in Self.english { #expect(!message.contains(word), "\(word) in \(message)") }
    }
}
