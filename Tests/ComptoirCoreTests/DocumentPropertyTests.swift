import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// Properties of the document engine over random inputs from fixed seeds: the totals of any
/// lines, and the stock after any sequence of stock documents (`documents.md` §7, §9).
@Suite struct DocumentPropertyTests {
    private static let rates = [
        DecimalNumber(units: 200, scale: 1), DecimalNumber(10), DecimalNumber(units: 55, scale: 1),
    ]

    @Test(
        "TTC = HT + TVA, HT is the sum of the lines after the remise, a remise never enlarges a document, a mirror negates it",
        arguments: 0..<20)
    func totals(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            // One document in four is negative: a return, say, written as a facture.
            let sign: Int128 = random.oneIn(4) ? -1 : 1
            let lines = (0..<(1 + random.below(8))).map { _ in
                (
                    amount: DecimalNumber(units: sign * Int128(random.below(1_000_000)), scale: 2),
                    rate: Self.rates[random.below(Self.rates.count)]
                )
            }
            let brut = lines.reduce(DecimalNumber.zero) { $0 + $1.amount }
            let remise: DocumentTotals.Remise? =
                switch random.below(3) {
                case 0: nil
                case 1: .rate(DecimalNumber(units: Int128(random.below(10_000)), scale: 2))
                default: .amount(DecimalNumber(units: Int128(random.below(Int(brut.magnitude.units) + 1)), scale: 2))
                }
            let includingTax = random.oneIn(2)
            let totals = try #require(DocumentTotals(lines: lines, remise: remise, includingTax: includingTax))
            #expect(totals.ttc == totals.ht + totals.tva)
            #expect(totals.brut == brut)
            let afterRemise = brut - totals.remise
            // A remise, of a rate or of an amount, never makes a document larger.
            #expect(afterRemise.magnitude <= brut.magnitude)
            #expect(totals.remise.isZero || totals.remise.isNegative == brut.isNegative)
            if includingTax {
                #expect(totals.ttc == afterRemise)
            } else {
                #expect(totals.ht == afterRemise)
                for base in totals.bases {
                    #expect(base.vat == (base.base * base.rate)!.hundredth.rounded(to: 2))
                }
            }
            #expect(totals.bases.map(\.rate) == totals.bases.map(\.rate).sorted(by: >))
            #expect(totals.bases.reduce(DecimalNumber.zero) { $0 + $1.base } == totals.ht)
            // Its mirror, the same lines negated (a credit note of it), comes to its totals
            // negated, to the cent.
            let mirror = try #require(
                DocumentTotals(
                    lines: lines.map { (amount: .zero - $0.amount, rate: $0.rate) }, remise: remise,
                    includingTax: includingTax))
            #expect(
                [mirror.ht, mirror.tva, mirror.ttc, mirror.remise]
                    == [totals.ht, totals.tva, totals.ttc, totals.remise].map {
                        .zero - $0
                    }, "\(lines) \(String(describing: remise)) \(includingTax)")
        }
    }

    /// A société with two dépôts, three stock-managed articles (one a nomenclature of the two
    /// others), the types of écart and perte, and the counters.
    private static func societe() -> MemoryStore {
        let store = MemoryStore()
        store.tables["DEPOT"] = ["001": ["DEP_CODE": .text("001")], "002": ["DEP_CODE": .text("002")]]
        store.tables["ARTICLES"] = [
            "A": ["ART_CODE": .text("A"), "ART_TYPE": .text("P")],
            "B": ["ART_CODE": .text("B"), "ART_TYPE": .text("P")],
            "KIT": ["ART_CODE": .text("KIT"), "ART_TYPE": .text("N")],
        ]
        store.tables["ART_PROD"] = [
            "KIT|A|": [
                "ART_CODE": .text("KIT"), "PRD_CODE": .text("A"), "PRD_GAMME": .text(""), "PRD_QTE": .text("2.000"),
            ],
            "KIT|B|": [
                "ART_CODE": .text("KIT"), "PRD_CODE": .text("B"), "PRD_GAMME": .text(""), "PRD_QTE": .text("0.500"),
            ],
        ]
        store.tables["TABLES"] = [
            "TYPE_ECART|CA": ["TBL_ID": .text("TYPE_ECART"), "TBL_CODE": .text("CA")],
            "TYPE_PERTE|C": ["TBL_ID": .text("TYPE_PERTE"), "TBL_CODE": .text("C")],
        ]
        var preferences = store.preferences
        preferences["DEPOT_DEFAUT"] = "001"
        preferences["COMPTEUR_DOCUMENTS"] = "0000000001"
        for subType in ["E", "S", "X", "M", "T", "O"] { preferences["COMPTEUR_S_\(subType)"] = "S\(subType)-00001" }
        store.preferences = preferences
        return store
    }

    @Test(
        "the stock is always the sum of its movements, and stock documents never take it below zero", arguments: 0..<10)
    func stockInvariant(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let store = Self.societe()
        let subTypes = ["E", "E", "S", "X", "M", "T", "O"]
        for _ in 0..<10 {
            var lines = ["DOC_STYPE;DEP_CODE;DOC_TDEPOT;ART_CODE;MVT_QTE;MVT_TALTER;MVT_TPERTE"]
            for _ in 0..<(1 + random.below(30)) {
                let subType = subTypes[random.below(subTypes.count)]
                let depot = random.oneIn(2) ? "001" : "002"
                let article = subType == "O" ? "KIT" : ["A", "B"][random.below(2)]
                var quantity = 1 + random.below(20)
                if subType == "M" || (subType == "O" && random.oneIn(3)) { quantity -= 10 }
                lines.append(
                    [
                        subType, depot, subType == "T" ? (depot == "001" ? "002" : "001") : "", article,
                        String(quantity), subType == "M" ? "CA" : "", subType == "X" ? "C" : "",
                    ].joined(separator: ";"))
            }
            let parametres = importParameters(entete: true, lines: lines)
            let report = try Domaine.documentsStock.run(
                .test(stamp: AuditStamp.creation, parametres: parametres),
                layout: try FieldLayout(parametres: parametres, catalogue: .documentsStock), store: store)
            #expect(report.importedCount + report.rejectedCount == lines.count - 1)
        }
        var sums: [String: DecimalNumber] = [:]
        for movement in (store.tables["ART_MVT"] ?? [:]).values {
            let place = ["DEP_CODE", "ART_CODE", "ART_GAMME"].map { movement[$0]?.text ?? "" }.joined(separator: "|")
            sums[place + "|" + movement["MVT_STOCK"]!.text!, default: .zero] += DecimalNumber(
                movement["MVT_QTE"]!.text!)!
        }
        let stock = store.tables["ART_STOCK"] ?? [:]
        #expect(!stock.isEmpty)
        for (place, row) in stock {
            for column in StockColumn.allCases {
                let stored = try #require(row[column.rawValue]?.text.flatMap(DecimalNumber.init))
                #expect(stored == sums[place + "|" + column.rawValue] ?? .zero, "\(place) \(column)")
            }
            let value = { (column: StockColumn) in DecimalNumber(row[column.rawValue]!.text!)! }
            let actuel = value(.entrees) - value(.sorties) - value(.pertes) + value(.ecarts)
            #expect(!actuel.isNegative, "\(place)")
        }
    }
}
