/// The reference tables (`domains.md` §1): each is its catalogue, its table, the codes it
/// names and what its rules add.
extension Domaine {
    static let referentiels: [Domaine] = [
        devises, pays, villes, modesReglements, naturesComptables, commerciaux, salaries, sectionsAnalytiques,
        comptesReporting, glossaires, utilisateurs,
    ]

    public static let devises = table(
        "Devises", catalogue: .devises, readAsText: DevisesRule.assistantColumns, table: "DEVISES",
        key: ["DEV_CODE"], auditPrefix: "DEV", uppercased: ["DEV_CODE"], specifics: { _, _ in [DevisesRule()] })

    public static let pays = table(
        "Pays", catalogue: .pays, table: "PAYS", key: ["PAY_CODE"], auditPrefix: "PAY",
        references: [.devise, .nature("PAY_NATACH", type: "A"), .nature("PAY_NATVTE", type: "V")],
        uppercased: ["PAY_CODE"])

    public static let villes = table(
        "Villes", catalogue: .villes, table: "VILLES", key: ["VIL_CODE", "VIL_NOM"], auditPrefix: "VIL",
        references: [.pays])

    public static let modesReglements = table(
        "ModesReglements", fileKey: "modes_reglements", catalogue: .modesReglements, table: "MODE_REG",
        key: ["REG_CODE"], auditPrefix: "REG",
        references: [.typeReglement, .compte("CPT_NUMERO"), .journal, .devise],
        specifics: { _, _ in [RequiredOnCreation(column: "REG_TYPE")] })

    public static let naturesComptables = table(
        "NaturesComptables", fileKey: "natures_comptables", catalogue: .naturesComptables, table: "NATURES",
        key: ["NAT_TABLE", "NAT_TYPE", "NAT_ORIGIN", "NAT_CODE"], auditPrefix: "NAT",
        references: [
            .compte("CPT_NUMERO"), .compte("NAT_CPTREM"), .compte("NAT_CPTRRR"), .compte("NAT_CPT_RG"),
            .sectionAnalytique, .journal, .compte("NAT_TVACPT"), .compte("NAT_TPF1CT"), .compte("NAT_TPF1XC"),
            .compte("NAT_TPF2CT"), .compte("NAT_TPF2XC"),
        ],
        specifics: { _, description in [NaturesRule(description: description)] })

    public static let commerciaux = table(
        "Commerciaux", catalogue: .commerciaux, table: "REPRESENTANTS", key: ["REP_CODE"], auditPrefix: "REP",
        references: [.pays])

    public static let salaries = table(
        "Salaries", catalogue: .salaries, table: "PERSONNEL", key: ["SAL_CODE"], auditPrefix: "SAL",
        references: [.pays, .commercial, .depot("SAL_DDEF")])

    public static let sectionsAnalytiques = table(
        "SectionsAnalytiques", fileKey: "sections_analytiques", catalogue: .sectionsAnalytiques,
        table: "ANALYTIQUES", key: ["ANA_CODE"], auditPrefix: "ANA", references: [.planAnalytique],
        specifics: { _, _ in [DefaultCode(column: "ANA_PLAN", code: "001")] })

    public static let comptesReporting = table(
        "ComptesReporting", fileKey: "comptes_reporting", catalogue: .comptesReporting, table: "CPT_REPORT",
        key: ["RPT_COMPTE"], auditPrefix: "RPT")

    public static let glossaires = table(
        "Glossaires", catalogue: .glossaires, table: "TEXTES", key: ["TXT_CODE"], auditPrefix: "TXT",
        specifics: { _, _ in [GlossairesRule()] })

    /// Comptoir's users (`webservice.md` §7): `USR_NAME` is stored as the user code `USR_CODE`,
    /// and read back under its own name; the password is kept only as its hash.
    public static let utilisateurs: Domaine = {
        let description = TableDescription(
            name: "UTILISATEURS", key: ["USR_CODE"], auditPrefix: "USR", catalogue: .utilisateurs,
            excluding: ["USR_NAME", "USR_PASSWD"], adding: [.init("USR_CODE"), .init("USR_NOM"), .init("USR_MDP_HASH")])
        return Domaine(
            name: "Utilisateurs", catalogue: .utilisateurs, table: description,
            requiredGroup: UtilisateursGroups.administrators, readSources: ["USR_NAME": .column("USR_CODE")]
        ) { context in
            TableRules(
                description, catalogue: .utilisateurs, references: [.salarie("SAL_CODE")],
                specifics: [UtilisateursRule(passwords: context.passwords, caller: context.stamp.user)],
                stamp: context.stamp)
        }
    }()
}
