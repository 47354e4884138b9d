import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/rest/AdressesTiers/"Importer"`: table ADRESSES keyed (ADR_TBL = PCF, ADR_CODE,
/// ADR_NUMERO); an import replaces the whole address; address 001 and the billing columns of
/// TIERS always agree.
@Suite struct AdressesTiersTests {
    static let client = ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Sport 25"]

    /// A value for every field of the catalogue, for the address `numero` of C1.
    static func samples(numero: String = "002") -> [String: FieldSample] {
        [
            "ADR_CODE": FieldSample("C1"),
            "ADR_NUMERO": FieldSample(numero),
            "ADR_TITLE": FieldSample("Entrepôt de Rambouillet"),
            "ADR_NPAI": FieldSample("Oui", 1.databaseValue),
            "ADR_RS": FieldSample("Sport 25 Logistique"),
            "ADR_RS2": FieldSample("Quai n° 3"),
            "ADR_RUE": FieldSample("12 avenue de l'Europe"),
            "ADR_COMP": FieldSample("ZI du Bel Air"),
            "ADR_REG": FieldSample("Île-de-France"),
            "ADR_ETAT": FieldSample("Yvelines"),
            "ADR_CP": FieldSample("78120"),
            "ADR_VILLE": FieldSample("Rambouillet"),
            "PAY_CODE": FieldSample("fr", "FR".databaseValue),
            "ADR_TEL1": FieldSample("01 02 03 04 05"),
            "ADR_TEL2": FieldSample("06 07 08 09 10"),
            "ADR_FAX": FieldSample("01 02 03 04 06"),
            "ADR_TELEX": FieldSample("1234567890"),
            "ADR_CBAR": FieldSample("3012345678901"),
            "ADR_SIRET": FieldSample("73282932000074"),
            "ADR_EMAIL": FieldSample("quai3@sport25.fr"),
            "ADR_URL": FieldSample("https://sport25.fr/logistique"),
            "ADR_MEMO": FieldSample(
                "Livraisons le matin, sonner deux fois.\(String(repeating: " Très long.", count: 40))"),
        ]
    }

    /// The billing columns of TIERS whose value differs from address 001's, for `code`.
    static func disagreements(_ server: TestServer, _ code: String) throws -> [String] {
        let tiers = try server.record("TIERS", "PCF_CODE = ?", [code])
        let address = try server.record("ADRESSES", "ADR_TBL = 'PCF' AND ADR_CODE = ? AND ADR_NUMERO = '001'", [code])
        return BillingAddress.columns.compactMap { column in
            tiers.value(column.tiers) == address.value(column.adresse)
                ? nil
                : "\(column.tiers) = \(tiers.value(column.tiers)), \(column.adresse) = \(address.value(column.adresse))"
        }
    }

    @Test func theCatalogueHasItsFieldCount() {
        #expect(Catalogue.adressesTiers.fields.count == 22)
    }

    @Test(arguments: TestBackend.available) func everyFieldOfTheCatalogueIsStored(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let samples = Self.samples()
        let lines = [
            Domaine.adressesTiers.fullHeader(custom: "XXX_HORAIRES"),
            try fullLine(.adressesTiers, samples, custom: "8h-12h"),
        ]
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            let (status, answer) = try await client.importer(.adressesTiers, lines)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterAdressesTiers",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 1",
                            "Nombre de lignes non importées : 0",
                        ]))
        }
        let address = try server.record("ADRESSES", "ADR_CODE = 'C1' AND ADR_NUMERO = '002'")
        expectStored(address, samples)
        #expect(address.value("ADR_TBL") == "PCF".databaseValue)
        #expect(address.value("XXX_HORAIRES") == "8h-12h".databaseValue)
        // The client's own address 001, made by the Clients import, is still there; the tiers is unchanged.
        #expect(try server.records("ADRESSES").map { $0["ADR_NUMERO"] as String? } == ["001", "002"])
        #expect(try Self.disagreements(server, "C1") == [])
        let tiers = try server.record("TIERS", "PCF_CODE = 'C1'")
        #expect(tiers.value("PCF_VILLE") == .null)
        #expect(tiers.value("PCF_NUMMAJ") == 1.databaseValue)
    }

    @Test(arguments: TestBackend.available) func updatingAnAddressReplacesAllOfIt(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let samples = Self.samples()
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            _ = try await client.importer(
                .adressesTiers,
                [
                    Domaine.adressesTiers.fullHeader(custom: "XXX_HORAIRES"),
                    try fullLine(.adressesTiers, samples, custom: "8h-12h"),
                ])
            let (_, answer) = try await client.importer(
                .adressesTiers, ["ADR_CODE;ADR_NUMERO;ADR_VILLE", "C1;002;Chartres"])
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
        }
        let addresses = try server.records("ADRESSES", "ADR_NUMERO = '002'")
        #expect(addresses.count == 1)
        let address = addresses[0]
        #expect(address.value("ADR_VILLE") == "Chartres".databaseValue)
        for field in Catalogue.adressesTiers.fields.map(\.name)
        where !["ADR_CODE", "ADR_NUMERO", "ADR_VILLE", "ADR_NPAI"].contains(field) {
            #expect(address.value(field) == .null, "\(field) is erased")
        }
        #expect(address.value("ADR_NPAI") == 0.databaseValue)
        #expect(address.value("XXX_HORAIRES") == .null)
    }

    @Test(arguments: TestBackend.available) func clientsThenAddress001TheBillingColumnsFollowTheAddress(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, created) = try await client.importer(
                .clients,
                [
                    "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE;PCF_COMP;PCF_ETAT;PCF_REG;PCF_CP;PCF_VILLE;PAY_CODE;PCF_TEL1;PCF_TEL2;PCF_FAX;PCF_TELEX;PCF_EMAIL;PCF_URL;PCF_ADRMEM;PCF_NPAI;PCF_CBARAD",
                    "C1;411C1;Sport 25;5 rue Cugnot;ZA du Pâtis;Yvelines;IDF;78120;Rambouillet;FR;01;02;03;04;a@b.fr;https://a.fr;Note;1;123",
                ])
            #expect(created.statistics == statistics(imported: 1, rejected: 0))
            #expect(try Self.disagreements(server, "C1") == [])
            #expect(try server.record("ADRESSES", "ADR_CODE = 'C1'").value("ADR_RUE") == "5 rue Cugnot".databaseValue)

            // The whole address 001 replaced: the billing columns it leaves out are erased from TIERS too.
            let (_, answer) = try await client.importer(
                .adressesTiers,
                [
                    "ADR_CODE;ADR_NUMERO;ADR_RS;ADR_RUE;ADR_CP;ADR_VILLE;PAY_CODE",
                    "C1;001;Sport 25 Siège;1 place Foch;28000;Chartres;be",
                ])
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
        }
        #expect(try Self.disagreements(server, "C1") == [])
        let tiers = try server.record("TIERS", "PCF_CODE = 'C1'")
        #expect(tiers.value("PCF_RUE") == "1 place Foch".databaseValue)
        #expect(tiers.value("PCF_CP") == "28000".databaseValue)
        #expect(tiers.value("PCF_VILLE") == "Chartres".databaseValue)
        #expect(tiers.value("PAY_CODE") == "BE".databaseValue)
        for erased in ["PCF_COMP", "PCF_ETAT", "PCF_REG", "PCF_TEL1", "PCF_EMAIL", "PCF_ADRMEM", "PCF_CBARAD"] {
            #expect(tiers.value(erased) == .null, "\(erased)")
        }
        #expect(tiers.value("PCF_NPAI") == 0.databaseValue)
        // The address's own name is not the tiers' name; the tiers' other fields stay; the change is audited.
        #expect(tiers.value("PCF_RS") == "Sport 25".databaseValue)
        #expect(tiers.value("CPT_NUMERO") == "411C1".databaseValue)
        #expect(tiers.value("PCF_NUMMAJ") == 2.databaseValue)
        #expect(tiers.value("PCF_USRMAJ") == "DEMO".databaseValue)
        #expect(try server.records("ADRESSES").count == 1)
    }

    @Test(arguments: TestBackend.available) func address001ThenClientsTheAddressFollowsTheBillingColumns(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        let samples = Self.samples(numero: "001")
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            let (_, full) = try await client.importer(
                .adressesTiers, [Domaine.adressesTiers.fullHeader(), try fullLine(.adressesTiers, samples)])
            #expect(full.statistics == statistics(imported: 1, rejected: 0))
            #expect(try Self.disagreements(server, "C1") == [])
            let tiers = try server.record("TIERS", "PCF_CODE = 'C1'")
            for column in BillingAddress.columns {
                #expect(tiers.value(column.tiers) == samples[column.adresse]?.stored, "\(column.tiers)")
            }

            // A Clients update writes the billing columns it holds to address 001, and only those.
            let (_, update) = try await client.importer(
                .clients,
                [
                    "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE;PCF_CP;PCF_VILLE;PAY_CODE;PCF_NPAI;PCF_TEL2",
                    "C1;411C1;Sport 25 SA;3 rue Neuve;28000;Chartres;de;0;",
                ])
            #expect(update.statistics == statistics(imported: 1, rejected: 0))
        }
        #expect(try Self.disagreements(server, "C1") == [])
        let address = try server.record("ADRESSES", "ADR_CODE = 'C1' AND ADR_NUMERO = '001'")
        #expect(address.value("ADR_RUE") == "3 rue Neuve".databaseValue)
        #expect(address.value("ADR_CP") == "28000".databaseValue)
        #expect(address.value("ADR_VILLE") == "Chartres".databaseValue)
        #expect(address.value("PAY_CODE") == "DE".databaseValue)
        #expect(address.value("ADR_NPAI") == 0.databaseValue)
        #expect(address.value("ADR_TEL2") == .null)
        // What the Clients import did not hold stays as the address import wrote it.
        #expect(address.value("ADR_TEL1") == "01 02 03 04 05".databaseValue)
        #expect(address.value("ADR_MEMO") == samples["ADR_MEMO"]?.stored)
        #expect(address.value("ADR_RS") == "Sport 25 Logistique".databaseValue)
        #expect(address.value("ADR_SIRET") == "73282932000074".databaseValue)
    }

    @Test(arguments: TestBackend.available) func everyNewTiersGetsItsAddress001(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_VILLE", "C1;411C1;Un;Paris", "C2;411C2;Deux;"])
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS;PCF_CP", "F1;Fourni;69000"])
            _ = try await client.importer(.prospects, ["PCF_CODE;PCF_RS", "P1;Prospect"])
            // A rejected tiers line and a test run leave no address.
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS;PAY_CODE", "C3;411C3;Trois;ZZ"])
            _ = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C4;411C4;Quatre"], parametres: parametres(("tester", "Oui")))
        }
        let addresses = try server.records("ADRESSES", order: "ADR_CODE")
        #expect(addresses.map { $0["ADR_CODE"] as String? } == ["C1", "C2", "F1", "P1"])
        #expect(addresses.allSatisfy { $0["ADR_NUMERO"] as String? == "001" && $0["ADR_TBL"] as String? == "PCF" })
        for code in ["C1", "C2", "F1", "P1"] {
            #expect(try Self.disagreements(server, code) == [], "\(code)")
        }
        #expect(addresses[0].value("ADR_VILLE") == "Paris".databaseValue)
        #expect(addresses[2].value("ADR_CP") == "69000".databaseValue)
    }

    @Test(arguments: TestBackend.available) func testerAndAccountParametersAreRefused(backend: TestBackend) async throws
    {
        let server = try await TestServer(backend)
        let lines = ["ADR_CODE;ADR_NUMERO;ADR_VILLE", "C1;002;Chartres"]
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            // `tester=Non` asks for nothing: it is accepted (`DomaineRulesTests`).
            for (key, value) in [("tester", "Oui"), ("calculer_code_tiers", "Oui")] {
                let (status, answer) = try await client.importer(
                    .adressesTiers, lines, parametres: parametres((key, value)))
                #expect(status == .badRequest)
                #expect(
                    answer == Answer.error("Le paramètre \(key) n'existe pas pour la requête AdressesTiers/Importer"))
            }
        }
        #expect(try server.records("ADRESSES").map { $0["ADR_NUMERO"] as String? } == ["001"])
    }

    @Test(arguments: TestBackend.available) func rejectedLinesAreReportedWithTheirReasonsAndLeaveNoTrace(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        let lines = [
            "ADR_CODE;ADR_NUMERO;ADR_VILLE;PAY_CODE;ADR_EMAIL",
            "C1;002;Chartres;FR;",
            ";;;;",
            "C9;002;;;",
            "C1;2;;;",
            "C1;000;;;",
            "C1;A01;;ZZ;",
            "C1;0001;;;",
            "C1;003;Dreux;;pas-un-email",
            "C9;1;;zz;",
            "C1;001;Nulle part;ZZ;",
        ]
        try await server.run { client in
            _ = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_VILLE", "C1;411C1;Sport 25;Rambouillet"])
            let (status, answer) = try await client.importer(.adressesTiers, lines)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 2, rejected: 8))
            let numero = { (value: String) in "Le numéro d'adresse \(value) doit avoir trois chiffres, de 001 à 999" }
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterAdressesTiers",
                        [
                            "Nombre de lignes importées : 2",
                            "Nombre de lignes non importées : 8",
                            "La ligne 2 n'a pas pu être importée :", "Code tiers manquant", "Numéro d'adresse manquant",
                            "La ligne 3 n'a pas pu être importée :", "Le code tiers C9 n'existe pas",
                            "La ligne 4 n'a pas pu être importée :", numero("2"),
                            "La ligne 5 n'a pas pu être importée :", numero("000"),
                            "La ligne 6 n'a pas pu être importée :", numero("A01"), "Le code pays ZZ n'existe pas",
                            "La ligne 7 n'a pas pu être importée :", "Le champ ADR_NUMERO dépasse 3 caractères",
                            "La ligne 8 comporte les avertissements suivants :",
                            "L'adresse e-mail pas-un-email n'est pas valide",
                            "La ligne 9 n'a pas pu être importée :", numero("1"), "Le code tiers C9 n'existe pas",
                            "Le code pays zz n'existe pas",
                            "La ligne 10 n'a pas pu être importée :", "Le code pays ZZ n'existe pas",
                        ]))
        }
        #expect(
            try server.records("ADRESSES", order: "ADR_NUMERO").map { $0["ADR_NUMERO"] as String? } == [
                "001", "002", "003",
            ])
        // The rejected address 001 left the tiers and its address as they were.
        let tiers = try server.record("TIERS", "PCF_CODE = 'C1'")
        #expect(tiers.value("PCF_VILLE") == "Rambouillet".databaseValue)
        #expect(tiers.value("PCF_NUMMAJ") == 1.databaseValue)
        #expect(try Self.disagreements(server, "C1") == [])
    }
}
