import ComptoirCore
import ComptoirTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ImportTests {
    static let header = "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_VILLE;PCF_CAPITA;PCF_DATIMM;PCF_DORT"

    @Test(arguments: TestBackend.available) func secondImportOfACodeUpdatesOnlyItsPresentFields(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            let first = importBody(lines: [Self.header, "C1;411C1;Alpha;Paris;1 000,5;28/02/2020;Oui"])
            let (status, answer) = try await client.post(first)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
            let second = importBody(lines: ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_DORT", "C1;411C1;Alpha SA;Non"])
            let (_, update) = try await client.post(second)
            #expect(update.statistics == statistics(imported: 1, rejected: 0))
        }
        let rows = try server.rows("TIERS")
        #expect(rows.count == 1)
        let tiers = try #require(rows.first)
        #expect(tiers["PCF_RS"] == "Alpha SA")
        #expect(tiers["PCF_VILLE"] == "Paris")
        #expect(tiers["PCF_CAPITA"] == "1000.5000")
        #expect(tiers["PCF_DATIMM"] == "2020-02-28")
        #expect(tiers["PCF_DORT"] == "0")
        #expect(tiers["PCF_NUMMAJ"] == "2")
        #expect(tiers["PCF_USRMAJ"] == "DEMO")
        let accounts = try server.rows("COMPTES", where: importedAccounts)
        #expect(accounts.count == 1)
        #expect(accounts.first?["CPT_LIB"] == "Alpha SA")
    }

    /// SQLite keeps the pages a request changes, to undo it, in memory up to a point and then in
    /// a file: a second import of many clients rewrites far more than that, and goes in.
    @Test func aReimportRewritingManyPagesGoesIn() async throws {
        let server = try TestServer()
        let count = 80_000
        let lines =
            ["PCF_CODE;CPT_NUMERO;PCF_RS"]
            + (0..<count).map { "C\($0);411C\($0);Client \($0) dont le nom prend de la place" }
        try await server.run { client in
            for _ in 1...2 {
                let (status, answer) = try await client.importer(
                    .clients, lines, parametres: [("journal", "Non"), ("statistiques", "Oui"), ("entete", "Oui")])
                #expect(status == .ok)
                #expect(answer.statistics == statistics(imported: count, rejected: 0))
            }
        }
        #expect(try server.count("SELECT count(*) FROM TIERS WHERE PCF_NUMMAJ = 2") == count)
    }

    @Test(arguments: TestBackend.available) func anEmptyValueClearsTheFieldAndAnAbsentColumnKeepsIt(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.post(importBody(lines: [Self.header, "C1;411C1;Alpha;Paris;12;01/01/2001;1"]))
            _ = try await client.post(importBody(lines: ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_VILLE", "C1;411C1;Alpha;"]))
        }
        let tiers = try #require(try server.rows("TIERS").first)
        #expect(tiers["PCF_VILLE"] == .some(nil))
        #expect(tiers["PCF_CAPITA"] == "12.0000")
        #expect(tiers["PCF_DORT"] == "1")
    }

    @Test func testerAnswersAsARealRunAndLeavesTheSocieteUnchanged() async throws {
        let server = try TestServer()
        let lines = [
            Self.header,
            "C1;411C1;Alpha;Paris;12;01/01/2001;1",
            "C2;411C2;;Lyon;;;",
            "C3;411C3;Gamma;Nice;abc;;",
            "",
            "C4;411C4;Delta;Lille;;31/02/2020;",
            "C5;411C5;Epsilon;Metz;;;",
        ]
        let before = try server.dump()
        let mainFile = try Data(contentsOf: URL(fileURLWithPath: server.demoPath))
        let tester = importBody(
            lines: lines,
            parametres: [("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Oui"), ("tester", "oui")]
        )
        let real = importBody(lines: lines)
        try await server.run { client in
            let (testStatus, testAnswer) = try await client.post(tester)
            #expect(testStatus == .ok)
            #expect(try server.dump() == before)
            #expect(try Data(contentsOf: URL(fileURLWithPath: server.demoPath)) == mainFile)

            let (realStatus, realAnswer) = try await client.post(real)
            #expect(realStatus == .ok)
            #expect(testAnswer.statistics == statistics(imported: 2, rejected: 3))
            #expect(testAnswer.statistics == realAnswer.statistics)
            #expect(testAnswer.journalMessages == realAnswer.journalMessages)
        }
        #expect(try server.rows("TIERS").map { $0["PCF_CODE"] } == ["C1", "C5"])
    }

    @Test(arguments: TestBackend.available) func rejectedLinesAreReportedWithTheirReasonsAndLeaveNoTrace(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        let lines = [
            "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_DATIMM;PAY_CODE;PCF_COULEUR",
            "C1;411C1;Alpha;;FR;bleu",
            ";;;31/02/2020;;",
            "C3;411C3;Gamma;;ZZ;",
            "C4;411C1;Delta;;;",
            "C5;411C5;\(String(repeating: "é", count: 61));;;",
            "C6;411C6;Zeta;;;;;extra",
            "C7;411C7;Eta;;;;;",
        ]
        try await server.run { client in
            let (status, answer) = try await client.post(importBody(lines: lines))
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 2, rejected: 5))
            #expect(
                answer.journalMessages == [
                    "Ouverture de la société \(server.demoPath)",
                    "Société \(server.demoPath) ouverte",
                    "Lancement de la tâche ImporterClients",
                    "Le champ PCF_COULEUR est inconnu : colonne ignorée",
                    "Nombre de lignes importées : 2",
                    "Nombre de lignes non importées : 5",
                    "La ligne 2 n'a pas pu être importée :",
                    "Le champ PCF_DATIMM n'est pas une date valide : 31/02/2020",
                    "La ligne 3 n'a pas pu être importée :",
                    "Le code pays ZZ n'existe pas",
                    "La ligne 4 n'a pas pu être importée :",
                    "Le compte 411C1 est déjà attribué au tiers C1",
                    "La ligne 5 n'a pas pu être importée :",
                    "Le champ PCF_RS dépasse 60 caractères",
                    "La ligne 6 n'a pas pu être importée :",
                    "La ligne comporte 8 champs alors que 6 sont attendus",
                    "Tâche ImporterClients terminée",
                    "Fermeture de la société \(server.demoPath)",
                ]
            )
            let (_, missing) = try await client.post(importBody(lines: [Self.header, ";;;;;;"]))
            #expect(
                Array(missing.journalMessages[5...8]) == [
                    "La ligne 1 n'a pas pu être importée :", "Code manquant", "Raison sociale manquante",
                    "Numéro de compte manquant",
                ]
            )
        }
        #expect(try server.rows("TIERS").map { $0["PCF_CODE"] } == ["C1", "C7"])
        #expect(try server.rows("COMPTES", where: importedAccounts).map { $0["CPT_NUMERO"] } == ["411C1", "411C7"])
    }

    @Test(arguments: TestBackend.available) func warningsAndTheProspectTurnedClient(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, created) = try await client.importer(.prospects, ["PCF_CODE;PCF_RS", "P1;Future"])
            #expect(created.statistics == statistics(imported: 1, rejected: 0))
            let lines = [
                "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_SIRET;PCF_NII;PAY_CODE;PCF_CP;PCF_EMAIL",
                "P1;411P1;Future;73282932000074;FR44732829320;fr;78120;contact@future.fr",
                "C2;411C2;Beta;12345678901234;FR00732829320;FR;7812;pas-un-email",
            ]
            let (_, answer) = try await client.post(importBody(lines: lines))
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
            #expect(
                Array(answer.journalMessages.dropFirst(3).dropLast(2)) == [
                    "L'import a été effectué avec succès.",
                    "Nombre de lignes importées : 2",
                    "Nombre de lignes non importées : 0",
                    "La ligne 1 comporte les avertissements suivants :",
                    "Le prospect P1 a été transformé en client",
                    "La ligne 2 comporte les avertissements suivants :",
                    "Le numéro SIREN 123456789 n'est pas valide",
                    "Le numéro SIRET 12345678901234 n'est pas valide",
                    "La clé du numéro de TVA intracommunautaire FR00732829320 ne correspond pas au SIREN 732829320",
                    "Le code postal 7812 n'est pas valide pour la France (5 chiffres attendus)",
                    "L'adresse e-mail pas-un-email n'est pas valide",
                ]
            )
        }
        let rows = try server.rows("TIERS")
        #expect(rows.map { $0["PCF_TYPE"] } == ["C", "C"])
        let former = try #require(rows.first(where: { $0["PCF_CODE"] == "P1" }))
        #expect(former["PCF_SIREN"] == "732829320")
        #expect(former["PAY_CODE"] == "FR")
        #expect(try server.rows("COMPTES", where: importedAccounts).map { $0["CPT_NUMERO"] } == ["411C2", "411P1"])
    }

    @Test(arguments: TestBackend.available) func suppliersProspectsAndClientsShareOneCodeSpace(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, created) = try await client.importer(
                .fournisseurs, ["PCF_CODE;PCF_RS;CPT_NUMERO", "F1;Fourni;401F1", "F2;Sans compte;"])
            #expect(created.statistics == statistics(imported: 2, rejected: 0))
            let (_, clash) = try await client.post(
                importBody(lines: ["PCF_CODE;PCF_RS;CPT_NUMERO", "F1;Client;411F1"]))
            #expect(clash.journalMessages.contains("Le code F1 est déjà utilisé par un fournisseur"))
            #expect(clash.statistics == statistics(imported: 0, rejected: 1))
            let (_, prospectClash) = try await client.importer(.prospects, ["PCF_CODE;PCF_RS", "F2;Prospect"])
            #expect(prospectClash.journalMessages.contains("Le code F2 est déjà utilisé par un fournisseur"))
        }
        #expect(try server.rows("TIERS").map { $0["PCF_TYPE"] } == ["F", "F"])
        let account = try #require(try server.rows("COMPTES", where: importedAccounts).first)
        #expect(account["CPT_TYPE"] == "F")
        #expect(account["CPT_COLLEC"] == "401000")
        #expect(account["PCF_CODE"] == "F1")
    }

    @Test(arguments: TestBackend.available) func namesFromNomsChampsQualifierAndCustomFields(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        let body = importBody(
            lines: ["'C1' | 411C1 | 'Dupont | Fils' | 'Rue de l''Église' | ", "C2|411C2|Deux"],
            parametres: [
                ("journal", "Non"), ("statistiques", "Oui"),
                ("noms_champs", "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE;XXX_COULEUR"),
                ("separateur_champs", "|"), ("identificateur_texte", "'"),
            ]
        )
        try await server.run { client in
            let (status, answer) = try await client.post(body)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
            guard case .array(let results) = answer["result"] else { return #expect(Bool(false)) }
            #expect(results.first?["journal"] == nil)
        }
        let rows = try server.rows("TIERS")
        #expect(rows.first?["PCF_RS"] == "Dupont | Fils")
        #expect(rows.first?["PCF_RUE"] == "Rue de l'Église")
        #expect(rows.first?["XXX_COULEUR"] == .some(nil))
        #expect(rows.last?["PCF_RS"] == "Deux")
    }

    @Test(
        "custom fields beyond what a table takes refuse the request, and none of them is added",
        arguments: TestBackend.available)
    func tooManyCustomFields(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let maximum = Catalogue.maximumCustomFields
        let header = (["PCF_CODE", "CPT_NUMERO", "PCF_RS"] + (1...maximum + 1).map { "XXX_C\($0)" })
        try await server.run { client in
            let (status, answer) = try await client.importer(
                .clients, [header.joined(separator: ";"), "C1;411C1;Un"])
            #expect(status == .badRequest)
            #expect(
                answer.errorMessage
                    == "Trop de champs personnalisés pour la table TIERS : elle en aurait \(maximum + 1), "
                    + "pour \(maximum) au plus")
            let (accepted, _) = try await client.importer(
                .clients, [header.prefix(4).joined(separator: ";"), "C1;411C1;Un;x"])
            #expect(accepted == .ok)
        }
        #expect(try server.rows("TIERS").first?["XXX_C1"] == "x")
        #expect(try server.rows("TIERS").first?["XXX_C2"] == nil)
    }

    @Test(
        "an import that imports no line leaves nothing, not even the custom fields its header named",
        arguments: TestBackend.available)
    func nothingImportedAddsNoCustomField(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Un"])
            let (status, refused) = try await client.importer(
                .clients,
                ["PCF_CODE;CPT_NUMERO;PCF_RS;XXX_COULEUR", "\(String(repeating: "C", count: 21));411C2;Deux;rouge"])
            #expect(status == .ok)
            #expect(refused.statistics == statistics(imported: 0, rejected: 1), "\(refused.journalMessages)")
        }
        let rows = try server.rows("TIERS")
        #expect(rows.count == 1)
        #expect(rows.first?.keys.contains("XXX_COULEUR") == false)
    }

    @Test(arguments: TestBackend.available) func withoutJournalNorStatisticsTheAnswerIsJustTheResult(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let body = importBody(lines: [Self.header, "C1;411C1;Alpha;;;;"], parametres: [("entete", "Oui")])
            try await client.execute(uri: clientsPath, method: .post, body: ByteBuffer(string: body)) { response in
                #expect(
                    String(buffer: response.body)
                        == #"{"result":[{"resultat":"succ\u00E8s","message":"termin\u00E9"}]}"#
                )
            }
        }
    }

    @Test(arguments: TestBackend.available) func pathsAcceptRawQuotesAndLowerCaseHex(backend: TestBackend) async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            for path in [
                "/api/rest/Clients/%22Importer%22", "/api/rest/Clients/%22importer%22",
                "/api/rest/clients/%22Importer%22",
            ] {
                let (status, _) = try await client.post(
                    importBody(lines: [Self.header, "C1;411C1;Alpha;;;;"]), to: path)
                #expect(status == .ok, "\(path)")
            }
        }
    }
}
