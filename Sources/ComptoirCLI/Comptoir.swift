import ArgumentParser
import Foundation

/// `comptoir`: the command line, in French like Gestimum.
@main
struct Comptoir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comptoir",
        abstract: "Comptoir : le web service de Gestimum (Web Service 2), pour Linux.",
        discussion: """
            Comptoir répond aux requêtes d'import de Gestimum (clients, fournisseurs, prospects…)
            sur des sociétés stockées chacune dans un fichier <NOM>.Gestimum.
            """,
        subcommands: [SocieteCommand.self, DemarrerCommand.self]
    )

    /// Runs the command, telling its failures in French rather than as ArgumentParser's `Error:`.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("Erreur : \(failure.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// The data folder's option, shared by every command that works on sociétés.
struct FolderOption: ParsableArguments {
    @Option(
        name: .long,
        help: "Dossier des sociétés (par défaut $COMPTOIR_DOSSIER, sinon ./societes).",
        completion: .directory
    )
    var dossier: String?

    var path: String {
        dossier ?? ProcessInfo.processInfo.environment["COMPTOIR_DOSSIER"] ?? "./societes"
    }
}

/// A command that cannot do what it was asked: its French message goes to standard error.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}
