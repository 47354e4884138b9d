import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// Clients, Fournisseurs and Prospects with `calculer_numero_compte` and `calculer_code_tiers`,
/// and their accounts from the société's preferences (issue 3).
@Suite struct TiersAccountComputationTests {
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
        return TiersRules(type: type, catalogue: catalogue, stamp: AuditStamp.creation, computation: computation)
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
            AccountComputation.none.complete(
                &line, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411", catalogue: .clients)
                == nil)
        #expect(line == lineValues(["PCF_CODE": "C1"]))
    }

    @Test func completeFillsOnlyAnEmptyOrAbsentColumn() {
        var absent = lineValues(["PCF_CODE": "C1"])
        #expect(
            Self.both.complete(
                &absent, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411", catalogue: .clients) == nil)
        #expect(absent == LineValues([("PCF_CODE", .text("C1")), ("CPT_NUMERO", .text("411C1"))]))

        var empty = lineValues(["CPT_NUMERO": "", "PCF_CODE": "C1"])
        #expect(
            Self.numberFromCode.complete(
                &empty, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411", catalogue: .clients) == nil
        )
        #expect(empty == LineValues([("CPT_NUMERO", .text("411C1")), ("PCF_CODE", .text("C1"))]))

        var given = lineValues(["PCF_CODE": "C1", "CPT_NUMERO": "411000C1"])
        #expect(
            Self.both.complete(
                &given, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411", catalogue: .clients) == nil)
        #expect(given == lineValues(["PCF_CODE": "C1", "CPT_NUMERO": "411000C1"]))

        var fromNumber = lineValues(["PCF_CODE": "", "CPT_NUMERO": "401F1"])
        #expect(
            Self.codeFromNumber.complete(
                &fromNumber, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "401", catalogue: .clients)
                == nil)
        #expect(fromNumber == LineValues([("PCF_CODE", .text("F1")), ("CPT_NUMERO", .text("401F1"))]))

        var neither = lineValues(["PCF_RS": "A"])
        #expect(
            Self.both.complete(
                &neither, codeColumn: "PCF_CODE", numberColumn: "CPT_NUMERO", root: "411", catalogue: .clients) == nil)
        #expect(neither == lineValues(["PCF_RS": "A"]))
    }

    // MARK: What a computation completes

    /// A tiers line that a computation completes, and the TIERS and COMPTES rows it must give.
    struct Completion: Sendable, CustomTestStringConvertible {
        let what: String
        let computation: AccountComputation
        let type: TiersType
        let line: KeyValuePairs<String, String>
        let code: String
        /// The values written to TIERS but the type and audit columns, in order.
        let values: KeyValuePairs<String, String>
        /// The collective account of the COMPTES row; nil for a prospect, which has no row.
        let collective: String?

        var testDescription: String { what }
    }

    static let completions: [Completion] = [
        Completion(
            what: "calculer_numero_compte: a client without a number gets 411 and its code",
            computation: numberFromCode,
            type: .client, line: ["PCF_CODE": "C42", "PCF_RS": "SPORT25"],
            code: "C42", values: ["PCF_RS": "SPORT25", "CPT_NUMERO": "411C42"], collective: "411000"),
        Completion(
            what: "calculer_numero_compte: an empty number column is computed too", computation: numberFromCode,
            type: .client, line: ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": ""],
            code: "C1", values: ["PCF_RS": "A", "CPT_NUMERO": "411C1"], collective: "411000"),
        Completion(
            what: "calculer_numero_compte: a fournisseur gets 401 and its code", computation: numberFromCode,
            type: .fournisseur, line: ["PCF_CODE": "F1", "PCF_RS": "Fournil"],
            code: "F1", values: ["PCF_RS": "Fournil", "CPT_NUMERO": "401F1"], collective: "401000"),
        Completion(
            what: "calculer_numero_compte: a prospect gets the clients' root but no account row",
            computation: numberFromCode, type: .prospect, line: ["PCF_CODE": "P1", "PCF_RS": "Peut-être"],
            code: "P1", values: ["PCF_RS": "Peut-être", "CPT_NUMERO": "411P1"], collective: nil),
        Completion(
            what: "calculer_code_tiers: a client's code is what follows 411", computation: codeFromNumber,
            type: .client, line: ["CPT_NUMERO": "411C42", "PCF_RS": "SPORT25"],
            code: "C42", values: ["CPT_NUMERO": "411C42", "PCF_RS": "SPORT25"], collective: "411000"),
        Completion(
            what: "calculer_code_tiers: a fournisseur's code is what follows 401, even in an empty code column",
            computation: codeFromNumber, type: .fournisseur,
            line: ["PCF_CODE": "", "CPT_NUMERO": "401F1", "PCF_RS": "B"],
            code: "F1", values: ["CPT_NUMERO": "401F1", "PCF_RS": "B"], collective: "401000"),
        Completion(
            what: "calculer_code_tiers: a prospect's code is what follows 411", computation: codeFromNumber,
            type: .prospect, line: ["CPT_NUMERO": "411P1", "PCF_RS": "C"],
            code: "P1", values: ["CPT_NUMERO": "411P1", "PCF_RS": "C"], collective: nil),
    ]

    @Test("a computation completes the line, which creates the tiers and its account", arguments: completions)
    func computationCompletesTheLine(_ completion: Completion) throws {
        let store = MemoryStore()
        #expect(
            try importLine(completion.type, completion.computation, completion.line, into: store)
                == .imported(warnings: []))
        // The line's values come first, then the type and the audit columns.
        let typeAndAudit: [(name: String, value: FieldValue)] = [
            ("PCF_TYPE", .text(completion.type.rawValue)),
            ("PCF_DTCREE", .text("2024-03-15 10:20:30")), ("PCF_USRCRE", .text("DEMO")),
            ("PCF_DTMAJ", .text("2024-03-15 10:20:30")), ("PCF_USRMAJ", .text("DEMO")),
            ("PCF_NUMMAJ", .integer(1)),
        ]
        #expect(
            store.changes.first
                == RecordChange(
                    table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text(completion.code))]),
                    values: LineValues(lineValues(completion.values).fields + typeAndAudit)))
        let number = try #require(completion.values.first { $0.key == "CPT_NUMERO" }?.value)
        let name = try #require(completion.values.first { $0.key == "PCF_RS" }?.value)
        #expect(store.tiersRows[completion.code]?["CPT_NUMERO"] == .text(number))
        #expect(store.tiersRows[completion.code]?["PCF_TYPE"] == .text(completion.type.rawValue))
        guard let collective = completion.collective else {
            #expect(store.accountRows.isEmpty)
            #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES"])
            return
        }
        #expect(
            store.accountRows == [
                number: [
                    "CPT_NUMERO": .text(number), "CPT_TYPE": .text(completion.type.rawValue), "CPT_LIB": .text(name),
                    "CPT_COLLEC": .text(collective), "PCF_CODE": .text(completion.code),
                ]
            ])
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "COMPTES"])
    }

    /// A tiers line that a computation cannot complete, and the reasons of its rejection.
    struct Incomplete: Sendable, CustomTestStringConvertible {
        let what: String
        let computation: AccountComputation
        let type: TiersType
        let line: KeyValuePairs<String, String>
        let reasons: [String]

        var testDescription: String { what }
    }

    static let incompletes: [Incomplete] = [
        Incomplete(
            what: "without computation, the number is still required", computation: .none, type: .client,
            line: ["PCF_CODE": "C1", "PCF_RS": "A"], reasons: ["Numéro de compte manquant"]),
        Incomplete(
            what: "calculer_code_tiers does not compute the number", computation: codeFromNumber, type: .client,
            line: ["PCF_CODE": "C1", "PCF_RS": "A"], reasons: ["Numéro de compte manquant"]),
        Incomplete(
            what: "calculer_numero_compte without a code has nothing to compute from", computation: numberFromCode,
            type: .client, line: ["PCF_RS": "A"], reasons: ["Code manquant", "Numéro de compte manquant"]),
        Incomplete(
            what: "calculer_code_tiers: a client's number without 411 gives no code", computation: codeFromNumber,
            type: .client, line: ["CPT_NUMERO": "512X", "PCF_RS": "A"],
            reasons: ["Le compte 512X ne commence pas par la racine 411 : le code tiers ne peut pas en être tiré"]),
        Incomplete(
            what: "calculer_code_tiers: a fournisseur's number without 401 gives no code", computation: codeFromNumber,
            type: .fournisseur, line: ["CPT_NUMERO": "411F1", "PCF_RS": "A"],
            reasons: ["Le compte 411F1 ne commence pas par la racine 401 : le code tiers ne peut pas en être tiré"]),
        Incomplete(
            what: "calculer_code_tiers: a code longer than its field is not computed", computation: codeFromNumber,
            type: .client, line: ["CPT_NUMERO": "4111234567890123456789012", "PCF_RS": "A"],
            reasons: [
                "Le champ PCF_CODE dépasse 20 caractères : 1234567890123456789012, tiré du compte 4111234567890123456789012"
            ]),
    ]

    @Test("a line the computation cannot complete is rejected and writes nothing", arguments: incompletes)
    func incompleteLineIsRejected(_ incomplete: Incomplete) throws {
        let store = MemoryStore()
        #expect(
            try importLine(incomplete.type, incomplete.computation, incomplete.line, into: store)
                == .rejected(LineRejection(incomplete.reasons)))
        #expect(store.changes.isEmpty)
    }

    // MARK: calculer_numero_compte

    @Test func givenNumberIsKept() throws {
        let store = MemoryStore()
        try importLine(
            .client, Self.numberFromCode, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411CLI1"], into: store)
        #expect(store.tiersRows["C1"]?["CPT_NUMERO"] == .text("411CLI1"))
        #expect(store.accountRows.keys.sorted() == ["411CLI1"])
    }

    @Test func computedNumberLongerThanItsFieldIsRejected() throws {
        let store = MemoryStore()
        store.preferences["RACINE_CLIENT"] = "41100000"
        #expect(
            try importLine(
                .client, Self.numberFromCode, ["PCF_CODE": "C1234567890123456789", "PCF_RS": "A"], into: store)
                == rejected(
                    "Le champ CPT_NUMERO dépasse 25 caractères : 41100000C1234567890123456789, tiré du code tiers C1234567890123456789"
                ))
        #expect(store.changes.isEmpty)
    }

    @Test("calculer_numero_compte leaves the account of a tiers that has one, as an absent column does")
    func existingAccountIsKept() throws {
        let store = MemoryStore()
        try importLine(.client, .none, ["PCF_CODE": "U1", "PCF_RS": "A", "CPT_NUMERO": "411U1NEW"], into: store)
        for line: KeyValuePairs<String, String> in [
            ["PCF_CODE": "U1", "PCF_RS": "A", "PCF_VILLE": "Lille"],
            ["PCF_CODE": "U1", "PCF_RS": "A", "CPT_NUMERO": ""],
        ] {
            #expect(try importLine(.client, Self.numberFromCode, line, into: store) == .imported(warnings: []))
            #expect(store.tiersRows["U1"]?["CPT_NUMERO"] == .text("411U1NEW"))
            #expect(store.accountRows.keys.sorted() == ["411U1NEW"])
        }
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

    @Test func givenCodeIsKept() throws {
        let store = MemoryStore()
        try importLine(
            .client, Self.codeFromNumber, ["PCF_CODE": "C1", "CPT_NUMERO": "411AUTRE", "PCF_RS": "A"], into: store)
        #expect(store.tiersRows.keys.sorted() == ["C1"])
        #expect(store.tiersRows["C1"]?["CPT_NUMERO"] == .text("411AUTRE"))
    }

    @Test func codeFromNumberWithThePreferencesRoot() throws {
        let store = MemoryStore()
        store.preferences["RACINE_CLIENT"] = "4110"
        try importLine(.client, Self.codeFromNumber, ["CPT_NUMERO": "4110C1", "PCF_RS": "A"], into: store)
        #expect(store.tiersRows.keys.sorted() == ["C1"])
    }
}
