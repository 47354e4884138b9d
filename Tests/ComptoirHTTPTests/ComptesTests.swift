import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/rest/Comptes/"Importer"`: table COMPTES keyed on CPT_NUMERO, the same table the
/// tiers imports keep their accounts in.
@Suite struct ComptesTests {
    static let header = "CPT_NUMERO;CPT_LIB;CPT_TYPE;PCF_CODE"

    /// A value for every field of the catalogue: the account of the supplier F1.
    static let samples: [String: FieldSample] = [
        "CPT_NUMERO": FieldSample("401F1"),
        "CPT_LIB": FieldSample("Fournisseur Un — achats de marchandises"),
        "PCF_CODE": FieldSample("F1"),
        "CPT_TYPE": FieldSample("f", "F".databaseValue),
        "CPT_COLLEC": FieldSample("401100"),
        "RPT_COMPTE": FieldSample("REP-401"),
        "DEV_CODE": FieldSample("eur", "EUR".databaseValue),
        "CPT_DEVOBG": FieldSample("Oui", 1.databaseValue),
        "CPT_GROUPE": FieldSample("0", 0.databaseValue),
        "CPT_ECH": FieldSample("1", 1.databaseValue),
        "CPT_LET": FieldSample("vrai", 1.databaseValue),
        "CPT_SENS": FieldSample("c", "C".databaseValue),
        "CPT_ANA": FieldSample("P"),
        "CPT_QTE": FieldSample("i", "I".databaseValue),
        "CPT_SAL": FieldSample("P"),
        "CPT_TVA_NC": FieldSample("445660"),
        "CPT_TVA_L1": FieldSample("VENT-01"),
        "CPT_LIADEB": FieldSample("FA1"),
        "CPT_LIACRE": FieldSample("FB2"),
        // The name of a tiers the account would create: F1 exists, and COMPTES keeps no such column.
        "PCF_RS": FieldSample("Fournisseur Un"),
    ]

    @Test func theCatalogueHasItsFieldCount() {
        #expect(Catalogue.comptes.fields.count == 19)
    }

    @Test(arguments: TestBackend.available) func everyFieldOfTheCatalogueIsStored(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F1;Fourni"])
            let (status, answer) = try await client.importer(
                .comptes, [Domaine.comptes.fullHeader(), try fullLine(.comptes, Self.samples)])
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterComptes",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 1",
                            "Nombre de lignes non importées : 0",
                        ]))
        }
        let account = try server.record("COMPTES", "CPT_NUMERO = '401F1'")
        expectStored(account, Self.samples.filter { $0.key != "PCF_RS" })
        #expect(Set(account.columnNames) == Set(Catalogue.comptes.fields.map(\.name)))
        // A tiers without an account takes the one that names it.
        #expect(try server.record("TIERS", "PCF_CODE = 'F1'").value("CPT_NUMERO") == "401F1".databaseValue)
    }

    @Test(arguments: TestBackend.available) func anEmptyValueInAnUpdateLeavesTheStoredValue(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F1;Fourni"])
            _ = try await client.importer(
                .comptes, [Domaine.comptes.fullHeader(), try fullLine(.comptes, Self.samples)])
            let empty = (["401F1", "Fournisseur Un"] + Array(repeating: "", count: 17)).joined(separator: ";")
            let (_, first) = try await client.importer(.comptes, [Domaine.comptes.fullHeader(), empty])
            #expect(first.statistics == statistics(imported: 1, rejected: 0))
            let (_, second) = try await client.importer(
                .comptes, ["CPT_NUMERO;CPT_DEVOBG;CPT_SENS;CPT_COLLEC;CPT_LIB", "401F1;Non;D;401200;"])
            #expect(second.statistics == statistics(imported: 1, rejected: 0))
        }
        let accounts = try server.records("COMPTES", importedAccounts)
        #expect(accounts.count == 1)
        let account = accounts[0]
        #expect(account.value("CPT_LIB") == "Fournisseur Un".databaseValue)
        #expect(account.value("CPT_DEVOBG") == 0.databaseValue)
        #expect(account.value("CPT_SENS") == "D".databaseValue)
        #expect(account.value("CPT_COLLEC") == "401200".databaseValue)
        for kept in Catalogue.comptes.fields.map(\.name)
        where !["CPT_LIB", "CPT_DEVOBG", "CPT_SENS", "CPT_COLLEC"].contains(kept) {
            #expect(account.value(kept) == Self.samples[kept]?.stored, "\(kept)")
        }
    }

    @Test(arguments: TestBackend.available) func generalGroupingClientAndSupplierAccounts(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        let lines = [
            Self.header + ";DEV_CODE",
            "512100;Banque;G;;",
            "401;Fournisseurs;r;;",
            "401F1;Fourni;F;F1;USD",
            "411X;Client X;C;;",
            "530100;Caisse;G;C1;",
            "4;Tiers;R;F1;",
            "411C9;Client neuf;C;C9;",
            "411F1;Mauvais;C;F1;",
            "411P1;Prospect;C;P1;",
            "401C1;Client;F;C1;",
            "411C1;Autre;C;C2;",
            ";;;;",
            "600000;;X;;",
            "601000;Achats;;;",
            "602000;Achats;G;;ZZZ",
        ]
        try await server.run { client in
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Un", "C2;411C2;Deux"])
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F1;Fourni"])
            _ = try await client.importer(.prospects, ["PCF_CODE;PCF_RS", "P1;Prospect"])
            let (status, answer) = try await client.importer(.comptes, lines)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 4, rejected: 11))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterComptes",
                        [
                            "Nombre de lignes importées : 4",
                            "Nombre de lignes non importées : 11",
                            "La ligne 4 n'a pas pu être importée :",
                            "Le code tiers est obligatoire pour un compte client ou fournisseur",
                            "La ligne 5 n'a pas pu être importée :",
                            "Un compte de type G ne peut pas avoir de code tiers (C1)",
                            "La ligne 6 n'a pas pu être importée :",
                            "Un compte de type R ne peut pas avoir de code tiers (F1)",
                            "La ligne 8 n'a pas pu être importée :",
                            "Le tiers F1 n'est pas un client : c'est un fournisseur",
                            "La ligne 9 n'a pas pu être importée :",
                            "Le tiers P1 n'est pas un client : c'est un prospect",
                            "La ligne 10 n'a pas pu être importée :",
                            "Le tiers C1 n'est pas un fournisseur : c'est un client",
                            "La ligne 11 n'a pas pu être importée :", "Le compte 411C1 est déjà attribué au tiers C1",
                            "La ligne 12 n'a pas pu être importée :",
                            "Numéro de compte manquant", "Libellé manquant", "Type de compte manquant",
                            "La ligne 13 n'a pas pu être importée :",
                            "Le champ CPT_TYPE n'accepte pas la valeur X (valeurs possibles : G, R, C, F)",
                            "La ligne 14 n'a pas pu être importée :", "Type de compte manquant",
                            "La ligne 15 n'a pas pu être importée :", "Le code devise ZZZ n'existe pas",
                        ]))
        }
        let accounts = try server.records("COMPTES", importedAccounts)
        #expect(
            accounts.map { $0["CPT_NUMERO"] as String? } == ["401", "401F1", "411C1", "411C2", "411C9", "512100"])
        let byNumber = Dictionary(uniqueKeysWithValues: accounts.map { ($0["CPT_NUMERO"] as String? ?? "", $0) })
        #expect(byNumber["401"]?.value("CPT_TYPE") == "R".databaseValue)
        #expect(byNumber["401"]?.value("PCF_CODE") == .null)
        #expect(byNumber["401"]?.value("CPT_COLLEC") == .null)
        #expect(byNumber["512100"]?.value("CPT_TYPE") == "G".databaseValue)
        #expect(byNumber["401F1"]?.value("PCF_CODE") == "F1".databaseValue)
        #expect(byNumber["401F1"]?.value("DEV_CODE") == "USD".databaseValue)
        // A new supplier account gets the société's collective account.
        #expect(byNumber["401F1"]?.value("CPT_COLLEC") == "401000".databaseValue)
        // The rejected line left C1's account as it was.
        #expect(byNumber["411C1"]?.value("CPT_LIB") == "Un".databaseValue)
        #expect(byNumber["411C1"]?.value("PCF_CODE") == "C1".databaseValue)
        // The account of a client that did not exist created it.
        let c9 = try server.record("TIERS", "PCF_CODE = 'C9'")
        #expect(c9.value("PCF_TYPE") == "C".databaseValue)
        #expect(c9.value("PCF_RS") == "Client neuf".databaseValue)
        #expect(c9.value("CPT_NUMERO") == "411C9".databaseValue)
        #expect(byNumber["411C9"]?.value("PCF_CODE") == "C9".databaseValue)
    }

    @Test(arguments: TestBackend.available) func theNumberComputedFromTheTiersCode(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F2;Fourni deux"])
            // Clients accept calculer_numero_compte too: C5's account is 411C5.
            let (_, clients) = try await client.importer(
                .clients, ["PCF_CODE;PCF_RS", "C5;Cinq"], parametres: parametres(("calculer_numero_compte", "Oui")))
            #expect(clients.statistics == statistics(imported: 1, rejected: 0))
            let (_, answer) = try await client.importer(
                .comptes,
                [
                    Self.header, ";Fournisseur deux;F;F2", ";Client cinq (compte);C;C5", "512100;Banque;G;",
                    ";Général;G;",
                ],
                parametres: parametres(("calculer_numero_compte", "Oui")))
            #expect(answer.statistics == statistics(imported: 3, rejected: 1))
            #expect(
                Array(answer.journalMessages.dropFirst(3).dropLast(2)) == [
                    "Nombre de lignes importées : 3", "Nombre de lignes non importées : 1",
                    "La ligne 4 n'a pas pu être importée :", "Numéro de compte manquant",
                ])
        }
        let accounts = try server.records("COMPTES", importedAccounts)
        #expect(accounts.map { $0["CPT_NUMERO"] as String? } == ["401F2", "411C5", "512100"])
        #expect(accounts[0].value("PCF_CODE") == "F2".databaseValue)
        #expect(accounts[0].value("CPT_TYPE") == "F".databaseValue)
        #expect(accounts[0].value("CPT_COLLEC") == "401000".databaseValue)
        // The Clients import's account, updated by the Comptes import: one row.
        #expect(accounts[1].value("CPT_LIB") == "Client cinq (compte)".databaseValue)
        #expect(accounts[1].value("PCF_CODE") == "C5".databaseValue)
        #expect(accounts[1].value("CPT_COLLEC") == "411000".databaseValue)
        #expect(try server.record("TIERS", "PCF_CODE = 'C5'").value("CPT_NUMERO") == "411C5".databaseValue)
    }

    /// Gestimum's own example of the request (its help, Comptes): the client account of
    /// JOHNDOE, who is no tiers yet, creates him, as any tiers creation does.
    @Test(arguments: TestBackend.available) func gestimumsExampleCreatesTheTiersItsAccountNames(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (status, answer) = try await client.importer(
                .comptes,
                [
                    "CPT_NUMERO;CPT_LIB;CPT_TYPE;PCF_CODE;CPT_TVA_NC", "411JOHNDOE;John Doe;C;JOHNDOE",
                    "70700202;Ventes de produits finis;G;;445660",
                ])
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterComptes",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 2",
                            "Nombre de lignes non importées : 0",
                        ]))
        }
        let johnDoe = try server.record("TIERS", "PCF_CODE = 'JOHNDOE'")
        #expect(johnDoe.value("PCF_TYPE") == "C".databaseValue)
        #expect(johnDoe.value("PCF_RS") == "John Doe".databaseValue)
        #expect(johnDoe.value("CPT_NUMERO") == "411JOHNDOE".databaseValue)
        #expect(johnDoe.value("PCF_USRCRE") == "DEMO".databaseValue)
        #expect(johnDoe.value("PCF_NUMMAJ") == 1.databaseValue)
        #expect(johnDoe.value("PCF_DTCREE") != .null)
        #expect(try server.record("ADRESSES", "ADR_CODE = 'JOHNDOE'").value("ADR_NUMERO") == "001".databaseValue)
        let account = try server.record("COMPTES", "CPT_NUMERO = '411JOHNDOE'")
        #expect(account.value("PCF_CODE") == "JOHNDOE".databaseValue)
        #expect(account.value("CPT_COLLEC") == "411000".databaseValue)
    }

    /// Gestimum's release notes: custom fields (#22510), and `PCF_RS`, the name of the tiers
    /// an account creates, never its label (#26335, #27027).
    @Test(arguments: TestBackend.available) func customFieldsAndTheNameOfTheTiersCreated(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .comptes,
                [
                    "CPT_NUMERO;CPT_LIB;CPT_TYPE;PCF_CODE;PCF_RS;XXX_NOTE",
                    "411JOHNDOE;Compte John;C;JOHNDOE;John Doe SARL;vu",
                    "411JANE;Compte Jane;C;JANE;;",
                ])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
        }
        let account = try server.record("COMPTES", "CPT_NUMERO = '411JOHNDOE'")
        #expect(account.value("CPT_LIB") == "Compte John".databaseValue)
        #expect(account.value("XXX_NOTE") == "vu".databaseValue)
        #expect(try server.record("TIERS", "PCF_CODE = 'JOHNDOE'").value("PCF_RS") == "John Doe SARL".databaseValue)
        #expect(try server.record("TIERS", "PCF_CODE = 'JANE'").value("PCF_RS") == "Compte Jane".databaseValue)
    }

    @Test(arguments: TestBackend.available) func theTiersCodeComputedFromTheNumber(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F2;Fourni deux"])
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C3;411C3;Trois"])
            let (_, answer) = try await client.importer(
                .comptes,
                [
                    Self.header, "401F2;Fournisseur deux;F;", "411C3;Client trois;C;", "512100;Banque;C;",
                    "411ZZ;Inconnu;C;",
                ],
                parametres: parametres(("calculer_code_tiers", "Oui")))
            #expect(answer.statistics == statistics(imported: 3, rejected: 1))
            #expect(
                Array(answer.journalMessages.dropFirst(3).dropLast(2)) == [
                    "Nombre de lignes importées : 3", "Nombre de lignes non importées : 1",
                    "La ligne 3 n'a pas pu être importée :",
                    "Le compte 512100 ne commence pas par la racine 411 : le code tiers ne peut pas en être tiré",
                ])
        }
        let accounts = try server.records("COMPTES", importedAccounts)
        #expect(accounts.map { $0["CPT_NUMERO"] as String? } == ["401F2", "411C3", "411ZZ"])
        #expect(accounts.map { $0.value("PCF_CODE") } == ["F2", "C3", "ZZ"].map(\.databaseValue))
        #expect(try server.record("TIERS", "PCF_CODE = 'ZZ'").value("PCF_RS") == "Inconnu".databaseValue)
        #expect(accounts[1].value("CPT_LIB") == "Client trois".databaseValue)
    }

    @Test(arguments: TestBackend.available) func clientsAndSuppliersAcceptTheAccountComputations(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            let numero = parametres(("calculer_numero_compte", "Oui"))
            let code = parametres(("calculer_code_tiers", "Oui"))
            let (_, c5) = try await client.importer(.clients, ["PCF_CODE;PCF_RS", "C5;Cinq"], parametres: numero)
            let (_, c6) = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", ";411C6;Six", ";512C7;Sept", "C8;411HUIT;Huit"],
                parametres: code)
            let (_, f5) = try await client.importer(
                .fournisseurs, ["PCF_CODE;CPT_NUMERO;PCF_RS", "F5;;Cinq"], parametres: numero)
            let (_, f6) = try await client.importer(
                .fournisseurs, ["CPT_NUMERO;PCF_RS", "401F6;Six"], parametres: code)
            let (_, p5) = try await client.importer(.prospects, ["PCF_CODE;PCF_RS", "P5;Cinq"], parametres: numero)
            #expect(c5.statistics == statistics(imported: 1, rejected: 0))
            #expect(c6.statistics == statistics(imported: 2, rejected: 1))
            #expect(
                c6.journalMessages.contains(
                    "Le compte 512C7 ne commence pas par la racine 411 : le code tiers ne peut pas en être tiré"))
            #expect(f5.statistics == statistics(imported: 1, rejected: 0))
            #expect(f6.statistics == statistics(imported: 1, rejected: 0))
            #expect(p5.statistics == statistics(imported: 1, rejected: 0))
        }
        let tiers = try server.records("TIERS")
        #expect(tiers.map { $0["PCF_CODE"] as String? } == ["C5", "C6", "C8", "F5", "F6", "P5"])
        #expect(
            tiers.map { $0["CPT_NUMERO"] as String? } == ["411C5", "411C6", "411HUIT", "401F5", "401F6", "411P5"])
        let accounts = try server.records("COMPTES", importedAccounts)
        // A prospect has no account until it becomes a client.
        #expect(accounts.map { $0["CPT_NUMERO"] as String? } == ["401F5", "401F6", "411C5", "411C6", "411HUIT"])
        #expect(accounts.map { $0["PCF_CODE"] as String? } == ["F5", "F6", "C5", "C6", "C8"])
        #expect(accounts.map { $0["CPT_COLLEC"] as String? } == ["401000", "401000", "411000", "411000", "411000"])
    }

    @Test(arguments: TestBackend.available) func accountsOfTheTiersImportsAndOfComptesAreOneTable(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Sport 25"])
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS", "F1;Fourni"])
            // A prospect holds its number before its account exists.
            _ = try await client.importer(.prospects, ["PCF_CODE;PCF_RS;CPT_NUMERO", "PZ;Prospect;411PZ"])
            let (_, comptes) = try await client.importer(
                .comptes,
                [
                    "CPT_NUMERO;CPT_LIB;CPT_TYPE;PCF_CODE;CPT_COLLEC;CPT_LET", "411C1;Sport 25 (compte);;;411100;1",
                    "512100;Banque;G;;;", "401F1;Fourni;F;F1;401100;", "411PZ;Général;G;;;",
                ])
            #expect(comptes.statistics == statistics(imported: 3, rejected: 1))
            #expect(comptes.journalMessages.contains("Le compte 411PZ est déjà attribué au tiers PZ"))
            // F1 had no account: it takes the one that names it, stamped as changed.
            let f1 = try server.record("TIERS", "PCF_CODE = 'F1'")
            #expect(f1.value("CPT_NUMERO") == "401F1".databaseValue)
            #expect(f1.value("PCF_NUMMAJ") == 2.databaseValue)
            // The tiers imports see the accounts made by Comptes, and update the same rows.
            let (_, clients) = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Sport 25 SA", "C2;512100;Deux", "C3;401F1;Trois"])
            #expect(clients.statistics == statistics(imported: 1, rejected: 2))
            #expect(
                Array(clients.journalMessages.dropFirst(5).dropLast(2)) == [
                    "La ligne 2 n'a pas pu être importée :",
                    "Le compte 512100 est un compte général : il ne peut pas être attribué à un tiers",
                    "La ligne 3 n'a pas pu être importée :", "Le compte 401F1 est déjà attribué au tiers F1",
                ])
            let (_, suppliers) = try await client.importer(
                .fournisseurs, ["PCF_CODE;CPT_NUMERO;PCF_RS", "F1;401F1;Fournisseur Un", "F2;401F1;Deux"])
            #expect(suppliers.statistics == statistics(imported: 1, rejected: 1))
            #expect(suppliers.journalMessages.contains("Le compte 401F1 est déjà attribué au tiers F1"))
        }
        let accounts = try server.records("COMPTES", importedAccounts)
        #expect(accounts.map { $0["CPT_NUMERO"] as String? } == ["401F1", "411C1", "512100"])
        let (f1, c1) = (accounts[0], accounts[1])
        #expect(c1.value("CPT_LIB") == "Sport 25 SA".databaseValue)
        #expect(c1.value("CPT_TYPE") == "C".databaseValue)
        #expect(c1.value("PCF_CODE") == "C1".databaseValue)
        #expect(c1.value("CPT_COLLEC") == "411100".databaseValue)
        #expect(c1.value("CPT_LET") == 1.databaseValue)
        #expect(f1.value("CPT_LIB") == "Fournisseur Un".databaseValue)
        #expect(f1.value("CPT_COLLEC") == "401100".databaseValue)
        #expect(try server.record("TIERS", "PCF_CODE = 'F1'").value("CPT_NUMERO") == "401F1".databaseValue)
    }

    @Test func testerAnswersAsARealRunAndStoresNothing() async throws {
        let server = try TestServer()
        let lines = [
            Self.header, "512100;Banque;G;", "411C1;Sport 25 (compte);C;", "411X;X;C;C9", "530100;Caisse;G;C1",
        ]
        try await server.run { client in
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Sport 25"])
            let before = try server.dump()
            let (status, test) = try await client.importer(.comptes, lines, parametres: parametres(("tester", "Oui")))
            #expect(status == .ok)
            #expect(try server.dump() == before)
            let (_, real) = try await client.importer(.comptes, lines, parametres: parametres(("tester", "Non")))
            #expect(test.statistics == statistics(imported: 3, rejected: 1))
            #expect(test.statistics == real.statistics)
            #expect(test.journalMessages == real.journalMessages)
        }
        let accounts = try server.records("COMPTES", importedAccounts)
        #expect(accounts.map { $0["CPT_NUMERO"] as String? } == ["411C1", "411X", "512100"])
        #expect(accounts[0].value("CPT_LIB") == "Sport 25 (compte)".databaseValue)
        #expect(try server.records("TIERS", order: "PCF_CODE").map { $0["PCF_CODE"] as String? } == ["C1", "C9"])
    }

    @Test(arguments: TestBackend.available) func otherDomainsRefuseTheAccountComputations(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            for domaine in [Domaine.contacts, .adressesTiers, .banquesTiers] {
                for key in ["calculer_code_tiers", "calculer_numero_compte"] {
                    let (status, answer) = try await client.importer(
                        domaine, [domaine.catalogue.fields[0].name, "X"], parametres: parametres((key, "Oui")))
                    #expect(status == .badRequest)
                    #expect(
                        answer
                            == Answer.error(
                                "Le paramètre \(key) n'existe pas pour la requête \(domaine.name)/Importer"))
                }
            }
        }
    }
}
