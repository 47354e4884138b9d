/// The rules of AdressesTiers: `ADRESSES` keyed on (`ADR_TBL` = `PCF`, `ADR_CODE`, `ADR_NUMERO`).
/// As in Gestimum, importing an address replaces all of it: fields absent from the file are
/// erased. Address `001` is the billing address, kept equal to the billing columns of `TIERS`.
public struct AdressesRules: LineImporter {
    public let table = "ADRESSES"
    let stamp: AuditStamp

    public init(stamp: AuditStamp) { self.stamp = stamp }

    static let requiredMessages = ["ADR_CODE": "Code tiers manquant", "ADR_NUMERO": "Numéro d'adresse manquant"]

    public func apply(_ line: LineValues, to store: some RecordStore) throws -> LineOutcome {
        var line = line
        var reasons = RuleSupport.missingRequiredFields(
            in: line, catalogue: .adressesTiers, messages: Self.requiredMessages)
        guard reasons.isEmpty, let code = line.text("ADR_CODE"), let numero = line.text("ADR_NUMERO") else {
            return .rejected(LineRejection(reasons))
        }
        if numero.count != 3 || !numero.allSatisfy(\.isASCIIDigit) || numero == "000" {
            reasons.append("Le numéro d'adresse \(numero) doit avoir trois chiffres, de 001 à 999")
        }
        let tiers = try store.tiers(code: code)
        if tiers == nil { reasons.append("Le code tiers \(code) n'existe pas") }
        reasons += try RuleSupport.checkReferences([.pays, .devise], of: &line, store: store)
        guard reasons.isEmpty, let tiers else { return .rejected(LineRejection(reasons)) }

        // The whole address: every field, the absent ones erased.
        var values = LineValues([])
        for field in Catalogue.adressesTiers.fields where !["ADR_CODE", "ADR_NUMERO"].contains(field.name) {
            values.set(field.name, line[field.name] ?? .null)
        }
        for column in try store.customColumns(of: table) { values.set(column, line[column] ?? .null) }

        let key = BillingAddress.key(tiers: code, numero: numero)
        let exists = try store.exists(in: table, key: key)
        try store.write(RecordChange(table: table, kind: exists ? .update : .create, key: key, values: values))
        if numero == BillingAddress.numero {
            var billing = LineValues(BillingAddress.columns.map { ($0.tiers, values[$0.adresse] ?? .null) })
            AuditColumns.tiers.stamp(&billing, with: stamp, existingCount: tiers.updateCount)
            try store.write(
                RecordChange(
                    table: "TIERS", kind: .update, key: LineValues([("PCF_CODE", .text(code))]), values: billing)
            )
        }
        return .imported(
            warnings: RuleSupport.postalCodeWarning(line.text("ADR_CP"), payCode: line.text("PAY_CODE"))
                + RuleSupport.emailWarning(line, column: "ADR_EMAIL"))
    }
}
