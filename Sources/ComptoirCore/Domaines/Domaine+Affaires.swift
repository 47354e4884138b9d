/// Affaires and the actions around them (`domains.md` §1 and §3).
extension Domaine {
    static let affairesFamily: [Domaine] = [affaires, actions]

    public static let affaires = table(
        "Affaires", catalogue: .affaires, readAsText: Set(AffairesDatesRule.columns), table: "PROJETS",
        key: ["PRJ_CODE"], auditPrefix: "PRJ", references: [.tiers, .sectionAnalytique],
        numbering: Numbering(
            column: "PRJ_CODE", scope: .everyLine(preference: "CODIFICATION_AFFAIRES"), counter: "COMPTEUR_AFFAIRES",
            created: { "L'affaire \($0) a été créée" }),
        specifics: { _, _ in [AffairesDatesRule(), AffaireSection()] })

    /// An action without a number is created; its number comes from `COMPTEUR_ACTIONS`.
    public static let actions = table(
        "Actions", catalogue: .actions, readAsText: [DocumentNumber.column], table: "ACTIONS",
        key: ["ACT_NUMERO"], auditPrefix: "ACT",
        references: [.tiers, .salarie("SAL_CODE"), .salarie("ACT_DMNDPR"), .affaire],
        numbering: Numbering(
            column: "ACT_NUMERO", scope: .linesWithoutCode(unknown: { "L'action \($0) n'existe pas" }),
            counter: "COMPTEUR_ACTIONS", created: { "L'action \($0) a été créée" }),
        numberedKey: ["ACT_NUMERO"],
        specifics: { _, _ in [ActionProgress(), ContactNumber(), DocumentNumber()] })
}
