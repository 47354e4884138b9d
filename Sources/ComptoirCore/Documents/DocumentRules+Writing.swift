/// A document's footer, then its numbers and its rows, once no line is refused (`documents.md` §3, §7).
extension DocumentRules {
    /// The footer of a vente or achat document (`documents.md` §7), once its lines are sound.
    func checkFooter(_ document: inout DocumentDraft) throws {
        // Closures rather than key paths: this runs for each document, and key paths are read
        // through the runtime here.
        guard family != .stock, document.isSound else { return }
        let priced = document.lines.compactMap { $0.priced }
        var rates: [DecimalNumber] = []
        for line in priced where !rates.contains(line.rate) { rates.append(line.rate) }
        if rates.count > Self.maximumRates {
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
        guard let totals = document.totals else {
            document.reject(
                "Le montant du document dépasse ce qu'un montant peut contenir (16 chiffres avant la virgule)")
            return
        }
        if let reason = Self.invalidRemise(remise, brut: totals.brut) { document.reject(reason) }
    }

    /// Why a remise exceptionnelle cannot apply to a document of `brut`, if it cannot: a rate
    /// outside 0 to 100 %, a negative amount, or more than the brut, which would leave a
    /// negative or inconsistent footer (`docs/decisions.md`).
    static func invalidRemise(_ remise: DocumentTotals.Remise?, brut: DecimalNumber) -> String? {
        switch remise {
        case .rate(let rate) where rate.isNegative || DecimalNumber.hundred < rate:
            "La remise exceptionnelle de \(rate.french) % n'est pas valide : elle doit être comprise entre 0 et 100 %"
        case .amount(let amount) where amount.isNegative:
            "La remise exceptionnelle de \(amount.french) n'est pas valide : elle ne peut pas être négative"
        case .amount(let amount) where brut.magnitude < amount:
            "La remise exceptionnelle de \(amount.french) dépasse le montant brut du document (\(brut.french))"
        default: nil
        }
    }

    /// Numbers and writes a sound document: `DOCUMENTS`, its `LIGNES`, its movements and the
    /// stock. Returns its pièce number.
    mutating func write(_ document: inout DocumentDraft, store: some RecordStore) throws -> String {
        // Moved out of the document, which needs them no more, so that they are not copied.
        var values = LineValues([])
        swap(&values, &document.values)
        let piece: String
        if let forced = values.text("DOC_PIECE") {
            piece = forced
            pieces.noteForced(forced)
        } else {
            // A number that a document already has, forced earlier, is skipped.
            var next = try store.nextNumber(of: document.counter)!
            while try pieces.isTaken(next, counter: document.counter, type: family.letter, store: store) {
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
            // Written together: a store may write them by one statement.
            // By index: enumerating the lines would copy each whole line for its values.
            try store.write(
                contentsOf: document.lines.indices.map { index in
                    let lineKey = LineValues([("DOC_NUMERO", .text(numero)), ("LIG_NUMERO", .integer(index + 1))])
                    return RecordChange(
                        table: DocumentTables.lines, kind: .create, key: lineKey, values: document.lines[index].values)
                })
        }
        let context = LineValues(
            ["DOC_TYPE", "DOC_STYPE", "DOC_DATE", "PCF_CODE", "PRJ_CODE"].map { column in
                (column, values[column] ?? .null)
            })
        try document.stock.write(document: numero, context: context, levels: &stock, store: store)
        return piece
    }
}
