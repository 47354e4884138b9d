/// A document's lines: their article, price, VAT rate and stock (`documents.md` §6, §7, §9).
extension DocumentRules {
    /// Checks and completes `line`, the `number`th of `document`, which holds it apart for the
    /// while: its article, its price, its VAT rate and its stock.
    mutating func checkLine(
        _ line: inout DocumentLine, number: Int, of document: inout DocumentDraft, store: some RecordStore
    ) throws {
        guard line.reasons.isEmpty, !document.subType.isEmpty, !line.isText else { return }
        let code = line.values.text("ART_CODE")
        var article: DocumentArticle?
        if let code {
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
            try checkStockLine(&line, number: number, code: code, article: article, document: &document, store: store)
        } else {
            try price(&line, number: number, code: code, article: article, document: &document, store: store)
        }
    }

    /// Prices a vente or achat line, the `number`th of its document, of article `code`
    /// (`documents.md` §6, §7), and moves its stock.
    mutating func price(
        _ line: inout DocumentLine, number: Int, code: String?, article: DocumentArticle?,
        document: inout DocumentDraft, store: some RecordStore
    ) throws {
        guard let nature = document.nature else { return }
        let rate = try self.rate(nature: nature, article: code, of: article, date: document.date, store: store)
        if let label = article?.label { line.values.fill("LIG_LIB", .text(label)) }
        let ownCost = line.values.text("LIG_P_PRV")
        let cost = ownCost ?? article?.cost
        if ownCost == nil, let cost { line.values.set("LIG_P_PRV", .text(cost)) }
        let quantity = line.quantity
        let gamme = line.values.text("ART_GAMME") ?? ""
        let pricing: LinePricing
        if let prepared = line.pricing {
            pricing = prepared
        } else {
            let excludingTax = try defaultPrice(
                article: code, gamme: gamme, row: article, document: document, store: store)
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
        if family == .vente, let cost = cost.flatMap(DecimalNumber.init) {
            let netExcludingTax =
                document.includingTax
                ? (net * .hundred).flatMap { DecimalNumber.divided($0, by: .hundred + rate, scale: 4) } : net
            if let netExcludingTax, netExcludingTax < cost {
                line.warnings.append("Le prix de vente de l'article est inférieur au prix de revient.")
            }
        }
        if let delivery = line.values.text("LIG_DT_LIV"), delivery < document.date {
            line.warnings.append("La date de livraison n'est pas valide")
        }
        // An avoir's amounts are positive, its sub-type says which way they go: an avoir
        // written as its facture's lines negated would count against itself, unseen.
        if quantity.isNegative, family.isAvoir(document.subType) {
            line.warnings.append("La quantité est négative dans un avoir : la ligne diminue l'avoir")
        }
        guard let code, let article, case .move(let column) = family.effect(of: document.subType), article.isStocked
        else { return }
        let place = StockLevels.Place(depot: document.depot, article: code, gamme: gamme)
        // The article's cost is shared by its lines' movements, unless a line gives its own, or
        // a lot of its own.
        var movementFields = ownCost.map { LineValues([("MVT_PACH", .text($0))]) } ?? article.movementFields
        if !line.lot.isEmpty { movementFields = LineValues(movementFields.fields + line.lot) }
        document.stock.add(
            .init(
                place: place, column: column, quantity: quantity, fields: movementFields, lineNumber: number))
    }

    /// The gross price of an article when the line gives none: for a sale in a foreign currency,
    /// its price in that currency (`ART_PRIX`) when it has one; its selling price, its new one
    /// from the day it applies; for a purchase the supplier's price for the line's gamme, else
    /// its buying price.
    mutating func defaultPrice(
        article code: String?, gamme: String, row: DocumentArticle?, document: DocumentDraft, store: some RecordStore
    ) throws -> DecimalNumber {
        guard let code else { return .zero }
        let currency = document.values.text("DEV_CODE") ?? societeCurrency
        if family == .vente, currency != societeCurrency,
            let price = try store.row(
                in: "ART_PRIX",
                key: LineValues([("ART_CODE", .text(code)), ("DEV_CODE", .text(currency)), ("ART_GAMME", .text(""))]),
                columns: ["ART_P_VTE"]
            )?.first?.text.flatMap(DecimalNumber.init)
        {
            return price
        }
        if family == .vente, let new = try newSellingPrice(of: code, store: store), document.date >= new.from {
            return new.price
        }
        if family == .achat, let supplier = document.values.text("PCF_CODE"),
            let price = try supplierPrice(of: code, gamme: gamme, supplier: supplier, currency: currency, store: store)
        {
            return price
        }
        return (family == .achat ? row?.buyingPrice : row?.sellingPrice) ?? .zero
    }

    /// The supplier's price of article `code` (`ART_FOURN`): of the line's gamme, else of none;
    /// of the highest priority (`ART_PFOURN`, 1 first); in the document's currency when one is.
    private func supplierPrice(
        of code: String, gamme: String, supplier: String, currency: String, store: some RecordStore
    ) throws -> DecimalNumber? {
        for gamme in gamme.isEmpty ? [""] : [gamme, ""] {
            let prices = try store.rows(
                in: "ART_FOURN",
                matching: LineValues([
                    ("PCF_CODE", .text(supplier)), ("ART_CODE", .text(code)), ("ART_GAMME", .text(gamme)),
                ]),
                columns: ["ART_PFOURN", "ART_P_ACH", "DEV_CODE"])
            // A price without a currency is in the société's.
            guard let chosen = prices.first(where: { ($0[2].text ?? societeCurrency) == currency }) ?? prices.first
            else { continue }
            return chosen[1].text.flatMap(DecimalNumber.init)
        }
        return nil
    }

    /// The new selling price of article `code` (`ART_N_VTE`) and the day it applies from
    /// (`ART_DT_NEW`), which TarifsArticles sets on its price in the société's currency; nil
    /// when it has none.
    mutating func newSellingPrice(of code: String, store: some RecordStore) throws -> NewPrice? {
        if let known = newSellingPrices[code] { return known }
        let key = LineValues([
            ("ART_CODE", .text(code)), ("DEV_CODE", .text(societeCurrency)), ("ART_GAMME", .text("")),
        ])
        let row = try store.row(in: "ART_PRIX", key: key, columns: ["ART_DT_NEW", "ART_N_VTE"])
        var new: NewPrice?
        if let row, let from = row[0].text, let price = row[1].text.flatMap(DecimalNumber.init) {
            new = NewPrice(from: from, price: price)
        }
        newSellingPrices[code] = new
        return new
    }

    /// The VAT rate of an article under `nature` on `date` (`documents.md` §7): the first nature
    /// row of the article, its sous-famille, its family, then the société.
    mutating func rate(
        nature: String, article: String?, of row: DocumentArticle?, date: String, store: some RecordStore
    ) throws -> DecimalNumber {
        let key = RateKey(nature: nature, article: article)
        if let known = rates[key] { return known.rate(on: date) }
        var origins: [(table: String, origin: String)] = []
        if let article {
            origins.append(("ART", article))
            if let sousFamille = row?.sousFamille { origins.append(("SFA", sousFamille)) }
            if let famille = row?.famille { origins.append(("FAR", famille)) }
        }
        origins.append(("SOC", ""))
        var natureRate = NatureRate.none
        for (table, origin) in origins {
            let key = LineValues([
                ("NAT_TABLE", .text(table)), ("NAT_TYPE", .text(family.letter)), ("NAT_ORIGIN", .text(origin)),
                ("NAT_CODE", .text(nature)),
            ])
            guard let row = try store.row(in: "NATURES", key: key, columns: ["NAT_TVATX", "NAT_DTTVA", "NAT_TXTVA"])
            else { continue }
            var change: (date: String, former: DecimalNumber)?
            if let date = row[1].text, let former = row[2].text.flatMap(DecimalNumber.init) { change = (date, former) }
            natureRate = NatureRate(current: row[0].text.flatMap(DecimalNumber.init) ?? .zero, change: change)
            break
        }
        rates[key] = natureRate
        return natureRate.rate(on: date)
    }

    /// Checks a stock line, the `number`th of its document, of article `code`, and moves its
    /// stock (`documents.md` §9).
    mutating func checkStockLine(
        _ line: inout DocumentLine, number: Int, code: String?, article: DocumentArticle?,
        document: inout DocumentDraft, store: some RecordStore
    ) throws {
        guard let code, let article else { return }
        if !article.isStocked { line.reasons.append("L'article \(code) n'est pas géré en stock") }
        for (column, list, objet) in [
            ("MVT_TALTER", CodeLists.typesEcart, "type d'écart"), ("MVT_TPERTE", CodeLists.typesPerte, "type de perte"),
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
        if let cost = article.cost { line.values.fill("MVT_PACH", .text(cost)) }
        let quantity = line.quantity
        let depot = document.depot
        let gamme = line.values.text("ART_GAMME") ?? ""
        let fields = LineValues(line.values.fields.filter { movementFields.contains($0.name) })
        var moves: [(place: StockLevels.Place, column: StockColumn, quantity: DecimalNumber, fields: LineValues)] = []
        let here = StockLevels.Place(depot: depot, article: code, gamme: gamme)
        switch effect {
        case .none: break
        case .move(let column): moves.append((here, column, quantity, fields))
        case .transfer:
            let destination = StockLevels.Place(
                depot: document.values.text("DOC_TDEPOT") ?? "", article: code, gamme: gamme)
            moves += [(here, .sorties, quantity, fields), (destination, .entrees, quantity, fields)]
        case .assembly:
            let assembles = !quantity.isNegative
            // The nomenclature's own movement keeps the line's quantity, as an entrée's does: a
            // disassembly is a negative entrée, and the line reads back as it was imported.
            moves.append((here, .entrees, quantity, fields))
            let components = try store.rows(
                in: "ART_PROD", matching: LineValues([("ART_CODE", .text(code))]),
                columns: ["PRD_CODE", "PRD_GAMME", "PRD_QTE"])
            // Without components, an assemblage would make stock out of nothing.
            guard !components.isEmpty else {
                line.reasons.append("La nomenclature \(code) n'a aucun composant")
                return
            }
            for component in components {
                guard let componentCode = component[0].text,
                    case let componentArticle = try self.article(componentCode, store: store),
                    componentArticle?.isStocked != false,
                    let needed = (component[2].text.flatMap(DecimalNumber.init) ?? .zero) * quantity.magnitude
                else { continue }
                let place = StockLevels.Place(depot: depot, article: componentCode, gamme: component[1].text ?? "")
                // A component's movement is valued at its own cost, and moves the quantity its
                // movement stores, to the thousandth: the stock stays the sum of its movements.
                var componentFields = fields
                componentFields.set("MVT_PACH", componentArticle?.cost.map(FieldValue.text) ?? .null)
                moves.append((place, assembles ? .sorties : .entrees, needed.rounded(to: 3), componentFields))
            }
        }
        for move in moves {
            // What leaves the dépôt: each move that takes its stock actuel down. That is §9's
            // sorties, pertes and negative écarts, and an entrée or a transfer's arrival of a
            // negative quantity, which would otherwise take stock out unchecked.
            let change = move.column.actuelChange(of: move.quantity)
            guard change.isNegative else { continue }
            let leaving = change.magnitude
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
                    place: move.place, column: move.column, quantity: move.quantity, fields: move.fields,
                    lineNumber: number)
            )
        }
    }
}

/// The net price and the amount of a vente or achat line (`documents.md` §7).
struct LinePricing: Sendable {
    let net: DecimalNumber
    let amount: DecimalNumber

    /// `LIG_P_NET = round₄(gross × Π(1 − rᵢ/100))` and `LIG_TOTAL = round₂(quantity × LIG_P_NET)`;
    /// nil out of range, or when the amount has more digits than a `Montant` holds.
    init?(quantity: DecimalNumber, gross: DecimalNumber, discount: Discount?) {
        guard let net = discount.map({ $0.netPrice(gross) }) ?? gross.rounded(to: 4), let product = quantity * net,
            product.integerDigitCount <= FieldType.montant.integerDigits
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

/// What a document line reads of its article: a class, since each line of the article is given
/// it, and one reference is lighter to hand over than its ten values.
final class DocumentArticle: Sendable {
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
    /// The fields its lines' movements take from it: its cost.
    let movementFields: LineValues

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
        movementFields = LineValues([("MVT_PACH", cost.map(FieldValue.text) ?? .null)])
    }
}
