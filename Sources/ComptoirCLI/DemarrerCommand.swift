import ArgumentParser
import ComptoirHTTP
import ComptoirStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

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

    @Option(name: .customLong("limite-requete"), help: "Taille maximale du corps d'une requête, en Mio.")
    var limiteRequete = ServerSettings.defaultBodyLimit >> 20

    @Option(
        name: .customLong("attente-verrou"),
        help: "Secondes qu'une requête attend sa session sur une société occupée avant la réponse 409.")
    var attenteVerrou = 30

    @Option(name: .customLong("delai-requete"), help: "Secondes laissées à un client pour envoyer sa requête.")
    var delaiRequete = 300

    @Option(
        name: .customLong("delai-corps"),
        help: "Secondes sans aucun octet du corps d'une requête après lesquelles elle est coupée (408).")
    var delaiCorps = 10

    @Option(name: .customLong("delai-inactivite"), help: "Secondes après lesquelles une connexion muette est fermée.")
    var delaiInactivite = 60

    @Option(
        name: .customLong("connexions-max"),
        help: """
            Connexions ouvertes à la fois ; au-delà, une nouvelle connexion reçoit 503. Par défaut, la limite \
            de fichiers ouverts moins un huitième (au moins 256) laissé aux sociétés.
            """)
    var connexionsMax: Int?

    @Option(
        name: .customLong("connexions-par-adresse"),
        help: "Connexions ouvertes à la fois depuis une même adresse (0 : sans limite).")
    var connexionsParAdresse = 0

    @Option(
        name: .customLong("memoire-requetes"),
        help: """
            Mémoire que les corps des requêtes peuvent occuper ensemble, en Mio ; au-delà, une requête attend \
            sa place. Par défaut, le quart de la mémoire de la machine, au plus 2 Gio.
            """)
    var memoireRequetes: Int?

    @Option(
        name: .customLong("attente-memoire"),
        help: "Secondes qu'une requête attend de la place pour son corps avant la réponse 503.")
    var attenteMemoire = 10

    @Option(name: .customLong("certificat"), help: "Certificat (chaîne PEM) : le serveur parle HTTPS.")
    var certificat: String?

    @Option(name: .customLong("cle"), help: "Clé privée du certificat (PEM).")
    var cle: String?

    @Flag(
        name: .customLong("sans-tls-hors-local"),
        help: "Écouter en HTTP sur une adresse autre que la boucle locale (derrière un proxy qui porte le certificat).")
    var sansTLSHorsLocal = false

    @Flag(
        name: .customLong("metriques"),
        help: "Servir /metrics à toute adresse ; sans ce drapeau, seules les requêtes de cette machine le reçoivent.")
    var metriques = false

    @Option(
        name: .customLong("format-journal"),
        help: "Format des lignes du journal sur la sortie d'erreur : texte, ou json (un objet par ligne).")
    var formatJournal = LogFormat.texte

    @Option(
        name: .customLong("delai-arret"),
        help: "Secondes laissées aux requêtes en cours sur SIGTERM ou SIGINT avant l'arrêt.")
    var delaiArret = 30

    static let demoSociete = "DEMO"

    func validate() throws {
        // At most a year, and a tebibyte: a larger number, meant as "no limit", would overflow
        // once made nanoseconds or bytes.
        let year = 31_536_000
        let tebibyte = 1 << 20
        for (name, value, minimum, maximum) in [
            ("--limite-requete", limiteRequete, 1, tebibyte), ("--attente-verrou", attenteVerrou, 0, year),
            ("--delai-requete", delaiRequete, 1, year), ("--delai-corps", delaiCorps, 1, year),
            ("--delai-inactivite", delaiInactivite, 1, year), ("--delai-arret", delaiArret, 0, year),
            ("--connexions-max", connexionsMax ?? 1, 1, Int.max),
            ("--connexions-par-adresse", connexionsParAdresse, 0, Int.max),
            ("--memoire-requetes", memoireRequetes ?? 1, 1, tebibyte), ("--attente-memoire", attenteMemoire, 0, year),
        ] {
            if value < minimum { throw ValidationError("\(name) doit valoir au moins \(minimum), pas \(value)") }
            if value > maximum { throw ValidationError("\(name) doit valoir au plus \(maximum), pas \(value)") }
        }
        // A larger number would wrap around to another port, which the server would take silently.
        guard (0...65535).contains(port) else {
            throw ValidationError("--port doit être compris entre 0 et 65535, pas \(port)")
        }
        if (certificat == nil) != (cle == nil) {
            throw ValidationError("--certificat et --cle vont ensemble")
        }
        // Passwords travel in the bodies: in clear, only on this machine, unless told otherwise.
        if certificat == nil, !sansTLSHorsLocal, !ServerTLS.isLoopback(listeningHost) {
            throw ValidationError(
                "Sans TLS, Comptoir n'écoute que sur la boucle locale, car les mots de passe voyagent dans les "
                    + "requêtes : donnez --certificat et --cle, ou --sans-tls-hors-local derrière un proxy qui "
                    + "porte le certificat")
        }
    }

    /// The address to listen on: `--hote` without the brackets an IPv6 address takes in a URL
    /// (`[::1]`), which the resolver does not read.
    var listeningHost: String {
        hote.hasPrefix("[") && hote.hasSuffix("]") ? String(hote.dropFirst().dropLast()) : hote
    }

    /// The server's settings, where the open-files limit is `openFiles`, and HTTPS is `tls`.
    func settings(openFiles: Int, tls: ServerTLS? = nil) -> ServerSettings {
        ServerSettings(
            host: listeningHost,
            port: port,
            folder: folder.path,
            bodyLimit: limiteRequete << 20,
            lockWait: .seconds(attenteVerrou),
            requestTimeout: .seconds(delaiRequete),
            bodyStallTimeout: .seconds(delaiCorps),
            idleTimeout: .seconds(delaiInactivite),
            maximumConnections: connexionsMax ?? OpenFilesLimit.defaultMaximumConnections(limit: openFiles),
            maximumConnectionsPerAddress: connexionsParAdresse > 0 ? connexionsParAdresse : nil,
            bodyBudget: memoireRequetes.map { $0 << 20 }
                ?? BodyBudget.defaultCapacity(physicalMemory: ProcessInfo.processInfo.physicalMemory),
            bodyBudgetWait: .seconds(attenteMemoire),
            tls: tls,
            metricsForAnyPeer: metriques
        )
    }

    func run() async throws {
        if formatJournal == .json { LoggingSystem.bootstrap { label in JSONLogHandler(label: label) } }
        let logger = Logger(label: "comptoir")
        let societes = SocieteFolder(path: folder.path)
        if demo, !FileManager.default.fileExists(atPath: try societes.filePath(for: Self.demoSociete)) {
            // From the model `CreerFichierDemo` wrote, when there is one.
            if FileManager.default.fileExists(atPath: societes.demoModel) {
                let path = try societes.restore(
                    societes.demoModel, as: Self.demoSociete, replacing: false, wait: .zero)
                logger.info("Société de démonstration créée depuis \(societes.demoModel) : \(path)")
            } else {
                let path = try societes.create(name: Self.demoSociete, user: Self.demoSociete, password: "")
                logger.info("Société de démonstration créée : \(path)")
            }
        }
        // --demo makes the folder; without it, a folder that is not there is a mistyped one.
        try folder.requireExisting()
        logger.info("Sociétés dans \(societes.path)")
        let openFiles = OpenFilesLimit.raiseToHard()
        logger.info(
            "Fichiers ouverts : limite souple \(openFiles.soft), limite dure \(openFiles.hard), en vigueur \(openFiles.now)"
        )
        var tls: ServerTLS?
        if let certificat, let cle {
            do {
                tls = try ServerTLS(certificate: certificat, key: cle)
            } catch {
                throw CommandFailure(message: error.message)
            }
            logger.info("HTTPS avec le certificat \(certificat)")
        }
        let settings = settings(openFiles: openFiles.now, tls: tls)
        logger.info(
            "Connexions : au plus \(settings.maximumConnections)\(settings.maximumConnectionsPerAddress.map { ", \($0) par adresse" } ?? "")"
        )
        let configuration = ServiceGroupConfiguration(
            services: [makeApplication(settings: settings, logger: logger)],
            logger: logger
        )
        do {
            try await StopSignals.run(
                ServiceGroup(configuration: configuration), delay: delaiArret, stopImports: settings.stopping.set,
                logger: logger)
            logger.info("Comptoir est arrêté")
        } catch let error as IOError {
            throw CommandFailure(
                message: "Impossible d'écouter sur \(hote):\(port) : \(SystemError.reason(errno: error.errnoCode))"
            )
        } catch is SocketAddressError, is SocketAddressError.UnknownHost {
            throw CommandFailure(
                message: "Impossible d'écouter sur \(hote):\(port) : adresse inconnue de cette machine")
        }
    }
}
