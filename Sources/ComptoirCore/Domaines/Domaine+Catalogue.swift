/// The article catalogue and its prices (`domains.md` §1 and §3): families, sous-familles,
/// articles, and the tables that link articles to currencies, tiers and other articles.
extension Domaine {
    static let catalogueArticles: [Domaine] = [
        famillesArticles, sousFamillesArticles, articles, tarifsArticles, referencesClientsArticles,
        tarifsFournisseursArticles, equivalencesArticles, composantsNomenclatures,
    ]

    public static let famillesArticles = table(
        "FamillesArticles", fileKey: "familles_articles", catalogue: .famillesArticles, table: "ART_FAM",
        key: ["FAR_CODE"], auditPrefix: "FAR")

    /// Gestimum's help names it `SousFamilles`, its console and journal `SousFamillesArticles`.
    public static let sousFamillesArticles = table(
        "SousFamillesArticles", aliases: ["SousFamilles"], fileKey: "sousfamilles_articles",
        catalogue: .sousfamillesArticles, table: "ART_SFAM", key: ["SFA_CODE"], auditPrefix: "SFA",
        references: [.famille], specifics: { context, _ in [CatalogueFollowsSousFamille(stamp: context.stamp)] })

    public static let articles = table(
        "Articles", catalogue: .articles, table: "ARTICLES", key: ["ART_CODE"], auditPrefix: "ART",
        references: [.famille, .sousFamille],
        numbering: Numbering(
            column: "ART_CODE", scope: .everyLine(preference: "CODIFICATION_ARTICLES"), counter: "COMPTEUR_ARTICLES",
            created: { "L'article \($0) a été créé" }),
        specifics: { _, description in
            [
                ArticlesRule(
                    description: description, famille: famillesArticles.table, sousFamille: sousFamillesArticles.table),
                TiersOfType(column: "PCF_CODE", type: .fournisseur) { "Le code fournisseur \($0) n'existe pas" },
                ArticlePricesFollowed(),
            ]
        })

    public static let tarifsArticles = table(
        "TarifsArticles", fileKey: "tarifs_articles", catalogue: .tarifsArticles, table: "ART_PRIX",
        key: ["ART_CODE", "DEV_CODE", "ART_GAMME"], auditPrefix: nil, references: [.article("ART_CODE"), .devise],
        uppercased: ["DEV_CODE"],
        specifics: { context, _ in
            [SocieteCurrency(articleStamp: context.stamp), EmptyKeyParts(columns: ["ART_GAMME"])]
        })

    /// An unknown client gives `Code manquant`, as Gestimum's example reads (`domains.md` §3).
    public static let referencesClientsArticles = table(
        "ReferencesClientsArticles", fileKey: "references_clients_articles", catalogue: .referencesClientsArticles,
        table: "ART_CLIENT", key: ["PCF_CODE", "ART_CODE", "ART_GAMME", "ART_PCLIENT"], auditPrefix: nil,
        references: [.article("ART_CODE")],
        specifics: { _, _ in
            [
                EmptyKeyParts(columns: ["ART_GAMME", "ART_PCLIENT"]),
                TiersOfType(column: "PCF_CODE", type: .client) { _ in "Code manquant" },
            ]
        })

    /// A supplier's priority is a digit: "il représente la priorité des fournisseurs principaux
    /// ("0"…"9")" (Gestimum's help on the import).
    public static let tarifsFournisseursArticles = table(
        "TarifsFournisseursArticles", fileKey: "tarifs_fournisseurs_articles",
        catalogue: Catalogue.tarifsFournisseursArticles.restricting("ART_PFOURN", to: (0...9).map(String.init)),
        table: "ART_FOURN", key: ["PCF_CODE", "ART_CODE", "ART_GAMME", "ART_PFOURN"], auditPrefix: nil,
        references: [.article("ART_CODE"), .devise],
        specifics: { _, _ in
            [
                EmptyKeyParts(columns: ["ART_GAMME", "ART_PFOURN"]),
                TiersOfType(column: "PCF_CODE", type: .fournisseur) { "Le code fournisseur \($0) n'existe pas" },
            ]
        })

    public static let equivalencesArticles = table(
        "EquivalencesArticles", fileKey: "equivalences_articles", catalogue: .equivalencesArticles,
        table: "ART_AUTRES", key: ["ART_CODE", "ART_AUTRE"], auditPrefix: nil,
        references: [.article("ART_CODE"), .article("ART_AUTRE")],
        specifics: { _, _ in [DistinctArticles(other: "ART_AUTRE")] })

    public static let composantsNomenclatures = Domaine.table(
        "ComposantsNomenclatures", fileKey: "composants_nomenclatures", catalogue: .composantsNomenclatures,
        table: "ART_PROD", key: ["ART_CODE", "PRD_CODE", "PRD_GAMME"], auditPrefix: nil,
        references: [.article("ART_CODE"), .article("PRD_CODE")], adding: [.init("PRD_LIGNE", .integer)],
        specifics: { _, _ in [EmptyKeyParts(columns: ["PRD_GAMME"]), ComposantsRule()] })
}

extension Domaine {
    /// A line writes one line of a grille (`TGRILLES`) and the grille it names (`TARIFS`).
    public static let grillesTarifs: Domaine = {
        let lines = TableDescription(
            name: "TGRILLES",
            key: ["TAR_CODE", "FAR_CODE", "SFA_CODE", "ART_CODE", "ART_GAMME", "DEV_CODE", "TAR_BORNE"],
            auditPrefix: nil, catalogue: .grillesTarifs, excluding: ["TAR_LIB"])
        let grilles = TableDescription(
            name: "TARIFS", key: ["TAR_CODE"], auditPrefix: nil, catalogue: .grillesTarifs,
            excluding: Set(Catalogue.grillesTarifs.fields.map(\.name)).subtracting(["TAR_CODE", "TAR_LIB"]))
        return Domaine(
            name: "GrillesTarifs", fileKey: "grilles_tarifs", catalogue: .grillesTarifs, table: lines,
            otherTables: [grilles], writesSuccessLine: false,
            readSources: ["TAR_LIB": .lookup(table: grilles.name, column: "TAR_LIB", link: "TAR_CODE")]
        ) { context in
            TableRules(
                lines, catalogue: .grillesTarifs,
                references: [.article("ART_CODE"), .famille, .sousFamille, .devise], uppercased: ["DEV_CODE"],
                specifics: [
                    SocieteCurrency(articleStamp: nil),
                    EmptyKeyParts(columns: ["FAR_CODE", "SFA_CODE", "ART_CODE", "ART_GAMME"]),
                    GrillesRule(),
                ],
                stamp: context.stamp)
        }
    }()
}
