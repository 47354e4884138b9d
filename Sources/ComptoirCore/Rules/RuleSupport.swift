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

    /// Checks the line's `PAY_CODE` and `DEV_CODE` against `PAYS` and `DEVISES`, putting them in
    /// upper case, and returns the reasons of the unknown ones.
    static func checkReferenceCodes(_ line: inout LineValues, store: some RecordStore) throws -> [String] {
        try unknownReferenceCodes(referenceCodes(&line), in: store)
    }

    /// The line's `PAY_CODE` and `DEV_CODE`, put in upper case, to check against the société.
    static func referenceCodes(_ line: inout LineValues) -> [ReferenceCode] {
        ReferenceCode.Table.allCases.compactMap { table in
            guard let given = line.text(table.column) else { return nil }
            let code = given.uppercased()
            line.set(table.column, .text(code))
            return ReferenceCode(table: table, code: code, given: given)
        }
    }

    /// The reasons of the codes that `PAYS` or `DEVISES` does not hold.
    static func unknownReferenceCodes(_ codes: [ReferenceCode], in store: some RecordStore) throws -> [String] {
        try codes.compactMap { reference in
            let exists =
                switch reference.table {
                case .pays: try store.paysExists(reference.code)
                case .devises: try store.deviseExists(reference.code)
                }
            return exists ? nil : "\(reference.table.label) \(reference.given) n'existe pas"
        }
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

/// A country or currency code of a line, to check against the société's `PAYS` or `DEVISES`.
struct ReferenceCode: Sendable, Equatable {
    enum Table: CaseIterable {
        case pays
        case devises

        var column: String {
            switch self {
            case .pays: "PAY_CODE"
            case .devises: "DEV_CODE"
            }
        }

        /// How a reason names the code.
        var label: String {
            switch self {
            case .pays: "Le code pays"
            case .devises: "Le code devise"
            }
        }
    }

    let table: Table
    /// In upper case, as it is stored.
    let code: String
    /// As the line gives it, for the reason.
    let given: String
}

/// The audit columns of a table: `<prefix>_DTCREE` and `_USRCRE` (creation), `_DTMAJ`,
/// `_USRMAJ` and `_NUMMAJ` (update count), their names made once.
struct AuditColumns: Sendable {
    static let tiers = AuditColumns(prefix: "PCF")
    static let contacts = AuditColumns(prefix: "CCT")

    let creationTime: String
    let creationUser: String
    let updateTime: String
    let updateUser: String
    let updateCount: String

    init(prefix: String) {
        creationTime = prefix + "_DTCREE"
        creationUser = prefix + "_USRCRE"
        updateTime = prefix + "_DTMAJ"
        updateUser = prefix + "_USRMAJ"
        updateCount = prefix + "_NUMMAJ"
    }

    /// Sets the columns of a row whose update count was `existingCount` (nil: a new row): the
    /// creation ones for a new row, the update ones always, with the count plus one.
    func stamp(_ values: inout LineValues, with stamp: AuditStamp, existingCount: Int?) {
        // No catalogue has audit columns: they are added without looking for them.
        if existingCount == nil {
            values.append(creationTime, .text(stamp.time))
            values.append(creationUser, .text(stamp.user))
        }
        values.append(updateTime, .text(stamp.time))
        values.append(updateUser, .text(stamp.user))
        values.append(updateCount, .integer((existingCount ?? 0) + 1))
    }
}
