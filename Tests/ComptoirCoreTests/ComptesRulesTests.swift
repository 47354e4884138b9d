import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// The import rules of Comptes: `COMPTES` keyed on `CPT_NUMERO`, shared with the tiers imports
/// (issue 3).
@Suite struct ComptesRulesTests {
    static let numberFromCode = AccountComputation(codeFromNumber: false, numberFromCode: true)
    static let codeFromNumber = AccountComputation(codeFromNumber: true, numberFromCode: false)

    /// A client C1 and a supplier F1 holding the accounts 411C1 and 401F1, and a prospect P1
    /// without one.
    private func store() -> MemoryStore {
        let store = MemoryStore()
        store.addTiers("C1", .client, account: "411C1")
        store.addTiers("F1", .fournisseur, account: "401F1")
        store.addTiers("P1", .prospect)
        return store
    }

    @discardableResult
    private func importLine(
        _ pairs: KeyValuePairs<String, String>, into store: MemoryStore, computation: AccountComputation = .none
    ) throws -> LineOutcome {
        try ComptesRules(computation: computation, stamp: .creation).importLine(lineValues(pairs), into: store)
    }

    private func key(_ number: String) -> LineValues { LineValues([("CPT_NUMERO", .text(number))]) }

    // MARK: Required fields

    @Test func requiredFieldsOnCreation() throws {
        let store = store()
        #expect(
            try importLine([:], into: store)
                == rejected("Numéro de compte manquant", "Libellé manquant", "Type de compte manquant"))
        #expect(
            try importLine(["CPT_NUMERO": "", "CPT_LIB": "", "CPT_TYPE": "", "PCF_CODE": ""], into: store)
                == rejected("Numéro de compte manquant", "Libellé manquant", "Type de compte manquant"))
        #expect(
            try importLine(["CPT_NUMERO": "512000"], into: store)
                == rejected("Libellé manquant", "Type de compte manquant"))
        #expect(try importLine(["CPT_NUMERO": "512000", "CPT_TYPE": "G"], into: store) == rejected("Libellé manquant"))
        #expect(
            try importLine(["CPT_NUMERO": "512000", "CPT_LIB": "Banque"], into: store)
                == rejected("Type de compte manquant"))
        #expect(
            try importLine(["CPT_LIB": "Banque", "CPT_TYPE": "G"], into: store) == rejected("Numéro de compte manquant")
        )
        #expect(store.changes.isEmpty)
    }

    @Test func tableAndCatalogue() {
        #expect(ComptesRules(computation: .none, stamp: .creation).table == "COMPTES")
        #expect(Catalogue.comptes.field(named: "CPT_TYPE")?.type == .text(maxLength: nil, codes: ["G", "R", "C", "F"]))
    }

    // MARK: Account types

    @Test func typeTakesOnlyGRCF() throws {
        let field = try #require(Catalogue.comptes.field(named: "CPT_TYPE"))
        for (raw, code) in [("G", "G"), ("r", "R"), ("C", "C"), ("f", "F")] {
            #expect(field.parse(raw) == .success(.text(code)))
        }
        for raw in ["X", "CF", "Client"] {
            #expect(
                field.parse(raw).failureValue?.message
                    == "Le champ CPT_TYPE n'accepte pas la valeur \(raw) (valeurs possibles : G, R, C, F)")
        }
    }

    @Test(arguments: ["G", "R"])
    func generalAndGroupingAccountsHaveNoTiers(type: String) throws {
        let store = store()
        #expect(
            try importLine(["CPT_NUMERO": "512000", "CPT_LIB": "Banque", "CPT_TYPE": type], into: store)
                == .imported(warnings: []))
        #expect(
            store.changes == [
                RecordChange(
                    table: "COMPTES", kind: .create, key: key("512000"),
                    values: LineValues([("CPT_LIB", .text("Banque")), ("CPT_TYPE", .text(type))]))
            ])
        // An empty tiers code is no tiers code.
        #expect(
            try importLine(
                ["CPT_NUMERO": "512100", "CPT_LIB": "Caisse", "CPT_TYPE": type, "PCF_CODE": ""], into: store)
                == .imported(warnings: []))
        #expect(
            try importLine(
                ["CPT_NUMERO": "512200", "CPT_LIB": "Banque", "CPT_TYPE": type, "PCF_CODE": "C1"], into: store)
                == rejected("Un compte de type \(type) ne peut pas avoir de code tiers (C1)"))
        #expect(store.row("COMPTES", "512200") == nil)
    }

    @Test func aTiersWithoutAnAccountTakesTheOneThatNamesIt() throws {
        let store = MemoryStore()
        store.addTiers("C9", .client, updateCount: 3)
        #expect(
            try importLine(
                ["CPT_NUMERO": "411C9", "CPT_LIB": "Client 9", "CPT_TYPE": "C", "PCF_CODE": "C9"], into: store)
                == .imported(warnings: []))
        #expect(store.changes.map(\.table) == ["COMPTES", "TIERS"])
        #expect(store.changes.last?.key == LineValues([("PCF_CODE", .text("C9"))]))
        #expect(store.changes.last?.values["CPT_NUMERO"] == .text("411C9"))
        #expect(store.changes.last?.values["PCF_NUMMAJ"] == .integer(4))
    }

    @Test(arguments: [("C", "411C1", "411000"), ("F", "401F1", "401000")])
    func clientAndSupplierAccountsNameTheirTiers(type: String, number: String, collective: String) throws {
        let store = store()
        let code = type == "C" ? "C1" : "F1"
        #expect(
            try importLine(
                ["CPT_NUMERO": number, "CPT_LIB": "Compte de \(code)", "CPT_TYPE": type, "PCF_CODE": code], into: store)
                == .imported(warnings: []))
        #expect(
            store.changes == [
                RecordChange(
                    table: "COMPTES", kind: .create, key: key(number),
                    values: LineValues([
                        ("CPT_LIB", .text("Compte de \(code)")), ("CPT_TYPE", .text(type)), ("PCF_CODE", .text(code)),
                        ("CPT_COLLEC", .text(collective)),
                    ]))
            ])
        #expect(
            store.row("COMPTES", number) == [
                "CPT_NUMERO": .text(number), "CPT_LIB": .text("Compte de \(code)"), "CPT_TYPE": .text(type),
                "PCF_CODE": .text(code), "CPT_COLLEC": .text(collective),
            ])
    }

    @Test(arguments: ["C", "F"])
    func clientAndSupplierAccountsNeedATiersCode(type: String) throws {
        let store = store()
        let message = "Le code tiers est obligatoire pour un compte client ou fournisseur"
        #expect(
            try importLine(["CPT_NUMERO": "4X", "CPT_LIB": "X", "CPT_TYPE": type], into: store) == rejected(message))
        #expect(
            try importLine(["CPT_NUMERO": "4X", "CPT_LIB": "X", "CPT_TYPE": type, "PCF_CODE": ""], into: store)
                == rejected(message))
        #expect(store.changes.isEmpty)
    }

    /// Gestimum's example imports `411JOHNDOE;John Doe;C;JOHNDOE` where no tiers JOHNDOE exists:
    /// the tiers is created as its own import creates it, then the account gets the line.
    @Test(arguments: [(TiersType.client, "411000"), (.fournisseur, "401000")])
    func anAccountCreatesTheTiersItNames(type: TiersType, collective: String) throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "CPT_NUMERO": "4JOHNDOE", "CPT_LIB": "John Doe", "CPT_TYPE": type.rawValue, "PCF_CODE": "JOHNDOE",
                    "CPT_SENS": "D",
                ],
                into: store) == .imported(warnings: []))
        let tiers = try #require(store.row("TIERS", "JOHNDOE"))
        #expect(tiers["PCF_TYPE"] == .text(type.rawValue))
        #expect(tiers["PCF_RS"] == .text("John Doe"))
        #expect(tiers["CPT_NUMERO"] == .text("4JOHNDOE"))
        #expect(tiers["PCF_DTCREE"] == .text(AuditStamp.creation.time))
        #expect(tiers["PCF_USRCRE"] == .text(AuditStamp.creation.user))
        #expect(tiers["PCF_NUMMAJ"] == .integer(1))
        #expect(store.row("ADRESSES", "PCF", "JOHNDOE", "001") != nil)
        #expect(
            store.row("COMPTES", "4JOHNDOE") == [
                "CPT_NUMERO": .text("4JOHNDOE"), "CPT_LIB": .text("John Doe"), "CPT_TYPE": .text(type.rawValue),
                "PCF_CODE": .text("JOHNDOE"), "CPT_COLLEC": .text(collective), "CPT_SENS": .text("D"),
            ])
        // Once created, the tiers is the account's: a second import updates the account alone.
        #expect(
            try importLine(
                ["CPT_NUMERO": "4JOHNDOE", "CPT_LIB": "John Doe SA", "CPT_TYPE": type.rawValue, "PCF_CODE": "JOHNDOE"],
                into: store) == .imported(warnings: []))
        #expect(store.row("TIERS", "JOHNDOE")?["PCF_RS"] == .text("John Doe"))
        #expect(store.row("COMPTES", "4JOHNDOE")?["CPT_LIB"] == .text("John Doe SA"))
    }

    /// The tiers is created only for a line that is imported, and only as its own import would:
    /// an account held by another tiers, or a general one, creates nothing.
    @Test func aRejectedAccountCreatesNoTiers() throws {
        let store = store()
        try importLine(["CPT_NUMERO": "512000", "CPT_LIB": "Banque", "CPT_TYPE": "G"], into: store)
        store.changes.removeAll()
        #expect(
            try importLine(
                ["CPT_NUMERO": "411Z", "CPT_LIB": "Z", "CPT_TYPE": "C", "PCF_CODE": "Z9", "DEV_CODE": "XXX"],
                into: store) == rejected("Le code devise XXX n'existe pas"))
        #expect(
            try importLine(["CPT_NUMERO": "512000", "CPT_LIB": "Z", "CPT_TYPE": "C", "PCF_CODE": "Z9"], into: store)
                == rejected("Le compte 512000 est un compte général : il ne peut pas être attribué à un tiers"))
        #expect(store.changes.isEmpty)
        #expect(store.row("TIERS", "Z9") == nil)
    }

    /// A general account named as an existing client's stays general: the client's own import
    /// would refuse it, and new clients take it as their collective account.
    @Test func aGeneralAccountIsNotGivenToAnExistingTiers() throws {
        let store = store()
        try importLine(["CPT_NUMERO": "411000", "CPT_LIB": "Clients", "CPT_TYPE": "G"], into: store)
        store.changes.removeAll()
        #expect(
            try importLine(["CPT_NUMERO": "411000", "CPT_LIB": "Z", "CPT_TYPE": "C", "PCF_CODE": "C1"], into: store)
                == rejected("Le compte 411000 est un compte général : il ne peut pas être attribué à un tiers"))
        #expect(
            try importLine(["CPT_NUMERO": "411000", "CPT_TYPE": "F", "PCF_CODE": "F1"], into: store)
                == rejected("Le compte 411000 est un compte général : il ne peut pas être attribué à un tiers"))
        #expect(store.changes.isEmpty)
        #expect(store.row("COMPTES", "411000")?["CPT_TYPE"] == .text("G"))
    }

    @Test func theTiersMustBeOfTheAccountsKind() throws {
        let store = store()
        #expect(
            try importLine(["CPT_NUMERO": "401C1", "CPT_LIB": "X", "CPT_TYPE": "F", "PCF_CODE": "C1"], into: store)
                == rejected("Le tiers C1 n'est pas un fournisseur : c'est un client"))
        #expect(
            try importLine(["CPT_NUMERO": "411F1", "CPT_LIB": "X", "CPT_TYPE": "C", "PCF_CODE": "F1"], into: store)
                == rejected("Le tiers F1 n'est pas un client : c'est un fournisseur"))
        #expect(
            try importLine(["CPT_NUMERO": "411P1", "CPT_LIB": "X", "CPT_TYPE": "C", "PCF_CODE": "P1"], into: store)
                == rejected("Le tiers P1 n'est pas un client : c'est un prospect"))
        #expect(
            try importLine(["CPT_NUMERO": "401P1", "CPT_LIB": "X", "CPT_TYPE": "F", "PCF_CODE": "P1"], into: store)
                == rejected("Le tiers P1 n'est pas un fournisseur : c'est un prospect"))
        #expect(store.changes.isEmpty)
    }

    @Test func accountHeldByAnotherTiersIsRejected() throws {
        let store = store()
        store.addTiers("A", .client, account: "411X")
        store.addTiers("C2", .client)
        #expect(
            try importLine(["CPT_NUMERO": "411X", "CPT_LIB": "X", "CPT_TYPE": "C", "PCF_CODE": "C1"], into: store)
                == rejected("Le compte 411X est déjà attribué au tiers A"))
        // Held in COMPTES only.
        store.accountRows["411Y"] = ["CPT_NUMERO": .text("411Y"), "CPT_TYPE": .text("C"), "PCF_CODE": .text("C2")]
        #expect(
            try importLine(["CPT_NUMERO": "411Y", "CPT_LIB": "Y", "PCF_CODE": "C1"], into: store)
                == rejected("Le compte 411Y est déjà attribué au tiers C2"))
        #expect(store.changes.isEmpty)
        // Its own tiers may rename it.
        #expect(
            try importLine(["CPT_NUMERO": "411Y", "CPT_LIB": "Y", "PCF_CODE": "C2"], into: store)
                == .imported(warnings: []))
        #expect(store.row("COMPTES", "411Y")?["CPT_LIB"] == .text("Y"))
    }

    // MARK: Updates: an empty value leaves the existing one

    @Test func emptyValuesOfAnUpdateLeaveTheExistingValues() throws {
        let store = store()
        let rules = ComptesRules(computation: .none, stamp: .creation)
        let creation = LineValues([
            ("CPT_NUMERO", .text("512000")), ("CPT_LIB", .text("Banque")), ("CPT_TYPE", .text("G")),
            ("CPT_SENS", .text("D")), ("CPT_LET", .integer(1)), ("DEV_CODE", .text("EUR")),
        ])
        #expect(try rules.importLine(creation, into: store) == .imported(warnings: []))
        let update = LineValues([
            ("CPT_NUMERO", .text("512000")), ("CPT_LIB", .null), ("CPT_TYPE", .null), ("CPT_SENS", .text("C")),
            ("CPT_LET", .null), ("DEV_CODE", .null), ("CPT_ANA", .text("P")),
        ])
        #expect(try rules.importLine(update, into: store) == .imported(warnings: []))
        #expect(
            store.changes.last
                == RecordChange(
                    table: "COMPTES", kind: .update, key: key("512000"),
                    values: LineValues([("CPT_SENS", .text("C")), ("CPT_ANA", .text("P"))])))
        #expect(
            store.row("COMPTES", "512000") == [
                "CPT_NUMERO": .text("512000"), "CPT_LIB": .text("Banque"), "CPT_TYPE": .text("G"),
                "CPT_SENS": .text("C"), "CPT_LET": .integer(1), "DEV_CODE": .text("EUR"), "CPT_ANA": .text("P"),
            ])
        // A checkbox given 0 is a value, not an empty one.
        let unchecked = LineValues([("CPT_NUMERO", .text("512000")), ("CPT_LET", .integer(0))])
        #expect(try rules.importLine(unchecked, into: store) == .imported(warnings: []))
        #expect(store.row("COMPTES", "512000")?["CPT_LET"] == .integer(0))
    }

    @Test func updateNeedsOnlyTheNumberAndKeepsTheTiersAndCollective() throws {
        let store = store()
        try importLine(["CPT_NUMERO": "411C1", "CPT_LIB": "Client 1", "CPT_TYPE": "C", "PCF_CODE": "C1"], into: store)
        #expect(
            try importLine(["CPT_NUMERO": "411C1", "CPT_LIB": "Client un"], into: store) == .imported(warnings: []))
        #expect(
            store.changes.last
                == RecordChange(
                    table: "COMPTES", kind: .update, key: key("411C1"),
                    values: LineValues([("CPT_LIB", .text("Client un"))])))
        #expect(
            try importLine(["CPT_NUMERO": "411C1", "CPT_LIB": "", "PCF_CODE": "", "CPT_COLLEC": ""], into: store)
                == .imported(warnings: []))
        #expect(
            store.row("COMPTES", "411C1") == [
                "CPT_NUMERO": .text("411C1"), "CPT_LIB": .text("Client un"), "CPT_TYPE": .text("C"),
                "PCF_CODE": .text("C1"), "CPT_COLLEC": .text("411000"),
            ])
    }

    @Test func anUpdateIsCheckedAgainstTheExistingTypeAndTiers() throws {
        let store = store()
        try importLine(["CPT_NUMERO": "411C1", "CPT_LIB": "Client 1", "CPT_TYPE": "C", "PCF_CODE": "C1"], into: store)
        try importLine(["CPT_NUMERO": "512000", "CPT_LIB": "Banque", "CPT_TYPE": "G"], into: store)
        let changes = store.changes.count
        // The stored client account's tiers is a client, not a supplier.
        #expect(
            try importLine(["CPT_NUMERO": "411C1", "CPT_TYPE": "F"], into: store)
                == rejected("Le tiers C1 n'est pas un fournisseur : c'est un client"))
        // The stored general account takes no tiers.
        #expect(
            try importLine(["CPT_NUMERO": "512000", "PCF_CODE": "C1"], into: store)
                == rejected("Un compte de type G ne peut pas avoir de code tiers (C1)"))
        #expect(store.changes.count == changes)
    }

    // MARK: Collective account

    @Test func collectiveDefaultsOnlyOnCreation() throws {
        let store = store()
        try importLine(
            ["CPT_NUMERO": "411C1", "CPT_LIB": "C", "CPT_TYPE": "C", "PCF_CODE": "C1", "CPT_COLLEC": "411200"],
            into: store)
        #expect(store.row("COMPTES", "411C1")?["CPT_COLLEC"] == .text("411200"))
        try importLine(["CPT_NUMERO": "411C1", "CPT_LIB": "C bis"], into: store)
        #expect(store.row("COMPTES", "411C1")?["CPT_COLLEC"] == .text("411200"))
        #expect(store.changes.last?.values["CPT_COLLEC"] == nil)
    }

    @Test func collectiveComesFromThePreferences() throws {
        let store = store()
        store.preferences["COLLECTIF_CLIENT"] = "411100"
        store.preferences["COLLECTIF_FOURNISSEUR"] = "401100"
        try importLine(["CPT_NUMERO": "411C1", "CPT_LIB": "C", "CPT_TYPE": "C", "PCF_CODE": "C1"], into: store)
        try importLine(["CPT_NUMERO": "401F1", "CPT_LIB": "F", "CPT_TYPE": "F", "PCF_CODE": "F1"], into: store)
        #expect(store.row("COMPTES", "411C1")?["CPT_COLLEC"] == .text("411100"))
        #expect(store.row("COMPTES", "401F1")?["CPT_COLLEC"] == .text("401100"))
    }

    @Test func preferenceDefaults() {
        #expect(
            AccountPreferences.defaults.map(\.code) == [
                "RACINE_CLIENT", "RACINE_FOURNISSEUR", "COLLECTIF_CLIENT", "COLLECTIF_FOURNISSEUR",
            ])
        #expect(AccountPreferences.defaults.map(\.value) == ["411", "401", "411000", "401000"])
    }

    @Test func missingPreferencesFallBackToTheDefaults() throws {
        let store = store()
        store.preferences = [:]
        try importLine(
            ["CPT_LIB": "C", "CPT_TYPE": "C", "PCF_CODE": "C1"], into: store, computation: Self.numberFromCode)
        #expect(store.row("COMPTES", "411C1")?["CPT_COLLEC"] == .text("411000"))
    }

    // MARK: Currency

    @Test func currencyIsChecked() throws {
        let store = store()
        #expect(
            try importLine(
                ["CPT_NUMERO": "512000", "CPT_LIB": "Banque", "CPT_TYPE": "G", "DEV_CODE": "eur"], into: store)
                == .imported(warnings: []))
        #expect(store.row("COMPTES", "512000")?["DEV_CODE"] == .text("EUR"))
        #expect(
            try importLine(
                ["CPT_NUMERO": "512001", "CPT_LIB": "Banque", "CPT_TYPE": "G", "DEV_CODE": "USD"], into: store)
                == rejected("Le code devise USD n'existe pas"))
        #expect(
            try importLine(
                ["CPT_NUMERO": "411Z", "CPT_LIB": "Z", "CPT_TYPE": "C", "PCF_CODE": "C1", "DEV_CODE": "XXX"],
                into: store) == rejected("Le code devise XXX n'existe pas"))
        #expect(store.row("COMPTES", "512001") == nil)
    }

    // MARK: calculer_numero_compte and calculer_code_tiers

    /// A client's and a fournisseur's account lines that one computation completes.
    struct Completion: Sendable, CustomTestStringConvertible {
        let what: String
        let computation: AccountComputation
        let client: KeyValuePairs<String, String>
        let fournisseur: KeyValuePairs<String, String>

        var testDescription: String { what }
    }

    static let completions: [Completion] = [
        Completion(
            what: "calculer_numero_compte: the number is the root and the code", computation: numberFromCode,
            client: ["CPT_LIB": "Client 1", "CPT_TYPE": "C", "PCF_CODE": "C1"],
            fournisseur: ["CPT_NUMERO": "", "CPT_LIB": "Fournisseur 1", "CPT_TYPE": "F", "PCF_CODE": "F1"]),
        Completion(
            what: "calculer_code_tiers: the code is what follows the root", computation: codeFromNumber,
            client: ["CPT_NUMERO": "411C1", "CPT_LIB": "Client 1", "CPT_TYPE": "C"],
            fournisseur: ["CPT_NUMERO": "401F1", "CPT_LIB": "Fournisseur 1", "CPT_TYPE": "F", "PCF_CODE": ""]),
    ]

    @Test("a computation completes the accounts of a client and a fournisseur", arguments: completions)
    func computationCompletesTheAccounts(_ completion: Completion) throws {
        let store = store()
        #expect(
            try importLine(completion.client, into: store, computation: completion.computation)
                == .imported(warnings: []))
        #expect(
            try importLine(completion.fournisseur, into: store, computation: completion.computation)
                == .imported(warnings: []))
        #expect(store.changes.map(\.key) == [key("411C1"), key("401F1")])
        #expect(
            store.changes.first?.values
                == LineValues([
                    ("CPT_LIB", .text("Client 1")), ("CPT_TYPE", .text("C")), ("PCF_CODE", .text("C1")),
                    ("CPT_COLLEC", .text("411000")),
                ]))
        #expect(store.row("COMPTES", "401F1")?["PCF_CODE"] == .text("F1"))
    }

    /// A line that gives the account's number and its tiers code: nothing to compute.
    struct Given: Sendable, CustomTestStringConvertible {
        let what: String
        let computation: AccountComputation
        let line: KeyValuePairs<String, String>
        let number: String

        var testDescription: String { what }
    }

    static let givens: [Given] = [
        Given(
            what: "calculer_numero_compte keeps a given number", computation: numberFromCode,
            line: ["CPT_NUMERO": "411CLI1", "CPT_LIB": "C", "CPT_TYPE": "C", "PCF_CODE": "C1"], number: "411CLI1"),
        Given(
            what: "calculer_code_tiers keeps a given code", computation: codeFromNumber,
            line: ["CPT_NUMERO": "411CLIENT1", "CPT_LIB": "X", "CPT_TYPE": "C", "PCF_CODE": "C1"], number: "411CLIENT1"),
    ]

    @Test("a computation keeps what the line gives", arguments: givens)
    func computationKeepsWhatIsGiven(_ given: Given) throws {
        let store = store()
        #expect(try importLine(given.line, into: store, computation: given.computation) == .imported(warnings: []))
        // One account, under the given number: none was computed from the code.
        #expect(store.changes.map(\.key) == [key(given.number)])
        #expect(store.row("COMPTES", given.number)?["PCF_CODE"] == .text("C1"))
    }

    /// A line that one computation cannot complete, and the reason of its rejection.
    struct Uncomputable: Sendable, CustomTestStringConvertible {
        let what: String
        let computation: AccountComputation
        let line: KeyValuePairs<String, String>
        let reason: String

        var testDescription: String { what }
    }

    static let uncomputables: [Uncomputable] = [
        Uncomputable(
            what: "calculer_numero_compte: a general account's number is not computed", computation: numberFromCode,
            line: ["CPT_LIB": "Banque", "CPT_TYPE": "G"], reason: "Numéro de compte manquant"),
        // The code found must still be a tiers of the account's kind.
        Uncomputable(
            what: "calculer_code_tiers: the code found is a fournisseur's, not a client's", computation: codeFromNumber,
            line: ["CPT_NUMERO": "411F1", "CPT_LIB": "X", "CPT_TYPE": "C"],
            reason: "Le tiers F1 n'est pas un client : c'est un fournisseur"),
        Uncomputable(
            what: "calculer_code_tiers: a client's number without 411", computation: codeFromNumber,
            line: ["CPT_NUMERO": "512X", "CPT_LIB": "X", "CPT_TYPE": "C"],
            reason: "Le compte 512X ne commence pas par la racine 411 : le code tiers ne peut pas en être tiré"),
        Uncomputable(
            what: "calculer_code_tiers: a fournisseur's number without 401", computation: codeFromNumber,
            line: ["CPT_NUMERO": "411F1", "CPT_LIB": "X", "CPT_TYPE": "F"],
            reason: "Le compte 411F1 ne commence pas par la racine 401 : le code tiers ne peut pas en être tiré"),
    ]

    @Test("a line the computation cannot complete is rejected and writes nothing", arguments: uncomputables)
    func uncomputableLineIsRejected(_ uncomputable: Uncomputable) throws {
        let store = store()
        #expect(
            try importLine(uncomputable.line, into: store, computation: uncomputable.computation)
                == rejected(uncomputable.reason))
        #expect(store.changes.isEmpty)
    }

    @Test func codeFromNumberCreatesTheTiersItFinds() throws {
        let store = store()
        #expect(
            try importLine(
                ["CPT_NUMERO": "411Z9", "CPT_LIB": "Zeta", "CPT_TYPE": "C"], into: store,
                computation: Self.codeFromNumber) == .imported(warnings: []))
        #expect(store.row("TIERS", "Z9")?["PCF_RS"] == .text("Zeta"))
        #expect(store.row("COMPTES", "411Z9")?["PCF_CODE"] == .text("Z9"))
    }

    @Test func numberFromCodeUsesThePreferencesRoot() throws {
        let store = store()
        store.preferences["RACINE_CLIENT"] = "4110"
        store.preferences["RACINE_FOURNISSEUR"] = "4010"
        try importLine(
            ["CPT_LIB": "C", "CPT_TYPE": "C", "PCF_CODE": "C1"], into: store, computation: Self.numberFromCode)
        try importLine(
            ["CPT_LIB": "F", "CPT_TYPE": "F", "PCF_CODE": "F1"], into: store, computation: Self.numberFromCode)
        #expect(store.changes.map(\.key) == [key("4110C1"), key("4010F1")])
    }

    @Test func codeFromTheRootAloneIsRejectedAndGeneralAccountsAreNotComputed() throws {
        let store = store()
        // The root alone leaves no code to take.
        let rootOnly = try importLine(
            ["CPT_NUMERO": "411", "CPT_LIB": "X", "CPT_TYPE": "C"], into: store, computation: Self.codeFromNumber)
        guard case .rejected(let rejection) = rootOnly else {
            Issue.record("the root alone gives a tiers code: \(rootOnly)")
            return
        }
        #expect(rejection.reasons.count == 1)
        #expect(store.changes.isEmpty)
        #expect(
            try importLine(
                ["CPT_NUMERO": "512000", "CPT_LIB": "Banque", "CPT_TYPE": "G"], into: store,
                computation: Self.codeFromNumber)
                == .imported(warnings: []))
    }

    // MARK: One table with the tiers imports

    @Test func accountsOfTheTiersImportsAreTheSameRows() throws {
        let store = MemoryStore()
        let clients = TiersRules(
            type: .client, catalogue: .clients, stamp: .creation)
        #expect(
            try clients.importLine(
                lineValues(["PCF_CODE": "C1", "PCF_RS": "Sport 25", "CPT_NUMERO": "411C1"]), into: store)
                == .imported(warnings: []))
        #expect(
            try importLine(["CPT_NUMERO": "411C1", "CPT_LIB": "Sport 25 (client)", "CPT_SENS": "D"], into: store)
                == .imported(warnings: []))
        #expect(store.changes.last?.kind == .update)
        #expect(
            store.row("COMPTES", "411C1") == [
                "CPT_NUMERO": .text("411C1"), "CPT_LIB": .text("Sport 25 (client)"), "CPT_TYPE": .text("C"),
                "PCF_CODE": .text("C1"), "CPT_COLLEC": .text("411000"), "CPT_SENS": .text("D"),
            ])
        // Another client cannot take it.
        #expect(
            try clients.importLine(
                lineValues(["PCF_CODE": "C2", "PCF_RS": "Autre", "CPT_NUMERO": "411C2"]), into: store)
                == .imported(warnings: []))
        #expect(
            try importLine(["CPT_NUMERO": "411C1", "PCF_CODE": "C2"], into: store)
                == rejected("Le compte 411C1 est déjà attribué au tiers C1"))
    }
}
