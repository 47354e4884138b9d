import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// The import rules of Clients, Fournisseurs and Prospects (contract, section 4).
@Suite struct TiersRulesTests {

    private func rules(_ type: TiersType, stamp: AuditStamp = AuditStamp.creation) -> TiersRules {
        let catalogue: Catalogue =
            switch type {
            case .client: .clients
            case .fournisseur: .fournisseurs
            case .prospect: .prospects
            }
        return TiersRules(type: type, catalogue: catalogue, stamp: stamp)
    }

    @discardableResult
    private func importLine(
        _ type: TiersType, _ pairs: KeyValuePairs<String, String>, into store: MemoryStore,
        stamp: AuditStamp = AuditStamp.creation
    ) throws -> LineOutcome {
        try rules(type, stamp: stamp).importLine(lineValues(pairs), into: store)
    }

    private func rejected(_ reasons: String...) -> LineOutcome {
        .rejected(LineRejection(reasons))
    }

    // MARK: Creation and update

    @Test func clientCreationWritesTheTiersWithAuditColumnsAndItsAccount() throws {
        let store = MemoryStore()
        let outcome = try importLine(
            .client, ["PCF_CODE": "C42", "CPT_NUMERO": "411C42", "PCF_RS": "SPORT25", "PCF_CP": "78120"], into: store)
        #expect(outcome == .imported(warnings: []))
        #expect(
            store.tiersRows["C42"] == [
                "PCF_CODE": .text("C42"), "CPT_NUMERO": .text("411C42"), "PCF_RS": .text("SPORT25"),
                "PCF_CP": .text("78120"), "PCF_TYPE": .text("C"), "PCF_DTCREE": .text("2024-03-15 10:20:30"),
                "PCF_USRCRE": .text("DEMO"), "PCF_DTMAJ": .text("2024-03-15 10:20:30"), "PCF_USRMAJ": .text("DEMO"),
                "PCF_NUMMAJ": .integer(1),
            ])
        #expect(
            store.accountRows["411C42"] == [
                "CPT_NUMERO": .text("411C42"), "CPT_TYPE": .text("C"), "CPT_LIB": .text("SPORT25"),
                "CPT_COLLEC": .text("411000"), "PCF_CODE": .text("C42"),
            ])
        // The billing address 001 is created with the tiers, with the billing columns the line holds.
        #expect(
            store.row("ADRESSES", "PCF", "C42", "001") == [
                "ADR_TBL": .text("PCF"), "ADR_CODE": .text("C42"), "ADR_NUMERO": .text("001"), "ADR_CP": .text("78120"),
            ])
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "COMPTES"])
        #expect(store.changes.map(\.kind) == [.create, .create, .create])
        #expect(store.changes.first?.key == LineValues([("PCF_CODE", .text("C42"))]))
        #expect(
            store.changes[1].key
                == LineValues([("ADR_TBL", .text("PCF")), ("ADR_CODE", .text("C42")), ("ADR_NUMERO", .text("001"))]))
        #expect(store.changes[1].values == LineValues([("ADR_CP", .text("78120"))]))
        #expect(store.changes.last?.key == LineValues([("CPT_NUMERO", .text("411C42"))]))
    }

    @Test func theExactTiersChangeOfACreation() throws {
        let store = MemoryStore()
        try importLine(.client, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411C1"], into: store)
        #expect(
            store.changes.first
                == RecordChange(
                    table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text("C1"))]),
                    values: LineValues([
                        ("PCF_RS", .text("A")), ("CPT_NUMERO", .text("411C1")), ("PCF_TYPE", .text("C")),
                        ("PCF_DTCREE", .text("2024-03-15 10:20:30")), ("PCF_USRCRE", .text("DEMO")),
                        ("PCF_DTMAJ", .text("2024-03-15 10:20:30")), ("PCF_USRMAJ", .text("DEMO")),
                        ("PCF_NUMMAJ", .integer(1)),
                    ])))
    }

    @Test func supplierAccountIsTypeFWithCollective401000() throws {
        let store = MemoryStore()
        let outcome = try importLine(
            .fournisseur, ["PCF_CODE": "F1", "PCF_RS": "Fournil", "CPT_NUMERO": "401F1"], into: store)
        #expect(outcome == .imported(warnings: []))
        #expect(store.tiersRows["F1"]?["PCF_TYPE"] == .text("F"))
        #expect(
            store.accountRows["401F1"] == [
                "CPT_NUMERO": .text("401F1"), "CPT_TYPE": .text("F"), "CPT_LIB": .text("Fournil"),
                "CPT_COLLEC": .text("401000"), "PCF_CODE": .text("F1"),
            ])
    }

    @Test func supplierWithoutAccountHasNoAccountRow() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "Fournil"], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["F1"]?["PCF_TYPE"] == .text("F"))
        #expect(store.accountRows.isEmpty)
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES"])
    }

    @Test func prospectHasNoAccountRow() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "Peut-être"], into: store) == .imported(warnings: [])
        )
        #expect(store.tiersRows["P1"]?["PCF_TYPE"] == .text("P"))
        #expect(store.tiersRows["P1"]?["PCF_NUMMAJ"] == .integer(1))
        #expect(store.accountRows.isEmpty)
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES"])
    }

    @Test func updateIncrementsTheCountAndWritesOnlyPresentFields() throws {
        let store = MemoryStore()
        try importLine(
            .client, ["PCF_CODE": "C1", "PCF_RS": "Ancien", "CPT_NUMERO": "411C1", "PCF_CP": "78120"], into: store)
        let outcome = try importLine(
            .client, ["PCF_CODE": "C1", "PCF_RS": "Nouveau", "CPT_NUMERO": "411C1", "PCF_VILLE": "Rambouillet"],
            into: store, stamp: AuditStamp.later)
        #expect(outcome == .imported(warnings: []))
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "COMPTES", "TIERS", "ADRESSES", "COMPTES"])
        #expect(
            store.changes[3]
                == RecordChange(
                    table: "TIERS", kind: .update, key: LineValues([("PCF_CODE", .text("C1"))]),
                    values: LineValues([
                        ("PCF_RS", .text("Nouveau")), ("CPT_NUMERO", .text("411C1")),
                        ("PCF_VILLE", .text("Rambouillet")), ("PCF_TYPE", .text("C")),
                        ("PCF_DTMAJ", .text("2024-03-16 08:00:00")), ("PCF_USRMAJ", .text("ADM")),
                        ("PCF_NUMMAJ", .integer(2)),
                    ])))
        #expect(
            store.tiersRows["C1"] == [
                "PCF_CODE": .text("C1"), "PCF_RS": .text("Nouveau"), "CPT_NUMERO": .text("411C1"),
                "PCF_CP": .text("78120"), "PCF_VILLE": .text("Rambouillet"), "PCF_TYPE": .text("C"),
                "PCF_DTCREE": .text("2024-03-15 10:20:30"), "PCF_USRCRE": .text("DEMO"),
                "PCF_DTMAJ": .text("2024-03-16 08:00:00"), "PCF_USRMAJ": .text("ADM"), "PCF_NUMMAJ": .integer(2),
            ])
        // The billing address gets the billing column the line holds.
        #expect(
            store.changes[4]
                == RecordChange(
                    table: "ADRESSES", kind: .update,
                    key: LineValues([
                        ("ADR_TBL", .text("PCF")), ("ADR_CODE", .text("C1")), ("ADR_NUMERO", .text("001")),
                    ]),
                    values: LineValues([("ADR_VILLE", .text("Rambouillet"))])))
        #expect(
            store.row("ADRESSES", "PCF", "C1", "001") == [
                "ADR_TBL": .text("PCF"), "ADR_CODE": .text("C1"), "ADR_NUMERO": .text("001"), "ADR_CP": .text("78120"),
                "ADR_VILLE": .text("Rambouillet"),
            ])
        // The account is renamed after the tiers and keeps its collective account.
        #expect(store.changes[5].kind == .update)
        #expect(
            store.changes[5].values
                == LineValues([("CPT_TYPE", .text("C")), ("PCF_CODE", .text("C1")), ("CPT_LIB", .text("Nouveau"))]))
        #expect(
            store.accountRows["411C1"] == [
                "CPT_NUMERO": .text("411C1"), "CPT_TYPE": .text("C"), "CPT_LIB": .text("Nouveau"),
                "CPT_COLLEC": .text("411000"), "PCF_CODE": .text("C1"),
            ])
    }

    @Test func updateCountKeepsGrowing() throws {
        let store = MemoryStore()
        for name in ["A", "B", "C", "D"] {
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": name], into: store)
        }
        #expect(store.tiersRows["P1"]?["PCF_NUMMAJ"] == .integer(4))
        #expect(store.tiersRows["P1"]?["PCF_RS"] == .text("D"))
    }

    @Test func presentEmptyColumnClearsTheField() throws {
        let store = MemoryStore()
        try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "A", "PCF_VILLE": "Paris"], into: store)
        try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "A", "PCF_VILLE": ""], into: store)
        #expect(store.tiersRows["F1"]?["PCF_VILLE"] == .null)
    }

    // MARK: Required fields

    @Test func clientRequiredFieldsMissing() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.client, ["PCF_CODE": "", "PCF_RS": "", "CPT_NUMERO": ""], into: store)
                == rejected("Code manquant", "Raison sociale manquante", "Numéro de compte manquant"))
        #expect(
            try importLine(.client, ["PCF_VILLE": "Paris"], into: store)
                == rejected("Code manquant", "Raison sociale manquante", "Numéro de compte manquant"))
        #expect(
            try importLine(.client, ["PCF_CODE": "C1"], into: store)
                == rejected("Raison sociale manquante", "Numéro de compte manquant"))
        #expect(
            try importLine(.client, ["PCF_CODE": "C1", "PCF_RS": "A"], into: store)
                == rejected("Numéro de compte manquant"))
        #expect(
            try importLine(.client, ["PCF_RS": "A", "CPT_NUMERO": "411"], into: store) == rejected("Code manquant"))
        #expect(store.changes.isEmpty)
    }

    @Test func accountNumberIsRequiredOnEveryClientLineEvenAnUpdate() throws {
        let store = MemoryStore()
        try importLine(.client, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411C1"], into: store)
        #expect(
            try importLine(.client, ["PCF_CODE": "C1", "PCF_RS": "B"], into: store)
                == rejected("Numéro de compte manquant"))
        #expect(store.tiersRows["C1"]?["PCF_RS"] == .text("A"))
    }

    @Test func supplierAndProspectNeedOnlyCodeAndName() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.fournisseur, ["PCF_CP": "1"], into: store)
                == rejected("Code manquant", "Raison sociale manquante"))
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": ""], into: store)
                == rejected("Raison sociale manquante"))
        #expect(store.changes.isEmpty)
    }

    // MARK: Type clashes

    @Test(arguments: [
        (TiersType.fournisseur, TiersType.client, "Le code X1 est déjà utilisé par un fournisseur"),
        (.client, .fournisseur, "Le code X1 est déjà utilisé par un client"),
        (.client, .prospect, "Le code X1 est déjà utilisé par un client"),
        (.prospect, .fournisseur, "Le code X1 est déjà utilisé par un prospect"),
        (.fournisseur, .prospect, "Le code X1 est déjà utilisé par un fournisseur"),
    ])
    func typeClashRejectsTheLine(existing: TiersType, line: TiersType, message: String) throws {
        let store = MemoryStore()
        try importLine(existing, ["PCF_CODE": "X1", "PCF_RS": "Premier", "CPT_NUMERO": "4X1"], into: store)
        let before = store.tiersRows
        let changes = store.changes.count
        #expect(
            try importLine(line, ["PCF_CODE": "X1", "PCF_RS": "Second", "CPT_NUMERO": "4X1"], into: store)
                == rejected(message))
        #expect(store.tiersRows == before)
        #expect(store.changes.count == changes)
    }

    @Test func prospectTurnsIntoAClient() throws {
        let store = MemoryStore()
        try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "Futur client", "PCF_VILLE": "Lyon"], into: store)
        let outcome = try importLine(
            .client, ["PCF_CODE": "P1", "PCF_RS": "Client ferme", "CPT_NUMERO": "411P1"], into: store,
            stamp: AuditStamp.later)
        #expect(outcome == .imported(warnings: ["Le prospect P1 a été transformé en client"]))
        #expect(
            store.tiersRows["P1"] == [
                "PCF_CODE": .text("P1"), "PCF_RS": .text("Client ferme"), "PCF_VILLE": .text("Lyon"),
                "CPT_NUMERO": .text("411P1"), "PCF_TYPE": .text("C"), "PCF_DTCREE": .text("2024-03-15 10:20:30"),
                "PCF_USRCRE": .text("DEMO"), "PCF_DTMAJ": .text("2024-03-16 08:00:00"), "PCF_USRMAJ": .text("ADM"),
                "PCF_NUMMAJ": .integer(2),
            ])
        // The transformation updates the tiers; the line holds no billing column, so 001 is not touched.
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "TIERS", "COMPTES"])
        #expect(store.changes.map(\.kind) == [.create, .create, .update, .create])
        #expect(
            store.accountRows["411P1"] == [
                "CPT_NUMERO": .text("411P1"), "CPT_TYPE": .text("C"), "CPT_LIB": .text("Client ferme"),
                "CPT_COLLEC": .text("411000"), "PCF_CODE": .text("P1"),
            ])
        // Now a client: a second client line is a plain update.
        #expect(
            try importLine(.client, ["PCF_CODE": "P1", "PCF_RS": "Client ferme", "CPT_NUMERO": "411P1"], into: store)
                == .imported(warnings: []))
    }

    // MARK: Accounts

    @Test func accountHeldByAnotherTiersRejectsTheLine() throws {
        let store = MemoryStore()
        try importLine(.client, ["PCF_CODE": "A", "PCF_RS": "Alpha", "CPT_NUMERO": "411X"], into: store)
        #expect(
            try importLine(.client, ["PCF_CODE": "B", "PCF_RS": "Bravo", "CPT_NUMERO": "411X"], into: store)
                == rejected("Le compte 411X est déjà attribué au tiers A"))
        #expect(
            try importLine(.fournisseur, ["PCF_CODE": "F", "PCF_RS": "Fox", "CPT_NUMERO": "411X"], into: store)
                == rejected("Le compte 411X est déjà attribué au tiers A"))
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P", "PCF_RS": "Papa", "CPT_NUMERO": "411X"], into: store)
                == rejected("Le compte 411X est déjà attribué au tiers A"))
        #expect(store.tiersRows.keys.sorted() == ["A"])
        #expect(store.accountRows["411X"]?["PCF_CODE"] == .text("A"))
    }

    @Test func accountHeldInCOMPTESByAnotherTiers() throws {
        let store = MemoryStore()
        store.accountRows["411Z"] = ["CPT_NUMERO": .text("411Z"), "CPT_TYPE": .text("C"), "PCF_CODE": .text("Z")]
        #expect(
            try importLine(.client, ["PCF_CODE": "B", "PCF_RS": "Bravo", "CPT_NUMERO": "411Z"], into: store)
                == rejected("Le compte 411Z est déjà attribué au tiers Z"))
        #expect(store.changes.isEmpty)
    }

    @Test func generalAccountCannotBeGivenToATiers() throws {
        let store = MemoryStore()
        store.accountRows["512000"] = ["CPT_NUMERO": .text("512000"), "CPT_TYPE": .text("G")]
        #expect(
            try importLine(.client, ["PCF_CODE": "B", "PCF_RS": "Bravo", "CPT_NUMERO": "512000"], into: store)
                == rejected("Le compte 512000 est un compte général : il ne peut pas être attribué à un tiers"))
    }

    @Test func aTiersKeepsItsOwnAccount() throws {
        let store = MemoryStore()
        try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "A", "CPT_NUMERO": "401F1"], into: store)
        #expect(
            try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "B", "CPT_NUMERO": "401F1"], into: store)
                == .imported(warnings: []))
        #expect(store.accountRows["401F1"]?["CPT_LIB"] == .text("B"))
    }

    @Test func supplierUpdateWithoutAccountColumnRenamesItsAccount() throws {
        let store = MemoryStore()
        try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "A", "CPT_NUMERO": "401F1"], into: store)
        #expect(
            try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "B"], into: store) == .imported(warnings: []))
        #expect(store.tiersRows["F1"]?["CPT_NUMERO"] == .text("401F1"))
        #expect(store.accountRows["401F1"]?["CPT_LIB"] == .text("B"))
        #expect(store.accountRows["401F1"]?["CPT_COLLEC"] == .text("401000"))
    }

    // MARK: Countries and currencies

    @Test func knownCountryAndCurrencyAreStoredInCapitals() throws {
        let store = MemoryStore()
        #expect(
            try importLine(
                .client, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411C1", "PAY_CODE": "de", "DEV_CODE": "eur"],
                into: store) == .imported(warnings: []))
        #expect(store.tiersRows["C1"]?["PAY_CODE"] == .text("DE"))
        #expect(store.tiersRows["C1"]?["DEV_CODE"] == .text("EUR"))
    }

    @Test func unknownCountryOrCurrencyRejectsTheLine() throws {
        let store = MemoryStore()
        #expect(
            try importLine(
                .client, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411C1", "PAY_CODE": "XX"], into: store)
                == rejected("Le code pays XX n'existe pas"))
        #expect(
            try importLine(.fournisseur, ["PCF_CODE": "F1", "PCF_RS": "A", "DEV_CODE": "XXX"], into: store)
                == rejected("Le code devise XXX n'existe pas"))
        #expect(store.changes.isEmpty)
    }

    @Test func everyReasonOfALineIsGiven() throws {
        let store = MemoryStore()
        try importLine(.client, ["PCF_CODE": "A", "PCF_RS": "Alpha", "CPT_NUMERO": "411X"], into: store)
        #expect(
            try importLine(
                .client,
                ["PCF_CODE": "B", "PCF_RS": "Bravo", "CPT_NUMERO": "411X", "PAY_CODE": "ZZ", "DEV_CODE": "USD"],
                into: store)
                == rejected(
                    "Le code pays ZZ n'existe pas", "Le code devise USD n'existe pas",
                    "Le compte 411X est déjà attribué au tiers A"))
    }

    @Test func emptyCountryIsNotChecked() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PAY_CODE": "", "DEV_CODE": ""], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["P1"]?["PAY_CODE"] == .null)
    }

    // MARK: SIREN and SIRET

    @Test func siretFillsTheSiren() throws {
        let store = MemoryStore()
        #expect(
            try importLine(
                .prospect, ["PCF_CODE": "P1", "PCF_RS": "L'Oréal", "PCF_SIRET": "73282932000074"], into: store)
                == .imported(warnings: []))
        #expect(store.tiersRows["P1"]?["PCF_SIREN"] == .text("732829320"))
        #expect(store.tiersRows["P1"]?["PCF_SIRET"] == .text("73282932000074"))
    }

    @Test func givenSirenIsNotReplaced() throws {
        let store = MemoryStore()
        try importLine(
            .prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_SIREN": "552032534", "PCF_SIRET": "73282932000074"],
            into: store)
        #expect(store.tiersRows["P1"]?["PCF_SIREN"] == .text("552032534"))
    }

    // MARK: Warnings

    @Test func invalidSirenWarns() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_SIREN": "123456789"], into: store)
                == .imported(warnings: ["Le numéro SIREN 123456789 n'est pas valide"]))
        #expect(store.tiersRows["P1"]?["PCF_SIREN"] == .text("123456789"))
    }

    @Test func invalidSiretWarnsAndSoDoesTheSirenItFills() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_SIRET": "12345678901234"], into: store)
                == .imported(warnings: [
                    "Le numéro SIREN 123456789 n'est pas valide", "Le numéro SIRET 12345678901234 n'est pas valide",
                ]))
    }

    @Test func laPosteHeadOfficeSiretDoesNotWarn() throws {
        let store = MemoryStore()
        #expect(
            try importLine(
                .fournisseur, ["PCF_CODE": "F1", "PCF_RS": "La Poste", "PCF_SIRET": "35600000000048"], into: store)
                == .imported(warnings: []))
    }

    @Test func vatKeyNotMatchingTheSirenWarns() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_NII": "FR00732829320"], into: store)
                == .imported(warnings: [
                    "La clé du numéro de TVA intracommunautaire FR00732829320 ne correspond pas au SIREN 732829320"
                ]))
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P2", "PCF_RS": "A", "PCF_NII": "FR44732829320"], into: store)
                == .imported(warnings: []))
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P3", "PCF_RS": "A", "PCF_NII": "DE123456789"], into: store)
                == .imported(warnings: []))
    }

    @Test func frenchPostalCodeWarnsOnlyInFrance() throws {
        let store = MemoryStore()
        #expect(
            try importLine(
                .prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_CP": "7812", "PAY_CODE": "FR"], into: store)
                == .imported(warnings: ["Le code postal 7812 n'est pas valide pour la France (5 chiffres attendus)"]))
        #expect(
            try importLine(
                .prospect, ["PCF_CODE": "P2", "PCF_RS": "A", "PCF_CP": "7812", "PAY_CODE": "fr"], into: store)
                == .imported(warnings: ["Le code postal 7812 n'est pas valide pour la France (5 chiffres attendus)"]))
        #expect(
            try importLine(
                .prospect, ["PCF_CODE": "P3", "PCF_RS": "A", "PCF_CP": "7812", "PAY_CODE": "DE"], into: store)
                == .imported(warnings: []))
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P4", "PCF_RS": "A", "PCF_CP": "7812"], into: store)
                == .imported(warnings: []))
        #expect(
            try importLine(
                .prospect, ["PCF_CODE": "P5", "PCF_RS": "A", "PCF_CP": "78120", "PAY_CODE": "FR"], into: store)
                == .imported(warnings: []))
    }

    @Test func postalCodeIsCheckedAgainstTheStoredCountry() throws {
        let store = MemoryStore()
        try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PAY_CODE": "FR"], into: store)
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_CP": "F-78"], into: store)
                == .imported(warnings: ["Le code postal F-78 n'est pas valide pour la France (5 chiffres attendus)"]))
        // A present, empty PAY_CODE clears the country: no more French check.
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_CP": "F-78", "PAY_CODE": ""], into: store)
                == .imported(warnings: []))
    }

    @Test func badEmailWarns() throws {
        let store = MemoryStore()
        #expect(
            try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A", "PCF_EMAIL": "contact@sport25"], into: store)
                == .imported(warnings: ["L'adresse e-mail contact@sport25 n'est pas valide"]))
        #expect(
            try importLine(
                .prospect, ["PCF_CODE": "P2", "PCF_RS": "A", "PCF_EMAIL": "contact@sport25.fr"], into: store)
                == .imported(warnings: []))
    }

    @Test func allWarningsInOrderAfterTheProspectTransformation() throws {
        let store = MemoryStore()
        try importLine(.prospect, ["PCF_CODE": "P1", "PCF_RS": "A"], into: store)
        let outcome = try importLine(
            .client,
            [
                "PCF_CODE": "P1", "PCF_RS": "A", "CPT_NUMERO": "411P1", "PCF_EMAIL": "x@y", "PCF_CP": "123",
                "PAY_CODE": "FR", "PCF_NII": "FR00732829320", "PCF_SIRET": "73282932000075", "PCF_SIREN": "732829321",
            ], into: store)
        #expect(
            outcome
                == .imported(warnings: [
                    "Le prospect P1 a été transformé en client",
                    "Le numéro SIREN 732829321 n'est pas valide",
                    "Le numéro SIRET 73282932000075 n'est pas valide",
                    "La clé du numéro de TVA intracommunautaire FR00732829320 ne correspond pas au SIREN 732829320",
                    "Le code postal 123 n'est pas valide pour la France (5 chiffres attendus)",
                    "L'adresse e-mail x@y n'est pas valide",
                ]))
        #expect(store.tiersRows["P1"]?["PCF_TYPE"] == .text("C"))
    }

    @Test func customFieldsAreWrittenToTIERS() throws {
        let store = MemoryStore()
        #expect(rules(.client).table == "TIERS")
        try importLine(
            .client, ["PCF_CODE": "C1", "PCF_RS": "A", "CPT_NUMERO": "411C1", "XXX_COULEUR": "Bleu"], into: store)
        #expect(store.tiersRows["C1"]?["XXX_COULEUR"] == .text("Bleu"))
    }
}
