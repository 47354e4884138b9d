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
        var reasons: [String] = []
        for (column, exists, message) in [
            ("PAY_CODE", store.paysExists, "Le code pays"), ("DEV_CODE", store.deviseExists, "Le code devise"),
        ] {
            guard let value = line.text(column) else { continue }
            let upper = value.uppercased()
            line.set(column, .text(upper))
            if try !exists(upper) { reasons.append("\(message) \(value) n'existe pas") }
        }
        return reasons
    }

    /// Sets the audit columns `<prefix>_DTCREE`, `_USRCRE` (on creation), `_DTMAJ`, `_USRMAJ`
    /// and `_NUMMAJ` (+1) of a row whose update count was `existingCount` (nil: a new row).
    static func stampAudit(_ values: inout LineValues, prefix: String, stamp: AuditStamp, existingCount: Int?) {
        if existingCount == nil {
            values.set(prefix + "_DTCREE", .text(stamp.time))
            values.set(prefix + "_USRCRE", .text(stamp.user))
        }
        values.set(prefix + "_DTMAJ", .text(stamp.time))
        values.set(prefix + "_USRMAJ", .text(stamp.user))
        values.set(prefix + "_NUMMAJ", .integer((existingCount ?? 0) + 1))
    }

    /// The warning of a postal code that is not 5 digits in France.
    static func postalCodeWarning(_ postalCode: String?, payCode: String?) -> [String] {
        guard payCode == "FR", let postalCode, !IdentifierChecks.isValidFrenchPostalCode(postalCode) else { return [] }
        return ["Le code postal \(postalCode) n'est pas valide pour la France (5 chiffres attendus)"]
    }

    /// The warning of an e-mail address that is not of the form `x@y.z`.
    static func emailWarning(_ line: LineValues, column: String) -> [String] {
        guard let email = line.text(column), !IdentifierChecks.isValidEmail(email) else { return [] }
        return ["L'adresse e-mail \(email) n'est pas valide"]
    }

}
