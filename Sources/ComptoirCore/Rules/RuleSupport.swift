/// Checks and values that several domains' rules share.
enum RuleSupport {
    /// The reasons of the required fields the line lacks or leaves empty, in catalogue order:
    /// `messages` names some of them (`Code manquant`), the others get a generic message.
    static func missingRequiredFields(
        in line: LineValues,
        catalogue: Catalogue,
        messages: [String: String],
        except optional: Set<String> = []
    ) -> [String] {
        catalogue.requiredFields.compactMap { field in
            guard line.text(field.name) == nil, !optional.contains(field.name) else { return nil }
            return messages[field.name] ?? "Le champ \(field.name) est obligatoire"
        }
    }

    /// Checks the line's codes of `references` against the société, putting in upper case those
    /// that are, and returns the reasons of the unknown ones.
    static func checkReferences(
        _ references: [Reference], of line: inout LineValues, store: some RecordStore
    ) throws -> [String] {
        try unknownCodes(referenceCodes(references, of: &line), in: store)
    }

    /// The line's codes of `references`, those that are put in upper case, to check against the
    /// société.
    static func referenceCodes(_ references: [Reference], of line: inout LineValues) -> [ReferenceCode] {
        references.compactMap { reference in
            guard let given = line.text(reference.column) else { return nil }
            let code = reference.uppercased ? given.uppercasedCode() : given
            if reference.uppercased { line.set(reference.column, .text(code)) }
            return ReferenceCode(reference: reference, code: code, given: given)
        }
    }

    /// The reasons of the codes that name no row of the société.
    static func unknownCodes(_ codes: [ReferenceCode], in store: some RecordStore) throws -> [String] {
        try codes.compactMap { code in
            try store.exists(in: code.reference.table, key: code.reference.key(code.code))
                ? nil : code.reference.reason(code.given)
        }
    }

    /// The reads of `unknownCodes`, told in advance.
    static func plannedReads(of codes: [ReferenceCode]) -> [PlannedRead] {
        codes.map { .exists(in: $0.reference.table, key: $0.reference.key($0.code)) }
    }

    /// A regroupement account takes no amount (Gestimum's help: "aucun montant ne peut leur
    /// être attribué"): no écriture, no fixed asset names it.
    static func regroupementAccount(_ number: String) -> String {
        "Le compte \(number) est un compte de regroupement : aucun montant ne peut lui être attribué"
    }

    /// A regroupement section takes no amount (Gestimum's help: "aucune affectation ne pourra
    /// être effectuée").
    static func regroupementSection(_ code: String) -> String {
        "La section analytique \(code) est une section de regroupement : aucune affectation ne peut lui être faite"
    }

    /// A sous-famille given beside a family that is not its own.
    static func sousFamilleOutside(_ sousFamille: String, famille: String) -> String {
        "La sous-famille \(sousFamille) n'appartient pas à la famille \(famille)"
    }

    /// The warning of a postal code that is not 5 digits in France.
    static func postalCodeWarning(_ postalCode: String?, payCode: String?) -> [LineWarning] {
        guard payCode == "FR", let postalCode, !IdentifierChecks.isValidFrenchPostalCode(postalCode) else { return [] }
        return ["Le code postal \(postalCode) n'est pas valide pour la France (5 chiffres attendus)"]
    }

    /// The warning of an e-mail address that is not of the form `x@y.z`.
    static func emailWarning(_ line: LineValues, column: String) -> [LineWarning] {
        guard let email = line.text(column), !IdentifierChecks.isValidEmail(email) else { return [] }
        return ["L'adresse e-mail \(email) n'est pas valide"]
    }
}

/// A line's column whose code must name a row of another table of the société.
public struct Reference: Sendable {
    /// How a reason names an unknown code.
    public enum Naming: Sendable {
        /// `Le code <objet> <X> n'existe pas`.
        case code(String)
        /// `Le compte <X> n'existe pas`.
        case account
    }

    let column: String
    let table: String
    /// The key of the named row: the code in `keyColumn`, and these values in the others.
    let keyColumn: String
    let fixedKey: [(name: String, value: FieldValue)]
    let naming: Naming
    /// Whether codes are stored in upper case, as countries and currencies are.
    let uppercased: Bool

    init(
        _ column: String, table: String, keyColumn: String? = nil,
        fixedKey: [(name: String, value: FieldValue)] = [], naming: Naming, uppercased: Bool = false
    ) {
        self.column = column
        self.table = table
        self.keyColumn = keyColumn ?? column
        self.fixedKey = fixedKey
        self.naming = naming
        self.uppercased = uppercased
    }

    func key(_ code: String) -> LineValues { LineValues(fixedKey + [(keyColumn, .text(code))]) }

    func reason(_ given: String) -> String {
        switch naming {
        case .code(let objet): "Le code \(objet) \(given) n'existe pas"
        case .account: "Le compte \(given) n'existe pas"
        }
    }
}

extension Reference {
    /// A tiers of any type.
    static let tiers = Reference("PCF_CODE", table: "TIERS", naming: .code("tiers"))
    static let pays = Reference("PAY_CODE", table: "PAYS", naming: .code("pays"), uppercased: true)
    static let devise = Reference("DEV_CODE", table: "DEVISES", naming: .code("devise"), uppercased: true)
    /// The columns whose codes every import writes in capitals, whatever the file gives.
    static let capitalizedColumns = Set([pays, devise].filter(\.uppercased).map(\.column))
    static let modeReglement = Reference("REG_CODE", table: "MODE_REG", naming: .code("mode de règlement"))
    static let commercial = Reference("REP_CODE", table: "REPRESENTANTS", naming: .code("commercial"))
    static let journal = Reference("JRN_CODE", table: "JOURNAUX", naming: .code("journal"))
    static let sectionAnalytique = Reference("ANA_CODE", table: "ANALYTIQUES", naming: .code("section analytique"))
    static let typeReglement = Reference(
        "REG_TYPE", table: "TABLES", keyColumn: "TBL_CODE", fixedKey: [("TBL_ID", .text(CodeLists.typesReglement))],
        naming: .code("type de règlement"))
    static let planAnalytique = Reference(
        "ANA_PLAN", table: "TABLES", keyColumn: "TBL_CODE", fixedKey: [("TBL_ID", .text(CodeLists.plansAnalytiques))],
        naming: .code("plan analytique"))

    static let grille = Reference("TAR_CODE", table: "TARIFS", naming: .code("grille de tarifs"))
    static let famille = Reference("FAR_CODE", table: "ART_FAM", naming: .code("famille"))
    static let sousFamille = Reference("SFA_CODE", table: "ART_SFAM", naming: .code("sous-famille"))
    static let affaire = Reference("PRJ_CODE", table: "PROJETS", naming: .code("affaire"))

    static func article(_ column: String) -> Reference {
        Reference(column, table: "ARTICLES", keyColumn: "ART_CODE", naming: .code("article"))
    }

    static func salarie(_ column: String) -> Reference {
        Reference(column, table: "PERSONNEL", keyColumn: "SAL_CODE", naming: .code("salarié"))
    }

    static func depot(_ column: String) -> Reference {
        Reference(column, table: "DEPOT", keyColumn: "DEP_CODE", naming: .code("dépôt"))
    }

    static func journal(_ column: String) -> Reference {
        Reference(column, table: "JOURNAUX", keyColumn: "JRN_CODE", naming: .code("journal"))
    }

    static func compte(_ column: String) -> Reference {
        Reference(column, table: "COMPTES", keyColumn: "CPT_NUMERO", naming: .account)
    }

    /// A nature of the société (`NATURES` of table `SOC`) of sales (`V`) or purchases (`A`).
    static func nature(_ column: String, type: String) -> Reference {
        Reference(
            column, table: "NATURES", keyColumn: "NAT_CODE",
            fixedKey: [("NAT_TABLE", .text("SOC")), ("NAT_TYPE", .text(type)), ("NAT_ORIGIN", .text(""))],
            naming: .code("nature comptable"))
    }
}

/// The lists of codes that have no table of their own, in Gestimum's generic `TABLES`, by
/// their `TBL_ID`.
public enum CodeLists {
    public static let typesReglement = "REG_TYPE"
    public static let plansAnalytiques = "ANA_PLAN"
    public static let groupesUtilisateurs = "USR_GROUPE"
    public static let typesEcart = "TYPE_ECART"
    public static let typesPerte = "TYPE_PERTE"
}

/// The reference rows that no import creates, beyond those a new société holds, which
/// `comptoir societe ajouter` adds (`domains.md` §5): a second dépôt for transfers, a journal,
/// a type.
public enum ReferenceList: String, CaseIterable, Sendable {
    case depot
    case journal
    case typeEcart = "type-ecart"
    case typePerte = "type-perte"
    case typeReglement = "type-reglement"
    case planAnalytique = "plan-analytique"

    /// The row of `code`, labelled `label`: its table, its key and its other values.
    public func row(code: String, label: String) -> RecordChange {
        let (table, key, labelColumn): (String, LineValues, String) =
            switch self {
            case .depot: ("DEPOT", LineValues([("DEP_CODE", .text(code))]), "DEP_LIB")
            case .journal: ("JOURNAUX", LineValues([("JRN_CODE", .text(code))]), "JRN_LIB")
            case .typeEcart, .typePerte, .typeReglement, .planAnalytique:
                ("TABLES", LineValues([("TBL_ID", .text(codeList!)), ("TBL_CODE", .text(code))]), "TBL_LIB")
            }
        return RecordChange(table: table, kind: .create, key: key, values: LineValues([(labelColumn, .text(label))]))
    }

    /// The longest code it takes: its field's length in the imports that name it, so that a
    /// code added here can be named there.
    public var maximumCodeLength: Int {
        let (catalogue, name): (Catalogue, String) =
            switch self {
            case .depot: (.documentsStock, "DEP_CODE")
            case .journal: (.modesReglements, "JRN_CODE")
            case .typeEcart: (.documentsStock, "MVT_TALTER")
            case .typePerte: (.documentsStock, "MVT_TPERTE")
            case .typeReglement: (.modesReglements, "REG_TYPE")
            case .planAnalytique: (.sectionsAnalytiques, "ANA_PLAN")
            }
        return catalogue.field(named: name)?.type.maximumLength ?? .max
    }

    /// Its `TABLES` list, for those that are one.
    private var codeList: String? {
        switch self {
        case .depot, .journal: nil
        case .typeEcart: CodeLists.typesEcart
        case .typePerte: CodeLists.typesPerte
        case .typeReglement: CodeLists.typesReglement
        case .planAnalytique: CodeLists.plansAnalytiques
        }
    }

    /// How a message names one of its rows, with its article: `le dépôt`, `le type d'écart`.
    public var named: String {
        switch self {
        case .depot: "le dépôt"
        case .journal: "le journal"
        case .typeEcart: "le type d'écart"
        case .typePerte: "le type de perte"
        case .typeReglement: "le type de règlement"
        case .planAnalytique: "le plan analytique"
        }
    }

    /// `du dépôt`, `du journal`, `du type d'écart`…: of what it names.
    public var ofThe: String { "du" + named.dropFirst(2) }
}

/// A code of a line to check against the société.
struct ReferenceCode: Sendable {
    let reference: Reference
    /// As it is stored.
    let code: String
    /// As the line gives it, for the reason.
    let given: String
}

/// The audit columns of a table: `<prefix>_DTCREE` and `_USRCRE` (creation), `_DTMAJ`,
/// `_USRMAJ` and `_NUMMAJ` (update count), their names made once.
public struct AuditColumns: Sendable {
    static let tiers = AuditColumns(prefix: "PCF")
    static let contacts = AuditColumns(prefix: "CCT")
    static let documents = AuditColumns(prefix: "DOC")
    static let ecritures = AuditColumns(prefix: "ECR")

    public let creationTime: String
    public let creationUser: String
    public let updateTime: String
    public let updateUser: String
    public let updateCount: String
    /// Whether a file may give the creation columns (`ART_DTCREE`, `ART_USRCRE`): they then win.
    let creationMayBeGiven: Bool
    /// Whether the catalogue types the creation time as a date (`ART_DTCREE`): it then holds
    /// the day alone, as a file gives it, and as the read API describes the column.
    let creationDayOnly: Bool

    public init(prefix: String, catalogue: Catalogue? = nil) {
        creationTime = prefix + "_DTCREE"
        creationUser = prefix + "_USRCRE"
        updateTime = prefix + "_DTMAJ"
        updateUser = prefix + "_USRMAJ"
        updateCount = prefix + "_NUMMAJ"
        creationMayBeGiven = [creationTime, creationUser].contains { catalogue?.field(named: $0) != nil }
        creationDayOnly = catalogue?.field(named: creationTime)?.type == .date
    }

    /// Every column, in order.
    public var names: [String] { [creationTime, creationUser, updateTime, updateUser, updateCount] }

    /// Sets the columns of a row whose update count was `existingCount` (nil: a new row): the
    /// creation ones for a new row, unless the file gave them, the update ones always, with the
    /// count plus one. An update that gives a creation column empty leaves the stored one: a
    /// client sending the same header for every line would otherwise clear when and by whom
    /// the row was made.
    func stamp(_ values: inout LineValues, with stamp: AuditStamp, existingCount: Int?) {
        let emptyCreation = { (field: (name: String, value: FieldValue)) in
            (field.name == creationTime || field.name == creationUser) && field.value.text?.isEmpty != false
        }
        if existingCount != nil, creationMayBeGiven, values.fields.contains(where: emptyCreation) {
            values = LineValues(values.fields.filter { !emptyCreation($0) })
        } else if existingCount == nil {
            if !creationMayBeGiven {
                // Most catalogues have no audit column: they are added without looking for them.
                values.append(creationTime, .text(stamp.time))
                values.append(creationUser, .text(stamp.user))
            } else {
                values.fill(creationTime, .text(creationDayOnly ? String(stamp.time.prefix(10)) : stamp.time))
                values.fill(creationUser, .text(stamp.user))
            }
        }
        values.append(updateTime, .text(stamp.time))
        values.append(updateUser, .text(stamp.user))
        values.append(updateCount, .integer((existingCount ?? 0) + 1))
    }
}
