import Testing

@testable import ComptoirCore

/// Clients, Fournisseurs and Prospects with `calculer_numero_compte` and `calculer_code_tiers`,
/// and their accounts from the société's preferences (issue 3).
@Suite struct TiersAccountComputationTests {
    static let stamp = AuditStamp(user: "DEMO", time: "2024-03-15 10:20:30")
    static let numberFromCode = AccountComputation(codeFromNumber: false, numberFromCode: true)
    static let codeFromNumber = AccountComputation(codeFromNumber: true, numberFromCode: false)
    static let both = AccountComputation(codeFromNumber: true, numberFromCode: true)

    private func rules(_ type: TiersType, _ computation: AccountComputation) -> TiersRules {
        let catalogue: Catalogue =
            switch type {
            case .client: .clients
            case .fournisseur: .fournisseurs
            case .prospect: .prospects
            }
        return TiersRules(type: type, catalogue: catalogue, stamp: Self.stamp, computation: computation)
    }

    @discardableResult
    private func importLine(
        _ type: TiersType, _ computation: AccountComputation, _ pairs: KeyValuePairs<String, String>,
        into store: MemoryStore
    ) throws -> LineOutcome {
        try rules(type, computation).importLine(lineValues(pairs), into: store)
    }

    // MARK: AccountComputation itself

    @Test func noneComputesNothing() {
        #expect(AccountComputation.none == AccountComputation(codeFromNumber: false, numberFromCode: false))
        var line = lineValues(["PCF_CODE": "C1"])
        #expect(
            AccountComputation.none.complete(&line, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411")
                == nil)
        #expect(line == lineValues(["PCF_CODE": "C1"]))
    }

    @Test func completeFillsOnlyAnEmptyOrAbsentColumn() {
        var absent = lineValues(["PCF_CODE": "C1"])
        #expect(Self.both.complete(&absent, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411") == nil)
        #expect(absent == LineValues([("PCF_CODE", .text("C1")), ("CPT_NUMERO", .text("411C1"))]))

        var empty = lineValues(["CPT_NUMERO": "", "PCF_CODE": "C1"])
        #expect(
            Self.numberFromCode.complete(&empty, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411") == nil
        )
        #expect(empty == LineValues([("CPT_NUMERO", .text("411C1")), ("PCF_CODE", .text("C1"))]))

        var given = lineValues(["PCF_CODE": "C1", "CPT_NUMERO": "411000C1"])
        #expect(Self.both.complete(&given, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411") == nil)
        #expect(given == lineValues(["PCF_CODE": "C1", "CPT_NUMERO": "411000C1"]))

        var fromNumber = lineValues(["PCF_CODE": "", "CPT_NUMERO": "401F1"])
        #expect(
            Self.codeFromNumber.complete(&fromNumber, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "401")
                == nil)
        #expect(fromNumber == LineValues([("PCF_CODE", .text("F1")), ("CPT_NUMERO", .text("401F1"))]))

        var neither = lineValues(["PCF_RS": "A"])
        #expect(Self.both.complete(&neither, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411") == nil)
        #expect(neither == lineValues(["PCF_RS": "A"]))
    }

    // MARK: calculer_numero_compte

    @Test func clientWithoutNumberGetsRootAndCode() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.client, Self.numberFromCode, ["PCF_CODE": "C42", "PCF_RS": "SPORT25"], into: store)
                == .imported(warnings: []))
        #expect(
            store.changes.first
                == RecordChange(
                    table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text("C42"))]),
                    values: LineValues([
                        ("PCF_RS", .text("SPORT25")), ("CPT_NUMERO", .text("411C42")), ("PCF_TYPE", .text("C")),
                        ("PCF_DTCREE", .text("2024-03-15 10:20:30")), ("PCF_USRCRE", .text("DEMO")),
                        ("PCF_DTMAJ", .text("2024-03-15 10:20:30")), ("PCF_USRMAJ", .text("DEMO")),
                        ("PCF_NUMMAJ", .integer(1)),
                    ])))
        #expect(
            store.accountRows["411C42"] == [
                "CPT_NUMERO": .text("411C42"), "CPT_TYPE": .text("C"), "CPT_LIB": .text("SPORT25"),
                "CPT_COLLEC": .text("411000"), "PCF_CODE": .text("C42"),
            ])
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "COMPTES"])
    }

    @Test func emptyNumberColumnIsComputedToo() throws {
        let store = MemoryStore()
        #expect(
            try importLine(
                .client, Self.numberFromCode, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": ""], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["C1"]?["CPT_NUMERO"] == .text("411C1"))
    }

    @Test func withoutComputationTheNumberIsStillRequired() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.client, .none, ["PCF_CODE": "C1", "PCF_RS": "A"], into: store)
                == rejected("Numéro de compte manquant"))
        #expect(
            try importLine(.client, Self.codeFromNumber, ["PCF_CODE": "C1", "PCF_RS": "A"], into: store)
                == rejected("Numéro de compte manquant"))
        // No code, nothing to compute from.
        #expect(
            try importLine(.client, Self.numberFromCode, ["PCF_RS": "A"], into: store)
                == rejected("Code manquant", "Numéro de compte manquant"))
        #expect(store.changes.isEmpty)
    }

    @Test func supplierGets401AndCode() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.fournisseur, Self.numberFromCode, ["PCF_CODE": "F1", "PCF_RS": "Fournil"], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["F1"]?["CPT_NUMERO"] == .text("401F1"))
        #expect(
            store.accountRows["401F1"] == [
                "CPT_NUMERO": .text("401F1"), "CPT_TYPE": .text("F"), "CPT_LIB": .text("Fournil"),
                "CPT_COLLEC": .text("401000"), "PCF_CODE": .text("F1"),
            ])
    }

    @Test func prospectGetsTheClientsRootButNoAccountRow() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.prospect, Self.numberFromCode, ["PCF_CODE": "P1", "PCF_RS": "Peut-être"], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["P1"]?["CPT_NUMERO"] == .text("411P1"))
        #expect(store.accountRows.isEmpty)
    }

    @Test func givenNumberIsKept() throws {
        let store = MemoryStore()
        try importLine(
            .client, Self.numberFromCode, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411CLI1"], into: store)
        #expect(store.tiersRows["C1"]?["CPT_NUMERO"] == .text("411CLI1"))
        #expect(store.accountRows.keys.sorted() == ["411CLI1"])
    }

    @Test func computedNumberHeldByAnotherTiersIsRejected() throws {
        let store = MemoryStore()
        store.addTiers("A", .client, account: "411C1")
        #expect(
            try importLine(.client, Self.numberFromCode, ["PCF_CODE": "C1", "PCF_RS": "A"], into: store)
                == rejected("Le compte 411C1 est déjà attribué au tiers A"))
        #expect(store.changes.isEmpty)
    }

    @Test func rootsComeFromThePreferences() throws {
        let store = MemoryStore()
        store.preferences["RACINE_CLIENT"] = "4110"
        store.preferences["RACINE_FOURNISSEUR"] = "4010"
        store.preferences["COLLECTIF_CLIENT"] = "411100"
        store.preferences["COLLECTIF_FOURNISSEUR"] = "401100"
        try importLine(.client, Self.numberFromCode, ["PCF_CODE": "C1", "PCF_RS": "A"], into: store)
        try importLine(.fournisseur, Self.numberFromCode, ["PCF_CODE": "F1", "PCF_RS": "B"], into: store)
        try importLine(.prospect, Self.numberFromCode, ["PCF_CODE": "P1", "PCF_RS": "C"], into: store)
        #expect(store.tiersRows["C1"]?["CPT_NUMERO"] == .text("4110C1"))
        #expect(store.tiersRows["F1"]?["CPT_NUMERO"] == .text("4010F1"))
        #expect(store.tiersRows["P1"]?["CPT_NUMERO"] == .text("4110P1"))
        #expect(store.accountRows["4110C1"]?["CPT_COLLEC"] == .text("411100"))
        #expect(store.accountRows["4010F1"]?["CPT_COLLEC"] == .text("401100"))
    }

    @Test func collectiveAccountOfAPlainImportComesFromThePreferences() throws {
        let store = MemoryStore()
        store.preferences["COLLECTIF_CLIENT"] = "411900"
        try importLine(.client, .none, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411C1"], into: store)
        #expect(store.accountRows["411C1"]?["CPT_COLLEC"] == .text("411900"))
        store.preferences = [:]
        try importLine(.fournisseur, .none, ["PCF_CODE": "F1", "PCF_RS": "B", "CPT_NUMERO": "401F1"], into: store)
        #expect(store.accountRows["401F1"]?["CPT_COLLEC"] == .text("401000"))
    }

    // MARK: calculer_code_tiers

    @Test func codeIsTakenFromTheNumber() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.client, Self.codeFromNumber, ["CPT_NUMERO": "411C42", "PCF_RS": "SPORT25"], into: store)
                == .imported(warnings: []))
        #expect(
            store.changes.first
                == RecordChange(
                    table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text("C42"))]),
                    values: LineValues([
                        ("CPT_NUMERO", .text("411C42")), ("PCF_RS", .text("SPORT25")), ("PCF_TYPE", .text("C")),
                        ("PCF_DTCREE", .text("2024-03-15 10:20:30")), ("PCF_USRCRE", .text("DEMO")),
                        ("PCF_DTMAJ", .text("2024-03-15 10:20:30")), ("PCF_USRMAJ", .text("DEMO")),
                        ("PCF_NUMMAJ", .integer(1)),
                    ])))
        #expect(store.accountRows["411C42"]?["PCF_CODE"] == .text("C42"))
        #expect(
            try importLine(
                .fournisseur, Self.codeFromNumber, ["PCF_CODE": "", "CPT_NUMERO": "401F1", "PCF_RS": "B"], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["F1"]?["PCF_TYPE"] == .text("F"))
        #expect(
            try importLine(.prospect, Self.codeFromNumber, ["CPT_NUMERO": "411P1", "PCF_RS": "C"], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["P1"]?["PCF_TYPE"] == .text("P"))
    }

    @Test func givenCodeIsKept() throws {
        let store = MemoryStore()
        try importLine(
            .client, Self.codeFromNumber, ["PCF_CODE": "C1", "CPT_NUMERO": "411AUTRE", "PCF_RS": "A"], into: store)
        #expect(store.tiersRows.keys.sorted() == ["C1"])
        #expect(store.tiersRows["C1"]?["CPT_NUMERO"] == .text("411AUTRE"))
    }

    @Test func numberWithoutTheRootCannotGiveACode() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.client, Self.codeFromNumber, ["CPT_NUMERO": "512X", "PCF_RS": "A"], into: store)
                == rejected("Le compte 512X ne commence pas par la racine 411 : le code tiers ne peut pas en être tiré")
        )
        #expect(
            try importLine(.fournisseur, Self.codeFromNumber, ["CPT_NUMERO": "411F1", "PCF_RS": "A"], into: store)
                == rejected(
                    "Le compte 411F1 ne commence pas par la racine 401 : le code tiers ne peut pas en être tiré"))
        #expect(store.changes.isEmpty)
    }

    @Test func codeFromNumberWithThePreferencesRoot() throws {
        let store = MemoryStore()
        store.preferences["RACINE_CLIENT"] = "4110"
        try importLine(.client, Self.codeFromNumber, ["CPT_NUMERO": "4110C1", "PCF_RS": "A"], into: store)
        #expect(store.tiersRows.keys.sorted() == ["C1"])
    }
}
