/// The accountant's imports (`domains.md` §1 and §4): fixed assets, and journal entries.
extension Domaine {
    static let comptabilite: [Domaine] = [immobilisations, ecritures]

    public static let ecritures = Domaine(ecritures: "Ecritures")

    /// Fixed assets are stored as given: no amortization is computed. Families, places and
    /// criteria have no import, so their codes are not checked (`domains.md` §3).
    public static let immobilisations = table(
        "Immobilisations", catalogue: .immobilisations, table: "IMMOBILISATIONS", key: ["IMO_CODE"],
        auditPrefix: "IMO",
        references: [
            "IMO_CPT", "IMO_CPTVAA", "IMO_CPTFRN", "IMO_CPTDAM", "IMO_CPTAM", "IMO_CPTDEP", "IMO_CPTDDE", "IMO_CPTCES",
            "IMO_CPTCRE", "IMO_CPTVAV", "IMO_CPTVNC",
        ].map(Reference.compte) + ["IMO_JRNACQ", "IMO_JRNDOT", "IMO_JRNCES"].map(Reference.journal))
}
