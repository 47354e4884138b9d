import ArgumentParser
import Foundation

/// A user's password on the command line: `--mot-passe`, which `ps` and the shell's history
/// show to others, or `--mot-passe-entree`, which reads it from standard input instead.
struct PasswordOption: ParsableArguments {
    @Option(name: .customLong("mot-passe"), help: "Le mot de passe de l'utilisateur (vide par défaut).")
    var motPasse: String?

    @Flag(
        name: .customLong("mot-passe-entree"),
        help:
            "Lire le mot de passe sur la première ligne de l'entrée standard : il n'apparaît ni dans ps ni dans l'historique."
    )
    var fromStandardInput = false

    func validate() throws {
        if motPasse != nil && fromStandardInput {
            throw ValidationError("Donnez --mot-passe ou --mot-passe-entree, pas les deux")
        }
    }

    /// The password given, read, or empty.
    func password() -> String {
        guard fromStandardInput else { return motPasse ?? "" }
        return (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }

    /// Says on standard error that `user` was given an empty `password`: only an empty
    /// password then opens it.
    static func noteIfEmpty(_ password: String, user: String) {
        guard password.isEmpty else { return }
        FileHandle.standardError.write(
            Data("Attention : l'utilisateur \(user) a un mot de passe vide, que tout le monde peut donner\n".utf8))
    }
}
