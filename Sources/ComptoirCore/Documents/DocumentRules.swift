/// A line of a document file, read and checked on its own: what grouping needs, and what the
/// document's rules take from it.
public struct DocumentLine: Sendable {
    /// The values of its break fields as they compare; nil when they cannot be read, and the
    /// line then belongs to the document before it (`documents.md` §2).
    let breakKey: [String]?
    var values: LineValues
    /// Why the line is rejected, found without the société.
    var reasons: [String]
    /// Its `LIG_REMISE`, read.
    var discount: Discount? = nil
    /// Its net price and amount, when its gross price is given.
    var pricing: LinePricing? = nil
}

/// The net price and the amount of a vente or achat line (`documents.md` §7).
struct LinePricing: Sendable {
    let net: DecimalNumber
    let amount: DecimalNumber

    /// `LIG_P_NET = round₄(gross × Π(1 − rᵢ/100))` and `LIG_TOTAL = round₂(quantity × LIG_P_NET)`;
    /// nil out of range.
    init?(quantity: DecimalNumber, gross: DecimalNumber, discount: Discount?) {
        guard let net = discount.map({ $0.netPrice(gross) }) ?? gross.rounded(to: 4), let product = quantity * net
        else { return nil }
        self.net = net
        self.amount = product.rounded(to: 2)
    }

    /// Adds the net price and the amount to a line's values, which never hold them.
    func add(to values: inout LineValues) {
        values.append("LIG_P_NET", net.stored(scale: 4))
        values.append("LIG_TOTAL", amount.stored(scale: 4))
    }
}

/// The rules of one family of documents (`documents.md`): a document's lines are checked
/// together, against the société, and the document is then written whole, or not at all.
struct DocumentRules: DomainRules {
    /// Why a line whose amount leaves the range of exact decimals is refused.
    static let outOfRange = "Le montant de la ligne dépasse ce que Comptoir peut calculer"
    /// `DOCUMENTS` holds five VAT bases.
    static let maximumRates = 5
    /// The counter of internal numbers, shared by the three families.
    static let numberCounter = "COMPTEUR_DOCUMENTS"

    let family: DocumentFamily
    let catalogue: Catalogue
    let stamp: AuditStamp
    /// The fields given once per document, which its first line gives.
    private let documentFields: Set<String>
    private let lineFields: Set<String>
    /// What the société's preferences give, read once per request by `settled(in:)`.
    private var defaultDepot: String?
    private var defaultNature: String?
    private var societeCurrency = "EUR"
    /// The custom fields of the file that belong to lines rather than to the document.
    private var lineCustomFields: Set<String> = []
    /// The counters the société has, of this family's and of internal numbers.
    private var counters: Set<String> = []
    /// Documents change none of the rows below, nor the natures: each is read once per request.
    private var articles: [String: DocumentArticle?] = [:]
    private var natures: [String: Bool] = [:]
    /// The stock the request's documents move, written at its end (`finish(in:)`).
    private var stock = StockLevels()
    /// The VAT rate of an article (or of no article) under a nature: documents do not change
    /// natures or articles, so one look per request is enough.
    private var rates: [RateKey: DecimalNumber] = [:]

    private struct RateKey: Hashable {
        let nature: String
        let article: String?
        /// The document's date: a nature's rate changes on `NAT_DTTVA`.
        let date: String
    }

    init(family: DocumentFamily, catalogue: Catalogue, stamp: AuditStamp) {
        self.family = family
        self.catalogue = catalogue
        self.stamp = stamp
        self.documentFields = Set(catalogue.fields.filter { !$0.isLineField }.map(\.name))
        self.lineFields = Set(catalogue.fields.filter(\.isLineField).map(\.name))
    }

    /// The table a new custom field goes to (`documents.md` §1).
    var table: String { DocumentTables.documents }

    /// These rules with the société's preferences, and the custom fields of `customFields` that
    /// go to the lines: those the line table has and `DOCUMENTS` has not.
    func settled(in store: some RecordStore, customFields: [String]) throws -> DocumentRules {
        var rules = self
        rules.defaultDepot = try store.preference("DEPOT_DEFAUT")
        rules.defaultNature = try store.preference(family == .achat ? "NATURE_ACHAT" : "NATURE_VENTE")
        rules.societeCurrency = try store.preference("DEVISE_SOCIETE") ?? "EUR"
        for counter in family.counters + [Self.numberCounter] where try store.preference(counter) != nil {
            rules.counters.insert(counter)
        }
        let lineColumns = Set(try store.customColumns(of: family.lineTable))
        let documentColumns = Set(try store.customColumns(of: DocumentTables.documents))
        rules.lineCustomFields = Set(customFields.filter { lineColumns.contains($0) && !documentColumns.contains($0) })
        return rules
    }

    /// Writes what the request's documents leave for its end: the stock.
    func finish(in store: some RecordStore) throws { try stock.write(store: store) }

    /// The custom fields of `customFields` that go to `DOCUMENTS`.
    func documentCustomFields(of customFields: [String]) -> [String] {
        customFields.filter { !lineCustomFields.contains($0) }
    }

    // MARK: One line

    /// Reads what a line says on its own: its break fields, then the checks that need no row.
    func prepare(_ read: Result<ReadFields, LineRejection>) -> DocumentLine {
        guard case .success(let fields) = read else {
            return DocumentLine(breakKey: nil, values: LineValues([]), reasons: read.failureReasons)
        }
        let unreadable = Set(fields.failures.map(\.field))
        var reasons = fields.failures.map(\.reason)
        var values = fields.values
        let breakKey: [String]? =
            family.breakFields.contains(where: unreadable.contains)
            ? nil : family.breakFields.map { values.text($0)?.uppercased() ?? "" }
        let subType = values.text("DOC_STYPE")
        let quantityField = family.quantityField
        let isText = values.text("LIG_TYPE")?.uppercased() == "T"
        if values.text(quantityField) == nil, !unreadable.contains(quantityField), !isText {
            reasons.append("Quantité manquante")
        }
        if values.text("ART_CODE") == nil, family == .stock || (!isText && values.text("LIG_LIB") == nil) {
            reasons.append("Code article manquant")
        }
        var discount: Discount?
        if let remise = values.text("LIG_REMISE") {
            discount = Discount(parsing: remise)
            if discount == nil { reasons.append("La remise \(remise) n'est pas valide") }
        }
        // A given price needs nothing of the société: the line is priced here, off the store's thread.
        var pricing: LinePricing?
        if family != .stock, reasons.isEmpty, !isText, let gross = values.text("LIG_P_BRUT").flatMap(DecimalNumber.init)
        {
            let quantity = values.text(quantityField).flatMap(DecimalNumber.init) ?? .zero
            pricing = LinePricing(quantity: quantity, gross: gross, discount: discount)
            if let pricing { pricing.add(to: &values) } else { reasons.append(Self.outOfRange) }
        }
        if family == .stock, subType == "M", values.text("MVT_TALTER") == nil {
            reasons.append("Type d'écart manquant")
        }
        if family == .stock, subType == "X", values.text("MVT_TPERTE") == nil {
            reasons.append("Type de perte manquant")
        }
        return DocumentLine(breakKey: breakKey, values: values, reasons: reasons, discount: discount, pricing: pricing)
    }

    // MARK: One document

    /// Checks a document's lines together and, when none is rejected, writes the document:
    /// the outcome of each of its lines, in order, with the document's last journal line.
    mutating func apply(
        _ lines: [(number: Int, line: DocumentLine)], to store: some RecordStore
    ) throws -> [(number: Int, outcome: LineOutcome)] {
        var document = DocumentDraft(lines: lines.map(\.line))
        try checkHeader(&document, store: store)
        for index in document.lines.indices { try checkLine(index, of: &document, store: store) }
        try checkFooter(&document)

        let sound = document.lines.allSatisfy(\.reasons.isEmpty)
        let outcomes = try sound ? write(&document, store: store) : nil
        return lines.indices.map { index in
            let number = lines[index].number
            let line = document.lines[index]
            let isLast = index == lines.count - 1
            if let piece = outcomes {
                let created = isLast ? [LineWarning("La pièce \(piece) a été créée", standsAlone: true)] : []
                return (number, .imported(warnings: line.warnings + created))
            }
            return (number, .rejected(LineRejection(line.reasons + (isLast ? [family.notCreated] : []))))
        }
    }

    /// A document being checked: its values, and each line's values, reasons and warnings.
    private struct DocumentDraft {
        struct Line {
            var values: LineValues
            var reasons: [String]
            var discount: Discount?
            var pricing: LinePricing?
            var warnings: [LineWarning] = []
            /// Its amount and VAT rate, for the totals; nil for a text line.
            var priced: (amount: DecimalNumber, rate: DecimalNumber)?
        }

        var values = LineValues([])
        var lines: [Line]
        var subType = ""
        /// The counter of its sub-type.
        var counter = ""
        var includingTax = false
        var nature: String?
        var stock = StockMovements()
        var totals: DocumentTotals?

        init(lines: [DocumentLine]) {
            self.lines = lines.map {
                Line(values: $0.values, reasons: $0.reasons, discount: $0.discount, pricing: $0.pricing)
            }
        }

        /// Adds a reason of the document, reported with its first line.
        mutating func reject(_ reason: String) { lines[0].reasons.append(reason) }
    }

    /// The tiers' columns a document reads, its billing address last.
    private static let tiersColumns =
        ["PCF_TYPE", "REG_CODE", "PCF_EN_TTC", "DEP_CODE", "REP_CODE", "DEV_CODE", "NAT_CODE", "PAY_CODE"]
        + billingAddress.map(\.tiers)
    /// The tiers' billing address and the document's (`DOC_F_<x>`), whose delivery address
    /// (`DOC_L_<x>`) is the same by default.
    private static let billingAddress: [(tiers: String, billing: String, delivery: String)] = [
        ("PCF_CIVILE", "TITL"), ("PCF_RS", "RS"), ("PCF_RS2", "RS2"), ("PCF_RUE", "RUE"), ("PCF_COMP", "COMP"),
        ("PCF_ETAT", "ETAT"), ("PCF_REG", "REG"), ("PCF_CP", "CP"), ("PCF_VILLE", "VILL"), ("PCF_CBARAD", "CBAR"),
        ("PCF_SIRET", "SIRET"), ("PCF_ADRMEM", "MEMO"),
    ].map { tiers, suffix in (tiers, "DOC_F_" + suffix, "DOC_L_" + suffix) }
    private static let references: [Reference] = [
        .depot("DEP_CODE"), .depot("DOC_TDEPOT"), .commercial, .affaire, .modeReglement, .pays,
        Reference("DOC_L_PAYS", table: "PAYS", keyColumn: "PAY_CODE", naming: .code("pays"), uppercased: true),
    ]

    /// The document's fields from its first line, completed by the tiers and the preferences,
    /// and checked (`documents.md` §5, §6).
    private mutating func checkHeader(_ document: inout DocumentDraft, store: some RecordStore) throws {
        let first = document.lines[0].values
        var values = LineValues(
            first.fields.filter { field in
                documentFields.contains(field.name)
                    || (Catalogue.isCustomFieldName(field.name) && !lineCustomFields.contains(field.name))
            })
        guard let subType = values.text("DOC_STYPE") else {
            document.reject("Le champ DOC_STYPE est obligatoire")
            document.values = values
            return
        }
        document.subType = subType
        document.counter = family.counter(of: subType)
        if values.text("DOC_DATE") == nil { values.set("DOC_DATE", .text(String(stamp.time.prefix(10)))) }
        if let piece = values.text("DOC_PIECE") { values.set("DOC_PIECE", .text(piece.uppercased())) }

        var tiers: [FieldValue]?
        if let code = values.text("PCF_CODE") {
            let key = LineValues([("PCF_CODE", .text(code))])
            tiers = try store.row(in: "TIERS", key: key, columns: Self.tiersColumns)
            if tiers == nil, family == .stock {
                document.lines[0].warnings.append(LineWarning("Le code tiers \(code) n'existe pas", standsAlone: true))
                values.set("PCF_CODE", .null)
            } else if tiers == nil {
                document.reject("Le code tiers \(code) n'existe pas")
            } else if let reason = Self.wrongTiersType(tiers![0].text, code: code, family: family, subType: subType) {
                document.reject(reason)
            }
        } else if family != .stock {
            document.reject("Code tiers manquant")
        }
        let tiersValue = { (column: String) -> FieldValue? in
            guard let tiers, let index = Self.tiersColumns.firstIndex(of: column), tiers[index] != .null else {
                return nil
            }
            return tiers[index]
        }
        // Most defaults fill columns the file does not name: appended without looking for them.
        var named = Set(values.fields.map(\.name))
        func setDefault(_ column: String, _ value: FieldValue?) {
            guard let value, value != .null else { return }
            if named.insert(column).inserted {
                values.append(column, value)
            } else if values.text(column) == nil {
                values.set(column, value)
            }
        }
        if family == .stock {
            setDefault("DEP_CODE", defaultDepot.map(FieldValue.text))
        } else {
            setDefault("REG_CODE", tiersValue("REG_CODE"))
            if values["DOC_EN_TTC"] == nil || values["DOC_EN_TTC"] == .null {
                values.set("DOC_EN_TTC", tiersValue("PCF_EN_TTC") ?? .integer(0))
            }
            setDefault("DEP_CODE", tiersValue("DEP_CODE") ?? defaultDepot.map(FieldValue.text))
            setDefault("REP_CODE", tiersValue("REP_CODE"))
            values.set("DEV_CODE", tiersValue("DEV_CODE") ?? .text(societeCurrency))
            setDefault("PAY_CODE", tiersValue("PAY_CODE"))
            for (tiersColumn, billing, delivery) in Self.billingAddress {
                setDefault(billing, tiersValue(tiersColumn))
                setDefault(delivery, values[billing])
            }
            setDefault("DOC_L_PAYS", values["PAY_CODE"])
            document.includingTax = values["DOC_EN_TTC"] == .integer(1)
            document.nature = try nature(
                tiersNature: tiersValue("NAT_CODE")?.text, country: tiersValue("PAY_CODE")?.text, store: store)
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
        if let date = values.text("DOC_DATE"), let delivery = values.text("DOC_DT_PRV"), delivery < date {
            document.lines[0].warnings.append("La date de livraison n'est pas valide")
        }
        document.values = values
    }

    /// Why a tiers of type `type` cannot be the tiers of such a document, if it cannot.
    private static func wrongTiersType(
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

    /// The nature of a document (`documents.md` §7): the tiers', else its country's, else the
    /// société's preference.
    private func nature(tiersNature: String?, country: String?, store: some RecordStore) throws -> String? {
        if let tiersNature { return tiersNature }
        if let country,
            let countryNature = try store.row(
                in: "PAYS", key: LineValues([("PAY_CODE", .text(country))]),
                columns: [family == .achat ? "PAY_NATACH" : "PAY_NATVTE"]
            )?.first?.text
        {
            return countryNature
        }
        return defaultNature
    }

    private mutating func natureExists(_ nature: String, store: some RecordStore) throws -> Bool {
        if let known = natures[nature] { return known }
        let exists = try store.exists(in: "NATURES", key: Reference.nature("NAT_CODE", type: family.letter).key(nature))
        natures[nature] = exists
        return exists
    }

    /// The article `code`, nil when there is none.
    private mutating func article(_ code: String, store: some RecordStore) throws -> DocumentArticle? {
        if let known = articles[code] { return known }
        let row = try store.row(
            in: "ARTICLES", key: LineValues([("ART_CODE", .text(code))]), columns: DocumentArticle.columns)
        let article = row.map(DocumentArticle.init(row:))
        articles[code] = article
        return article
    }

    private func pieceExists(_ piece: String, store: some RecordStore) throws -> Bool {
        try !store.rows(
            in: DocumentTables.documents,
            matching: LineValues([("DOC_TYPE", .text(family.letter)), ("DOC_PIECE", .text(piece))]),
            columns: ["DOC_NUMERO"]
        ).isEmpty
    }

    /// Checks and completes line `index`: its article, its price, its VAT rate and its stock.
    private mutating func checkLine(_ index: Int, of document: inout DocumentDraft, store: some RecordStore) throws {
        // Moved out of the document while it changes, so that its values are not copied.
        var line = DocumentDraft.Line(values: LineValues([]), reasons: [])
        swap(&line, &document.lines[index])
        defer { swap(&line, &document.lines[index]) }
        guard line.reasons.isEmpty, !document.subType.isEmpty else { return }
        if line.values.text("LIG_TYPE")?.uppercased() == "T" { return }
        var article: DocumentArticle?
        if let code = line.values.text("ART_CODE") {
            article = try self.article(code, store: store)
            guard let article else {
                line.reasons.append("Le code article \(code) n'existe pas")
                return
            }
            if family == .vente, article.forbiddenForSale {
                line.reasons.append("L'article \(code) est interdit à la vente")
            }
            if family == .achat, article.forbiddenForPurchase {
                line.reasons.append("L'article \(code) est interdit à l'achat")
            }
        }
        if family == .stock {
            try checkStockLine(&line, number: index + 1, article: article, document: &document, store: store)
        } else {
            try price(&line, number: index + 1, article: article, document: &document, store: store)
        }
    }

    /// Prices a vente or achat line, the `number`th of its document (`documents.md` §6, §7),
    /// and moves its stock.
    private mutating func price(
        _ line: inout DocumentDraft.Line, number: Int, article: DocumentArticle?, document: inout DocumentDraft,
        store: some RecordStore
    ) throws {
        let code = line.values.text("ART_CODE")
        guard let nature = document.nature else { return }
        let rate = try self.rate(
            nature: nature, article: code, of: article, date: document.values.text("DOC_DATE") ?? "", store: store)
        if line.values.text("LIG_LIB") == nil, let label = article?.label { line.values.set("LIG_LIB", .text(label)) }
        if line.values.text("LIG_P_PRV") == nil, let cost = article?.cost { line.values.set("LIG_P_PRV", .text(cost)) }
        let quantity = line.values.text("LIG_QTE").flatMap(DecimalNumber.init) ?? .zero
        let pricing: LinePricing
        if let prepared = line.pricing {
            pricing = prepared
        } else {
            let excludingTax = try defaultPrice(article: code, row: article, document: document, store: store)
            let gross =
                document.includingTax
                ? (excludingTax * (DecimalNumber.hundred + rate)).map { $0.hundredth.rounded(to: 2) } : excludingTax
            guard let gross, let computed = LinePricing(quantity: quantity, gross: gross, discount: line.discount)
            else {
                line.reasons.append(Self.outOfRange)
                return
            }
            line.values.set("LIG_P_BRUT", gross.stored(scale: 4))
            computed.add(to: &line.values)
            pricing = computed
        }
        let (net, amount) = (pricing.net, pricing.amount)
        line.values.append("LIG_TXTVA", rate.stored(scale: 3))
        line.priced = (amount, rate)
        if family == .vente, let cost = line.values.text("LIG_P_PRV").flatMap(DecimalNumber.init) {
            let netExcludingTax =
                document.includingTax
                ? (net * .hundred).flatMap { DecimalNumber.divided($0, by: .hundred + rate, scale: 4) } : net
            if let netExcludingTax, netExcludingTax < cost {
                line.warnings.append("Le prix de vente de l'article est inférieur au prix de revient.")
            }
        }
        if let date = document.values.text("DOC_DATE"), let delivery = line.values.text("LIG_DT_LIV"), delivery < date {
            line.warnings.append("La date de livraison n'est pas valide")
        }
        guard let code, case .move(let column) = family.effect(of: document.subType), article?.isStocked == true
        else { return }
        let place = StockLevels.Place(
            depot: document.values.text("DEP_CODE") ?? "", article: code, gamme: line.values.text("ART_GAMME") ?? "")
        document.stock.add(
            .init(
                place: place, column: column, quantity: quantity,
                fields: LineValues([("MVT_PACH", line.values["LIG_P_PRV"] ?? .null)]), lineNumber: number))
    }

    /// The gross price of an article when the line gives none: its selling price, or for a
    /// purchase the supplier's price, else its buying price.
    private func defaultPrice(
        article code: String?, row: DocumentArticle?, document: DocumentDraft, store: some RecordStore
    ) throws -> DecimalNumber {
        guard let code else { return .zero }
        if family == .achat, let supplier = document.values.text("PCF_CODE"),
            let price = try store.rows(
                in: "ART_FOURN", matching: LineValues([("PCF_CODE", .text(supplier)), ("ART_CODE", .text(code))]),
                columns: ["ART_P_ACH"]
            ).first?.first?.text
        {
            return DecimalNumber(price) ?? .zero
        }
        return (family == .achat ? row?.buyingPrice : row?.sellingPrice) ?? .zero
    }

    /// The VAT rate of an article under `nature` on `date` (`documents.md` §7): the first nature
    /// row of the article, its sous-famille, its family, then the société.
    private mutating func rate(
        nature: String, article: String?, of row: DocumentArticle?, date: String, store: some RecordStore
    ) throws -> DecimalNumber {
        let key = RateKey(nature: nature, article: article, date: date)
        if let rate = rates[key] { return rate }
        var origins: [(table: String, origin: String)] = []
        if let article {
            origins.append(("ART", article))
            if let sousFamille = row?.sousFamille { origins.append(("SFA", sousFamille)) }
            if let famille = row?.famille { origins.append(("FAR", famille)) }
        }
        origins.append(("SOC", ""))
        var rate = DecimalNumber.zero
        for (table, origin) in origins {
            let key = LineValues([
                ("NAT_TABLE", .text(table)), ("NAT_TYPE", .text(family.letter)), ("NAT_ORIGIN", .text(origin)),
                ("NAT_CODE", .text(nature)),
            ])
            guard let row = try store.row(in: "NATURES", key: key, columns: ["NAT_TVATX", "NAT_DTTVA", "NAT_TXTVA"])
            else { continue }
            let current = row[0].text.flatMap(DecimalNumber.init) ?? .zero
            // Before the change of rate, the former one.
            if let change = row[1].text, date < change,
                let former = row[2].text.flatMap(DecimalNumber.init)
            {
                rate = former
            } else {
                rate = current
            }
            break
        }
        rates[key] = rate
        return rate
    }
}

extension DocumentRules {
    /// Checks a stock line, the `number`th of its document, and moves its stock
    /// (`documents.md` §9).
    private mutating func checkStockLine(
        _ line: inout DocumentDraft.Line, number: Int, article: DocumentArticle?, document: inout DocumentDraft,
        store: some RecordStore
    ) throws {
        guard let code = line.values.text("ART_CODE"), let article else { return }
        if !article.isStocked { line.reasons.append("L'article \(code) n'est pas géré en stock") }
        for (column, list, objet) in [
            ("MVT_TALTER", "TYPE_ECART", "type d'écart"), ("MVT_TPERTE", "TYPE_PERTE", "type de perte"),
        ] {
            guard let type = line.values.text(column) else { continue }
            let key = LineValues([("TBL_ID", .text(list)), ("TBL_CODE", .text(type))])
            if try !store.exists(in: "TABLES", key: key) {
                line.reasons.append("Le code \(objet) \(type) n'existe pas")
            }
        }
        let effect = family.effect(of: document.subType)
        if effect == .assembly, !article.isNomenclature {
            line.reasons.append("L'article \(code) n'est pas une nomenclature")
        }
        guard line.reasons.isEmpty else { return }
        if line.values.text("MVT_PACH") == nil, let cost = article.cost { line.values.set("MVT_PACH", .text(cost)) }
        let quantity = line.values.text("MVT_QTE").flatMap(DecimalNumber.init) ?? .zero
        let depot = document.values.text("DEP_CODE") ?? ""
        let gamme = line.values.text("ART_GAMME") ?? ""
        let fields = LineValues(
            line.values.fields.filter { field in
                lineFields.contains(field.name) || lineCustomFields.contains(field.name)
            })
        var moves: [(place: StockLevels.Place, column: StockColumn, quantity: DecimalNumber)] = []
        let here = StockLevels.Place(depot: depot, article: code, gamme: gamme)
        switch effect {
        case .none: break
        case .move(let column): moves.append((here, column, quantity))
        case .transfer:
            let destination = StockLevels.Place(
                depot: document.values.text("DOC_TDEPOT") ?? "", article: code, gamme: gamme)
            moves += [(here, .sorties, quantity), (destination, .entrees, quantity)]
        case .assembly:
            let assembles = !quantity.isNegative
            moves.append((here, assembles ? .entrees : .sorties, quantity.magnitude))
            let components = try store.rows(
                in: "ART_PROD", matching: LineValues([("ART_CODE", .text(code))]),
                columns: ["PRD_CODE", "PRD_GAMME", "PRD_QTE"])
            for component in components {
                guard let componentCode = component[0].text,
                    try self.article(componentCode, store: store)?.isStocked != false,
                    let needed = (component[2].text.flatMap(DecimalNumber.init) ?? .zero) * quantity.magnitude
                else { continue }
                let place = StockLevels.Place(depot: depot, article: componentCode, gamme: component[1].text ?? "")
                moves.append((place, assembles ? .sorties : .entrees, needed))
            }
        }
        for move in moves {
            // What leaves the dépôt: sorties, pertes and negative écarts.
            let leaving =
                switch move.column {
                case .sorties, .pertes: move.quantity
                case .ecarts where move.quantity.isNegative: move.quantity.magnitude
                default: DecimalNumber.zero
                }
            guard !leaving.isZero else { continue }
            let actuel = try document.stock.actuel(of: move.place, in: &stock, store: store)
            if actuel < leaving {
                line.reasons.append(
                    "Stock de l'article \(move.place.article) insuffisant. Stock actuel : \(actuel.french). "
                        + "Quantité à sortir : \(leaving.french).")
            }
        }
        guard line.reasons.isEmpty else { return }
        for move in moves {
            document.stock.add(
                .init(
                    place: move.place, column: move.column, quantity: move.quantity, fields: fields, lineNumber: number)
            )
        }
    }

    /// The footer of a vente or achat document (`documents.md` §7), once its lines are sound.
    private func checkFooter(_ document: inout DocumentDraft) throws {
        guard family != .stock, document.lines.allSatisfy(\.reasons.isEmpty) else { return }
        let priced = document.lines.compactMap(\.priced)
        if Set(priced.map(\.rate)).count > Self.maximumRates {
            document.reject("Le document comporte plus de \(Self.maximumRates) taux de TVA")
            return
        }
        let remise: DocumentTotals.Remise? =
            if let rate = document.values.text("DOC_TXRFAC").flatMap(DecimalNumber.init) {
                .rate(rate)
            } else if let amount = document.values.text("DOC_REMFAC").flatMap(DecimalNumber.init) {
                .amount(amount)
            } else {
                nil
            }
        document.totals = DocumentTotals(lines: priced, remise: remise, includingTax: document.includingTax)
        if document.totals == nil { document.reject("Le montant du document dépasse ce que Comptoir peut calculer") }
    }

    /// Numbers and writes a sound document: `DOCUMENTS`, its `LIGNES`, its movements and the
    /// stock. Returns its pièce number.
    private mutating func write(_ document: inout DocumentDraft, store: some RecordStore) throws -> String {
        var values = document.values
        let piece: String
        if let forced = values.text("DOC_PIECE") {
            piece = forced
        } else {
            // A number that a document already has, forced earlier, is skipped.
            var next = try store.nextNumber(of: document.counter)!
            while try pieceExists(next, store: store) {
                next = try store.nextNumber(of: document.counter)!
            }
            piece = next
        }
        let numero = try store.nextNumber(of: Self.numberCounter)!
        values.set("DOC_PIECE", .text(piece))
        // The type and the footer are never in the file: appended without looking for them.
        values.append("DOC_TYPE", .text(family.letter))
        if let totals = document.totals {
            values.append("DOC_BRUT", totals.brut.stored(scale: 4))
            values.append("DOC_MT_RFAC", totals.remise.stored(scale: 4))
            values.append("DOC_MT_HT", totals.ht.stored(scale: 4))
            values.append("DOC_MT_TVA", totals.tva.stored(scale: 4))
            values.append("DOC_MT_TTC", totals.ttc.stored(scale: 4))
            values.append("DOC_MT_NET", totals.ttc.stored(scale: 4))
            for (base, columns) in zip(totals.bases, DocumentTables.vatBaseColumns) {
                values.append(columns.base, base.base.stored(scale: 4))
                values.append(columns.rate, base.rate.stored(scale: 3))
                values.append(columns.vat, base.vat.stored(scale: 4))
            }
        }
        AuditColumns.documents.stamp(&values, with: stamp, existingCount: nil)
        let key = LineValues([("DOC_NUMERO", .text(numero))])
        try store.write(RecordChange(table: DocumentTables.documents, kind: .create, key: key, values: values))
        if family != .stock {
            for (index, line) in document.lines.enumerated() {
                let lineValues = LineValues(
                    line.values.fields.filter { field in
                        lineFields.contains(field.name) || lineCustomFields.contains(field.name)
                            || DocumentTables.computedLineColumns.contains(field.name)
                    })
                let lineKey = LineValues([("DOC_NUMERO", .text(numero)), ("LIG_NUMERO", .integer(index + 1))])
                try store.write(
                    RecordChange(table: DocumentTables.lines, kind: .create, key: lineKey, values: lineValues))
            }
        }
        let context = LineValues(
            ["DOC_TYPE", "DOC_STYPE", "DOC_DATE", "PCF_CODE", "PRJ_CODE"].map { column in
                (column, values[column] ?? .null)
            })
        try document.stock.write(document: numero, context: context, levels: &stock, store: store)
        return piece
    }
}

extension Result where Failure == LineRejection {
    /// The reasons of a failure, none for a success.
    var failureReasons: [String] {
        if case .failure(let rejection) = self { rejection.reasons } else { [] }
    }
}

/// What a document line reads of its article.
struct DocumentArticle {
    static let columns = [
        "ART_LIB", "ART_P_VTE", "ART_P_ACH", "ART_P_PRV", "ART_INTV", "ART_INTA", "ART_STOCK", "ART_TYPE", "FAR_CODE",
        "SFA_CODE",
    ]

    let label: String?
    let sellingPrice: DecimalNumber?
    let buyingPrice: DecimalNumber?
    /// `ART_P_PRV` as stored, for `LIG_P_PRV` and `MVT_PACH`.
    let cost: String?
    let forbiddenForSale: Bool
    let forbiddenForPurchase: Bool
    /// Whether its stock is kept: all but `ART_STOCK` `N`.
    let isStocked: Bool
    let isNomenclature: Bool
    let famille: String?
    let sousFamille: String?

    /// The article from the values of `columns`.
    init(row: [FieldValue]) {
        label = row[0].text
        sellingPrice = row[1].text.flatMap(DecimalNumber.init)
        buyingPrice = row[2].text.flatMap(DecimalNumber.init)
        cost = row[3].text
        forbiddenForSale = row[4] == .integer(1)
        forbiddenForPurchase = row[5] == .integer(1)
        isStocked = row[6] != .text("N")
        isNomenclature = row[7] == .text("N")
        famille = row[8].text
        sousFamille = row[9].text
    }
}
