import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// The billing address 001 a tiers import writes to `ADRESSES` (issue 3).
@Suite struct TiersBillingAddressTests {

    @discardableResult
    private func importLine(
        _ type: TiersType, _ pairs: KeyValuePairs<String, String>, into store: MemoryStore
    ) throws -> LineOutcome {
        let catalogue: Catalogue =
            switch type {
            case .client: .clients
            case .fournisseur: .fournisseurs
            case .prospect: .prospects
            }
        return try TiersRules(type: type, catalogue: catalogue, stamp: AuditStamp.creation).importLine(
            lineValues(pairs), into: store)
    }

    private func key(_ code: String) -> LineValues {
        LineValues([("ADR_TBL", .text("PCF")), ("ADR_CODE", .text(code)), ("ADR_NUMERO", .text("001"))])
    }

    @Test func creationMapsEveryBillingColumn() throws {
        let store = MemoryStore()
        let line = LineValues([
            ("PCF_CODE", .text("C1")), ("PCF_RS", .text("Sport 25")), ("CPT_NUMERO", .text("411C1")),
            ("PCF_RUE", .text("5 rue Cugnot")), ("PCF_COMP", .text("ZA Du Pâtis")), ("PCF_ETAT", .text("IDF")),
            ("PCF_REG", .text("Yvelines")), ("PCF_CP", .text("78120")), ("PCF_VILLE", .text("RAMBOUILLET")),
            ("PAY_CODE", .text("fr")), ("PCF_TEL1", .text("0130000001")), ("PCF_TEL2", .text("0130000002")),
            ("PCF_FAX", .text("0130000003")), ("PCF_TELEX", .text("T1")), ("PCF_EMAIL", .text("contact@sport25.fr")),
            ("PCF_URL", .text("https://sport25.fr")), ("PCF_ADRMEM", .text("Portail bleu")), ("PCF_NPAI", .integer(1)),
            ("PCF_CBARAD", .text("123456")), ("PCF_SIRET", .text("73282932000074")), ("PCF_MEMO", .text("Note")),
        ])
        #expect(
            try TiersRules(type: .client, catalogue: .clients, stamp: AuditStamp.creation).importLine(line, into: store)
                == .imported(warnings: []))
        #expect(
            store.changes[1]
                == RecordChange(
                    table: "ADRESSES", kind: .create, key: key("C1"),
                    values: LineValues([
                        ("ADR_RUE", .text("5 rue Cugnot")), ("ADR_COMP", .text("ZA Du Pâtis")),
                        ("ADR_ETAT", .text("IDF")),
                        ("ADR_REG", .text("Yvelines")), ("ADR_CP", .text("78120")), ("ADR_VILLE", .text("RAMBOUILLET")),
                        ("PAY_CODE", .text("FR")), ("ADR_TEL1", .text("0130000001")), ("ADR_TEL2", .text("0130000002")),
                        ("ADR_FAX", .text("0130000003")), ("ADR_TELEX", .text("T1")),
                        ("ADR_EMAIL", .text("contact@sport25.fr")), ("ADR_URL", .text("https://sport25.fr")),
                        ("ADR_MEMO", .text("Portail bleu")), ("ADR_NPAI", .integer(1)), ("ADR_CBAR", .text("123456")),
                    ])))
    }

    @Test(arguments: [TiersType.client, .fournisseur, .prospect])
    func everyNewTiersGetsAnAddress001EvenWithoutBillingColumns(type: TiersType) throws {
        let store = MemoryStore()
        #expect(
            try importLine(type, ["PCF_CODE": "T1", "PCF_RS": "A", "CPT_NUMERO": "4T1"], into: store)
                == .imported(warnings: []))
        #expect(
            store.changes[1] == RecordChange(table: "ADRESSES", kind: .create, key: key("T1"), values: LineValues([])))
        #expect(
            store.row("ADRESSES", "PCF", "T1", "001") == [
                "ADR_TBL": .text("PCF"), "ADR_CODE": .text("T1"), "ADR_NUMERO": .text("001"),
            ])
    }

    @Test func updateWithoutBillingColumnsLeavesTheAddress() throws {
        let store = MemoryStore()
        try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_VILLE": "Paris"], into: store)
        try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "B", "PCF_SIREN": "732829320"], into: store)
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "TIERS"])
    }

    @Test func updateClearingABillingColumnClearsItInTheAddress() throws {
        let store = MemoryStore()
        try importLine(
            .prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_VILLE": "Paris", "PCF_CP": "75001"], into: store)
        try importLine(.prospect, ["PCF_CODE": "P1", "PCF_VILLE": "", "PAY_CODE": "de", "PCF_RS": "A"], into: store)
        #expect(
            store.changes.last
                == RecordChange(
                    table: "ADRESSES", kind: .update, key: key("P1"),
                    values: LineValues([("ADR_VILLE", .null), ("PAY_CODE", .text("DE"))])))
        #expect(
            store.row("ADRESSES", "PCF", "P1", "001") == [
                "ADR_TBL": .text("PCF"), "ADR_CODE": .text("P1"), "ADR_NUMERO": .text("001"), "ADR_VILLE": .null,
                "ADR_CP": .text("75001"), "PAY_CODE": .text("DE"),
            ])
    }

    @Test func updateOfATiersWithoutAddress001CreatesIt() throws {
        let store = MemoryStore()
        store.addTiers("F1", .fournisseur)
        try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "A", "PCF_VILLE": "Lyon"], into: store)
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES"])
        #expect(
            store.changes.last
                == RecordChange(
                    table: "ADRESSES", kind: .create, key: key("F1"), values: LineValues([("ADR_VILLE", .text("Lyon"))])
                ))
    }

    @Test func prospectTurnedIntoAClientKeepsItsAddress() throws {
        let store = MemoryStore()
        try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_VILLE": "Lyon"], into: store)
        try importLine(
            .client, ["PCF_CODE": "P1", "PCF_RS": "A", "CPT_NUMERO": "411P1", "PCF_CP": "69001"], into: store)
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "TIERS", "ADRESSES", "COMPTES"])
        #expect(store.changes.map(\.kind) == [.create, .create, .update, .update, .create])
        #expect(store.row("ADRESSES", "PCF", "P1", "001")?["ADR_VILLE"] == .text("Lyon"))
        #expect(store.row("ADRESSES", "PCF", "P1", "001")?["ADR_CP"] == .text("69001"))
    }

    @Test func rejectedLineWritesNoAddress() throws {
        let store = MemoryStore()
        #expect(
            try importLine(
                .client,
                ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411C1", "PAY_CODE": "XX", "PCF_VILLE": "Paris"],
                into: store)
                == rejected("Le code pays XX n'existe pas"))
        #expect(store.changes.isEmpty)
        #expect(store.tables["ADRESSES"] == nil)
    }
}
