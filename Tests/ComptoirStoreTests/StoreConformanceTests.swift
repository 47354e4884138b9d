import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// The stores the rules can be given: each must answer the port as the others do.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case sqlite
    /// A société on the PostgreSQL server of `COMPTOIR_TEST_POSTGRES`, when there is one.
    case postgres

    var testDescription: String { rawValue }

    /// The stores this run can give: PostgreSQL's only when a server is given.
    static var available: [StoreKind] { allCases.filter { $0 != .postgres || TestPostgres.isAvailable } }

    /// Runs `body` on a fresh store of this kind, inside one request's transaction.
    func run(_ body: @escaping @Sendable (any RecordStore) throws -> Void) async throws {
        switch self {
        case .memory:
            try body(MemoryStore())
        case .sqlite:
            try await withTemporaryFolder { folder in
                let societe = try makeSociete(in: folder)
                try await societe.write(rollback: false) { store in try body(store) }
            }
        case .postgres:
            try await withTemporaryFolder { folder in
                try await TestPostgres.createSociete("TEST", in: folder, user: "DEMO", password: "")
                let societe = try SocieteFolder(path: folder).societe(named: "TEST")
                try await societe.write(rollback: false) { store in try body(store) }
            }
        }
    }
}

/// The store port, held to the same answers by every store (`RecordStore`).
@Suite("The store port answers the same on every store")
struct StoreConformanceTests {
    private static func key(_ code: String, _ name: String) -> LineValues {
        LineValues([("VIL_CODE", .text(code)), ("VIL_NOM", .text(name))])
    }

    private static func city(_ code: String, _ name: String, pays: String) -> RecordChange {
        RecordChange(
            table: "VILLES", kind: .create, key: key(code, name), values: LineValues([("PAY_CODE", .text(pays))]))
    }

    @Test("a row written is read back by its key; no row, and no table, answer nothing", arguments: StoreKind.available)
    func rowsByKey(kind: StoreKind) async throws {
        try await kind.run { store in
            try store.write(Self.city("78120", "Rambouillet", pays: "FR"))
            #expect(
                try store.row(in: "VILLES", key: Self.key("78120", "Rambouillet"), columns: ["PAY_CODE", "VIL_NOM"])
                    == [.text("FR"), .text("Rambouillet")])
            #expect(try store.exists(in: "VILLES", key: Self.key("78120", "Rambouillet")))
            #expect(try store.row(in: "VILLES", key: Self.key("78120", "Paris"), columns: ["PAY_CODE"]) == nil)
            #expect(try !store.exists(in: "VILLES", key: Self.key("78120", "Paris")))
            let article = LineValues([("ABS_CODE", .text("A1"))])
            #expect(try !store.exists(in: "ABSENTE", key: article))
            #expect(try store.row(in: "ABSENTE", key: article, columns: ["ABS_CODE"]) == nil)
        }
    }

    @Test(
        "rows written together are those written one by one: long runs of one table and one shape, broken by another shape, another table and an update",
        arguments: StoreKind.available)
    func rowsWrittenTogether(kind: StoreKind) async throws {
        try await kind.run { store in
            let codes = (1...20).map { String(format: "%05d", $0) }
            var changes = codes[0..<11].map { Self.city($0, "Ville \($0)", pays: "FR") }
            changes.append(
                RecordChange(
                    table: "VILLES", kind: .create, key: Self.key(codes[11], "Ville \(codes[11])"),
                    values: LineValues([("PAY_CODE", .text("BE")), ("VIL_DEPART", .text("Namur"))])))
            changes.append(
                RecordChange(
                    table: "VILLES", kind: .update, key: Self.key(codes[3], "Ville \(codes[3])"),
                    values: LineValues([("VIL_DEPART", .text("Yvelines"))])))
            changes.append(
                RecordChange(
                    table: "TABLES", kind: .create,
                    key: LineValues([("TBL_ID", .text("T")), ("TBL_CODE", .text("1"))]),
                    values: LineValues([("TBL_LIB", .text("Un"))])))
            changes += codes[12...].map { Self.city($0, "Ville \($0)", pays: "ES") }
            try store.write(contentsOf: changes)
            let rows = try codes.map {
                try store.row(in: "VILLES", key: Self.key($0, "Ville \($0)"), columns: ["PAY_CODE", "VIL_DEPART"])
            }
            let expected: [[FieldValue]?] = codes.indices.map { index in
                switch index {
                case 3: [.text("FR"), .text("Yvelines")]
                case 11: [.text("BE"), .text("Namur")]
                case 12...: [.text("ES"), .null]
                default: [.text("FR"), .null]
                }
            }
            #expect(rows == expected)
            #expect(
                try store.exists(in: "TABLES", key: LineValues([("TBL_ID", .text("T")), ("TBL_CODE", .text("1"))])))
        }
    }

    @Test("an update changes only the columns it gives", arguments: StoreKind.available)
    func updates(kind: StoreKind) async throws {
        try await kind.run { store in
            let key = Self.key("75011", "Paris")
            try store.write(
                RecordChange(
                    table: "VILLES", kind: .create, key: key,
                    values: LineValues([("PAY_CODE", .text("FR")), ("VIL_DEPART", .text("Paris"))])))
            try store.write(
                RecordChange(table: "VILLES", kind: .update, key: key, values: LineValues([("VIL_DEPART", .null)])))
            #expect(
                try store.row(in: "VILLES", key: key, columns: ["PAY_CODE", "VIL_DEPART"]) == [.text("FR"), .null])
        }
    }

    @Test(
        "many updates of stored rows, one row twice, texts, numbers and NULLs, are read back",
        arguments: StoreKind.available)
    func manyUpdates(kind: StoreKind) async throws {
        try await kind.run { store in
            let codes = (1...5).map { LineValues([("PCF_CODE", .text("T\"\($0)"))]) }
            for code in codes {
                try store.write(
                    RecordChange(
                        table: "TIERS", kind: .create, key: code,
                        values: LineValues([
                            ("PCF_TYPE", .text("C")), ("PCF_RS", .text("Avant")), ("PCF_NUMMAJ", .integer(0)),
                        ])
                    ))
            }
            // The rows reach the database: the updates below are of stored rows.
            try store.prepare(for: [], then: nil)
            for (index, code) in codes.enumerated() {
                try store.write(
                    RecordChange(
                        table: "TIERS", kind: .update, key: code,
                        values: LineValues([
                            ("PCF_RS", index == 1 ? .null : .text("Après {\(index)}, \\")),
                            ("PCF_NUMMAJ", .integer(index)),
                        ])))
            }
            try store.write(
                RecordChange(
                    table: "TIERS", kind: .update, key: codes[0], values: LineValues([("PCF_NUMMAJ", .integer(9))])))
            let rows = try codes.map { try store.row(in: "TIERS", key: $0, columns: ["PCF_RS", "PCF_NUMMAJ"]) }
            #expect(
                rows == [
                    [.text("Après {0}, \\"), .integer(9)], [.null, .integer(1)], [.text("Après {2}, \\"), .integer(2)],
                    [.text("Après {3}, \\"), .integer(3)], [.text("Après {4}, \\"), .integer(4)],
                ])
        }
    }

    @Test("a look-up on other columns than the key skips the row it is told to", arguments: StoreKind.available)
    func firstRowMatching(kind: StoreKind) async throws {
        try await kind.run { store in
            try store.write(Self.city("69001", "Lyon", pays: "FR"))
            try store.write(Self.city("69002", "Lyon", pays: "FR"))
            let lyon = LineValues([("VIL_NOM", .text("Lyon"))])
            #expect(
                try store.firstRow(
                    in: "VILLES", matching: lyon, other: Self.key("69001", "Lyon"), columns: ["VIL_CODE"])
                    == [.text("69002")])
            #expect(
                try store.firstRow(
                    in: "VILLES", matching: LineValues([("VIL_NOM", .text("Nice"))]), other: Self.key("1", "1"),
                    columns: ["VIL_CODE"]) == nil)
            #expect(
                try store.rows(in: "VILLES", matching: lyon, columns: ["VIL_CODE", "PAY_CODE"])
                    == [[.text("69001"), .text("FR")], [.text("69002"), .text("FR")]])
            #expect(try store.rows(in: "ABSENTE", matching: lyon, columns: ["ABS_CODE"]).isEmpty)
            #expect(
                try store.firstValue(of: "VIL_CODE", in: "VILLES", matching: lyon, from: "69002", through: "69999")
                    == "69002")
            #expect(
                try store.firstValue(of: "VIL_CODE", in: "VILLES", matching: lyon, from: "69003", through: "69999")
                    == nil)
            #expect(
                try store.firstValue(of: "VIL_CODE", in: "VILLES", matching: lyon, from: "10000", through: "69001")
                    == "69001")
            // Of the width of the range only: a counter's numbers of one width.
            try store.write(Self.city("6901", "Lyon", pays: "FR"))
            #expect(
                try store.firstValue(of: "VIL_CODE", in: "VILLES", matching: lyon, from: "690000", through: "699999")
                    == nil)
            #expect(
                try store.firstValue(
                    of: "VIL_CODE", in: "VILLES", matching: LineValues([("VIL_NOM", .text("Nice"))]), from: "0",
                    through: "9") == nil)
            #expect(
                try store.firstValue(of: "ABS_CODE", in: "ABSENTE", matching: lyon, from: "0", through: "9") == nil)
        }
    }

    @Test(
        "a counter gives its value and keeps the next one; an unknown counter gives nothing",
        arguments: StoreKind.available)
    func counters(kind: StoreKind) async throws {
        try await kind.run { store in
            let code = LineValues([("PRF_CODE", .text("COMPTEUR_ESSAI"))])
            try store.write(
                RecordChange(
                    table: "PREFERENCES", kind: .create, key: code,
                    values: LineValues([("PRF_VALEUR", .text("ESS26-00099"))])
                ))
            #expect(try store.nextNumber(of: "COMPTEUR_ESSAI") == "ESS26-00099")
            #expect(try store.nextNumber(of: "COMPTEUR_ESSAI") == "ESS26-00100")
            #expect(try store.preference("COMPTEUR_ESSAI") == "ESS26-00101")
            #expect(try store.nextNumber(of: "COMPTEUR_INCONNU") == nil)
        }
    }

    @Test("custom columns are added once and listed", arguments: StoreKind.available)
    func customColumns(kind: StoreKind) async throws {
        try await kind.run { store in
            try store.addCustomColumns(["XXX_NOTE"], to: "PERSONNEL")
            try store.addCustomColumns(["XXX_NOTE", "XXX_BADGE"], to: "PERSONNEL")
            #expect(Set(try store.customColumns(of: "PERSONNEL")) == ["XXX_NOTE", "XXX_BADGE"])
        }
    }

    @Test("the typed reads of tiers and accounts, and the one-look read, agree", arguments: StoreKind.available)
    func typedReads(kind: StoreKind) async throws {
        try await kind.run { store in
            try store.write(
                RecordChange(
                    table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text("C1"))]),
                    values: LineValues([
                        ("PCF_TYPE", .text("C")), ("PCF_RS", .text("Un")), ("CPT_NUMERO", .text("411C1")),
                        ("PAY_CODE", .text("FR")), ("PCF_NUMMAJ", .integer(3)),
                    ])))
            try store.write(
                RecordChange(
                    table: "COMPTES", kind: .create, key: LineValues([("CPT_NUMERO", .text("411C1"))]),
                    values: LineValues([("CPT_TYPE", .text("C")), ("PCF_CODE", .text("C1")), ("CPT_LIB", .text("Un"))]))
            )
            let tiers = ExistingTiers(type: .client, accountNumber: "411C1", payCode: "FR", updateCount: 3)
            #expect(try store.tiers(code: "C1") == tiers)
            #expect(try store.account(number: "411C1") == ExistingAccount(type: "C", tiersCode: "C1"))
            #expect(try store.tiersHoldingAccount("411C1", other: "C2") == "C1")
            #expect(try store.tiersHoldingAccount("411C1", other: "C1") == nil)
            for (code, number) in [("C1", "411C1"), ("C2", "411C1"), ("C1", "411X"), ("C9", "411X")] {
                let generic = TiersAndAccount(
                    tiers: try store.tiers(code: code), account: try store.account(number: number),
                    otherHolder: try store.tiersHoldingAccount(number, other: code))
                #expect(try store.tiersAndAccount(code: code, accountNumber: number) == generic, "\(code) \(number)")
            }
        }
    }

    @Test(
        "rows just written are read back by key and by other columns, many at once, a checkbox not given as 0",
        arguments: StoreKind.available.filter { $0 != .memory })
    func manyRowsReadBack(kind: StoreKind) async throws {
        try await kind.run { store in
            for index in 0..<3000 {
                try store.write(
                    Self.city(String(index), "Ville \(index % 7)", pays: index.isMultiple(of: 2) ? "FR" : "BE"))
            }
            #expect(try store.exists(in: "VILLES", key: Self.key("2999", "Ville 3")))
            #expect(try store.row(in: "VILLES", key: Self.key("10", "Ville 3"), columns: ["PAY_CODE"]) == [.text("FR")])
            #expect(
                try store.firstRow(
                    in: "VILLES", matching: LineValues([("PAY_CODE", .text("BE"))]), other: Self.key("1", "Ville 1"),
                    columns: ["PAY_CODE"]) == [.text("BE")])
            #expect(
                try store.rows(
                    in: "VILLES", matching: LineValues([("VIL_NOM", .text("Ville 6"))]), columns: ["VIL_CODE"]
                )
                .count == 428)
            let code = LineValues([("PCF_CODE", .text("C1"))])
            try store.write(
                RecordChange(
                    table: "TIERS", kind: .create, key: code,
                    values: LineValues([("PCF_TYPE", .text("C")), ("PCF_RS", .text("Un"))])))
            #expect(
                try store.row(in: "TIERS", key: code, columns: ["PCF_RS", "PCF_DORT", "CPT_NUMERO"]) == [
                    .text("Un"), .integer(0), .null,
                ])
            try store.write(
                RecordChange(table: "TIERS", kind: .update, key: code, values: LineValues([("PCF_RS", .text("Deux"))])))
            #expect(try store.row(in: "TIERS", key: code, columns: ["PCF_RS"]) == [.text("Deux")])
        }
    }

    @Test(
        "texts with tabs, line breaks, backslashes and quotes are stored as given", arguments: StoreKind.available)
    func awkwardTexts(kind: StoreKind) async throws {
        let names = [
            "a\tb", "ligne\nsuivante\r\n", "C:\\dossier\\N", "\\N", "l'\"été\"", "",
            "un texte plus long, accentué :\tà la fin\\", "\\\t\n\r",
        ]
        try await kind.run { store in
            for (index, name) in names.enumerated() {
                try store.write(Self.city(String(index), "Ville", pays: name))
            }
            // A read by other columns than the key sends the rows waiting first.
            let stored = try store.rows(
                in: "VILLES", matching: LineValues([("VIL_NOM", .text("Ville"))]), columns: ["VIL_CODE", "PAY_CODE"])
            #expect(stored.map { $0[1] } == names.map { FieldValue.text($0) })
        }
    }

    @Test(
        "reads told in advance answer as reads made when they come, rows written since included",
        arguments: StoreKind.available, Telling.allCases)
    func preparedReads(kind: StoreKind, telling: Telling) async throws {
        try await kind.run { store in
            func tiers(_ code: String, account: String) -> [RecordChange] {
                [
                    RecordChange(
                        table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text(code))]),
                        values: LineValues([("PCF_TYPE", .text("C")), ("CPT_NUMERO", .text(account))])),
                    RecordChange(
                        table: "COMPTES", kind: .create, key: LineValues([("CPT_NUMERO", .text(account))]),
                        values: LineValues([("CPT_TYPE", .text("C")), ("PCF_CODE", .text(code))])),
                ]
            }
            for change in tiers("A\"1", account: "411\\A") { try store.write(change) }
            let pairs = [("A\"1", "411\\A"), ("B,2", "411\\A"), ("C{3}", "411C"), ("D4", "411D")]
            // Written after the reads were told: D4 with the account C{3} asks for.
            try Self.tell(pairs.map { .tiersAndAccount(code: $0.0, accountNumber: $0.1) }, telling, to: store) {
                for change in tiers("D4", account: "411C") { try store.write(change) }
            }
            let answers = try pairs.map { try store.tiersAndAccount(code: $0.0, accountNumber: $0.1) }
            #expect(answers[0].tiers?.accountNumber == "411\\A" && answers[0].otherHolder == nil)
            #expect(
                answers[1].tiers == nil && answers[1].account?.tiersCode == "A\"1" && answers[1].otherHolder == "A\"1")
            #expect(answers[2].tiers == nil && answers[2].account?.tiersCode == "D4" && answers[2].otherHolder == "D4")
            #expect(answers[3].tiers?.accountNumber == "411C" && answers[3].account == nil)
        }
    }

    @Test(
        "a tiers updated after the reads were told changes the answers of its code and of its old and new numbers",
        arguments: StoreKind.available, Telling.allCases)
    func preparedReadsAfterAnUpdate(kind: StoreKind, telling: Telling) async throws {
        try await kind.run { store in
            let code = LineValues([("PCF_CODE", .text("A1"))])
            try store.write(
                RecordChange(
                    table: "TIERS", kind: .create, key: code,
                    values: LineValues([("PCF_TYPE", .text("C")), ("CPT_NUMERO", .text("411A"))])))
            // The rows reach the database, then the next chunk's reads are told.
            try store.prepare(for: [], then: nil)
            let pairs = [("A1", "411A"), ("B2", "411A"), ("C3", "411C"), ("D4", "411D")]
            try Self.tell(pairs.map { .tiersAndAccount(code: $0.0, accountNumber: $0.1) }, telling, to: store) {
                try store.write(
                    RecordChange(
                        table: "TIERS", kind: .update, key: code,
                        values: LineValues([("CPT_NUMERO", .text("411C")), ("PCF_NUMMAJ", .integer(2))])))
            }
            let answers = try pairs.map { try store.tiersAndAccount(code: $0.0, accountNumber: $0.1) }
            #expect(answers[0].tiers?.accountNumber == "411C" && answers[0].tiers?.updateCount == 2)
            #expect(answers[1].otherHolder == nil)
            #expect(answers[2].otherHolder == "A1")
            #expect(answers[3].otherHolder == nil && answers[3].tiers == nil)
        }
    }

    @Test(
        "a tiers created, then sent behind the reads told, then updated, is read back as updated",
        arguments: StoreKind.available, Telling.allCases)
    func preparedReadsOfARowSentThenUpdated(kind: StoreKind, telling: Telling) async throws {
        try await kind.run { store in
            let code = LineValues([("PCF_CODE", .text("A1"))])
            try store.write(
                RecordChange(
                    table: "TIERS", kind: .create, key: code,
                    values: LineValues([
                        ("PCF_TYPE", .text("C")), ("CPT_NUMERO", .text("411A")), ("PAY_CODE", .text("FR")),
                        ("PCF_NUMMAJ", .integer(1)),
                    ])))
            // The reads are made before the row travels; it gives every column they look at.
            try Self.tell([.tiersAndAccount(code: "A1", accountNumber: "411A")], telling, to: store) {
                try store.write(
                    RecordChange(
                        table: "TIERS", kind: .update, key: code,
                        values: LineValues([("CPT_NUMERO", .text("411B")), ("PCF_NUMMAJ", .integer(2))])))
            }
            let answer = try store.tiersAndAccount(code: "A1", accountNumber: "411A")
            #expect(answer.tiers?.accountNumber == "411B" && answer.tiers?.updateCount == 2)
        }
    }

    @Test(
        "existence told in advance answers as when asked, rows created since included, however they were sent",
        arguments: StoreKind.available, Telling.allCases)
    func preparedExistence(kind: StoreKind, telling: Telling) async throws {
        try await kind.run { store in
            let cities = [("78120", "Rambouillet"), ("75011", "Paris"), ("69003", "Lyon"), ("13001", "Marseille")]
            func key(_ index: Int) -> LineValues { Self.key(cities[index].0, cities[index].1) }
            try store.write(Self.city(cities[0].0, cities[0].1, pays: "FR"))
            try store.prepare(for: [], then: nil)
            // Created after: one waits, one is sent at once by a read by other columns.
            try Self.tell(cities.indices.map { .exists(in: "VILLES", key: key($0)) }, telling, to: store) {
                try store.write(Self.city(cities[1].0, cities[1].1, pays: "FR"))
                _ = try store.rows(
                    in: "VILLES", matching: LineValues([("PAY_CODE", .text("FR"))]), columns: ["VIL_CODE"])
                try store.write(Self.city(cities[2].0, cities[2].1, pays: "FR"))
            }
            #expect(
                try cities.indices.map { try store.exists(in: "VILLES", key: key($0)) } == [true, true, true, false])
        }
    }

    /// When a chunk's reads are told to the store: as the chunk starts, or with the chunk before.
    enum Telling: CaseIterable, Sendable {
        case withTheChunk, withTheChunkBefore
    }

    /// Tells `store` the reads of the next lines, and makes `writes`: after them, in the same
    /// chunk, or before them, as the chunk before.
    static func tell(
        _ reads: [PlannedRead], _ telling: Telling, to store: any RecordStore, around writes: () throws -> Void
    ) throws {
        switch telling {
        case .withTheChunk:
            try store.prepare(for: reads, then: nil)
            try writes()
        case .withTheChunkBefore:
            try store.prepare(for: [], then: reads)
            try writes()
            try store.prepare(for: reads, then: nil)
        }
    }
}
