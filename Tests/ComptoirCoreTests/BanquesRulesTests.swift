import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// The import rules of BanquesTiers: `TIERS_RIB` keyed on (`PCF_CODE`, `RIB_ORDRE`) (issue 3).
@Suite struct BanquesRulesTests {
    private func store() -> MemoryStore {
        let store = MemoryStore()
        store.addTiers("C42", .client, account: "411C42")
        store.addTiers("F1", .fournisseur)
        return store
    }

    @discardableResult
    private func importLine(_ pairs: KeyValuePairs<String, String>, into store: MemoryStore) throws -> LineOutcome {
        try BanquesRules().importLine(lineValues(pairs), into: store)
    }

    /// The valid French bank details of the examples: 20041 01005 0500013M026 06, IBAN FR14….
    private let valid: KeyValuePairs<String, String> = [
        "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "FR", "RIB_AGENCE": "20041", "RIB_GUICHE": "01005",
        "RIB_COMPTE": "0500013M026", "RIB_CLE": "06", "RIB_IBAN": "FR14",
    ]

    // MARK: Required fields and the tiers

    @Test func requiredFields() throws {
        let store = store()
        #expect(try importLine([:], into: store) == rejected("Code tiers manquant", "Numéro d'ordre manquant"))
        #expect(
            try importLine(["PCF_CODE": "", "RIB_ORDRE": "", "RIB_BQ_NOM": "Banque"], into: store)
                == rejected("Code tiers manquant", "Numéro d'ordre manquant"))
        #expect(try importLine(["PCF_CODE": "C42"], into: store) == rejected("Numéro d'ordre manquant"))
        #expect(try importLine(["RIB_ORDRE": "01"], into: store) == rejected("Code tiers manquant"))
        #expect(store.changes.isEmpty)
    }

    @Test func unknownTiersIsRejected() throws {
        let store = store()
        #expect(
            try importLine(["PCF_CODE": "X9", "RIB_ORDRE": "01", "RIB_BQ_NOM": "Banque"], into: store)
                == rejected("Le code tiers X9 n'existe pas"))
        #expect(store.changes.isEmpty)
        #expect(store.tables["TIERS_RIB"] == nil)
    }

    @Test func tableIsTIERS_RIB() {
        #expect(BanquesRules().table == "TIERS_RIB")
    }

    // MARK: Upsert

    @Test func createThenUpdateWritingOnlyPresentFields() throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_BQ_NOM": "Banque de Rambouillet",
                    "RIB_ASWIFT": "PSSTFRPPXXX",
                ],
                into: store) == .imported(warnings: []))
        #expect(
            store.changes.last
                == RecordChange(
                    table: "TIERS_RIB", kind: .create,
                    key: LineValues([("PCF_CODE", .text("C42")), ("RIB_ORDRE", .text("01"))]),
                    values: LineValues([
                        ("RIB_BQ_NOM", .text("Banque de Rambouillet")), ("RIB_ASWIFT", .text("PSSTFRPPXXX")),
                    ])))

        #expect(
            try importLine(
                ["PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_BQ_ADR": "Place Félix Faure", "RIB_ASWIFT": ""], into: store
            )
                == .imported(warnings: []))
        #expect(
            store.changes.last
                == RecordChange(
                    table: "TIERS_RIB", kind: .update,
                    key: LineValues([("PCF_CODE", .text("C42")), ("RIB_ORDRE", .text("01"))]),
                    values: LineValues([("RIB_BQ_ADR", .text("Place Félix Faure")), ("RIB_ASWIFT", .null)])))
        #expect(
            store.row("TIERS_RIB", "C42", "01") == [
                "PCF_CODE": .text("C42"), "RIB_ORDRE": .text("01"), "RIB_BQ_NOM": .text("Banque de Rambouillet"),
                "RIB_BQ_ADR": .text("Place Félix Faure"), "RIB_ASWIFT": .null,
            ])
        #expect(store.changes.count == 2)
        // The tiers itself is not touched.
        #expect(store.tiersRows["C42"]?["PCF_NUMMAJ"] == .integer(1))
    }

    @Test func eachTiersAndOrderIsItsOwnRow() throws {
        let store = store()
        try importLine(["PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_BQ_NOM": "A"], into: store)
        try importLine(["PCF_CODE": "C42", "RIB_ORDRE": "02", "RIB_BQ_NOM": "B"], into: store)
        try importLine(["PCF_CODE": "F1", "RIB_ORDRE": "01", "RIB_BQ_NOM": "C"], into: store)
        #expect(store.changes.map(\.kind) == [.create, .create, .create])
        #expect(store.tables["TIERS_RIB"]?.count == 3)
        #expect(store.row("TIERS_RIB", "C42", "01")?["RIB_BQ_NOM"] == .text("A"))
        #expect(store.row("TIERS_RIB", "C42", "02")?["RIB_BQ_NOM"] == .text("B"))
        #expect(store.row("TIERS_RIB", "F1", "01")?["RIB_BQ_NOM"] == .text("C"))
    }

    @Test func customFieldsAreWrittenToTheRow() throws {
        let store = store()
        try importLine(["PCF_CODE": "C42", "RIB_ORDRE": "01", "XXX_AGENCE": "Centre"], into: store)
        #expect(store.row("TIERS_RIB", "C42", "01")?["XXX_AGENCE"] == .text("Centre"))
    }

    // MARK: Codes and dates of the catalogue

    private func parse(_ name: String, _ raw: String) throws -> Result<FieldValue, FieldError> {
        try #require(Catalogue.banquesTiers.field(named: name)).parse(raw)
    }

    static let ribTypes = [
        "GEN", "DE", "AD", "SA", "AT", "BE", "BA", "BR", "BG", "CA", "RCB", "CCP", "CN", "CY", "HR", "DK", "ES", "EE",
        "US", "FI", "FR", "GI", "GR", "GL", "HU", "FO", "IE", "IS", "IL", "IT", "LV", "LI", "LT", "LU", "MK", "MT",
        "MA",
        "MC", "NO", "NL", "PL", "PT", "CZ", "RO", "GB", "SM", "RS", "SK", "SI", "SE", "CH", "DTA", "LSV", "TN", "TR",
        "ZZZ",
    ]

    @Test func ribTypeTakesOnlyTheCataloguesCodes() throws {
        #expect(
            Catalogue.banquesTiers.field(named: "RIB_TYPE")?.type == .text(maxLength: 3, codes: Self.ribTypes))
        for code in Self.ribTypes {
            #expect(try parse("RIB_TYPE", code) == .success(.text(code)))
            #expect(try parse("RIB_TYPE", code.lowercased()) == .success(.text(code)))
        }
        #expect(try parse("RIB_TYPE", "") == .success(.null))
        #expect(
            try parse("RIB_TYPE", "XX").failureValue?.message
                == "Le champ RIB_TYPE n'accepte pas la valeur XX (valeurs possibles : "
                + Self.ribTypes.joined(separator: ", ") + ")")
        #expect(
            try parse("RIB_TYPE", "FRA").failureValue?.message
                == "Le champ RIB_TYPE n'accepte pas la valeur FRA (valeurs possibles : "
                + Self.ribTypes.joined(separator: ", ") + ")")
        #expect(try parse("RIB_TYPE", "GENE").failureValue?.message == "Le champ RIB_TYPE dépasse 3 caractères")
    }

    @Test func sequenceTakesOnlyTheCataloguesCodes() throws {
        #expect(
            Catalogue.banquesTiers.field(named: "RIB_SEQPRE")?.type
                == .text(maxLength: 4, codes: ["OOFF", "FRST", "RCUR", "FNAL"]))
        #expect(try parse("RIB_SEQPRE", "OOFF") == .success(.text("OOFF")))
        #expect(try parse("RIB_SEQPRE", "frst") == .success(.text("FRST")))
        #expect(try parse("RIB_SEQPRE", "Rcur") == .success(.text("RCUR")))
        #expect(try parse("RIB_SEQPRE", "FNAL") == .success(.text("FNAL")))
        #expect(
            try parse("RIB_SEQPRE", "ABCD").failureValue?.message
                == "Le champ RIB_SEQPRE n'accepte pas la valeur ABCD (valeurs possibles : OOFF, FRST, RCUR, FNAL)")
    }

    @Test func datesAreJJMMAAAA() throws {
        for name in ["RIB_CB_DTF", "RIB_DT_SM"] {
            #expect(Catalogue.banquesTiers.field(named: name)?.type == .date)
            #expect(try parse(name, "31/12/2026") == .success(.text("2026-12-31")))
            #expect(try parse(name, "2026-12-31") == .success(.text("2026-12-31")))
            #expect(try parse(name, "") == .success(.null))
            #expect(
                try parse(name, "29/02/2023").failureValue?.message
                    == "Le champ \(name) n'est pas une date valide : 29/02/2023")
            #expect(
                try parse(name, "12/2026").failureValue?.message
                    == "Le champ \(name) n'est pas une date valide : 12/2026")
        }
    }

    // MARK: BBAN and IBAN warnings

    private func standingAlone(_ message: String) -> LineWarning { LineWarning(message, standsAlone: true) }

    @Test func validBankDetailsDoNotWarn() throws {
        let store = store()
        #expect(try importLine(valid, into: store) == .imported(warnings: []))
        #expect(
            store.row("TIERS_RIB", "C42", "01") == [
                "PCF_CODE": .text("C42"), "RIB_ORDRE": .text("01"), "RIB_TYPE": .text("FR"),
                "RIB_AGENCE": .text("20041"),
                "RIB_GUICHE": .text("01005"), "RIB_COMPTE": .text("0500013M026"), "RIB_CLE": .text("06"),
                "RIB_IBAN": .text("FR14"),
            ])
    }

    /// The IBAN built on a wrong BBAN is wrong too; Gestimum warns once, for the BBAN.
    @Test func wrongFrenchKeyWarnsOnceForTheBBANAndImports() throws {
        let store = store()
        let outcome = try importLine(
            [
                "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "FR", "RIB_AGENCE": "20041", "RIB_GUICHE": "01005",
                "RIB_COMPTE": "0500013M026", "RIB_CLE": "07", "RIB_IBAN": "FR14",
            ], into: store)
        #expect(
            outcome
                == .imported(warnings: [
                    standingAlone("Attention ! Le numéro BBAN 20041010050500013M02607 n'est pas valide.")
                ]))
        #expect(store.row("TIERS_RIB", "C42", "01")?["RIB_CLE"] == .text("07"))
    }

    @Test func wrongFrenchKeyWithoutIBANWarnsOnlyForTheBBAN() throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "FR", "RIB_AGENCE": "20041",
                    "RIB_GUICHE": "01005", "RIB_COMPTE": "0500013M026", "RIB_CLE": "60",
                ], into: store)
                == .imported(warnings: [
                    standingAlone("Attention ! Le numéro BBAN 20041010050500013M02660 n'est pas valide.")
                ]))
        #expect(store.row("TIERS_RIB", "C42", "01") != nil)
    }

    @Test func wrongIBANPrefixWarnsOnlyForTheIBAN() throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "FR", "RIB_AGENCE": "20041",
                    "RIB_GUICHE": "01005", "RIB_COMPTE": "0500013M026", "RIB_CLE": "06", "RIB_IBAN": "FR15",
                ], into: store)
                == .imported(warnings: [
                    standingAlone("Attention ! Le numéro IBAN FR1520041010050500013M02606 n'est pas valide.")
                ]))
        #expect(store.row("TIERS_RIB", "C42", "01")?["RIB_IBAN"] == .text("FR15"))
    }

    @Test func theFrenchKeyIsCheckedOnlyForTypeFR() throws {
        let store = store()
        for (ordre, type) in [("01", "GEN"), ("02", ""), ("03", "DE")] {
            #expect(
                try importLine(
                    [
                        "PCF_CODE": "C42", "RIB_ORDRE": ordre, "RIB_TYPE": type, "RIB_AGENCE": "20041",
                        "RIB_GUICHE": "01005", "RIB_COMPTE": "0500013M026", "RIB_CLE": "07",
                    ], into: store) == .imported(warnings: []), "\(type)")
        }
        // Without RIB_TYPE either.
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "04", "RIB_AGENCE": "20041", "RIB_GUICHE": "01005",
                    "RIB_COMPTE": "0500013M026", "RIB_CLE": "07",
                ], into: store) == .imported(warnings: []))
        #expect(store.tables["TIERS_RIB"]?.count == 4)
    }

    @Test func foreignIBANWithABranchIsChecked() throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "GB", "RIB_AGENCE": "WEST",
                    "RIB_GUICHE": "123456",
                    "RIB_COMPTE": "98765432", "RIB_IBAN": "GB82",
                ], into: store) == .imported(warnings: []))
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "02", "RIB_TYPE": "GB", "RIB_AGENCE": "WEST",
                    "RIB_GUICHE": "123456",
                    "RIB_COMPTE": "98765432", "RIB_IBAN": "GB83",
                ], into: store)
                == .imported(warnings: [
                    standingAlone("Attention ! Le numéro IBAN GB83WEST12345698765432 n'est pas valide.")
                ]))
    }

    /// A German BBAN has no branch code (bank code, then account): its IBAN is checked all the
    /// same, since the issue warns about every IBAN failing mod 97-10.
    @Test func ibanWithoutABranchIsCheckedToo() throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "DE", "RIB_AGENCE": "37040044",
                    "RIB_COMPTE": "0532013000", "RIB_IBAN": "DE89",
                ], into: store) == .imported(warnings: []))
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "02", "RIB_TYPE": "DE", "RIB_AGENCE": "37040044", "RIB_GUICHE": "",
                    "RIB_COMPTE": "0532013000", "RIB_IBAN": "DE88",
                ], into: store)
                == .imported(warnings: [
                    standingAlone("Attention ! Le numéro IBAN DE88370400440532013000 n'est pas valide.")
                ]))
    }

    @Test func lowerCaseIBANPrefixIsAccepted() throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "FR", "RIB_AGENCE": "20041",
                    "RIB_GUICHE": "01005", "RIB_COMPTE": "0500013m026", "RIB_CLE": "06", "RIB_IBAN": "fr14",
                ], into: store) == .imported(warnings: []))
    }

    @Test func missingKeyOfAFrenchRIBWarns() throws {
        let store = store()
        #expect(
            try importLine(
                [
                    "PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "FR", "RIB_AGENCE": "20041",
                    "RIB_GUICHE": "01005", "RIB_COMPTE": "0500013M026",
                ], into: store)
                == .imported(warnings: [
                    standingAlone("Attention ! Le numéro BBAN 20041010050500013M026 n'est pas valide.")
                ]))
    }

    @Test func noBankDetailsNoWarning() throws {
        let store = store()
        #expect(
            try importLine(
                ["PCF_CODE": "C42", "RIB_ORDRE": "01", "RIB_TYPE": "FR", "RIB_BQ_NOM": "Banque"], into: store)
                == .imported(warnings: []))
    }
}
