import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/rest/BanquesTiers/"Importer"`: table TIERS_RIB keyed (PCF_CODE, RIB_ORDRE); a
/// French RIB or an IBAN that fails its check is imported with a warning.
@Suite struct BanquesTiersTests {
    static let client = ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Sport 25"]

    /// A value for every field of the catalogue: La Banque Postale's specimen RIB
    /// 20041 01005 0500013M026 06, IBAN FR14 2004 1010 0505 0001 3M02 606.
    static let samples: [String: FieldSample] = [
        "PCF_CODE": FieldSample("C1"),
        "RIB_ORDRE": FieldSample("01"),
        "RIB_BQ_NOM": FieldSample("La Banque Postale"),
        "RIB_BQ_ADR": FieldSample("115 rue de Sèvres, 75275 Paris"),
        "RIB_BQ_NUM": FieldSample("RIB001"),
        "RIB_ASWIFT": FieldSample("PSSTFRPPPAR"),
        "RIB_IBAN": FieldSample("FR14"),
        "RIB_TYPE": FieldSample("fr", "FR".databaseValue),
        "RIB_AGENCE": FieldSample("20041"),
        "RIB_GUICHE": FieldSample("01005"),
        "RIB_COMPTE": FieldSample("0500013M026"),
        "RIB_CLE": FieldSample("06"),
        "RIB_CB_TYP": FieldSample("VISA"),
        "RIB_CB_DTF": FieldSample("31/12/2027", "2027-12-31".databaseValue),
        "RIB_TEXTE": FieldSample("Compte principal, prélèvements SEPA"),
        "RIB_RUM": FieldSample("RUM-SPORT25-2024-000000000000001"),
        "RIB_DT_SM": FieldSample("2024-02-29", "2024-02-29".databaseValue),
        "RIB_SEQPRE": FieldSample("rcur", "RCUR".databaseValue),
    ]

    static let bankHeader = "PCF_CODE;RIB_ORDRE;RIB_TYPE;RIB_AGENCE;RIB_GUICHE;RIB_COMPTE;RIB_CLE;RIB_IBAN"

    /// Imports `lines` into the DEMO of a fresh server, where client C1 and fournisseur F1
    /// exist, and checks the answer: status OK, the statistics, and the journal between the
    /// task's launch and its end. Returns the server, to read what was stored.
    private func importRIBs(
        on backend: TestBackend, _ lines: [String], imported: Int, rejected: Int, journal: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestServer {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F1;Fourni"])
            let (status, answer) = try await client.importer(.banquesTiers, lines)
            #expect(status == .ok, sourceLocation: sourceLocation)
            #expect(
                answer.statistics == statistics(imported: imported, rejected: rejected), sourceLocation: sourceLocation)
            #expect(
                answer.journalMessages == server.journal("ImporterBanquesTiers", journal),
                sourceLocation: sourceLocation)
        }
        return server
    }

    @Test func theCatalogueHasItsFieldCount() {
        #expect(Catalogue.banquesTiers.fields.count == 18)
        #expect(!Catalogue.banquesTiers.acceptsCustomFields)
        #expect(BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013M026", key: "06"))
        #expect(BankChecks.isValidIBAN("FR1420041010050500013M02606"))
    }

    @Test(arguments: TestBackend.available) func everyFieldOfTheCatalogueIsStored(backend: TestBackend) async throws {
        let server = try await importRIBs(
            on: backend,
            [Domaine.banquesTiers.fullHeader(), try fullLine(.banquesTiers, Self.samples)], imported: 1, rejected: 0,
            journal: [
                "L'import a été effectué avec succès.", "Nombre de lignes importées : 1",
                "Nombre de lignes non importées : 0",
            ])
        let rib = try server.record("TIERS_RIB", "PCF_CODE = 'C1' AND RIB_ORDRE = '01'")
        expectStored(rib, Self.samples)
        #expect(Set(rib.columnNames) == Set(Catalogue.banquesTiers.fields.map(\.name)))
    }

    @Test(arguments: TestBackend.available) func aSecondImportOfAKeyUpdatesItsPresentFields(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client + ["C2;411C2;Deux"])
            _ = try await client.importer(
                .banquesTiers, [Domaine.banquesTiers.fullHeader(), try fullLine(.banquesTiers, Self.samples)])
            let (_, answer) = try await client.importer(
                .banquesTiers,
                [
                    "PCF_CODE;RIB_ORDRE;RIB_BQ_NOM;RIB_TEXTE;RIB_CB_DTF", "C1;01;LBP;;30/06/2028",
                    "C1;02;Crédit Mutuel;;", "C2;01;BNP;;",
                ])
            #expect(answer.statistics == statistics(imported: 3, rejected: 0))
        }
        let ribs = try server.records("TIERS_RIB", order: "PCF_CODE, RIB_ORDRE")
        #expect(
            ribs.map { "\($0["PCF_CODE"] as String? ?? "")/\($0["RIB_ORDRE"] as String? ?? "")" } == [
                "C1/01", "C1/02", "C2/01",
            ])
        let updated = ribs[0]
        #expect(updated.value("RIB_BQ_NOM") == "LBP".databaseValue)
        #expect(updated.value("RIB_TEXTE") == .null)
        #expect(updated.value("RIB_CB_DTF") == "2028-06-30".databaseValue)
        // Absent columns keep their values.
        for kept in [
            "RIB_BQ_ADR", "RIB_IBAN", "RIB_TYPE", "RIB_AGENCE", "RIB_GUICHE", "RIB_COMPTE", "RIB_CLE", "RIB_RUM",
            "RIB_DT_SM", "RIB_SEQPRE",
        ] {
            #expect(updated.value(kept) == Self.samples[kept]?.stored, "\(kept)")
        }
        #expect(ribs[1].value("RIB_BQ_NOM") == "Crédit Mutuel".databaseValue)
        #expect(ribs[1].value("RIB_AGENCE") == .null)
    }

    @Test(arguments: TestBackend.available) func aWrongRIBKeyOrIBANIsImportedWithOneStandaloneWarning(
        backend: TestBackend
    ) async throws {
        let server = try await importRIBs(
            on: backend,
            [
                Self.bankHeader,
                "C1;01;FR;20041;01005;0500013M026;06;FR14",
                "C1;02;FR;20041;01005;0500013M026;07;",
                "C1;03;FR;20041;01005;0500013M026;07;FR14",
                "C1;04;GEN;20041;01005;0500013M026;06;FR15",
                "C1;05;FR;20041;01005;0500013M026;;",
                "C1;06;FR;20041;01005;0500013m026;06;fr14",
            ],
            imported: 6, rejected: 0,
            journal: [
                "L'import a été effectué avec succès.",
                "Nombre de lignes importées : 6",
                "Nombre de lignes non importées : 0",
                "Attention ! Le numéro BBAN 20041010050500013M02607 n'est pas valide.",
                "Attention ! Le numéro BBAN 20041010050500013M02607 n'est pas valide.",
                "Attention ! Le numéro IBAN FR1520041010050500013M02606 n'est pas valide.",
                "Attention ! Le numéro BBAN 20041010050500013M026 n'est pas valide.",
            ])
        let ribs = try server.records("TIERS_RIB", order: "RIB_ORDRE")
        #expect(ribs.map { $0["RIB_ORDRE"] as String? } == ["01", "02", "03", "04", "05", "06"])
        #expect(ribs[1].value("RIB_CLE") == "07".databaseValue)
        #expect(ribs[4].value("RIB_CLE") == .null)
        #expect(ribs[5].value("RIB_COMPTE") == "0500013m026".databaseValue)
    }

    /// Gestimum's own example of the request (its help, BanquesTiers): three RIBs whose keys are
    /// wrong, answered with one standalone journal line each, no heading, no IBAN warning.
    @Test(arguments: TestBackend.available) func gestimumsExampleIsAnsweredAsGestimumAnswersIt(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "CLIENT1;411CLIENT1;Client 1"])
            let (status, answer) = try await client.importer(
                .banquesTiers,
                [
                    "PCF_CODE;RIB_ORDRE;RIB_BQ_NUM;RIB_BQ_NOM;RIB_TYPE;RIB_IBAN;RIB_GUICHE;RIB_AGENCE;RIB_COMPTE;RIB_CLE;RIB_DT_SM;RIB_RUM;RIB_SEQPRE",
                    "CLIENT1;01;001;CA;FR;FR76;12345;67890;12345678901;11;15/10/2016;TCA20;FRST",
                    "CLIENT1;02;002;BNP;FR;FR76;12345;67890;12345678901;12;16/10/2016;BTCA21;FRST",
                    "CLIENT1;03;003;LCL;FR;FR76;12345;67890;12345678901;13;17/10/2016;BTCA22;FRST",
                ])
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 3, rejected: 0))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterBanquesTiers",
                        [
                            "L'import a été effectué avec succès.",
                            "Nombre de lignes importées : 3",
                            "Nombre de lignes non importées : 0",
                            "Attention ! Le numéro BBAN 67890123451234567890111 n'est pas valide.",
                            "Attention ! Le numéro BBAN 67890123451234567890112 n'est pas valide.",
                            "Attention ! Le numéro BBAN 67890123451234567890113 n'est pas valide.",
                        ]))
        }
        #expect(try server.records("TIERS_RIB").count == 3)
    }

    @Test func testerAnswersAsARealRunAndStoresNothing() async throws {
        let server = try TestServer()
        let lines = [
            Self.bankHeader,
            "C1;01;FR;20041;01005;0500013M026;06;FR14",
            "C1;02;FR;20041;01005;0500013M026;07;",
            "C9;01;FR;;;;;",
            "C1;03;XX;;;;;",
        ]
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            let before = try server.dump()
            let (testStatus, test) = try await client.importer(
                .banquesTiers, lines, parametres: parametres(("tester", "Oui")))
            #expect(testStatus == .ok)
            #expect(try server.dump() == before)
            #expect(try server.records("TIERS_RIB").isEmpty)

            let (_, real) = try await client.importer(.banquesTiers, lines, parametres: parametres(("tester", "Non")))
            #expect(test.statistics == statistics(imported: 2, rejected: 2))
            #expect(test.statistics == real.statistics)
            #expect(test.journalMessages == real.journalMessages)
            #expect(
                test.journalMessages.contains("Attention ! Le numéro BBAN 20041010050500013M02607 n'est pas valide."))
        }
        #expect(try server.records("TIERS_RIB", order: "RIB_ORDRE").map { $0["RIB_ORDRE"] as String? } == ["01", "02"])
    }

    @Test(arguments: TestBackend.available) func rejectedLinesAreReportedWithTheirReasonsAndLeaveNoTrace(
        backend: TestBackend
    ) async throws {
        guard case .text(_, let types) = try #require(Catalogue.banquesTiers.field(named: "RIB_TYPE")).type else {
            return #expect(Bool(false), "RIB_TYPE is not a text with codes")
        }
        #expect(types.count == 56)
        #expect(Array(types.prefix(3)) == ["GEN", "DE", "AD"])
        #expect(types.contains("FR"))
        #expect(types.last == "ZZZ")
        let lines = [
            "PCF_CODE;RIB_ORDRE;RIB_TYPE;RIB_SEQPRE;RIB_CB_DTF;RIB_DT_SM",
            "C1;01;FR;FRST;01/01/2030;15/06/2024",
            ";;;;;",
            "C9;01;;;;",
            "C1;02;XX;;;",
            "C1;03;;ABCD;;",
            "C1;04;;;31/02/2027;",
            "C1;005;;;;",
            "C1;06;;;;2024/06/15",
            "F1;01;dta;ooff;2030-01-31;",
        ]
        let server = try await importRIBs(
            on: backend,
            lines, imported: 2, rejected: 7,
            journal: [
                "Nombre de lignes importées : 2",
                "Nombre de lignes non importées : 7",
                "La ligne 2 n'a pas pu être importée :", "Code tiers manquant", "Numéro d'ordre manquant",
                "La ligne 3 n'a pas pu être importée :", "Le code tiers C9 n'existe pas",
                "La ligne 4 n'a pas pu être importée :",
                "Le champ RIB_TYPE n'accepte pas la valeur XX (valeurs possibles : \(types.joined(separator: ", ")))",
                "La ligne 5 n'a pas pu être importée :",
                "Le champ RIB_SEQPRE n'accepte pas la valeur ABCD (valeurs possibles : OOFF, FRST, RCUR, FNAL)",
                "La ligne 6 n'a pas pu être importée :",
                "Le champ RIB_CB_DTF n'est pas une date valide : 31/02/2027",
                "La ligne 7 n'a pas pu être importée :", "Le champ RIB_ORDRE dépasse 2 caractères",
                "La ligne 8 n'a pas pu être importée :",
                "Le champ RIB_DT_SM n'est pas une date valide : 2024/06/15",
            ])
        let ribs = try server.records("TIERS_RIB", order: "PCF_CODE")
        #expect(ribs.map { $0["PCF_CODE"] as String? } == ["C1", "F1"])
        #expect(ribs[0].value("RIB_CB_DTF") == "2030-01-01".databaseValue)
        #expect(ribs[0].value("RIB_DT_SM") == "2024-06-15".databaseValue)
        #expect(ribs[1].value("RIB_TYPE") == "DTA".databaseValue)
        #expect(ribs[1].value("RIB_SEQPRE") == "OOFF".databaseValue)
        #expect(ribs[1].value("RIB_CB_DTF") == "2030-01-31".databaseValue)
    }

    @Test(arguments: TestBackend.available) func customFieldsAreUnknownHere(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            let (_, answer) = try await client.importer(.banquesTiers, ["PCF_CODE;RIB_ORDRE;XXX_NOTE", "C1;01;note"])
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
            #expect(answer.journalMessages.contains("Le champ XXX_NOTE est inconnu : colonne ignorée"))
        }
        #expect(!(try server.record("TIERS_RIB", "1").columnNames.contains("XXX_NOTE")))
    }
}
