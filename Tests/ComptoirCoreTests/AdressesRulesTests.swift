import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// The import rules of AdressesTiers: `ADRESSES` keyed on (`ADR_TBL` = `PCF`, `ADR_CODE`,
/// `ADR_NUMERO`), address 001 kept equal to the billing columns of `TIERS` (issue 3).
@Suite struct AdressesRulesTests {

    /// Every column of an address but its key, in catalogue order.
    static let addressColumns = [
        "ADR_TITLE", "ADR_NPAI", "ADR_RS", "ADR_RS2", "ADR_RUE", "ADR_COMP", "ADR_REG", "ADR_ETAT", "ADR_CP",
        "ADR_VILLE", "PAY_CODE", "ADR_TEL1", "ADR_TEL2", "ADR_FAX", "ADR_TELEX", "ADR_CBAR", "ADR_SIRET", "ADR_EMAIL",
        "ADR_URL", "ADR_MEMO",
    ]

    /// The values an address import writes: every column, those not given as `.null`, then `custom`.
    private func wholeAddress(_ given: [String: FieldValue], custom: [String] = []) -> LineValues {
        LineValues((Self.addressColumns + custom).map { ($0, given[$0] ?? .null) })
    }

    private func key(_ code: String, _ numero: String) -> LineValues {
        LineValues([("ADR_TBL", .text("PCF")), ("ADR_CODE", .text(code)), ("ADR_NUMERO", .text(numero))])
    }

    @discardableResult
    private func importLine(
        _ pairs: KeyValuePairs<String, String>, into store: MemoryStore, stamp: AuditStamp = AuditStamp.creation
    ) throws -> LineOutcome {
        try AdressesRules(stamp: stamp).importLine(lineValues(pairs), into: store)
    }

    /// A client created by the Clients import, with its address 001.
    private func storeWithClient() throws -> MemoryStore {
        let store = MemoryStore()
        let outcome = try TiersRules(type: .client, catalogue: .clients, stamp: AuditStamp.creation).importLine(
            lineValues([
                "PCF_CODE": "C1", "PCF_RS": "Sport 25", "CPT_NUMERO": "411C1", "PCF_RUE": "1 rue A",
                "PCF_VILLE": "Paris",
                "PCF_TEL1": "0102030405", "PCF_EMAIL": "a@b.fr",
            ]), into: store)
        #expect(outcome == .imported(warnings: []))
        return store
    }

    /// Whether the billing columns of the tiers and its address 001 hold the same values.
    private func billingAgrees(_ store: MemoryStore, _ code: String) -> Bool {
        guard let tiers = store.tiersRows[code], let address = store.row("ADRESSES", "PCF", code, "001") else {
            return false
        }
        return BillingAddress.columns.allSatisfy { tiers[$0.tiers] == address[$0.adresse] }
    }

    // MARK: Required fields, number, tiers, country

    @Test func requiredFields() throws {
        let store = try storeWithClient()
        let changes = store.changes.count
        #expect(try importLine([:], into: store) == rejected("Code tiers manquant", "Numéro d'adresse manquant"))
        #expect(
            try importLine(["ADR_CODE": "", "ADR_NUMERO": "", "ADR_RUE": "x"], into: store)
                == rejected("Code tiers manquant", "Numéro d'adresse manquant"))
        #expect(try importLine(["ADR_CODE": "C1"], into: store) == rejected("Numéro d'adresse manquant"))
        #expect(try importLine(["ADR_NUMERO": "002"], into: store) == rejected("Code tiers manquant"))
        #expect(store.changes.count == changes)
    }

    @Test(arguments: ["1", "01", "1000", "000", "A01", "0 1", "-01", "1.5", "٠٠٢"])
    func addressNumberIsThreeDigitsFrom001To999(numero: String) throws {
        let store = try storeWithClient()
        let changes = store.changes.count
        #expect(
            try importLine(["ADR_CODE": "C1", "ADR_NUMERO": numero, "ADR_RUE": "x"], into: store)
                == rejected("Le numéro d'adresse \(numero) doit avoir trois chiffres, de 001 à 999"))
        #expect(store.changes.count == changes)
    }

    @Test(arguments: ["001", "002", "010", "099", "100", "999"])
    func validAddressNumbers(numero: String) throws {
        let store = try storeWithClient()
        #expect(try importLine(["ADR_CODE": "C1", "ADR_NUMERO": numero], into: store) == .imported(warnings: []))
        #expect(store.row("ADRESSES", "PCF", "C1", numero) != nil)
    }

    @Test func unknownTiersIsRejected() throws {
        let store = MemoryStore()
        #expect(
            try importLine(["ADR_CODE": "X9", "ADR_NUMERO": "002", "ADR_RUE": "x"], into: store)
                == rejected("Le code tiers X9 n'existe pas"))
        #expect(store.changes.isEmpty)
    }

    @Test func everyReasonOfALine() throws {
        let store = MemoryStore()
        #expect(
            try importLine(["ADR_CODE": "X9", "ADR_NUMERO": "A01", "PAY_CODE": "XX"], into: store)
                == rejected(
                    "Le numéro d'adresse A01 doit avoir trois chiffres, de 001 à 999", "Le code tiers X9 n'existe pas",
                    "Le code pays XX n'existe pas"))
        #expect(store.changes.isEmpty)
    }

    @Test func countryIsCheckedAndStoredInCapitals() throws {
        let store = try storeWithClient()
        let changes = store.changes.count
        #expect(
            try importLine(["ADR_CODE": "C1", "ADR_NUMERO": "002", "PAY_CODE": "XX"], into: store)
                == rejected("Le code pays XX n'existe pas"))
        #expect(store.changes.count == changes)
        #expect(
            try importLine(["ADR_CODE": "C1", "ADR_NUMERO": "002", "PAY_CODE": "de"], into: store)
                == .imported(warnings: []))
        #expect(store.row("ADRESSES", "PCF", "C1", "002")?["PAY_CODE"] == .text("DE"))
        #expect(
            try importLine(["ADR_CODE": "C1", "ADR_NUMERO": "003", "PAY_CODE": ""], into: store)
                == .imported(warnings: []))
        #expect(store.row("ADRESSES", "PCF", "C1", "003")?["PAY_CODE"] == .null)
    }

    @Test func tiersOfEveryKindHaveAddresses() throws {
        let store = MemoryStore()
        store.addTiers("F1", .fournisseur)
        store.addTiers("P1", .prospect)
        #expect(try importLine(["ADR_CODE": "F1", "ADR_NUMERO": "002"], into: store) == .imported(warnings: []))
        #expect(try importLine(["ADR_CODE": "P1", "ADR_NUMERO": "002"], into: store) == .imported(warnings: []))
        #expect(store.tables["ADRESSES"]?.count == 2)
    }

    // MARK: Delivery addresses: the whole address replaced

    @Test func deliveryAddressIsCreatedWithEveryColumnAndLeavesTheTiersAlone() throws {
        let store = try storeWithClient()
        let tiersBefore = store.tiersRows["C1"]
        let changes = store.changes.count
        #expect(
            try importLine(
                [
                    "ADR_CODE": "C1", "ADR_NUMERO": "002", "ADR_RS": "Entrepôt", "ADR_RUE": "3 rue B",
                    "ADR_CP": "78000",
                    "ADR_VILLE": "Versailles",
                ], into: store) == .imported(warnings: []))
        #expect(
            Array(store.changes.dropFirst(changes)) == [
                RecordChange(
                    table: "ADRESSES", kind: .create, key: key("C1", "002"),
                    values: wholeAddress([
                        "ADR_RS": .text("Entrepôt"), "ADR_RUE": .text("3 rue B"), "ADR_CP": .text("78000"),
                        "ADR_VILLE": .text("Versailles"),
                    ]))
            ])
        #expect(store.tiersRows["C1"] == tiersBefore)
        #expect(store.row("ADRESSES", "PCF", "C1", "002")?["ADR_VILLE"] == .text("Versailles"))
        #expect(store.row("ADRESSES", "PCF", "C1", "001")?["ADR_VILLE"] == .text("Paris"))
    }

    @Test func updateReplacesTheWholeAddressCustomColumnsIncluded() throws {
        let store = try storeWithClient()
        try store.addCustomColumns(["XXX_PORTE"], to: "ADRESSES")
        try importLine(
            [
                "ADR_CODE": "C1", "ADR_NUMERO": "002", "ADR_RUE": "3 rue B", "ADR_VILLE": "Versailles",
                "ADR_TEL1": "0139000000", "XXX_PORTE": "B",
            ], into: store)
        #expect(store.row("ADRESSES", "PCF", "C1", "002")?["XXX_PORTE"] == .text("B"))
        let changes = store.changes.count
        #expect(
            try importLine(
                ["ADR_CODE": "C1", "ADR_NUMERO": "002", "ADR_CP": "78000"], into: store, stamp: AuditStamp.later)
                == .imported(warnings: []))
        #expect(
            Array(store.changes.dropFirst(changes)) == [
                RecordChange(
                    table: "ADRESSES", kind: .update, key: key("C1", "002"),
                    values: wholeAddress(["ADR_CP": .text("78000")], custom: ["XXX_PORTE"]))
            ])
        var expected = Dictionary(
            uniqueKeysWithValues: (Self.addressColumns + ["XXX_PORTE"]).map { ($0, FieldValue.null) })
        expected["ADR_TBL"] = .text("PCF")
        expected["ADR_CODE"] = .text("C1")
        expected["ADR_NUMERO"] = .text("002")
        expected["ADR_CP"] = .text("78000")
        #expect(store.row("ADRESSES", "PCF", "C1", "002") == expected)
    }

    @Test func checkboxAndMemoAreKept() throws {
        let store = try storeWithClient()
        let line = LineValues([
            ("ADR_CODE", .text("C1")), ("ADR_NUMERO", .text("002")), ("ADR_NPAI", .integer(1)),
            ("ADR_MEMO", .text("Livrer\nle matin")),
        ])
        #expect(try AdressesRules(stamp: AuditStamp.creation).importLine(line, into: store) == .imported(warnings: []))
        #expect(store.row("ADRESSES", "PCF", "C1", "002")?["ADR_NPAI"] == .integer(1))
        #expect(store.row("ADRESSES", "PCF", "C1", "002")?["ADR_MEMO"] == .text("Livrer\nle matin"))
    }

    // MARK: Address 001 and the billing columns of TIERS

    @Test func billingColumnsOfTheTwoTables() {
        #expect(BillingAddress.numero == "001")
        #expect(
            BillingAddress.columns.map(\.tiers) == [
                "PCF_RUE", "PCF_COMP", "PCF_ETAT", "PCF_REG", "PCF_CP", "PCF_VILLE", "PAY_CODE", "PCF_TEL1", "PCF_TEL2",
                "PCF_FAX", "PCF_TELEX", "PCF_EMAIL", "PCF_URL", "PCF_ADRMEM", "PCF_NPAI", "PCF_CBARAD",
            ])
        #expect(
            BillingAddress.columns.map(\.adresse) == [
                "ADR_RUE", "ADR_COMP", "ADR_ETAT", "ADR_REG", "ADR_CP", "ADR_VILLE", "PAY_CODE", "ADR_TEL1", "ADR_TEL2",
                "ADR_FAX", "ADR_TELEX", "ADR_EMAIL", "ADR_URL", "ADR_MEMO", "ADR_NPAI", "ADR_CBAR",
            ])
        // Each side is a field of its catalogues, of the same type.
        for catalogue in [Catalogue.clients, .fournisseurs, .prospects] {
            for column in BillingAddress.columns {
                let tiers = catalogue.field(named: column.tiers)
                let adresse = Catalogue.adressesTiers.field(named: column.adresse)
                #expect(tiers != nil && adresse != nil, "\(column)")
                #expect(tiers?.type == adresse?.type, "\(column)")
            }
        }
    }

    @Test func address001WritesEveryBillingColumnOfTheTiers() throws {
        let store = try storeWithClient()
        let changes = store.changes.count
        let line = LineValues([
            ("ADR_CODE", .text("C1")), ("ADR_NUMERO", .text("001")), ("ADR_RS", .text("Sport 25 facturation")),
            ("ADR_RUE", .text("5 rue Cugnot")), ("ADR_CP", .text("78120")), ("ADR_VILLE", .text("RAMBOUILLET")),
            ("PAY_CODE", .text("fr")), ("ADR_NPAI", .integer(0)), ("ADR_MEMO", .text("Sonner deux fois")),
            ("ADR_TEL1", .null),
        ])
        #expect(try AdressesRules(stamp: AuditStamp.later).importLine(line, into: store) == .imported(warnings: []))
        let given: [String: FieldValue] = [
            "ADR_RS": .text("Sport 25 facturation"), "ADR_RUE": .text("5 rue Cugnot"), "ADR_CP": .text("78120"),
            "ADR_VILLE": .text("RAMBOUILLET"), "PAY_CODE": .text("FR"), "ADR_NPAI": .integer(0),
            "ADR_MEMO": .text("Sonner deux fois"),
        ]
        #expect(
            Array(store.changes.dropFirst(changes)) == [
                RecordChange(table: "ADRESSES", kind: .update, key: key("C1", "001"), values: wholeAddress(given)),
                RecordChange(
                    table: "TIERS", kind: .update, key: LineValues([("PCF_CODE", .text("C1"))]),
                    values: LineValues([
                        ("PCF_RUE", .text("5 rue Cugnot")), ("PCF_COMP", .null), ("PCF_ETAT", .null),
                        ("PCF_REG", .null),
                        ("PCF_CP", .text("78120")), ("PCF_VILLE", .text("RAMBOUILLET")), ("PAY_CODE", .text("FR")),
                        ("PCF_TEL1", .null), ("PCF_TEL2", .null), ("PCF_FAX", .null), ("PCF_TELEX", .null),
                        ("PCF_EMAIL", .null), ("PCF_URL", .null), ("PCF_ADRMEM", .text("Sonner deux fois")),
                        ("PCF_NPAI", .integer(0)), ("PCF_CBARAD", .null), ("PCF_DTMAJ", .text("2024-03-16 08:00:00")),
                        ("PCF_USRMAJ", .text("ADM")), ("PCF_NUMMAJ", .integer(2)),
                    ])),
            ])
        let tiers = try #require(store.tiersRows["C1"])
        // The other columns of the tiers are left as they were.
        #expect(tiers["PCF_RS"] == .text("Sport 25"))
        #expect(tiers["CPT_NUMERO"] == .text("411C1"))
        #expect(tiers["PCF_DTCREE"] == .text("2024-03-15 10:20:30"))
        #expect(tiers["PCF_USRCRE"] == .text("DEMO"))
        #expect(tiers["PCF_TEL1"] == .null)
        #expect(tiers["PCF_EMAIL"] == .null)
        #expect(billingAgrees(store, "C1"))
    }

    @Test func address001OfATiersThatHadNoneIsCreated() throws {
        let store = MemoryStore()
        store.addTiers("F1", .fournisseur, updateCount: 4)
        #expect(
            try importLine(
                ["ADR_CODE": "F1", "ADR_NUMERO": "001", "ADR_VILLE": "Lyon"], into: store, stamp: AuditStamp.later)
                == .imported(warnings: []))
        #expect(store.changes.map(\.table) == ["ADRESSES", "TIERS"])
        #expect(store.changes.map(\.kind) == [.create, .update])
        #expect(store.tiersRows["F1"]?["PCF_VILLE"] == .text("Lyon"))
        #expect(store.tiersRows["F1"]?["PCF_NUMMAJ"] == .integer(5))
        #expect(store.tiersRows["F1"]?["PCF_USRMAJ"] == .text("ADM"))
        #expect(store.tiersRows["F1"]?["PCF_DTCREE"] == nil)
        #expect(billingAgrees(store, "F1"))
    }

    @Test func customColumnsOfAddress001DoNotGoToTheTiers() throws {
        let store = try storeWithClient()
        try store.addCustomColumns(["XXX_PORTE"], to: "ADRESSES")
        try importLine(["ADR_CODE": "C1", "ADR_NUMERO": "001", "XXX_PORTE": "A"], into: store)
        #expect(store.row("ADRESSES", "PCF", "C1", "001")?["XXX_PORTE"] == .text("A"))
        #expect(store.tiersRows["C1"]?["XXX_PORTE"] == nil)
        #expect(store.changes.last?.values["XXX_PORTE"] == nil)
    }

    @Test func billingAddressAndTiersAgreeWhicheverImportWroteLast() throws {
        let store = try storeWithClient()
        #expect(billingAgrees(store, "C1"))
        try importLine(
            ["ADR_CODE": "C1", "ADR_NUMERO": "001", "ADR_RUE": "5 rue Cugnot", "ADR_VILLE": "RAMBOUILLET"], into: store)
        #expect(billingAgrees(store, "C1"))
        let clients = TiersRules(type: .client, catalogue: .clients, stamp: AuditStamp.later)
        #expect(
            try clients.importLine(
                lineValues(["PCF_CODE": "C1", "PCF_RS": "Sport 25", "CPT_NUMERO": "411C1", "PCF_VILLE": "Versailles"]),
                into: store) == .imported(warnings: []))
        #expect(store.row("ADRESSES", "PCF", "C1", "001")?["ADR_VILLE"] == .text("Versailles"))
        #expect(billingAgrees(store, "C1"))
        // A delivery address does not change the billing one.
        try importLine(["ADR_CODE": "C1", "ADR_NUMERO": "002", "ADR_VILLE": "Chartres"], into: store)
        #expect(store.tiersRows["C1"]?["PCF_VILLE"] == .text("Versailles"))
        #expect(billingAgrees(store, "C1"))
        #expect(store.tiersRows["C1"]?["PCF_NUMMAJ"] == .integer(3))
    }

    // MARK: Warnings

    @Test func badEmailWarnsButImports() throws {
        let store = try storeWithClient()
        #expect(
            try importLine(["ADR_CODE": "C1", "ADR_NUMERO": "002", "ADR_EMAIL": "livraison@sport25"], into: store)
                == .imported(warnings: ["L'adresse e-mail livraison@sport25 n'est pas valide"]))
        #expect(store.row("ADRESSES", "PCF", "C1", "002")?["ADR_EMAIL"] == .text("livraison@sport25"))
    }

    @Test func tableIsADRESSES() {
        #expect(AdressesRules(stamp: AuditStamp.creation).table == "ADRESSES")
    }
}
