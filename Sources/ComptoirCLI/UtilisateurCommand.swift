import ArgumentParser
import ComptoirCore
import ComptoirStore

/// `comptoir utilisateur …`: the users of a société.
struct UtilisateurCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "utilisateur",
        abstract: "Gérer les utilisateurs d'une société.",
        subcommands: [Creer.self, Lister.self, Supprimer.self, MotDePasse.self]
    )

    /// The société a user command works on.
    struct SocieteOption: ParsableArguments {
        @Option(name: .long, help: "Nom de la société (fichier <NOM>.Gestimum).")
        var societe: String

        @OptionGroup var folder: FolderOption

        func open() throws -> Societe {
            try folder.requireExisting()
            return try SocieteFolder(path: folder.path).societe(named: try societeName(societe))
        }
    }

    struct Creer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "creer",
            abstract: "Créer un utilisateur dans une société."
        )

        @Argument(help: "Code de l'utilisateur.")
        var code: String

        @OptionGroup var motPasse: PasswordOption

        @Option(help: "Son groupe : ADMIN peut importer les utilisateurs.")
        var groupe: String = UtilisateursGroups.users

        @OptionGroup var societe: SocieteOption

        func run() throws {
            try checkedUserCode(code)
            let password = motPasse.password()
            try societe.open().addUser(code: code, name: code, password: password, group: groupe)
            PasswordOption.noteIfEmpty(password, user: code)
            print("Utilisateur \(code) créé dans \(societe.societe)")
        }
    }

    struct Lister: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lister",
            abstract: "Lister les utilisateurs d'une société."
        )

        @OptionGroup var societe: SocieteOption

        func run() throws {
            for user in try societe.open().users() {
                print("\(user.code)\t\(user.group ?? "sans groupe")\tcréé le \(user.created)")
            }
        }
    }

    struct Supprimer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "supprimer",
            abstract: "Supprimer un utilisateur (jamais le dernier, ni le dernier ADMIN)."
        )

        @Argument(help: "Code de l'utilisateur.")
        var code: String

        @OptionGroup var societe: SocieteOption

        func run() throws {
            try societe.open().removeUser(code: code)
            print("Utilisateur \(code) supprimé de \(societe.societe)")
        }
    }

    struct MotDePasse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mot-de-passe",
            abstract: "Changer le mot de passe d'un utilisateur."
        )

        @Argument(help: "Code de l'utilisateur.")
        var code: String

        @OptionGroup var motPasse: PasswordOption

        @OptionGroup var societe: SocieteOption

        /// A change of password names the new one: a forgotten option would otherwise open
        /// the account to anyone. An empty one is still given as `--mot-passe ''`.
        func validate() throws {
            guard motPasse.motPasse != nil || motPasse.fromStandardInput else {
                throw ValidationError(
                    "Donnez le nouveau mot de passe avec --mot-passe ou --mot-passe-entree (--mot-passe '' pour un mot de passe vide)"
                )
            }
        }

        func run() throws {
            let password = motPasse.password()
            try societe.open().setPassword(user: code, password: password)
            PasswordOption.noteIfEmpty(password, user: code)
            print("Mot de passe de \(code) changé dans \(societe.societe)")
        }
    }
}
