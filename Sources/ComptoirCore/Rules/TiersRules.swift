/// The rules of Clients, Fournisseurs and Prospects, which share `TIERS` (contract, section 4).
public struct TiersRules: LineImporter {
    /// Why the account `number`, held by the tiers `holder`, cannot be another's; the
    /// Comptes import says it too.
    static func accountHeld(_ number: String, by holder: String) -> String {
        "Le compte \(number) est déjà attribué au tiers \(holder)"
    }

    /// Why the general (or grouping) account `number` cannot be a tiers'; the Comptes import
    /// says it too.
    static func generalAccount(_ number: String) -> String {
        "Le compte \(number) est un compte général : il ne peut pas être attribué à un tiers"
    }

    public let table = "TIERS"
    let type: TiersType
    let catalogue: Catalogue
    let stamp: AuditStamp
    let computation: AccountComputation
    /// The root of this kind of tiers' account numbers and their collective account: the
    /// defaults until `settled` reads the société's preferences.
    private var accountRoot: String
    private var collectiveAccount: String

    public init(type: TiersType, catalogue: Catalogue, stamp: AuditStamp, computation: AccountComputation = .none) {
        self.type = type
        self.catalogue = catalogue
        self.stamp = stamp
        self.computation = computation
        self.accountRoot = AccountPreferences.defaultValue(AccountPreferences.rootCode(for: type))
        self.collectiveAccount = AccountPreferences.defaultValue(AccountPreferences.collectiveCode(for: type))
    }

    /// The codes a tiers line names, in catalogue order.
    private var references: [Reference] {
        [
            .pays, .commercial, .depot("DEP_CODE"), .grille,
            .nature("NAT_CODE", type: type == .fournisseur ? "A" : "V"),
            .modeReglement, .devise,
        ]
    }

    static let requiredMessages = [
        "PCF_CODE": "Code manquant", "PCF_RS": "Raison sociale manquante", "CPT_NUMERO": "Numéro de compte manquant",
    ]

    public func settled(in store: some RecordStore) throws -> TiersRules {
        var rules = self
        rules.accountRoot = try AccountPreferences.root(for: type, in: store)
        rules.collectiveAccount = try AccountPreferences.collective(for: type, in: store)
        return rules
    }

    public func prepare(_ values: LineValues) -> Result<PreparedTiers, LineRejection> {
        var line = values
        if let reason = computation.complete(
            &line, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: accountRoot, catalogue: catalogue)
        {
            return .failure(LineRejection([reason]))
        }
        let missing = RuleSupport.missingRequiredFields(in: line, catalogue: catalogue, messages: Self.requiredMessages)
        guard missing.isEmpty, let code = line.text("PCF_CODE") else { return .failure(LineRejection(missing)) }
        if let siret = line.text("PCF_SIRET"), line.text("PCF_SIREN") == nil {
            let siren = siret.prefix(9)
            if siren.count == 9, siren.allSatisfy(\.isASCIIDigit) { line.set("PCF_SIREN", .text(String(siren))) }
        }
        let referenceCodes = RuleSupport.referenceCodes(references, of: &line)
        var prepared = PreparedTiers(line, code: code, type: type, referenceCodes: referenceCodes)
        prepared.accountComputed = computation.numberFromCode && values.text("CPT_NUMERO") == nil
        return .success(prepared)
    }

    /// The tiers and its account, the codes it names, and its billing address, which a tiers
    /// already stored may lack: whether it exists is read only for such a tiers, but a chunk's
    /// reads are told before any is made.
    public func plannedReads(of tiers: borrowing PreparedTiers) -> [PlannedRead] {
        var reads = tiers.accountNumber.map { [PlannedRead.tiersAndAccount(code: tiers.code, accountNumber: $0)] } ?? []
        reads += RuleSupport.plannedReads(of: tiers.referenceCodes)
        if !tiers.billingValues.fields.isEmpty {
            reads.append(.exists(in: "ADRESSES", key: Self.billingKey(tiers.code)))
        }
        return reads
    }

    private static func billingKey(_ code: String) -> LineValues {
        BillingAddress.key(tiers: code, numero: BillingAddress.numero)
    }

    public func apply(_ tiers: consuming PreparedTiers, to store: some RecordStore) throws -> LineOutcome {
        let code = tiers.code
        // A line that gives its account number reads the tiers and the account in one look.
        let read =
            try tiers.accountNumber.map { try store.tiersAndAccount(code: code, accountNumber: $0) }
            ?? TiersAndAccount(tiers: try store.tiers(code: code), account: nil, otherHolder: nil)
        let existing = read.tiers
        var warnings: [LineWarning] = []
        if let existing, existing.type != type {
            guard existing.type == .prospect, type == .client else {
                return .rejected(LineRejection(["Le code \(code) est déjà utilisé par \(existing.type.withArticle)"]))
            }
            warnings.append("Le prospect \(code) a été transformé en client")
        }
        var reasons = try RuleSupport.unknownCodes(tiers.referenceCodes, in: store)
        // `calculer_numero_compte` gives an account to a tiers that has none: one that has an
        // account keeps it, as when the column is absent.
        if tiers.accountComputed, existing?.accountNumber != nil { tiers.leaveAccount() }

        // The account the tiers will have: the line's, or the one it has when the column is absent.
        let accountNumber = tiers.holdsAccountNumber ? tiers.accountNumber : existing?.accountNumber
        let account =
            tiers.holdsAccountNumber ? read.account : try accountNumber.flatMap { try store.account(number: $0) }
        if let number = tiers.accountNumber {
            if let holder = read.otherHolder ?? account?.tiersCode, holder != code {
                reasons.append(Self.accountHeld(number, by: holder))
            } else if let account, account.tiersCode == nil {
                reasons.append(Self.generalAccount(number))
            }
        }
        guard reasons.isEmpty else { return .rejected(LineRejection(reasons)) }

        warnings += tiers.warnings(payCode: tiers.holdsPayCode ? tiers.payCode : existing?.payCode)
        AuditColumns.tiers.stamp(&tiers.tiersValues, with: stamp, existingCount: existing?.updateCount)
        try store.write(
            RecordChange(
                table: table, kind: existing == nil ? .create : .update, key: LineValues([("PCF_CODE", .text(code))]),
                values: tiers.tiersValues))
        try writeBillingAddress(tiers.billingValues, code: code, isNew: existing == nil, store: store)
        if let accountNumber, type != .prospect {
            // The tiers' account in `COMPTES`, named after the tiers (`CPT_LIB` = `PCF_RS`).
            if account == nil { tiers.accountValues.append("CPT_COLLEC", .text(collectiveAccount)) }
            try store.write(
                RecordChange(
                    table: "COMPTES", kind: account == nil ? .create : .update,
                    key: LineValues([("CPT_NUMERO", .text(accountNumber))]), values: tiers.accountValues))
        }
        return .imported(warnings: warnings)
    }

    /// Keeps address 001 equal to the billing columns: created with the tiers, and given the
    /// billing columns the line holds.
    private func writeBillingAddress(_ values: LineValues, code: String, isNew: Bool, store: some RecordStore) throws {
        guard isNew || !values.fields.isEmpty else { return }
        let key = Self.billingKey(code)
        let exists = try !isNew && store.exists(in: "ADRESSES", key: key)
        try store.write(RecordChange(table: "ADRESSES", kind: exists ? .update : .create, key: key, values: values))
    }
}

/// A tiers line as `TiersRules.prepare` leaves it: complete, its identifiers checked, and the
/// values of its rows built, all but what depends on the tiers it may update.
public struct PreparedTiers: Sendable {
    let code: String
    /// Whether the line holds `CPT_NUMERO`, and its number when it is not empty.
    private(set) var holdsAccountNumber: Bool
    private(set) var accountNumber: String?
    /// Whether that number was computed from the code (`calculer_numero_compte`), the file
    /// giving none.
    var accountComputed = false
    /// Whether the line holds `PAY_CODE`, and its code when it is not empty.
    let holdsPayCode: Bool
    let payCode: String?
    let referenceCodes: [ReferenceCode]
    /// The columns of its `TIERS` row but the key and the audit columns, which `apply` adds.
    var tiersValues: LineValues
    /// The columns of its billing address, `ADRESSES` 001.
    let billingValues: LineValues
    /// The columns of its account, but the collective account, which only a new account gets.
    var accountValues: LineValues
    /// The warnings of the SIREN, the SIRET and the VAT number, of the postal code were the
    /// tiers French, and of the e-mail address: the journal gives them in this order.
    private let identifierWarnings: [LineWarning]
    private let frenchPostalCodeWarning: [LineWarning]
    private let emailWarning: [LineWarning]

    init(_ line: LineValues, code: String, type: TiersType, referenceCodes: [ReferenceCode]) {
        self.code = code
        holdsAccountNumber = line["CPT_NUMERO"] != nil
        accountNumber = line.text("CPT_NUMERO")
        holdsPayCode = line["PAY_CODE"] != nil
        payCode = line.text("PAY_CODE")
        self.referenceCodes = referenceCodes

        var tiersFields: [(name: String, value: FieldValue)] = []
        // Room for the type and the five audit columns, added without copying the row.
        tiersFields.reserveCapacity(line.fields.count + 6)
        var billingFields: [(name: String, value: FieldValue)] = []
        for field in line.fields {
            if field.name != "PCF_CODE" { tiersFields.append(field) }
            if let column = BillingAddress.adresseColumns[field.name] { billingFields.append((column, field.value)) }
        }
        tiersFields.append(("PCF_TYPE", .text(type.rawValue)))
        tiersValues = LineValues(tiersFields)
        billingValues = LineValues(billingFields)

        var accountValues = LineValues([("CPT_TYPE", .text(type.rawValue)), ("PCF_CODE", .text(code))])
        if let name = line.text("PCF_RS") { accountValues.set("CPT_LIB", .text(name)) }
        self.accountValues = accountValues

        var identifierWarnings: [LineWarning] = []
        if let siren = line.text("PCF_SIREN"), !IdentifierChecks.isValidSIREN(siren) {
            identifierWarnings.append("Le numéro SIREN \(siren) n'est pas valide")
        }
        if let siret = line.text("PCF_SIRET"), !IdentifierChecks.isValidSIRET(siret) {
            identifierWarnings.append("Le numéro SIRET \(siret) n'est pas valide")
        }
        if let vat = line.text("PCF_NII"), let french = IdentifierChecks.frenchVATSIREN(vat), !french.keyMatches {
            identifierWarnings.append(
                "La clé du numéro de TVA intracommunautaire \(vat) ne correspond pas au SIREN \(french.siren)")
        }
        self.identifierWarnings = identifierWarnings
        frenchPostalCodeWarning = RuleSupport.postalCodeWarning(line.text("PCF_CP"), payCode: "FR")
        emailWarning = RuleSupport.emailWarning(line, column: "PCF_EMAIL")
    }

    /// Forgets the line's account number, as if the file had no `CPT_NUMERO` column.
    mutating func leaveAccount() {
        holdsAccountNumber = false
        accountNumber = nil
        tiersValues = LineValues(tiersValues.fields.filter { $0.name != "CPT_NUMERO" })
    }

    /// The line's warnings, for a tiers whose country is `payCode`.
    func warnings(payCode: String?) -> [LineWarning] {
        identifierWarnings + (payCode == "FR" ? frenchPostalCodeWarning : []) + emailWarning
    }
}
