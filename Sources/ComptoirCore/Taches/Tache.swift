/// A tâche Comptoir offers (`taches.md` §4): its name, Gestimum's description, what it does and
/// the keys its `.ini` takes.
public struct Tache: Sendable {
    public enum Action: Sendable {
        /// Imports a file into a domain, as the web service's request does.
        case importer(Domaine)
        /// Writes `Message de test` in the journal.
        case afficherMessageTest
        /// Writes the rows of one read-only query to a CSV file.
        case exporterRequeteBaseDonnees
        /// Writes a copy of the société as the model of `comptoir demarrer --demo`.
        case creerFichierDemo
    }

    /// One key of a section, as `--description` shows it.
    public struct Key: Sendable {
        public enum Kind: Sendable {
            case text
            /// `Oui` or `Non`, matched without regard to case.
            case yesNo
            /// One character, or `Tab`.
            case character
            /// A file or folder, resolved from the `.ini`'s folder.
            case path
            /// A file the tâche writes, or none when `Non`, as Gestimum's own example writes
            /// `Statistiques=Non`.
            case optionalPath
            /// New names of a file once imported: one for success, then after `;` one for
            /// rejections. A bare name stays in the file's folder; a name with a path is checked
            /// as a path, so that a Windows one is refused before anything is imported.
            case renaming
        }

        public let name: String
        public let kind: Kind
        public let isRequired: Bool
        public let defaultValue: String?

        init(_ name: String, _ kind: Kind = .text, required: Bool = false, default defaultValue: String? = nil) {
            self.name = name
            self.kind = kind
            self.isRequired = required
            self.defaultValue = defaultValue
        }
    }

    public let name: String
    public let description: String
    public let action: Action
    /// The keys of `[Paramètres]`.
    public let parameters: [Key]

    /// The keys of `[Tâche]` and `[Société]`, the same for every tâche.
    public static let tacheKeys: [Key] = [
        Key("Nom", required: true), Key("Journal", .optionalPath), Key("Statistiques", .optionalPath),
    ]
    public static let societeKeys: [Key] = [
        Key("Fichier", required: true), Key("Utilisateur", required: true), Key("MotPasse"),
        Key("Deconnecter", .yesNo, default: "Non"), Key("Exclusif", .yesNo, default: "Non"),
    ]

    /// Every tâche Comptoir offers, in `--liste`'s order.
    public static let all: [Tache] =
        [
            Tache(
                name: "AfficherMessageTest",
                description: "Tâche à des fins de test. Ne fait qu'écrire \"Message de test\" dans le journal",
                action: .afficherMessageTest, parameters: []),
            Tache(
                name: "CreerFichierDemo",
                description: "Exporte les données d'une société dans le fichier binaire Bases\\Demo",
                action: .creerFichierDemo, parameters: []),
            Tache(
                name: "ExporterRequeteBaseDonnees",
                description: "Exporte le contenu des tables de la base de données dans un fichier CSV",
                action: .exporterRequeteBaseDonnees,
                parameters: [
                    Key("FichierDestination", .path, required: true), Key("Requete", required: true),
                    Key("NomColonnes", .yesNo, required: true),
                ]),
        ] + Domaine.all.map(importing).sorted { $0.name < $1.name }

    /// The import tâche of `domaine`: the web service's keys under Gestimum's names.
    private static func importing(_ domaine: Domaine) -> Tache {
        let description = importDescriptions[domaine.taskName] ?? ""
        if domaine.takesFormat {
            return Tache(
                name: domaine.taskName, description: description, action: .importer(domaine),
                parameters: ecrituresKeys)
        }
        var parameters = [
            Key("FichierImporter", .path, required: true), Key("SeparateurChamps", .character, default: ";"),
            Key("IdentificateurTexte", .character), Key("PremiereLigneContientNomsChamps", .yesNo, default: "Oui"),
            Key("Champs"), Key("RenommerFichier", .yesNo, default: "Non"),
        ]
        if domaine.acceptsAccountComputation {
            parameters += [
                Key("CalculerCodeTiers", .yesNo, default: "Non"), Key("CalculerNumeroCompte", .yesNo, default: "Non"),
            ]
        }
        if domaine.acceptsTester { parameters.append(Key("Tester", .yesNo, default: "Non")) }
        return Tache(
            name: domaine.taskName, description: description, action: .importer(domaine), parameters: parameters)
    }

    /// ImporterEcritures' own keys (`taches.md` §2). Each `Renommer…` takes a name for success,
    /// then, after `;`, one for rejections.
    private static let ecrituresKeys = [
        Key("FormatFichier", required: true), Key("FichierEcritures", .path, required: true),
        Key("FichierComptes", .path), Key("RenommerFichierEcritures", .renaming),
        Key("RenommerFichierComptes", .renaming),
        Key("Tester", .yesNo, default: "Non"), Key("Simulation", .yesNo, default: "Non"),
        Key("CreerSectionAnalytique", .yesNo, default: "Non"), Key("PlanAnalytique", default: "001"),
    ]

    /// Names found on Gestimum's pages for tâches it lists under another name.
    private static let aliases = [
        "importerarticlesseuls": "ImporterArticles", "importefamillesarticles": "ImporterFamillesArticles",
        "importerreferencesclients": "ImporterReferencesClientsArticles",
    ]

    /// Gestimum's tâches that Comptoir does not offer.
    static let notOffered = [
        "ImporterFraisBudgetesAffaires", "ImporterFraisRealisesAffaires", "ImporterMainOeuvreBudgeteeAffaires",
        "ImporterMainOeuvreRealiseeAffaires", "ImprimerDocumentAchat", "ImprimerDocumentStock",
        "ImprimerDocumentVente", "ExporterFacturesChorus", "ExporterFacturesClientsCSV",
        "ExporterFacturesClientsXML", "RecalculerStock", "TransfererDocumentsAchVte",
        "ExporterDescriptionBaseDonnees",
    ]

    /// The tâche `name` names, matched without regard to case, aliases included.
    public static func named(_ name: String) throws(TacheRefusal) -> Tache {
        let lowercased = name.lowercased()
        let canonical = aliases[lowercased]?.lowercased() ?? lowercased
        if let tache = all.first(where: { $0.name.lowercased() == canonical }) { return tache }
        if let gestimum = notOffered.first(where: { $0.lowercased() == lowercased }) {
            throw TacheRefusal(.invalidTache, "La tâche \(gestimum) n'est pas disponible dans Comptoir")
        }
        throw TacheRefusal(.invalidTache, "Tâche inconnue : \(name)")
    }

    /// `--liste`'s line: `<Nom> : <Description>`.
    public var listLine: String { "\(name) : \(description)" }

    /// `--description`'s text: the list line, then each section with its keys.
    public var descriptionText: String {
        func line(_ section: String, _ keys: [Key]) -> String {
            let described = keys.map { key in
                if key.isRequired { return "\(key.name) (obligatoire)" }
                return key.defaultValue.map { "\(key.name) (\($0))" } ?? key.name
            }
            return "[\(section)] " + described.joined(separator: ", ")
        }
        var lines = [listLine, line("Tâche", Self.tacheKeys), line("Société", Self.societeKeys)]
        if !parameters.isEmpty { lines.append(line("Paramètres", parameters)) }
        return lines.joined(separator: "\n")
    }
}
