/// The rules of Contacts: `CONTACTS` keyed on `CCT_CODE`, `CCT_NUMERO` given by Comptoir, a
/// contact linked to its tiers through `CCT_ORIGIN` (with `CCT_TABLE` = `PCF`).
public struct ContactsRules: LineImporter {
    public let table = "CONTACTS"
    let stamp: AuditStamp

    public init(stamp: AuditStamp) { self.stamp = stamp }

    static let requiredMessages = ["CCT_CODE": "Code manquant", "CCT_NOM": "Nom manquant"]

    public func apply(_ line: LineValues, to store: some RecordStore) throws -> LineOutcome {
        var line = line
        let reasons = RuleSupport.missingRequiredFields(in: line, catalogue: .contacts, messages: Self.requiredMessages)
        guard reasons.isEmpty, let code = line.text("CCT_CODE") else { return .rejected(LineRejection(reasons)) }
        if let origin = line["CCT_ORIGIN"] {
            if let tiers = origin.text, !tiers.isEmpty {
                guard try store.tiers(code: tiers) != nil else {
                    return .rejected(LineRejection(["Le code tiers \(tiers) n'existe pas"]))
                }
                line.set("CCT_TABLE", .text("PCF"))
            } else {
                line.set("CCT_TABLE", .null)
            }
        }
        let key = LineValues([("CCT_CODE", .text(code))])
        let count = try store.updateCount(in: table, key: key, countColumn: "CCT_NUMMAJ")
        var values = LineValues(line.fields.filter { $0.name != "CCT_CODE" })
        AuditColumns.contacts.stamp(&values, with: stamp, existingCount: count)
        try store.write(RecordChange(table: table, kind: count == nil ? .create : .update, key: key, values: values))
        return .imported(warnings: RuleSupport.emailWarning(line, column: "CCT_EMAIL"))
    }
}
