/// The tiers family: the seven domains of the contract's section 4, which share `TIERS` and
/// the tables around it.
extension Domaine {
    static let tiersFamily: [Domaine] = [
        clients, fournisseurs, prospects, contacts, adressesTiers, banquesTiers, comptes,
    ]

    private static let tiers = TableDescription(
        name: "TIERS", key: ["PCF_CODE"], auditPrefix: "PCF", catalogue: .clients, adding: [.init("PCF_TYPE")])

    public static let clients = tiers(.client, name: "Clients", catalogue: .clients)
    public static let fournisseurs = tiers(.fournisseur, name: "Fournisseurs", catalogue: .fournisseurs)
    public static let prospects = tiers(.prospect, name: "Prospects", catalogue: .prospects)

    private static func tiers(_ type: TiersType, name: String, catalogue: Catalogue) -> Domaine {
        Domaine(
            name: name, catalogue: catalogue, table: tiers, acceptsTester: true, acceptsAccountComputation: true,
            readScope: [("PCF_TYPE", type.rawValue)]
        ) { context in
            TiersRules(
                type: type, catalogue: catalogue, stamp: context.stamp,
                computation: AccountComputation(parametres: context.parametres))
        }
    }

    public static let contacts = Domaine(
        name: "Contacts", catalogue: .contacts,
        table: TableDescription(
            name: "CONTACTS", key: ["CCT_CODE"], auditPrefix: "CCT", catalogue: .contacts,
            adding: [.init("CCT_NUMERO", .integer), .init("CCT_TABLE")])
    ) { context in ContactsRules(stamp: context.stamp) }

    public static let adressesTiers = Domaine(
        name: "AdressesTiers", fileKey: "adresses_tiers", catalogue: .adressesTiers,
        table: TableDescription(
            name: "ADRESSES", key: ["ADR_TBL", "ADR_CODE", "ADR_NUMERO"], auditPrefix: nil,
            catalogue: .adressesTiers, adding: [.init("ADR_TBL")]),
        readScope: [("ADR_TBL", "PCF")]
    ) { context in AdressesRules(stamp: context.stamp) }

    public static let banquesTiers = Domaine(
        name: "BanquesTiers", fileKey: "banques_tiers", catalogue: .banquesTiers,
        table: TableDescription(
            name: "TIERS_RIB", key: ["PCF_CODE", "RIB_ORDRE"], auditPrefix: nil, catalogue: .banquesTiers),
        acceptsTester: true
    ) { _ in BanquesRules() }

    /// Beyond its contract's catalogue, Comptes takes custom fields (Gestimum's release note
    /// #22510, "via Outils/import, tâche en ligne de commande et WebService") and `PCF_RS`, the
    /// name of a tiers it creates (#26335, #27027), which no column of `COMPTES` keeps.
    public static let comptes = Domaine(
        name: "Comptes",
        catalogue: Catalogue.comptes.adding(
            [Catalogue.clients.field(named: ComptesRules.tiersName)!], acceptingCustomFields: true),
        table: TableDescription(name: "COMPTES", key: ["CPT_NUMERO"], auditPrefix: nil, catalogue: .comptes),
        acceptsTester: true, acceptsAccountComputation: true
    ) { context in
        ComptesRules(computation: AccountComputation(parametres: context.parametres), stamp: context.stamp)
    }
}

extension AccountComputation {
    /// What `calculer_code_tiers` and `calculer_numero_compte` ask.
    init(parametres: ImportParameters) {
        self.init(codeFromNumber: parametres.calculerCodeTiers, numberFromCode: parametres.calculerNumeroCompte)
    }
}
