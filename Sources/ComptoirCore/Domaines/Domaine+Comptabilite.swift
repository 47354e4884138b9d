/// The accountant's imports (`domains.md` §1 and §4): fixed assets, and journal entries.
extension Domaine {
    static let comptabilite: [Domaine] = [immobilisations, ecritures]

    public static let ecritures = Domaine(ecritures: "Ecritures")

    /// Fixed assets are stored as given: no amortization is computed. Families, places and
    /// criteria have no import, so their codes are not checked (`domains.md` §3). Pièce
    /// numbers are written in capitals (Gestimum's release note #27590).
    public static let immobilisations = table(
        "Immobilisations", catalogue: .immobilisations, table: "IMMOBILISATIONS", key: ["IMO_CODE"],
        auditPrefix: "IMO",
        references: ImmobilisationsRule.accounts.map(Reference.compte)
            + ["IMO_JRNACQ", "IMO_JRNDOT", "IMO_JRNCES"].map(Reference.journal),
        uppercased: ["IMO_PIEFRN", "IMO_PIESOR"], specifics: { _, _ in [ImmobilisationsRule()] })
}
