/// A tiers' billing address: its address `001` in `ADRESSES`, whose columns always agree with
/// the billing columns of `TIERS`, whichever import last wrote them.
public enum BillingAddress {
    public static let numero = "001"

    /// Each billing column of `TIERS` with its column in `ADRESSES`.
    public static let columns: [(tiers: String, adresse: String)] = [
        ("PCF_RUE", "ADR_RUE"), ("PCF_COMP", "ADR_COMP"), ("PCF_ETAT", "ADR_ETAT"), ("PCF_REG", "ADR_REG"),
        ("PCF_CP", "ADR_CP"), ("PCF_VILLE", "ADR_VILLE"), ("PAY_CODE", "PAY_CODE"), ("PCF_TEL1", "ADR_TEL1"),
        ("PCF_TEL2", "ADR_TEL2"), ("PCF_FAX", "ADR_FAX"), ("PCF_TELEX", "ADR_TELEX"), ("PCF_EMAIL", "ADR_EMAIL"),
        ("PCF_URL", "ADR_URL"), ("PCF_ADRMEM", "ADR_MEMO"), ("PCF_NPAI", "ADR_NPAI"), ("PCF_CBARAD", "ADR_CBAR"),
    ]

    /// The column of `ADRESSES` of each billing column of `TIERS`.
    static let adresseColumns = Dictionary(uniqueKeysWithValues: columns.map { ($0.tiers, $0.adresse) })

    /// The key of a tiers' address `numero` in `ADRESSES`.
    static func key(tiers code: String, numero: String) -> LineValues {
        LineValues([("ADR_TBL", .text("PCF")), ("ADR_CODE", .text(code)), ("ADR_NUMERO", .text(numero))])
    }
}

/// The société's preferences for tiers accounts, in `PREFERENCES`: the root of client and
/// supplier account numbers and their collective accounts.
public enum AccountPreferences {
    public static let defaults: [(code: String, value: String)] = [
        ("RACINE_CLIENT", "411"), ("RACINE_FOURNISSEUR", "401"),
        ("COLLECTIF_CLIENT", "411000"), ("COLLECTIF_FOURNISSEUR", "401000"),
    ]

    /// The root of the account numbers of a kind of tiers; prospects take the clients' one,
    /// as they become clients.
    static func root(for type: TiersType, in store: some RecordStore) throws -> String {
        try preference(rootCode(for: type), in: store)
    }

    /// The collective account of a client's or supplier's account.
    static func collective(for type: TiersType, in store: some RecordStore) throws -> String {
        try preference(collectiveCode(for: type), in: store)
    }

    static func rootCode(for type: TiersType) -> String {
        type == .fournisseur ? "RACINE_FOURNISSEUR" : "RACINE_CLIENT"
    }

    static func collectiveCode(for type: TiersType) -> String {
        type == .fournisseur ? "COLLECTIF_FOURNISSEUR" : "COLLECTIF_CLIENT"
    }

    /// A preference's value in a new société.
    static func defaultValue(_ code: String) -> String {
        defaults.first(where: { $0.code == code })!.value
    }

    private static func preference(_ code: String, in store: some RecordStore) throws -> String {
        try store.preference(code) ?? defaultValue(code)
    }
}

/// `calculer_code_tiers` and `calculer_numero_compte`: a tiers code and its account number
/// computed from each other, with the account root of the société's preferences.
public struct AccountComputation: Sendable, Equatable {
    public var codeFromNumber: Bool
    public var numberFromCode: Bool

    /// Neither: codes and numbers are taken as the file gives them.
    public static let none = AccountComputation(codeFromNumber: false, numberFromCode: false)

    public init(codeFromNumber: Bool, numberFromCode: Bool) {
        self.codeFromNumber = codeFromNumber
        self.numberFromCode = numberFromCode
    }

    /// Fills the line's empty or absent `codeColumn` or `numberColumn` from the other, as asked.
    /// A number that does not start with the root cannot give a code, and what is computed must
    /// fit its field of `catalogue`: otherwise, that is the line's reason.
    func complete(
        _ line: inout LineValues,
        codeColumn: String,
        numberColumn: String,
        root: String,
        catalogue: Catalogue
    ) -> String? {
        if numberFromCode, line.text(numberColumn) == nil, let code = line.text(codeColumn) {
            if let reason = Self.unfit(root + code, of: numberColumn, in: catalogue, from: "du code tiers \(code)") {
                return reason
            }
            line.set(numberColumn, .text(root + code))
        }
        if codeFromNumber, line.text(codeColumn) == nil, let number = line.text(numberColumn) {
            guard number.hasPrefix(root) else {
                return
                    "Le compte \(number) ne commence pas par la racine \(root) : le code tiers ne peut pas en être tiré"
            }
            guard number.count > root.count else {
                return "Le compte \(number) n'a que la racine \(root) : le code tiers ne peut pas en être tiré"
            }
            let code = String(number.dropFirst(root.count))
            if let reason = Self.unfit(code, of: codeColumn, in: catalogue, from: "du compte \(number)") {
                return reason
            }
            line.set(codeColumn, .text(code))
        }
        return nil
    }

    /// Why `value`, computed `from` another field, cannot be the value of `column`, if it cannot:
    /// the file could not have given it (a code longer than its field).
    private static func unfit(_ value: String, of column: String, in catalogue: Catalogue, from: String) -> String? {
        guard case .failure(let error)? = catalogue.field(named: column)?.parse(value) else { return nil }
        return "\(error.message) : \(value), tiré \(from)"
    }
}
