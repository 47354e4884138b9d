/// A line of a document file, read and checked on its own: what grouping needs, and what the
/// document's rules take from it.
public struct DocumentLine: Sendable {
    /// The values of its break fields as they compare; nil when they cannot be read, and the
    /// line then belongs to the document before it (`documents.md` §2), as does the next line
    /// (`GroupPlace.unknown`).
    let breakKey: [String]?
    /// Its break fields as written, when one of its codes has a lower-case letter (`breakKey`
    /// upper-cases them): codes are matched exactly.
    var writtenBreakKey: [String]? = nil
    /// When `breakKey` cannot be read, the values of the break fields that can be, as they
    /// compare, nil for the others; empty when the line cannot be split.
    var readableBreakKey: [String?] = []
    /// Its fields of the document, which only a document's first line gives: none once the
    /// line is known to follow another of its document.
    var header: LineValues
    /// Its fields of the line, and what is computed of them.
    var values: LineValues
    /// Why the line is rejected, found without the société.
    var reasons: [String]
    /// Its reasons should it follow another line of its document, when they differ: the
    /// document fields it cannot read are then left out, but its break fields, since a later
    /// line's document fields are ignored (`documents.md` §1).
    var reasonsWhenFollowing: [String]? = nil
    /// Whether its `DOC_STYPE` was given but cannot be read, or the line cannot be split: its
    /// reasons already say so, and a missing sub-type is not reported besides.
    var subTypeUnreadable = false
    /// Whether it is a text line (`LIG_TYPE` `T`), which has no article, price or stock.
    var isText = false
    /// Its quantity (`LIG_QTE`, or `MVT_QTE` in a stock document), read; zero when it has none.
    var quantity = DecimalNumber.zero
    /// Its `LIG_REMISE`, read.
    var discount: Discount? = nil
    /// Its net price and amount, when its gross price is given.
    var pricing: LinePricing? = nil
    /// What its lot says (`LIG_NUMLOT`, its dates, `LIG_ZONE`), as its movement's fields
    /// (`MVT_…`): a vente or achat line's lot goes with its stock, as a stock line's does.
    var lot: [(name: String, value: FieldValue)] = []
    /// What its document's rules warn of.
    var warnings: [LineWarning] = []
    /// Its amount and VAT rate, for the totals, once its document's rules priced it; nil for a
    /// text line.
    var priced: (amount: DecimalNumber, rate: DecimalNumber)? = nil

    /// A line of nothing, which stands in for one taken out of its document.
    static let none = DocumentLine(breakKey: nil, header: LineValues([]), values: LineValues([]), reasons: [])
}

/// The rules of one family of documents (`documents.md`): a document's lines are checked
/// together, against the société, and the document is then written whole, or not at all.
struct DocumentRules: DomainRules {
    /// Why a line whose amount leaves the range of exact decimals is refused.
    static let outOfRange =
        "Le montant de la ligne dépasse ce qu'un montant peut contenir (16 chiffres avant la virgule)"
    /// `DOCUMENTS` holds five VAT bases.
    static let maximumRates = 5
    /// A vente or achat line's lot columns, and its movement's.
    static let lotColumns = [
        ("LIG_NUMLOT", "MVT_NUMLOT"), ("LIG_DT_FAB", "MVT_DT_FAB"), ("LIG_DT_PER", "MVT_DT_PER"),
        ("LIG_ZONE", "MVT_ZONE"),
    ]
    /// The counter of internal numbers, shared by the three families.
    static let numberCounter = "COMPTEUR_DOCUMENTS"
    /// What pricing may add to a line's values: its article's label and cost, its gross price
    /// and the computed columns. Room is made for them when the line is read.
    static let addedLineColumns = ["LIG_LIB", "LIG_P_PRV", "LIG_P_BRUT"] + DocumentTables.computedLineColumns

    let family: DocumentFamily
    let stamp: AuditStamp
    /// The fields given once per document, which its first line gives.
    let documentFields: Set<String>
    let lineFields: Set<String>
    /// What the société's preferences give, read once per request by `settled(in:)`.
    var defaultDepot: String?
    var defaultNature: String?
    var societeCurrency = "EUR"
    /// The custom fields of the file that belong to lines rather than to the document.
    private(set) var lineCustomFields: Set<String> = []
    /// The fields of the document that the file names: a document's first line holds them
    /// unless they cannot be read, and its header's defaults fill the others.
    private(set) var fileDocumentFields: Set<String> = []
    /// What a line gives its movements in `ART_MVT`, besides what a movement fills itself.
    private(set) var movementFields: Set<String> = []
    /// The counters the société has, of this family's and of internal numbers.
    var counters: Set<String> = []
    /// Documents change none of the rows below, nor the natures: each is read once per request.
    var articles: [String: DocumentArticle?] = [:]
    var natures: [String: Bool] = [:]
    /// The nature of each country the request's tiers are in, for those that have none.
    var countryNatures: [String: String?] = [:]
    /// The tiers' rows of `tiersColumns`, by code. A file may name a tiers per document: once
    /// `tiersKept` are kept, they are forgotten and read again.
    var tiersRows: [String: [FieldValue]?] = [:]
    static let tiersKept = 10_000
    /// The stock the request's documents move, written at its end (`finish(in:)`).
    var stock = StockLevels()
    /// The pièce numbers the request's documents took or forced.
    var pieces = PieceNumbers()
    /// The VAT rates of an article (or of no article) under a nature: documents do not change
    /// natures or articles, so one look per request is enough. Kept apart from the date, which
    /// picks one of them: a file of a year's documents would otherwise keep each article's
    /// rate once per day.
    var rates: [RateKey: NatureRate] = [:]
    /// The new selling price of each article a line priced by default, read once per request.
    var newSellingPrices: [String: NewPrice?] = [:]

    /// An article's new selling price, and the day it applies from.
    struct NewPrice {
        let from: String
        let price: DecimalNumber
    }

    struct RateKey: Hashable {
        let nature: String
        let article: String?

        /// The article alone: a request has few natures, and this is looked up for each line.
        func hash(into hasher: inout Hasher) { hasher.combine(article) }
    }

    /// The rate a nature row gives, and the one it gave before its change of rate, if any.
    struct NatureRate {
        let current: DecimalNumber
        /// `NAT_DTTVA` and `NAT_TXTVA`: before that day, the former rate.
        let change: (date: String, former: DecimalNumber)?

        static let none = NatureRate(current: .zero, change: nil)

        func rate(on date: String) -> DecimalNumber {
            if let change, date < change.date { change.former } else { current }
        }
    }

    init(family: DocumentFamily, catalogue: Catalogue, stamp: AuditStamp) {
        self.family = family
        self.stamp = stamp
        self.documentFields = Set(catalogue.fields.filter { !$0.isLineField }.map(\.name))
        self.lineFields = Set(catalogue.fields.filter(\.isLineField).map(\.name))
        setLineCustomFields([])
    }

    /// Sets the line's custom fields, and the fields that a line's movements take with them.
    private mutating func setLineCustomFields(_ fields: Set<String>) {
        lineCustomFields = fields
        movementFields = lineFields.union(fields).subtracting(StockMovements.movementColumns)
    }

    /// The table a new custom field goes to (`documents.md` §1).
    var table: String { DocumentTables.documents }

    /// These rules with the société's preferences, and the fields of `layout`: its custom
    /// fields that go to the lines (those the line table has and `DOCUMENTS` has not), and
    /// its fields of the document.
    func settled(in store: some RecordStore, layout: FieldLayout) throws -> DocumentRules {
        let customFields = layout.customFields
        var rules = self
        rules.defaultDepot = try store.preference("DEPOT_DEFAUT")
        rules.defaultNature = try store.preference(family == .achat ? "NATURE_ACHAT" : "NATURE_VENTE")
        rules.societeCurrency = try store.preference("DEVISE_SOCIETE") ?? "EUR"
        for counter in family.counters + [Self.numberCounter] where try store.preference(counter) != nil {
            rules.counters.insert(counter)
        }
        let lineTableColumns = Set(try store.customColumns(of: family.lineTable))
        let documentColumns = Set(try store.customColumns(of: DocumentTables.documents))
        rules.setLineCustomFields(
            Set(customFields.filter { lineTableColumns.contains($0) && !documentColumns.contains($0) }))
        rules.fileDocumentFields = Set(layout.columns.compactMap { $0?.name }.filter(rules.isDocumentField))
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
            return DocumentLine(
                breakKey: nil, header: LineValues([]), values: LineValues([]), reasons: read.failureReasons,
                subTypeUnreadable: true)
        }
        let unreadable = Set(fields.failures.map(\.field))
        // The fields it cannot read but as its document's first line: its document fields, but
        // the break fields.
        let ownFailures = fields.failures.filter {
            !isDocumentField($0.field) || family.breakFields.contains($0.field)
        }
        // What the checks below find.
        var reasons: [String] = []
        var headerFields: [(name: String, value: FieldValue)] = []
        var lineFields: [(name: String, value: FieldValue)] = []
        lineFields.reserveCapacity(fields.values.fields.count + Self.addedLineColumns.count)
        for field in fields.values.fields {
            if isDocumentField(field.name) { headerFields.append(field) } else { lineFields.append(field) }
        }
        let headerValues = LineValues(headerFields)
        var values = LineValues(lineFields)
        var breakKey: [String]?
        var writtenBreakKey: [String]?
        var readableBreakKey: [String?] = []
        // Codes compare without regard to case (`documents.md` §2); the tiers' reference is
        // its own text, and a reference written otherwise is another.
        func compared(_ field: String) -> (written: String, compared: String) {
            let written = headerValues.text(field) ?? ""
            return (written, field == "DOC_REFPCF" ? written : written.uppercasedCode())
        }
        if !family.breakFields.contains(where: unreadable.contains) {
            var key: [String] = []
            key.reserveCapacity(family.breakFields.count)
            for field in family.breakFields {
                let (written, compared) = compared(field)
                if writtenBreakKey == nil, compared != written, Self.exactCodes.contains(field) {
                    writtenBreakKey = family.breakFields.map { headerValues.text($0) ?? "" }
                }
                key.append(compared)
            }
            breakKey = key
        } else {
            readableBreakKey = family.breakFields.map { unreadable.contains($0) ? nil : compared($0).compared }
        }
        let subType = headerValues.text("DOC_STYPE")
        let quantityField = family.quantityField
        let quantityText = values.text(quantityField)
        let quantity = quantityText.flatMap(DecimalNumber.init) ?? .zero
        let isText = values.text("LIG_TYPE")?.uppercasedCode() == "T"
        if quantityText == nil, !unreadable.contains(quantityField), !isText {
            reasons.append("Quantité manquante")
        }
        // A field given but unreadable is reported by its own reason, not as missing too.
        func missing(_ field: String) -> Bool { Self.isMissing(field, in: values, unreadable: unreadable) }
        let articleMissing = missing("ART_CODE")
        if articleMissing, family == .stock || (!isText && missing("LIG_LIB")) {
            reasons.append("Code article manquant")
        } else if articleMissing, family != .stock, !isText, missing("LIG_P_BRUT") {
            // A free line has no article to take its price from (`documents.md` §1).
            reasons.append("Prix manquant")
        }
        // A text line is its text, without an article or an amount (`documents.md` §1): an
        // article line marked `T` by mistake would lose its amount and its stock unseen.
        if isText, family != .stock {
            if missing("LIG_LIB") { reasons.append("Libellé manquant") }
            let extra = Self.notOnTextLines.filter { values.text($0) != nil }
            if !extra.isEmpty {
                reasons.append(
                    "Une ligne de texte (LIG_TYPE T) ne porte que LIG_LIB, pas \(extra.joined(separator: ", "))")
            }
        }
        var discount: Discount?
        if let remise = values.text("LIG_REMISE") {
            discount = Discount(parsing: remise)
            if discount == nil { reasons.append("La remise \(remise) n'est pas valide") }
        }
        // A given price needs nothing of the société: the line is priced here, off the store's thread.
        var pricing: LinePricing?
        if family != .stock, ownFailures.isEmpty, reasons.isEmpty, !isText,
            let gross = values.text("LIG_P_BRUT").flatMap(DecimalNumber.init)
        {
            pricing = LinePricing(quantity: quantity, gross: gross, discount: discount)
            if let pricing { pricing.add(to: &values) } else { reasons.append(Self.outOfRange) }
        }
        var lot: [(name: String, value: FieldValue)] = []
        if family != .stock {
            for (column, movementColumn) in Self.lotColumns {
                if let value = values[column], value != .null { lot.append((movementColumn, value)) }
            }
        }
        if family == .stock, subType == "M", missing("MVT_TALTER") { reasons.append("Type d'écart manquant") }
        if family == .stock, subType == "X", missing("MVT_TPERTE") { reasons.append("Type de perte manquant") }
        return DocumentLine(
            breakKey: breakKey, writtenBreakKey: writtenBreakKey, readableBreakKey: readableBreakKey,
            header: headerValues, values: values,
            reasons: fields.failures.map(\.reason) + reasons,
            reasonsWhenFollowing: ownFailures.count < fields.failures.count
                ? ownFailures.map(\.reason) + reasons : nil,
            subTypeUnreadable: unreadable.contains("DOC_STYPE"), isText: isText, quantity: quantity,
            discount: discount, pricing: pricing, lot: lot)
    }

    /// Whether a line gives no `field`, not even one it could not read.
    private static func isMissing(_ field: String, in values: LineValues, unreadable: Set<String>) -> Bool {
        values.text(field) == nil && (unreadable.isEmpty || !unreadable.contains(field))
    }

    /// The fields of an article line that a text line may not give: its article and its price.
    static let notOnTextLines = ["ART_CODE", "LIG_P_BRUT", "LIG_REMISE"]

    /// Whether a field of the file is the document's rather than its lines'.
    func isDocumentField(_ name: String) -> Bool {
        documentFields.contains(name) || (Catalogue.isCustomFieldName(name) && !lineCustomFields.contains(name))
    }

    // MARK: One document

    /// Checks a document's lines together and, when none is rejected, writes the document:
    /// the outcome of each of its lines, in order, with the document's last journal line.
    mutating func apply(
        _ lines: consuming [(number: Int, line: DocumentLine)], to store: some RecordStore
    ) throws -> [(number: Int, outcome: LineOutcome)] {
        var document = DocumentDraft(lines: consume lines)
        checkWrittenCodes(&document)
        try checkHeader(&document, store: store)
        // Moved out of the document while they change, so that no line is copied.
        var lines: [DocumentLine] = []
        swap(&lines, &document.lines)
        for index in lines.indices { try checkLine(&lines[index], number: index + 1, of: &document, store: store) }
        swap(&lines, &document.lines)
        try checkFooter(&document)
        document.reportRejections()

        let sound = document.isSound
        let outcomes = try sound ? write(&document, store: store) : nil
        return document.lines.indices.map { index in
            let number = document.numbers[index]
            let isLast = index == document.lines.count - 1
            if let piece = outcomes {
                let created = isLast ? [LineWarning("La pièce \(piece) a été créée", standsAlone: true)] : []
                return (number, .imported(warnings: document.lines[index].warnings + created))
            }
            // What stands alone (a stock document's unknown tiers) is said of a refused document
            // too, before its reasons, as in Gestimum's stock report.
            let told = document.lines[index].warnings.filter(\.standsAlone).map(\.message)
            let reasons = told + document.lines[index].reasons + (isLast ? [family.notCreated] : [])
            return (number, .rejected(LineRejection(reasons)))
        }
    }

    /// The break fields that name a record by its code, which is matched exactly.
    static let exactCodes: Set<String> = ["PCF_CODE", "DEP_CODE", "REP_CODE", "PRJ_CODE", "DOC_TDEPOT"]

    /// Refuses a line whose codes are its document's but written otherwise. Lines are grouped
    /// without regard to case (`documents.md` §2), but codes are matched exactly: `cx` on a
    /// line of `CX`'s document names another tiers, or none, and its sale would go to `CX`.
    func checkWrittenCodes(_ document: inout DocumentDraft) {
        guard let first = document.lines[0].writtenBreakKey ?? document.lines[0].breakKey else { return }
        for index in document.lines.indices.dropFirst() {
            guard let written = document.lines[index].writtenBreakKey ?? document.lines[index].breakKey else {
                continue
            }
            for position in family.exactCodePositions where written[position] != first[position] {
                document.lines[index].reasons.append(
                    "Le champ \(family.breakFields[position]) vaut \(written[position]) sur cette ligne, \(first[position]) pour son document"
                )
            }
        }
    }

    /// A document being checked: its values, and each line's values, reasons and warnings.
    struct DocumentDraft {
        /// Its fields: its first line's, then completed and checked by `checkHeader`.
        var values = LineValues([])
        var lines: [DocumentLine] = []
        /// The number of each of its lines in the file.
        var numbers: [Int] = []
        var subType = ""
        /// Its date and dépôt, which each of its lines reads, once its header is checked.
        var date = ""
        var depot = ""
        /// The counter of its sub-type.
        var counter = ""
        var includingTax = false
        var nature: String?
        var stock = StockMovements()
        var totals: DocumentTotals?

        /// The document of `lines`, which are moved into it rather than copied: a line holds
        /// many texts.
        init(lines: consuming [(number: Int, line: DocumentLine)]) {
            numbers = lines.map { $0.number }
            self.lines = Array(repeating: .none, count: lines.count)
            for index in lines.indices { swap(&self.lines[index], &lines[index].line) }
            swap(&values, &self.lines[0].header)
            for index in self.lines.indices.dropFirst() {
                if let reasons = self.lines[index].reasonsWhenFollowing { self.lines[index].reasons = reasons }
            }
            firstLineReadReasons = self.lines[0].reasons.count
        }

        /// The reasons of the document itself (its header, its footer), kept apart from its
        /// first line's own until `reportRejections`, so that the line is checked all the same
        /// and a file's author learns of all its faults at once.
        private var rejections: [String] = []
        /// How many reasons its first line had once read, before any check of the société.
        private let firstLineReadReasons: Int

        /// Adds a reason of the document, reported with its first line.
        mutating func reject(_ reason: String) { rejections.append(reason) }

        /// Whether neither the document nor any of its lines is refused.
        var isSound: Bool { rejections.isEmpty && lines.allSatisfy { $0.reasons.isEmpty } }

        /// Puts the document's reasons on its first line: after those of its reading, before
        /// those of its article and stock.
        mutating func reportRejections() {
            lines[0].reasons.insert(contentsOf: rejections, at: firstLineReadReasons)
            rejections = []
        }
    }
}

extension Result where Failure == LineRejection {
    /// The reasons of a failure, none for a success.
    var failureReasons: [String] {
        if case .failure(let rejection) = self { rejection.reasons } else { [] }
    }
}
