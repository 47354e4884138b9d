/// Affaires (`domains.md` §1 and §3).
extension Domaine {
    static let affairesFamily: [Domaine] = [affaires]

    public static let affaires = table(
        "Affaires", catalogue: Catalogue.affaires.readingAsText(Set(AffairesDatesRule.columns)), table: "PROJETS",
        key: ["PRJ_CODE"], auditPrefix: "PRJ", references: [.tiers, .sectionAnalytique],
        numbering: Numbering(
            column: "PRJ_CODE", preference: "CODIFICATION_AFFAIRES", counter: "COMPTEUR_AFFAIRES",
            created: { "L'affaire \($0) a été créée" }),
        specifics: { _, _ in [AffairesDatesRule()] })
}
