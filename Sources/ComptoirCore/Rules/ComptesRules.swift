/// The rules of Comptes: `COMPTES` keyed on `CPT_NUMERO`, the same table the tiers imports
/// write their accounts to. Client (`C`) and supplier (`F`) accounts name a tiers of their kind,
/// created with the account when it does not exist yet; general (`G`) and grouping (`R`)
/// accounts name none. As in Gestimum since version 9, an empty value in an update leaves the
/// existing value as it is.
public struct ComptesRules: LineImporter {
    public let table = "COMPTES"
    let computation: AccountComputation
    let stamp: AuditStamp

    public init(computation: AccountComputation, stamp: AuditStamp) {
        self.computation = computation
        self.stamp = stamp
    }

    /// The name of the tiers a client or supplier account creates; the account's label
    /// otherwise. It names the tiers only: the account keeps its own label.
    static let tiersName = "PCF_RS"

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
            if let reason = computation.complete(
                &line, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: root, catalogue: .comptes)
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

        var reasons = try RuleSupport.checkReferences([.pays, .devise], of: &line, store: store)
        let type = line.text("CPT_TYPE") ?? existing?.type
        let tiersCode = line.text("PCF_CODE") ?? existing?.tiersCode
        // The tiers the account names, when it does not exist yet.
        var newTiers: (type: TiersType, code: String)?
        // The tiers the account names, when it exists without an account: it takes this one.
        var tiersWithoutAccount: (code: String, updateCount: Int)?
        if let tiersType = Self.tiersType(ofAccountType: type) {
            if let existing, Self.tiersType(ofAccountType: existing.type) == nil {
                // A general or grouping account stays one: the tiers imports refuse it too.
                reasons.append(TiersRules.generalAccount(number))
            } else if let tiersCode {
                if let tiers = try store.tiers(code: tiersCode) {
                    reasons += try tiersReasons(
                        number: number, tiersCode: tiersCode, tiers: tiers, type: tiersType, existing: existing,
                        store: store)
                    if tiers.accountNumber == nil { tiersWithoutAccount = (tiersCode, tiers.updateCount) }
                } else {
                    newTiers = (tiersType, tiersCode)
                }
            } else {
                reasons.append("Le code tiers est obligatoire pour un compte client ou fournisseur")
            }
            if existing == nil, line.text("CPT_COLLEC") == nil {
                line.set("CPT_COLLEC", .text(try AccountPreferences.collective(for: tiersType, in: store)))
            }
        } else if let tiersCode, let type {
            reasons.append("Un compte de type \(type) ne peut pas avoir de code tiers (\(tiersCode))")
        } else if existing == nil, let holder = try store.tiersHoldingAccount(number, other: "") {
            // A prospect may hold a number before its account exists: made general, the
            // number would refuse the prospect for good when it becomes a client.
            reasons.append(TiersRules.accountHeld(number, by: holder))
        }
        guard reasons.isEmpty else { return .rejected(LineRejection(reasons)) }

        var warnings: [LineWarning] = []
        if let newTiers {
            let name = line.text(Self.tiersName).map(FieldValue.text) ?? line["CPT_LIB"]
            switch try createTiers(newTiers.type, code: newTiers.code, number: number, name: name, store) {
            case .imported(let tiersWarnings): warnings = tiersWarnings
            case .rejected(let rejection): return .rejected(rejection)
            }
        }
        let key = LineValues([("CPT_NUMERO", .text(number))])
        let values = LineValues(line.fields.filter { $0.name != "CPT_NUMERO" && $0.name != Self.tiersName })
        // A new tiers comes with its account: the line's values then update it.
        let accountExists = existing != nil || newTiers != nil
        try store.write(RecordChange(table: table, kind: accountExists ? .update : .create, key: key, values: values))
        if let tiersWithoutAccount {
            // "La création d'un nouveau client met automatiquement à jour le plan comptable et
            // vice-versa" (Gestimum's help): the tiers' documents need its account.
            var account = LineValues([("CPT_NUMERO", .text(number))])
            Domaine.clients.table.audit?.stamp(&account, with: stamp, existingCount: tiersWithoutAccount.updateCount)
            try store.write(
                RecordChange(
                    table: "TIERS", kind: .update, key: LineValues([("PCF_CODE", .text(tiersWithoutAccount.code))]),
                    values: account))
        }
        return .imported(warnings: warnings)
    }

    /// Creates the tiers an account names, as its own import creates it: named `name`, with the
    /// account, its address `001` and its audit columns.
    private func createTiers(
        _ type: TiersType, code: String, number: String, name: FieldValue?, _ store: some RecordStore
    ) throws -> LineOutcome {
        let catalogue: Catalogue = type == .fournisseur ? .fournisseurs : .clients
        let line = LineValues([("PCF_CODE", .text(code)), ("PCF_RS", name ?? .null), ("CPT_NUMERO", .text(number))])
        return try TiersRules(type: type, catalogue: catalogue, stamp: stamp).importLine(line, into: store)
    }

    /// Why the account cannot be the account of `tiers`: a tiers of another kind, or an account
    /// that already belongs to another tiers.
    private func tiersReasons(
        number: String,
        tiersCode: String,
        tiers: ExistingTiers,
        type: TiersType,
        existing: ExistingAccount?,
        store: some RecordStore
    ) throws -> [String] {
        guard tiers.type == type else {
            return ["Le tiers \(tiersCode) n'est pas \(type.withArticle) : c'est \(tiers.type.withArticle)"]
        }
        if let holder = try store.tiersHoldingAccount(number, other: tiersCode) ?? existing?.tiersCode,
            holder != tiersCode
        {
            return [TiersRules.accountHeld(number, by: holder)]
        }
        return []
    }
}
