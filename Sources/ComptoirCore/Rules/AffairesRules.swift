/// What Affaires and Actions add to `TableRules` (`domains.md` §3).

/// Affaires: an impossible date does not refuse the line, as Gestimum imports its own example's
/// `15/19/2019`; it is ignored, with a warning. The catalogue reads these columns as text so
/// that they reach this rule.
struct AffairesDatesRule: TableLineRule {
    static let columns = ["PRJ_DT_DEB", "PRJ_DT_FIN"]

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        var warnings: [LineWarning] = []
        for column in Self.columns {
            guard let given = line.text(column) else { continue }
            if let date = CalendarDate(parsing: given) {
                line.set(column, .text(date.iso))
            } else {
                // Left out of the line: a new affaire has no date, an existing one keeps its own.
                line = LineValues(line.fields.filter { $0.name != column })
                warnings.append("La date \(given) du champ \(column) n'est pas valide : elle est ignorée")
            }
        }
        return LineVerdict(warnings: warnings)
    }
}

/// Affaires: the affaire's analytic section takes its amounts, which a regroupement section
/// never does.
struct AffaireSection: TableLineRule {
    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        guard let code = line.text("ANA_CODE"), try store.sectionType(code: code) == "R" else { return LineVerdict() }
        return LineVerdict(reasons: [RuleSupport.regroupementSection(code)])
    }
}

/// Actions: `ACT_POUREA` is how much of the action is done ("% réalisé"): a percentage, from 0
/// to 100, which the catalogue only reads as an integer.
struct ActionProgress: TableLineRule {
    func prepare(_ line: inout LineValues) -> [String]? {
        guard let given = line["ACT_POUREA"]?.integer, !(0...100).contains(given) else { return nil }
        return ["Le champ ACT_POUREA (% réalisé) vaut \(given) : il doit être compris entre 0 et 100"]
    }
}

/// Actions: `CCT_NUMERO` is a contact's internal number, the integer `CONTACTS` numbers its
/// rows with, not its code. A contact of a tiers (`CCT_ORIGIN`) is a contact of the action's
/// tiers only, as the line gives them or, on an update, as the action holds them: a column the
/// line leaves out keeps what the action holds, one it gives empty clears it.
struct ContactNumber: TableLineRule {
    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        let givenTiers = line.text("PCF_CODE")
        guard givenTiers != nil || line.text("CCT_NUMERO") != nil else { return LineVerdict() }
        let (namesTiers, namesContact) = (line["PCF_CODE"] != nil, line["CCT_NUMERO"] != nil)
        // The tiers and the contact (its number, and its own tiers if it has one) as the
        // action will hold them; each contact is looked up once.
        var tiers = givenTiers
        var contact: (number: String, tiers: String?)?
        if let given = line.text("CCT_NUMERO") {
            guard let number = Int(given), let found = try Self.contact(number, store: store) else {
                return LineVerdict(reasons: ["Le contact \(given) n'existe pas"])
            }
            line.set("CCT_NUMERO", .text(String(number)))
            contact = (given, found[0].text)
        }
        if exists, !namesTiers || !namesContact, let key = line["ACT_NUMERO"] {
            let stored = try store.row(
                in: "ACTIONS", key: LineValues([("ACT_NUMERO", key)]), columns: ["PCF_CODE", "CCT_NUMERO"])
            if !namesTiers { tiers = stored?[0].text }
            if !namesContact, let written = stored?[1].text, let number = Int(written),
                let found = try Self.contact(number, store: store)
            {
                contact = (written, found[0].text)
            }
        }
        guard let tiers, let contact, let origin = contact.tiers, origin != tiers else { return LineVerdict() }
        return LineVerdict(reasons: ["Le contact \(contact.number) n'est pas un contact du tiers \(tiers)"])
    }

    /// The contact numbered `number`: its tiers (`CCT_ORIGIN`); nil when there is none.
    private static func contact(_ number: Int, store: some RecordStore) throws -> [FieldValue]? {
        try store.rows(
            in: "CONTACTS", matching: LineValues([("CCT_NUMERO", .integer(number))]), columns: ["CCT_ORIGIN"]
        ).first
    }
}

/// Actions: `DOC_NUMERO` names a document by its internal number or, failing that, by its pièce
/// (`domains.md` §3); the internal number is stored. A pièce is unique within its family only:
/// vente is looked at first, then achat, then stock. The catalogue reads the column as text,
/// since a pièce (15 characters) may be longer than an internal number (10).
struct DocumentNumber: TableLineRule {
    static let column = "DOC_NUMERO"
    /// `DOC_TYPE` of vente, achat and stock documents, in the order their pièces are looked at.
    static let families = ["V", "A", "S"]

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        guard let given = line.text(Self.column),
            try !store.exists(in: "DOCUMENTS", key: LineValues([(Self.column, .text(given))]))
        else { return LineVerdict() }
        // Pièces are stored in upper case (`documents.md` §3).
        let documents = try store.rows(
            in: "DOCUMENTS", matching: LineValues([("DOC_PIECE", .text(given.uppercased()))]),
            columns: ["DOC_TYPE", Self.column])
        let found = Self.families.lazy.compactMap { family in documents.first { $0[0].text == family }?[1] }.first
        guard let number = found else { return LineVerdict(reasons: ["Le document \(given) n'existe pas"]) }
        line.set(Self.column, number)
        return LineVerdict()
    }
}
