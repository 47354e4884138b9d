/// A document's header: its fields from its first line, completed and checked (`documents.md` §5, §6).
extension DocumentRules {
    /// The tiers' columns a document reads before its billing address, in the order of the
    /// row read: a default is taken from its place, not looked up by name.
    enum TiersColumn: Int, CaseIterable {
        case type, reglement, enTTC, depot, representant, devise, nature, pays

        var name: String {
            switch self {
            case .type: "PCF_TYPE"
            case .reglement: "REG_CODE"
            case .enTTC: "PCF_EN_TTC"
            case .depot: "DEP_CODE"
            case .representant: "REP_CODE"
            case .devise: "DEV_CODE"
            case .nature: "NAT_CODE"
            case .pays: "PAY_CODE"
            }
        }
    }
    /// The tiers' columns a document reads, its billing address last.
    static let tiersColumns = TiersColumn.allCases.map(\.name) + billingAddress.map(\.tiers)
    /// The tiers' billing address and the document's (`DOC_F_<x>`), whose delivery address
    /// (`DOC_L_<x>`) is the same by default.
    static let billingAddress: [(tiers: String, billing: String, delivery: String)] = [
        ("PCF_CIVILE", "TITL"), ("PCF_RS", "RS"), ("PCF_RS2", "RS2"), ("PCF_RUE", "RUE"), ("PCF_COMP", "COMP"),
        ("PCF_ETAT", "ETAT"), ("PCF_REG", "REG"), ("PCF_CP", "CP"), ("PCF_VILLE", "VILL"), ("PCF_CBARAD", "CBAR"),
        ("PCF_SIRET", "SIRET"), ("PCF_ADRMEM", "MEMO"),
    ].map { tiers, suffix in (tiers, "DOC_F_" + suffix, "DOC_L_" + suffix) }
    /// The columns a header may gain, made room for at once: its defaults (a tiers' columns,
    /// and its address twice), then its footer, pièce and audit columns when it is written.
    static let headerRoom = 2 * tiersColumns.count + DocumentTables.computedDocumentColumns.count + 8
    static let references: [Reference] = [
        .depot("DEP_CODE"), .depot("DOC_TDEPOT"), .commercial, .affaire, .modeReglement, .pays,
        Reference("DOC_L_PAYS", table: "PAYS", keyColumn: "PAY_CODE", naming: .code("pays"), uppercased: true),
    ]

    /// The document's fields from its first line, completed by the tiers and the preferences,
    /// and checked (`documents.md` §5, §6).
    mutating func checkHeader(_ document: inout DocumentDraft, store: some RecordStore) throws {
        // Moved out of the document while it changes, so that its values are not copied.
        var values = LineValues([])
        swap(&values, &document.values)
        values.reserve(Self.headerRoom)
        guard let subType = values.text("DOC_STYPE") else {
            if !document.lines[0].subTypeUnreadable { document.reject("Le champ DOC_STYPE est obligatoire") }
            document.values = values
            return
        }
        document.subType = subType
        document.counter = family.counter(of: subType)
        values.fill("DOC_DATE", .text(String(stamp.time.prefix(10))))
        if let piece = values.text("DOC_PIECE") { values.set("DOC_PIECE", .text(piece.uppercased())) }

        var tiers: [FieldValue]?
        if let code = values.text("PCF_CODE") {
            tiers = try tiersRow(code, store: store)
            if tiers == nil, family == .stock {
                document.lines[0].warnings.append(LineWarning("Le code tiers \(code) n'existe pas", standsAlone: true))
                values.set("PCF_CODE", .null)
            } else if tiers == nil {
                document.reject("Le code tiers \(code) n'existe pas")
            } else if let reason = Self.wrongTiersType(
                tiers![TiersColumn.type.rawValue].text, code: code, family: family, subType: subType)
            {
                document.reject(reason)
            }
        } else if family != .stock {
            document.reject("Code tiers manquant")
        }
        // The value at `position` of the tiers' row.
        let tiersValue = { (position: Int) -> FieldValue? in
            guard let tiers, tiers[position] != .null else { return nil }
            return tiers[position]
        }
        let tiersColumn = { (column: TiersColumn) in tiersValue(column.rawValue) }
        // Most defaults fill columns the file does not name: appended without looking for them.
        func setDefault(_ column: String, _ value: FieldValue?) {
            guard let value, value != .null else { return }
            if !fileDocumentFields.contains(column) {
                values.append(column, value)
            } else {
                values.fill(column, value)
            }
        }
        if family == .stock {
            setDefault("DEP_CODE", defaultDepot.map(FieldValue.text))
        } else {
            setDefault("REG_CODE", tiersColumn(.reglement))
            if values["DOC_EN_TTC"] == nil || values["DOC_EN_TTC"] == .null {
                values.set("DOC_EN_TTC", tiersColumn(.enTTC) ?? .integer(0))
            }
            setDefault("DEP_CODE", tiersColumn(.depot) ?? defaultDepot.map(FieldValue.text))
            setDefault("REP_CODE", tiersColumn(.representant))
            values.set("DEV_CODE", tiersColumn(.devise) ?? .text(societeCurrency))
            setDefault("PAY_CODE", tiersColumn(.pays))
            // A delivery address the file gives is taken whole: completing it with the billing
            // address, field by field, would mix two addresses.
            let deliveryGiven = Self.billingAddress.contains { values.text($0.delivery) != nil }
            for (offset, (_, billing, delivery)) in Self.billingAddress.enumerated() {
                let value = tiersValue(TiersColumn.allCases.count + offset)
                setDefault(billing, value)
                // The billing value now held: the file's when it names the field, else the tiers'.
                if !deliveryGiven {
                    setDefault(delivery, fileDocumentFields.contains(billing) ? values[billing] : value)
                }
            }
            setDefault("DOC_L_PAYS", values["PAY_CODE"])
            document.includingTax = values["DOC_EN_TTC"] == .integer(1)
            document.nature = try nature(
                tiersNature: tiersColumn(.nature)?.text, country: tiersColumn(.pays)?.text, store: store)
            values.set("NAT_CODE", document.nature.map(FieldValue.text) ?? .null)
        }
        // The delivery country is the billing one by default: an unknown one is said once.
        var unknown: [String] = []
        for reason in try RuleSupport.checkReferences(Self.references, of: &values, store: store)
        where !unknown.contains(reason) {
            unknown.append(reason)
            document.reject(reason)
        }
        if family != .stock, let nature = document.nature, try !natureExists(nature, store: store) {
            document.reject("Le code nature comptable \(nature) n'existe pas")
        } else if family != .stock, document.nature == nil, tiers != nil {
            // Without one, no line would take a rate, an amount or a stock movement.
            let preference = family == .achat ? "NATURE_ACHAT" : "NATURE_VENTE"
            document.reject(
                "Aucune nature comptable pour ce document : ni le tiers, ni son pays, ni la préférence \(preference) n'en donnent"
            )
        }
        if values.text("DOC_REMFAC") != nil, values.text("DOC_TXRFAC") != nil {
            document.reject("Les champs DOC_REMFAC et DOC_TXRFAC ne peuvent pas être renseignés tous les deux")
        }
        if family.effect(of: subType) == .transfer {
            if values.text("DOC_TDEPOT") == nil {
                document.reject("Dépôt de destination manquant")
            } else if values.text("DOC_TDEPOT")?.uppercased() == values.text("DEP_CODE")?.uppercased() {
                document.reject("Le dépôt de destination doit être différent du dépôt d'origine")
            }
        }
        if let piece = values.text("DOC_PIECE") {
            if try pieceExists(piece, store: store) { document.reject("La pièce \(piece) existe déjà") }
        } else if !counters.contains(document.counter) {
            document.reject("Le compteur \(document.counter) n'existe pas dans la société")
        }
        if !counters.contains(Self.numberCounter) {
            document.reject("Le compteur \(Self.numberCounter) n'existe pas dans la société")
        }
        document.date = values.text("DOC_DATE") ?? ""
        document.depot = values.text("DEP_CODE") ?? ""
        if let delivery = values.text("DOC_DT_PRV"), delivery < document.date {
            document.lines[0].warnings.append("La date de livraison n'est pas valide")
        }
        document.values = values
    }

    /// Why a tiers of type `type` cannot be the tiers of such a document, if it cannot.
    static func wrongTiersType(
        _ type: String?, code: String, family: DocumentFamily, subType: String
    ) -> String? {
        switch family {
        case .vente:
            let prospectAllowed = subType == "P" || subType == "D"
            return type == "C" || (prospectAllowed && type == "P") ? nil : "Le tiers \(code) n'est pas un client"
        case .achat: return type == "F" ? nil : "Le tiers \(code) n'est pas un fournisseur"
        case .stock: return nil
        }
    }

    /// The names of a billing address that are the address's own rather than mirrors of the
    /// tiers' columns (`docs/decisions.md`, Addresses), with the tiers' column each stands for.
    static let billingNames: [(adresse: String, tiers: String)] = [
        ("ADR_TITLE", "PCF_CIVILE"), ("ADR_RS", "PCF_RS"), ("ADR_RS2", "PCF_RS2"), ("ADR_SIRET", "PCF_SIRET"),
    ]
    /// Where each of `billingNames` is in a row of `tiersColumns`.
    static let billingNamePositions = billingNames.map { tiersColumns.firstIndex(of: $0.tiers)! }

    /// The row of `tiersColumns` of tiers `code`, its billing address taken from its address
    /// `001` (`documents.md` §6): the address's own names where it has them, else the tiers'.
    /// Nil when there is no such tiers.
    mutating func tiersRow(_ code: String, store: some RecordStore) throws -> [FieldValue]? {
        if let known = tiersRows[code] { return known }
        if tiersRows.count == Self.tiersKept { tiersRows.removeAll(keepingCapacity: true) }
        var row = try store.row(in: "TIERS", key: LineValues([("PCF_CODE", .text(code))]), columns: Self.tiersColumns)
        if var tiers = row,
            let names = try store.row(
                in: "ADRESSES", key: BillingAddress.key(tiers: code, numero: BillingAddress.numero),
                columns: Self.billingNames.map(\.adresse))
        {
            for (name, position) in zip(names, Self.billingNamePositions) where name != .null { tiers[position] = name }
            row = tiers
        }
        tiersRows[code] = row
        return row
    }

    /// The nature of a document (`documents.md` §7): the tiers', else its country's, else the
    /// société's preference.
    mutating func nature(tiersNature: String?, country: String?, store: some RecordStore) throws -> String? {
        if let tiersNature { return tiersNature }
        if let country, let countryNature = try self.countryNature(country, store: store) { return countryNature }
        return defaultNature
    }

    /// The nature of the country `code`, nil when it has none or does not exist.
    mutating func countryNature(_ code: String, store: some RecordStore) throws -> String? {
        if let known = countryNatures[code] { return known }
        let nature = try store.row(
            in: "PAYS", key: LineValues([("PAY_CODE", .text(code))]),
            columns: [family == .achat ? "PAY_NATACH" : "PAY_NATVTE"]
        )?.first?.text
        countryNatures[code] = nature
        return nature
    }

    mutating func natureExists(_ nature: String, store: some RecordStore) throws -> Bool {
        if let known = natures[nature] { return known }
        let exists = try store.exists(in: "NATURES", key: Reference.nature("NAT_CODE", type: family.letter).key(nature))
        natures[nature] = exists
        return exists
    }

    /// The article `code`, nil when there is none.
    mutating func article(_ code: String, store: some RecordStore) throws -> DocumentArticle? {
        if let known = articles[code] { return known }
        let row = try store.row(
            in: "ARTICLES", key: LineValues([("ART_CODE", .text(code))]), columns: DocumentArticle.columns)
        let article = row.map(DocumentArticle.init(row:))
        articles[code] = article
        return article
    }

    func pieceExists(_ piece: String, store: some RecordStore) throws -> Bool {
        try !store.rows(
            in: DocumentTables.documents,
            matching: LineValues([("DOC_TYPE", .text(family.letter)), ("DOC_PIECE", .text(piece))]),
            columns: ["DOC_NUMERO"]
        ).isEmpty
    }
}
