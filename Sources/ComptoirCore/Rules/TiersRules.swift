/// Who changes a record and when, for the audit columns.
public struct AuditStamp: Sendable, Equatable {
    public let user: String
    /// Local time as `AAAA-MM-JJ HH:MM:SS`.
    public let time: String

    public init(user: String, time: String) {
        self.user = user
        self.time = time
    }
}

/// What became of one data line.
public enum LineOutcome: Sendable, Equatable {
    case imported(warnings: [String])
    case rejected(LineRejection)
}

/// The import rules of one domain, applied line by line inside the request's transaction.
public protocol LineImporter: Sendable {
    /// The table the domain's custom fields go to.
    var table: String { get }
    func importLine(_ values: LineValues, into store: some RecordStore) throws -> LineOutcome
}

/// The rules of Clients, Fournisseurs and Prospects, which share `TIERS` (contract, section 4).
public struct TiersRules: LineImporter {
    public let table = "TIERS"
    let type: TiersType
    let catalogue: Catalogue
    let stamp: AuditStamp
    let computation: AccountComputation

    public init(type: TiersType, catalogue: Catalogue, stamp: AuditStamp, computation: AccountComputation = .none) {
        self.type = type
        self.catalogue = catalogue
        self.stamp = stamp
        self.computation = computation
    }

    static let requiredMessages = [
        "PCF_CODE": "Code manquant", "PCF_RS": "Raison sociale manquante", "CPT_NUMERO": "Numéro de compte manquant",
    ]

    public func importLine(_ line: LineValues, into store: some RecordStore) throws -> LineOutcome {
        var line = line
        let root = try AccountPreferences.root(for: type, in: store)
        if let reason = computation.complete(&line, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: root) {
            return .rejected(LineRejection([reason]))
        }
        var reasons = RuleSupport.missingRequiredFields(in: line, catalogue: catalogue, messages: Self.requiredMessages)
        guard reasons.isEmpty, let code = line.text("PCF_CODE") else { return .rejected(LineRejection(reasons)) }

        var warnings: [String] = []
        let existing = try store.tiers(code: code)
        if let existing, existing.type != type {
            guard existing.type == .prospect, type == .client else {
                return .rejected(LineRejection(["Le code \(code) est déjà utilisé par \(existing.type.withArticle)"]))
            }
            warnings.append("Le prospect \(code) a été transformé en client")
        }

        if let siret = line.text("PCF_SIRET"), line.text("PCF_SIREN") == nil {
            let siren = siret.prefix(9)
            if siren.count == 9, siren.allSatisfy(\.isASCIIDigit) { line.set("PCF_SIREN", .text(String(siren))) }
        }
        reasons += try RuleSupport.checkReferenceCodes(&line, store: store)

        // The account the tiers will have: the line's, or the one it has when the column is absent.
        let accountNumber = line["CPT_NUMERO"] == nil ? existing?.accountNumber : line.text("CPT_NUMERO")
        let account = try accountNumber.flatMap { try store.account(number: $0) }
        if let number = line.text("CPT_NUMERO") {
            if let holder = try store.tiersHoldingAccount(number, other: code) ?? account?.tiersCode, holder != code {
                reasons.append("Le compte \(number) est déjà attribué au tiers \(holder)")
            } else if let account, account.tiersCode == nil {
                reasons.append("Le compte \(number) est un compte général : il ne peut pas être attribué à un tiers")
            }
        }
        guard reasons.isEmpty else { return .rejected(LineRejection(reasons)) }

        warnings += identifierWarnings(
            line, payCode: line["PAY_CODE"] == nil ? existing?.payCode : line.text("PAY_CODE"))
        try store.write(tiersChange(line, code: code, existing: existing))
        try writeBillingAddress(line, code: code, isNew: existing == nil, store: store)
        if let accountNumber, type != .prospect {
            try store.write(
                accountChange(
                    number: accountNumber, exists: account != nil, code: code, line: line,
                    collective: try AccountPreferences.collective(for: type, in: store))
            )
        }
        return .imported(warnings: warnings)
    }

    /// Keeps address 001 equal to the billing columns: created with the tiers, and given the
    /// billing columns the line holds.
    private func writeBillingAddress(_ line: LineValues, code: String, isNew: Bool, store: some RecordStore) throws {
        let values = LineValues(
            line.fields.compactMap { field in BillingAddress.adresseColumns[field.name].map { ($0, field.value) } }
        )
        guard isNew || !values.fields.isEmpty else { return }
        let key = BillingAddress.key(tiers: code, numero: BillingAddress.numero)
        let exists = try !isNew && store.exists(in: "ADRESSES", key: key)
        try store.write(RecordChange(table: "ADRESSES", kind: exists ? .update : .create, key: key, values: values))
    }

    private func identifierWarnings(_ line: LineValues, payCode: String?) -> [String] {
        var warnings: [String] = []
        if let siren = line.text("PCF_SIREN"), !IdentifierChecks.isValidSIREN(siren) {
            warnings.append("Le numéro SIREN \(siren) n'est pas valide")
        }
        if let siret = line.text("PCF_SIRET"), !IdentifierChecks.isValidSIRET(siret) {
            warnings.append("Le numéro SIRET \(siret) n'est pas valide")
        }
        if let vat = line.text("PCF_NII"), let french = IdentifierChecks.frenchVATSIREN(vat), !french.keyMatches {
            warnings.append(
                "La clé du numéro de TVA intracommunautaire \(vat) ne correspond pas au SIREN \(french.siren)")
        }
        return warnings + RuleSupport.postalCodeWarning(line.text("PCF_CP"), payCode: payCode)
            + RuleSupport.emailWarning(line, column: "PCF_EMAIL")
    }

    private func tiersChange(_ line: LineValues, code: String, existing: ExistingTiers?) -> RecordChange {
        var values = LineValues(line.fields.filter { $0.name != "PCF_CODE" })
        values.set("PCF_TYPE", .text(type.rawValue))
        RuleSupport.stampAudit(&values, prefix: "PCF", stamp: stamp, existingCount: existing?.updateCount)
        return RecordChange(
            table: table,
            kind: existing == nil ? .create : .update,
            key: LineValues([("PCF_CODE", .text(code))]),
            values: values
        )
    }

    /// The tiers' account in `COMPTES`, named after the tiers (`CPT_LIB` = `PCF_RS`).
    private func accountChange(
        number: String,
        exists: Bool,
        code: String,
        line: LineValues,
        collective: String
    ) -> RecordChange {
        var values = LineValues([("CPT_TYPE", .text(type.rawValue)), ("PCF_CODE", .text(code))])
        if let name = line.text("PCF_RS") { values.set("CPT_LIB", .text(name)) }
        if !exists { values.set("CPT_COLLEC", .text(collective)) }
        return RecordChange(
            table: "COMPTES",
            kind: exists ? .update : .create,
            key: LineValues([("CPT_NUMERO", .text(number))]),
            values: values
        )
    }
}
