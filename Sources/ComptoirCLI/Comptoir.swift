import ArgumentParser
import ComptoirCore
import ComptoirStore
import ComptoirTaches
import Foundation

/// `comptoir`: the command line, in French like Gestimum.
@main
struct Comptoir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comptoir",
        abstract: "Comptoir : le web service de Gestimum (Web Service 2), pour Linux.",
        discussion: """
            Comptoir répond aux requêtes d'import de Gestimum (clients, fournisseurs, prospects…) \
            sur des sociétés stockées chacune dans un fichier <NOM>.Gestimum.
            """,
        subcommands: [SocieteCommand.self, UtilisateurCommand.self, DemarrerCommand.self, TacheCommand.self]
    )

    /// Runs the command. Usage errors are ArgumentParser's, in French, but a tâche's, which
    /// exits 3 as `taches.md` §3 says of a wrong command line (cron and scripts read that code);
    /// a command that fails says why in French on standard error and exits with status 1.
    static func main() async {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if CommandLine.arguments.dropFirst().first == TacheCommand.configuration.commandName,
                exitCode(for: error) != .success
            {
                FileHandle.standardError.write(
                    Data(
                        "Erreur : ligne de commande incorrecte : \(FrenchUsage.translated(message(for: error)))\n".utf8)
                )
                Foundation.exit(TacheRunner.ExitCode.invalidTache.rawValue)
            }
            exitInFrench(error)
        }
        do {
            try await run(command)
        } catch {
            guard let message = error.frenchMessage else { exitInFrench(error) }
            FileHandle.standardError.write(Data("Erreur : \(message)\n".utf8))
            Foundation.exit(1)
        }
    }

    /// Exits as ArgumentParser's `exit(withError:)` does, a help on standard output and a usage
    /// error on standard error, their texts in French.
    static func exitInFrench(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        let text = FrenchUsage.translated(fullMessage(for: error))
        if code == .success {
            if !text.isEmpty { print(text) }
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
        Foundation.exit(code.rawValue)
    }
}

extension Comptoir {
    /// Runs a parsed command, an async one through its async `run`.
    static func run(_ command: any ParsableCommand) async throws {
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            var command = command
            try command.run()
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

    /// Refuses a folder that is not there: a mistyped one would otherwise be an empty folder,
    /// where every société is missing.
    func requireExisting() throws {
        guard FileManager.default.isFolder(atPath: path) else {
            throw CommandFailure(message: "Le dossier des sociétés \(path) n'existe pas")
        }
    }
}

/// A command that cannot do what it was asked: its French message goes to standard error.
struct CommandFailure: FrenchError {
    let message: String
}

/// A société named on the command line, in the data folder. As a request's `fichier`, a
/// Windows path pasted from Gestimum names the société of its last part; but a path of this
/// machine, `x/TOTO`, would quietly name `TOTO` of `--dossier` instead of the file it says:
/// it is refused, and the folder is given with `--dossier`.
func societeName(_ argument: String) throws -> String {
    guard !argument.contains("/") else {
        throw CommandFailure(
            message: "« \(argument) » est un chemin : donnez le nom de la société, et son dossier avec --dossier")
    }
    return argument
}

/// Refuses a code that an import could never name: empty, with spaces around it, or longer
/// than its field; `named` is how a message names what it is the code of (`le dépôt`).
func checkedCode(_ code: String, of named: String, maximumLength: Int) throws {
    guard !code.isEmpty, code.count <= maximumLength, code.trimmingCharacters(in: .whitespaces) == code else {
        throw CommandFailure(
            message:
                "Le code « \(code) » ne convient pas pour \(named) : de 1 à \(maximumLength) caractères, sans espace autour"
        )
    }
}

/// Refuses a user's code that Utilisateurs could never import (`USR_NAME`).
func checkedUserCode(_ code: String) throws {
    try checkedCode(
        code, of: "l'utilisateur",
        maximumLength: Catalogue.utilisateurs.field(named: "USR_NAME")?.type.maximumLength ?? .max)
}

extension Error {
    /// What went wrong, in French, for standard error; nil for ArgumentParser's own errors
    /// and exits (help, usage), which it tells itself.
    var frenchMessage: String? {
        switch self {
        case let error as any FrenchError: error.message
        case let error as CocoaError:
            "Impossible d'écrire \(error.filePath ?? "") : \((error.userInfo[NSUnderlyingErrorKey] as? POSIXError).map { SystemError.reason(errno: $0.code.rawValue) } ?? error.localizedDescription)"
        default: nil
        }
    }
}
