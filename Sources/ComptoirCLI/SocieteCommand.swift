import ArgumentParser
import ComptoirStore

/// `comptoir societe …`: managing sociétés.
struct SocieteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "societe",
        abstract: "Gérer les sociétés.",
        subcommands: [Creer.self]
    )

    /// `comptoir societe creer <NOM> --utilisateur <U> [--mot-passe <P>] [--dossier <D>]`.
    struct Creer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "creer",
            abstract: "Créer une société vide avec son premier utilisateur.",
            discussion: """
                Crée <DOSSIER>/<NOM>.Gestimum, avec les pays (ISO 3166) et les devises (ISO 4217). \
                Une société existante n'est jamais écrasée.
                """
        )

        @Argument(help: "Nom de la société : lettres sans accent, chiffres, espaces, « _ », « . » et « - ».")
        var nom: String

        @Option(name: .long, help: "Code du premier utilisateur.")
        var utilisateur: String

        @Option(name: .customLong("mot-passe"), help: "Mot de passe de cet utilisateur (vide par défaut).")
        var motPasse: String = ""

        @OptionGroup var folder: FolderOption

        func run() throws {
            let path = try SocieteFolder(path: folder.path).create(name: nom, user: utilisateur, password: motPasse)
            print("Société créée : \(path)")
        }
    }
}
