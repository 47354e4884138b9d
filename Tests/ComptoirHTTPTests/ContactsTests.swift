import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/rest/Contacts/"Importer"`: table CONTACTS, keyed on CCT_CODE, linked to a tiers
/// through CCT_ORIGIN.
@Suite struct ContactsTests {
    static let client = ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Sport 25"]
    static var auditTime: Regex<Substring> { #/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/# }

    /// A value for every field of the catalogue; codes and lengths at their limits.
    static let samples: [String: FieldSample] = [
        "CCT_CODE": FieldSample("CT-DUPONT-00001"),
        "CCT_NOM": FieldSample("Dupont-Lefèvre de la Châtaigne"),
        "CCT_ORIGIN": FieldSample("C1"),
        "CCT_CIVILE": FieldSample("Madame"),
        "CCT_PRENOM": FieldSample("Hélène"),
        "CCT_TELB": FieldSample("01 02 03 04 05"),
        "CCT_TELD": FieldSample("09 87 65 43 21"),
        "CCT_TELM": FieldSample("+33 6 12 34 56 78"),
        "CCT_FAX": FieldSample("01 02 03 04 06"),
        "CCT_EMAIL": FieldSample("helene.dupont@sport25.fr"),
        "CCT_URL": FieldSample("https://sport25.fr/equipe/helene"),
        "CCT_QUAL1": FieldSample("VIP"),
        "CCT_QUAL2": FieldSample("SALON-2025"),
        "CCT_FONCT": FieldSample("Acheteuse"),
    ]

    @Test func theCatalogueHasItsFieldCount() {
        #expect(Catalogue.contacts.fields.count == 14)
        #expect(Self.samples["CCT_CODE"]?.raw.count == 15)
        #expect(Self.samples["CCT_NOM"]?.raw.count == 30)
    }

    @Test(arguments: TestBackend.available) func everyFieldOfTheCatalogueIsStored(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let lines = [
            Domaine.contacts.fullHeader(custom: "XXX_ANNIVERSAIRE"),
            try fullLine(.contacts, Self.samples, custom: "14 juillet"),
        ]
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            let (status, answer) = try await client.importer(.contacts, lines)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterContacts",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 1",
                            "Nombre de lignes non importées : 0",
                        ]))
        }
        let contact = try server.record("CONTACTS", "CCT_CODE = ?", ["CT-DUPONT-00001"])
        expectStored(contact, Self.samples)
        #expect(contact.value("XXX_ANNIVERSAIRE") == "14 juillet".databaseValue)
        // Given by Comptoir: the number, the link to the tiers table, the audit columns.
        #expect(contact.value("CCT_NUMERO") == 1.databaseValue)
        #expect(contact.value("CCT_TABLE") == "PCF".databaseValue)
        #expect(contact.value("CCT_USRCRE") == "DEMO".databaseValue)
        #expect(contact.value("CCT_USRMAJ") == "DEMO".databaseValue)
        #expect(contact.value("CCT_NUMMAJ") == 1.databaseValue)
        let created = try #require(String.fromDatabaseValue(contact.value("CCT_DTCREE")))
        #expect(created.wholeMatch(of: Self.auditTime) != nil, "\(created)")
        #expect(contact.value("CCT_DTMAJ") == contact.value("CCT_DTCREE"))
        #expect(try server.records("CONTACTS").count == 1)
    }

    @Test(arguments: TestBackend.available) func aSecondImportOfACodeUpdatesItAndKeepsItsNumber(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client + ["C2;411C2;Deux"])
            let (_, first) = try await client.importer(
                .contacts,
                ["CCT_CODE;CCT_NOM;CCT_PRENOM;CCT_ORIGIN;CCT_TELB", "CT1;Dupont;Hélène;C1;01", "CT2;Martin;Paul;;02"])
            #expect(first.statistics == statistics(imported: 2, rejected: 0))
            // Updates: only the present fields; an empty value clears; an empty CCT_ORIGIN unlinks.
            let (_, second) = try await client.importer(
                .contacts,
                ["CCT_CODE;CCT_NOM;CCT_ORIGIN;CCT_TELB", "CT2;Martin-Durand;C2;", "CT3;Petit;;", "CT1;Dupont;;"])
            #expect(second.statistics == statistics(imported: 3, rejected: 0))
        }
        let contacts = try server.records("CONTACTS", order: "CCT_NUMERO")
        #expect(contacts.map { $0["CCT_CODE"] as String? } == ["CT1", "CT2", "CT3"])
        #expect(contacts.map { $0.value("CCT_NUMERO") } == [1, 2, 3].map(\.databaseValue))
        let (ct1, ct2, ct3) = (contacts[0], contacts[1], contacts[2])
        #expect(ct1.value("CCT_PRENOM") == "Hélène".databaseValue)
        #expect(ct1.value("CCT_ORIGIN") == .null)
        #expect(ct1.value("CCT_TABLE") == .null)
        #expect(ct1.value("CCT_TELB") == .null)
        #expect(ct1.value("CCT_NUMMAJ") == 2.databaseValue)
        #expect(ct2.value("CCT_NOM") == "Martin-Durand".databaseValue)
        #expect(ct2.value("CCT_PRENOM") == "Paul".databaseValue)
        #expect(ct2.value("CCT_ORIGIN") == "C2".databaseValue)
        #expect(ct2.value("CCT_TABLE") == "PCF".databaseValue)
        #expect(ct2.value("CCT_TELB") == .null)
        #expect(ct2.value("CCT_NUMMAJ") == 2.databaseValue)
        #expect(ct2.value("CCT_DTCREE") != .null)
        #expect(ct3.value("CCT_ORIGIN") == .null)
        #expect(ct3.value("CCT_TABLE") == .null)
        #expect(ct3.value("CCT_NUMMAJ") == 1.databaseValue)
    }

    @Test(arguments: TestBackend.available) func theNumberIsComptoirsAndTheSameCodeTwiceUpdates(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            let (_, answer) = try await client.importer(
                .contacts,
                ["CCT_NUMERO;CCT_TABLE;CCT_CODE;CCT_NOM;CCT_ORIGIN", "99;ART;CT1;Premier;C1", "98;ART;CT1;Second;"])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterContacts",
                        [
                            "Le champ CCT_NUMERO est inconnu : colonne ignorée",
                            "Le champ CCT_TABLE est inconnu : colonne ignorée",
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 2",
                            "Nombre de lignes non importées : 0",
                        ]))
        }
        let contact = try server.record("CONTACTS", "CCT_CODE = 'CT1'")
        #expect(contact.value("CCT_NUMERO") == 1.databaseValue)
        #expect(contact.value("CCT_NOM") == "Second".databaseValue)
        #expect(contact.value("CCT_ORIGIN") == .null)
        #expect(contact.value("CCT_TABLE") == .null)
        #expect(contact.value("CCT_NUMMAJ") == 2.databaseValue)
    }

    @Test(arguments: TestBackend.available) func testerAndAccountParametersAreRefused(backend: TestBackend) async throws
    {
        let server = try await TestServer(backend)
        let lines = ["CCT_CODE;CCT_NOM", "CT1;Dupont"]
        try await server.run { client in
            for (key, value) in [
                ("tester", "Oui"), ("calculer_code_tiers", "Oui"), ("calculer_numero_compte", "Non"),
            ] {
                let (status, answer) = try await client.importer(.contacts, lines, parametres: parametres((key, value)))
                #expect(status == .badRequest)
                #expect(answer == Answer.error("Le paramètre \(key) n'existe pas pour la requête Contacts/Importer"))
            }
        }
        #expect(try server.records("CONTACTS").isEmpty)
    }

    @Test(arguments: TestBackend.available) func rejectedLinesAreReportedWithTheirReasonsAndLeaveNoTrace(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        let lines = [
            "CCT_CODE;CCT_NOM;CCT_ORIGIN;CCT_EMAIL",
            "CT1;Dupont;C1;dupont@sport25.fr",
            ";;;",
            "CT3;Durand;C9;",
            "CT4;\(String(repeating: "é", count: 31));;",
            "",
            "CT6;Petit;;pas-un-email",
            "CT7;Grand;;;extra",
            "CT8;;C1;",
            "\(String(repeating: "X", count: 16));Long;;",
        ]
        try await server.run { client in
            _ = try await client.importer(.clients, Self.client)
            let (status, answer) = try await client.importer(.contacts, lines)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 2, rejected: 6))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterContacts",
                        [
                            "Nombre de lignes importées : 2",
                            "Nombre de lignes non importées : 6",
                            "La ligne 2 n'a pas pu être importée :", "Code manquant", "Nom manquant",
                            "La ligne 3 n'a pas pu être importée :", "Le code tiers C9 n'existe pas",
                            "La ligne 4 n'a pas pu être importée :", "Le champ CCT_NOM dépasse 30 caractères",
                            "La ligne 6 comporte les avertissements suivants :",
                            "L'adresse e-mail pas-un-email n'est pas valide",
                            "La ligne 7 n'a pas pu être importée :",
                            "La ligne comporte 5 champs alors que 4 sont attendus",
                            "La ligne 8 n'a pas pu être importée :", "Nom manquant",
                            "La ligne 9 n'a pas pu être importée :", "Le champ CCT_CODE dépasse 15 caractères",
                        ]))
        }
        let contacts = try server.records("CONTACTS", order: "CCT_NUMERO")
        #expect(contacts.map { $0["CCT_CODE"] as String? } == ["CT1", "CT6"])
        // A rejected line takes no number.
        #expect(contacts.map { $0.value("CCT_NUMERO") } == [1, 2].map(\.databaseValue))
        #expect(contacts[1].value("CCT_EMAIL") == "pas-un-email".databaseValue)
    }

    @Test(arguments: TestBackend.available) func contactsOfASupplierAndOfAProspectAreLinkedToo(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F1;Fourni"])
            _ = try await client.importer(.prospects, ["PCF_CODE;PCF_RS", "P1;Prospect"])
            let (_, answer) = try await client.importer(
                .contacts, ["CCT_CODE;CCT_NOM;CCT_ORIGIN", "CF;Fournisseur;F1", "CP;Prospect;P1"])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
        }
        let contacts = try server.records("CONTACTS", order: "CCT_NUMERO")
        #expect(contacts.map { $0["CCT_ORIGIN"] as String? } == ["F1", "P1"])
        #expect(contacts.map { $0["CCT_TABLE"] as String? } == ["PCF", "PCF"])
    }
}
