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
        #expect(help.contains("Mot de passe de cet utilisateur (vide par défaut)."))
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
}
