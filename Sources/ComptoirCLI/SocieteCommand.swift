import ArgumentParser
import ComptoirCore
import ComptoirStore
import Foundation

extension ReferenceList: ExpressibleByArgument {}

extension String {
    /// The text with its first letter in capitals, to start a sentence.
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// `comptoir societe …`: managing sociétés.
struct SocieteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "societe",
        abstract: "Gérer les sociétés.",
        subcommands: [Creer.self, Sauvegarder.self, Restaurer.self, Verifier.self, Lister.self, Ajouter.self]
    )

    /// `comptoir societe ajouter <NOM> <QUOI> <CODE> <LIBELLE>`: the reference rows no import
    /// creates (`domains.md` §5).
    struct Ajouter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ajouter",
            abstract: "Ajouter à une société un dépôt, un journal ou un type, qu'aucun import ne crée.",
            discussion: """
                QUOI : \(ReferenceList.allCases.map(\.rawValue).joined(separator: ", ")). \
                Un code qui existe déjà n'est jamais remplacé.
                """
        )

        @Argument(help: "Nom de la société.")
        var nom: String

        @Argument(help: "Ce qu'on ajoute : \(ReferenceList.allCases.map(\.rawValue).joined(separator: ", ")).")
        var quoi: ReferenceList

        @Argument(help: "Son code.")
        var code: String

        @Argument(help: "Son libellé.")
        var libelle: String

        @OptionGroup var folder: FolderOption

        func run() async throws {
            let name = try societeName(nom)
            try checkedCode(code, of: quoi.named, maximumLength: quoi.maximumCodeLength)
            guard !libelle.allSatisfy(\.isWhitespace) else {
                throw CommandFailure(message: "Le libellé \(quoi.ofThe) \(code) ne peut pas être vide")
            }
            try folder.requireExisting()
            let societe = try SocieteFolder(path: folder.path).societe(named: name)
            let row = quoi.row(code: code, label: libelle)
            let added = try await societe.write(rollback: false) { store in
                guard try !store.exists(in: row.table, key: row.key) else { return false }
                try store.write(row)
                return true
            }
            guard added else {
                throw CommandFailure(
                    message: "\(quoi.named.capitalizedFirst) \(code) existe déjà dans la société \(name)")
            }
            print("\(quoi.named.capitalizedFirst) \(code) a été ajouté à la société \(name)")
        }
    }

    /// `comptoir societe creer <NOM> --utilisateur <U> [--mot-passe <P>] [--dossier <D>]`.
    struct Creer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "creer",
            abstract: "Créer une société vide avec son premier utilisateur.",
            discussion: """
                Crée <DOSSIER>/<NOM>.Gestimum, avec les pays (ISO 3166) et les devises (ISO 4217). \
                Une société existante n'est jamais écrasée. Avec --postgres, la société est un schéma \
                de cette base PostgreSQL, et <NOM>.Gestimum son fichier de connexion (lisible par son \
                seul propriétaire s'il contient le mot de passe).
                """
        )

        @Argument(help: "Nom de la société : lettres sans accent, chiffres, espaces, « _ », « . » et « - ».")
        var nom: String

        @Option(name: .long, help: "Code du premier utilisateur.")
        var utilisateur: String

        @OptionGroup var motPasse: PasswordOption

        @Option(help: "Base PostgreSQL où créer la société : postgres://utilisateur:motdepasse@hote:port/base.")
        var postgres: String?

        @Option(help: "Schéma PostgreSQL de la société (par défaut son nom en minuscules).")
        var schema: String?

        @Option(
            name: .customLong("variable-mot-passe"),
            help: "Variable d'environnement du mot de passe PostgreSQL, s'il n'est pas dans l'adresse.")
        var variableMotPasse: String?

        @OptionGroup var folder: FolderOption

        func validate() throws {
            if postgres == nil, schema != nil || variableMotPasse != nil {
                throw ValidationError("--schema et --variable-mot-passe ne valent qu'avec --postgres")
            }
        }

        func run() async throws {
            try checkedUserCode(utilisateur)
            let societes = SocieteFolder(path: folder.path)
            let motPasse = motPasse.password()
            if let postgres {
                let connection = try ConnectionFile(
                    url: postgres, schema: schema ?? ConnectionFile.schemaName(of: nom),
                    passwordVariable: variableMotPasse)
                let path = try await societes.create(
                    name: try societeName(nom), on: connection, user: utilisateur, password: motPasse)
                print(
                    "Société créée : \(path) (schéma \(connection.schema) de la base PostgreSQL \(connection.database))"
                )
            } else {
                let path = try societes.create(name: try societeName(nom), user: utilisateur, password: motPasse)
                print("Société créée : \(path)")
            }
            PasswordOption.noteIfEmpty(motPasse, user: utilisateur)
        }
    }

    /// `comptoir societe sauvegarder <NOM> [--vers <fichier>]`.
    struct Sauvegarder: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sauvegarder",
            abstract: "Sauvegarder une société, même pendant que le serveur l'utilise.",
            discussion: """
                La copie contient chaque import terminé avant elle, et rien d'un import en cours. \
                Elle est vérifiée (PRAGMA integrity_check) avant d'être mise en place, et ne remplace \
                jamais un fichier existant.
                """
        )

        @Argument(help: "Nom de la société.")
        var nom: String

        @Option(help: "Fichier de la copie (par défaut <DOSSIER>/sauvegardes/<NOM>-<AAAAMMJJ-HHMMSS>.Gestimum).")
        var vers: String?

        @OptionGroup var folder: FolderOption

        func run() throws {
            try folder.requireExisting()
            let copy = try SocieteFolder(path: folder.path).backup(try societeName(nom), to: vers)
            print("Sauvegarde vérifiée : \(copy)")
        }
    }

    /// `comptoir societe restaurer <FICHIER> <NOM> [--remplacer] [--attente <s>] [--dossier <D>]`.
    struct Restaurer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restaurer",
            abstract: "Restaurer une sauvegarde, même pendant que le serveur tourne.",
            discussion: """
                La sauvegarde, vérifiée, devient la société <NOM>, qu'elle crée ou remplace. Une société \
                en cours d'utilisation n'est remplacée qu'avec --remplacer, qui attend la fin de ses \
                imports ; le serveur voit alors l'ancienne société ou la nouvelle, jamais un mélange.
                """
        )

        @Argument(help: "Fichier de la sauvegarde.")
        var fichier: String

        @Argument(help: "Nom de la société à créer ou à remplacer.")
        var nom: String

        @Flag(name: .long, help: "Remplacer une société en cours d'utilisation, après la fin de ses imports.")
        var remplacer = false

        @Option(name: .long, help: "Secondes d'attente de la fin des imports, avec --remplacer.")
        var attente = 60

        @OptionGroup var folder: FolderOption

        func run() throws {
            let path = try SocieteFolder(path: folder.path).restore(
                fichier, as: try societeName(nom), replacing: remplacer, wait: .seconds(attente))
            print("Société restaurée : \(path)")
        }
    }

    /// `comptoir societe verifier <NOM>`.
    struct Verifier: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verifier",
            abstract: "Vérifier l'intégrité d'une société et la version de son modèle de données."
        )

        @Argument(help: "Nom de la société, ou chemin d'une copie (une sauvegarde).")
        var nom: String

        @OptionGroup var folder: FolderOption

        func run() throws {
            // A path names a copy, checked where it is, whatever its name; so does the name of a
            // file here that the folder has no société of (`demo-copie.Gestimum`).
            let societes = SocieteFolder(path: folder.path)
            let inFolder = (try? societes.filePath(for: nom)).map(FileManager.default.fileExists) ?? false
            let isCopy = nom.contains("/") || (FileManager.default.fileExists(atPath: nom) && !inFolder)
            if !isCopy { try folder.requireExisting() }
            let state = isCopy ? try SocieteFolder.checkCopy(at: nom) : try societes.check(nom)
            print("La société \(state.name) est intègre ; \(Self.describe(version: state.dataModelVersion ?? 0))")
        }

        static func describe(version: Int) -> String {
            let current = Int(DataModel.version) ?? 0
            return version == current
                ? "modèle de données \(version), celui de ce serveur"
                : "modèle de données \(version) ; ce serveur la mettra au modèle \(current) à sa prochaine ouverture"
        }
    }

    /// `comptoir societe lister`.
    struct Lister: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lister",
            abstract: "Lister les sociétés du dossier : taille, modèle de données, dernière écriture."
        )

        @OptionGroup var folder: FolderOption

        func run() throws {
            try folder.requireExisting()
            for state in try SocieteFolder(path: folder.path).list() {
                // A PostgreSQL société's file is its connection file: its size and dates are its base's.
                guard !state.onPostgreSQL else {
                    print("\(state.name)\tPostgreSQL (fichier de connexion)")
                    continue
                }
                print(
                    "\(state.name)\t\(state.size >> 10) Kio\t"
                        + (state.dataModelVersion.map { "modèle \($0)" } ?? "illisible") + "\t"
                        + "dernière écriture \(LocalTime.audit(state.lastWrite))")
            }
        }
    }
}
