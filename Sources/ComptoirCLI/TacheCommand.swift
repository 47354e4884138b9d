import ArgumentParser
import ComptoirCore
import ComptoirTaches
import Foundation
import UnixSignals

/// `comptoir tache <fichier.ini>`, `--liste`, `--description <Nom>`: Gestimum's command-line
/// tâches (`/tache:`, `/listetaches`, `/descriptiontache:`).
struct TacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tache",
        abstract: "Exécute une tâche décrite par un fichier .ini, comme Gestimum (/tache:).",
        discussion: """
            Codes de sortie : 0 tâche exécutée sans rejet, 1 tâche exécutée avec des lignes \
            rejetées, 2 tâche refusée (société, utilisateur, session, fichier illisible), \
            3 fichier .ini ou ligne de commande incorrects, 4 erreur interne.
            """
    )

    @Argument(help: "Le fichier .ini de la tâche.", completion: .file(extensions: ["ini"]))
    var fichier: String?

    @Flag(name: .customLong("liste"), help: "Affiche les tâches disponibles (/listetaches).")
    var liste = false

    @Option(name: .customLong("description"), help: "Décrit une tâche et ses paramètres (/descriptiontache:).")
    var description: String?

    @OptionGroup var folder: FolderOption

    @Option(name: .customLong("attente-verrou"), help: "Secondes d'attente d'une société occupée.")
    var attenteVerrou = 30

    func validate() throws {
        let asked = [fichier != nil, liste, description != nil].filter { $0 }.count
        guard asked == 1 else {
            throw ValidationError("Donnez un fichier .ini, --liste ou --description <Nom>, et un seul des trois.")
        }
        guard attenteVerrou >= 0 else { throw ValidationError("--attente-verrou doit être positif ou nul.") }
    }

    func run() async throws {
        if liste {
            for tache in Tache.all { print(tache.listLine) }
            return
        }
        if let description {
            do {
                print(try Tache.named(description).descriptionText)
            } catch {
                FileHandle.standardError.write(Data("Erreur : \(error.message)\n".utf8))
                Foundation.exit(TacheRunner.ExitCode.invalidTache.rawValue)
            }
            return
        }
        // A journal piped to a reader that stops early (`| head`) must not kill the tâche once
        // its import is committed: its journal file and statistics are still to be written.
        signal(SIGPIPE, SIG_IGN)
        // Stopped (SIGTERM, Ctrl+C), it ends as the signal would have ended it, but without
        // leaving the file it was replacing half-written beside the previous one. What it was
        // importing is rolled back, as when it is killed.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        Task.detached {
            for await signal in signals {
                TextFileWriter.removeUnfinished()
                _exit(128 + signal.rawValue)
            }
        }
        let runner = TacheRunner(folder: folder.path, lockWait: .seconds(attenteVerrou))
        let code = await runner.run(iniPath: fichier!)
        Foundation.exit(code.rawValue)
    }
}
