/// The rules of Comptes: `COMPTES` keyed on `CPT_NUMERO`, the same table the tiers imports
/// write their accounts to. Client (`C`) and supplier (`F`) accounts name a tiers of their kind;
/// general (`G`) and grouping (`R`) accounts name none. As in Gestimum since version 9, an
/// empty value in an update leaves the existing value as it is.
public struct ComptesRules: LineImporter {
    public let table = "COMPTES"
    let computation: AccountComputation

    public init(computation: AccountComputation) { self.computation = computation }

    static let requiredMessages = [
        "CPT_NUMERO": "Numéro de compte manquant", "CPT_LIB": "Libellé manquant", "CPT_TYPE": "Type de compte manquant",
    ]

    /// The tiers kind of a client or supplier account type.
    static func tiersType(ofAccountType type: String?) -> TiersType? {
        switch type {
        case "C": .client
        case "F": .fournisseur
        default: nil
        }
    }

    public func apply(_ line: LineValues, to store: some RecordStore) throws -> LineOutcome {
        var line = line
        if let tiersType = Self.tiersType(ofAccountType: line.text("CPT_TYPE")) {
            let root = try AccountPreferences.root(for: tiersType, in: store)
            if let reason = computation.complete(&line, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: root)
            {
                return .rejected(LineRejection([reason]))
            }
        }
        guard let number = line.text("CPT_NUMERO") else {
            return .rejected(
                LineRejection(
                    RuleSupport.missingRequiredFields(
                        in: line, catalogue: .comptes, messages: Self.requiredMessages, except: ["PCF_CODE"]))
            )
        }
        let existing = try store.account(number: number)
        if existing != nil {
            line = LineValues(line.fields.filter { $0.value != .null })
        } else {
            let missing = RuleSupport.missingRequiredFields(
                in: line, catalogue: .comptes, messages: Self.requiredMessages, except: ["PCF_CODE"])
            guard missing.isEmpty else { return .rejected(LineRejection(missing)) }
        }

        var reasons = try RuleSupport.checkReferenceCodes(&line, store: store)
        let type = line.text("CPT_TYPE") ?? existing?.type
        let tiersCode = line.text("PCF_CODE") ?? existing?.tiersCode
        if let tiersType = Self.tiersType(ofAccountType: type) {
            if let tiersCode {
                reasons += try tiersReasons(
                    number: number, tiersCode: tiersCode, type: tiersType, existing: existing, store: store)
            } else {
                reasons.append("Le code tiers est obligatoire pour un compte client ou fournisseur")
            }
            if existing == nil, line.text("CPT_COLLEC") == nil {
                line.set("CPT_COLLEC", .text(try AccountPreferences.collective(for: tiersType, in: store)))
            }
        } else if let tiersCode, let type {
            reasons.append("Un compte de type \(type) ne peut pas avoir de code tiers (\(tiersCode))")
        }
        guard reasons.isEmpty else { return .rejected(LineRejection(reasons)) }

        let key = LineValues([("CPT_NUMERO", .text(number))])
        let values = LineValues(line.fields.filter { $0.name != "CPT_NUMERO" })
        try store.write(RecordChange(table: table, kind: existing == nil ? .create : .update, key: key, values: values))
        return .imported(warnings: [])
    }

    /// Why the account cannot be the account of `tiersCode`: no such tiers, a tiers of another
    /// kind, or an account that already belongs to another tiers.
    private func tiersReasons(
        number: String,
        tiersCode: String,
        type: TiersType,
        existing: ExistingAccount?,
        store: some RecordStore
    ) throws -> [String] {
        guard let tiers = try store.tiers(code: tiersCode) else { return ["Le code tiers \(tiersCode) n'existe pas"] }
        guard tiers.type == type else {
            return ["Le tiers \(tiersCode) n'est pas \(type.withArticle) : c'est \(tiers.type.withArticle)"]
        }
        if let holder = try store.tiersHoldingAccount(number, other: tiersCode) ?? existing?.tiersCode,
            holder != tiersCode
        {
            return ["Le compte \(number) est déjà attribué au tiers \(holder)"]
        }
        return []
    }
}
