import ArgumentParser
import ComptoirHTTP
import ComptoirStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `comptoir demarrer`: serves the web service until SIGINT or SIGTERM.
struct DemarrerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demarrer",
        abstract: "Démarrer le web service.",
        discussion: "S'arrête proprement sur SIGINT (Ctrl+C) ou SIGTERM."
    )

    @OptionGroup var folder: FolderOption

    @Option(name: .customLong("hote"), help: "Adresse d'écoute.")
    var hote = "127.0.0.1"

    @Option(name: .long, help: "Port d'écoute (8080, comme Gestimum).")
    var port = 8080

    @Flag(
        name: .long,
        help: "Créer d'abord la société DEMO.Gestimum (utilisateur DEMO, mot de passe vide) si elle manque.")
    var demo = false

    static let demoSociete = "DEMO"

    func run() async throws {
        let logger = Logger(label: "comptoir")
        let societes = SocieteFolder(path: folder.path)
        if demo, !FileManager.default.fileExists(atPath: try societes.filePath(for: Self.demoSociete)) {
            let path = try societes.create(name: Self.demoSociete, user: Self.demoSociete, password: "")
            logger.info("Société de démonstration créée : \(path)")
        }
        logger.info("Sociétés dans \(societes.path)")
        let settings = ServerSettings(host: hote, port: port, folder: societes.path)
        do {
            try await makeApplication(settings: settings, logger: logger).runService()
        } catch let error as IOError {
            throw CommandFailure(
                description: "Impossible d'écouter sur \(hote):\(port) : \(SystemError.reason(errno: error.errnoCode))"
            )
        }
    }
}
