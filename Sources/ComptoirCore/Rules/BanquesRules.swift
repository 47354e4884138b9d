/// The rules of BanquesTiers: `TIERS_RIB` keyed on (`PCF_CODE`, `RIB_ORDRE`), the bank details
/// of an existing tiers. A French RIB or an IBAN that fails its check is imported with a warning.
public struct BanquesRules: LineImporter {
    public let table = "TIERS_RIB"

    public init() {}

    static let requiredMessages = ["PCF_CODE": "Code tiers manquant", "RIB_ORDRE": "Numéro d'ordre manquant"]

    public func apply(_ line: LineValues, to store: some RecordStore) throws -> LineOutcome {
        let reasons = RuleSupport.missingRequiredFields(
            in: line, catalogue: .banquesTiers, messages: Self.requiredMessages)
        guard reasons.isEmpty, let code = line.text("PCF_CODE"), let ordre = line.text("RIB_ORDRE") else {
            return .rejected(LineRejection(reasons))
        }
        guard try store.tiers(code: code) != nil else {
            return .rejected(LineRejection(["Le code tiers \(code) n'existe pas"]))
        }
        let key = LineValues([("PCF_CODE", .text(code)), ("RIB_ORDRE", .text(ordre))])
        let values = LineValues(line.fields.filter { $0.name != "PCF_CODE" && $0.name != "RIB_ORDRE" })
        let exists = try store.exists(in: table, key: key)
        try store.write(RecordChange(table: table, kind: exists ? .update : .create, key: key, values: values))
        return .imported(warnings: Self.warnings(line))
    }

    /// The warning of the line's bank details, standing alone as Gestimum writes it: a French
    /// RIB (`RIB_TYPE` `FR`) whose key does not match, or else an IBAN (the `RIB_IBAN` prefix
    /// then the BBAN) failing mod 97-10. An IBAN built on a wrong BBAN is wrong too: it gets
    /// no warning of its own.
    static func warnings(_ line: LineValues) -> [LineWarning] {
        let parts = ["RIB_AGENCE", "RIB_GUICHE", "RIB_COMPTE", "RIB_CLE"].map { line.text($0) ?? "" }
        let bban = parts.joined()
        guard !bban.isEmpty else { return [] }
        if line.text("RIB_TYPE") == "FR",
            !BankChecks.isValidFrenchRIB(bank: parts[0], branch: parts[1], account: parts[2], key: parts[3])
        {
            return [LineWarning("Attention ! Le numéro BBAN \(bban) n'est pas valide.", standsAlone: true)]
        }
        if let prefix = line.text("RIB_IBAN"), !BankChecks.isValidIBAN(prefix + bban) {
            return [LineWarning("Attention ! Le numéro IBAN \(prefix + bban) n'est pas valide.", standsAlone: true)]
        }
        return []
    }
}
