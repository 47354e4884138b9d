/// An import domain of the tiers family (contract, section 1).
public enum Domaine: String, CaseIterable, Sendable {
    case clients = "Clients"
    case fournisseurs = "Fournisseurs"
    case prospects = "Prospects"
    case contacts = "Contacts"
    case adressesTiers = "AdressesTiers"
    case banquesTiers = "BanquesTiers"
    case comptes = "Comptes"

    /// The body's root key, e.g. `importer_clients`.
    public var rootKey: String { "importer_" + snakeName }
    /// The key of the lines array, e.g. `fichier_clients`.
    public var linesKey: String { "fichier_" + snakeName }
    /// The task named in the journal, e.g. `ImporterClients`.
    public var taskName: String { "Importer" + rawValue }

    /// Whether the domain takes `tester`.
    public var acceptsTester: Bool {
        switch self {
        case .contacts, .adressesTiers: false
        default: true
        }
    }

    /// Whether the domain takes `calculer_code_tiers` and `calculer_numero_compte`.
    public var acceptsAccountComputation: Bool { self == .comptes || tiersType != nil }

    /// The import rules of this domain, for a request made by `stamp.user` at `stamp.time`.
    public func rules(stamp: AuditStamp, parametres: ImportParameters) -> any LineImporter {
        let computation = AccountComputation(
            codeFromNumber: parametres.calculerCodeTiers,
            numberFromCode: parametres.calculerNumeroCompte
        )
        return switch self {
        case .clients: TiersRules(type: .client, catalogue: catalogue, stamp: stamp, computation: computation)
        case .fournisseurs: TiersRules(type: .fournisseur, catalogue: catalogue, stamp: stamp, computation: computation)
        case .prospects: TiersRules(type: .prospect, catalogue: catalogue, stamp: stamp, computation: computation)
        case .contacts: ContactsRules(stamp: stamp)
        case .adressesTiers: AdressesRules(stamp: stamp)
        case .banquesTiers: BanquesRules()
        case .comptes: ComptesRules(computation: computation, stamp: stamp)
        }
    }

    /// The `PCF_TYPE` of the tiers this domain imports, for the domains that share `TIERS`.
    public var tiersType: TiersType? {
        switch self {
        case .clients: .client
        case .fournisseurs: .fournisseur
        case .prospects: .prospect
        default: nil
        }
    }

    public var catalogue: Catalogue {
        switch self {
        case .clients: .clients
        case .fournisseurs: .fournisseurs
        case .prospects: .prospects
        case .contacts: .contacts
        case .adressesTiers: .adressesTiers
        case .banquesTiers: .banquesTiers
        case .comptes: .comptes
        }
    }

    private var snakeName: String {
        switch self {
        case .adressesTiers: "adresses_tiers"
        case .banquesTiers: "banques_tiers"
        default: rawValue.lowercased()
        }
    }
}

/// The kind of a tiers, `PCF_TYPE` in `TIERS`.
public enum TiersType: String, Sendable {
    case client = "C"
    case fournisseur = "F"
    case prospect = "P"

    /// How a message names a tiers of this kind: `un client`, `un fournisseur`, `un prospect`.
    var withArticle: String {
        switch self {
        case .client: "un client"
        case .fournisseur: "un fournisseur"
        case .prospect: "un prospect"
        }
    }
}
