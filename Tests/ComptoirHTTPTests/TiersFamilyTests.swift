import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// The "must show": a client made by the Clients import, then given contacts, three
/// addresses and two bank accounts by the other imports, found again in the société file.
@Suite struct TiersFamilyTests {
    @Test func aClientWithItsContactsAddressesAndBankAccountsIsFoundInTheSocieteFile() async throws {
        let server = try TestServer()
        try await server.run { client in
            let steps: [(Domaine, [String], Int)] = [
                (
                    .clients,
                    [
                        "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE;PCF_CP;PCF_VILLE;PAY_CODE;PCF_CAPITA;PCF_DATIMM",
                        "C42;411C42;SPORT25;5 rue Cugnot;78120;RAMBOUILLET;FR;15 000,50;01/03/2010",
                        "C43;411C43;Voisin;;;;;;",
                    ], 2
                ),
                (
                    .contacts,
                    [
                        "CCT_CODE;CCT_NOM;CCT_PRENOM;CCT_ORIGIN;CCT_EMAIL",
                        "DUPONT;Dupont;Hélène;C42;helene@sport25.fr",
                        "MARTIN;Martin;Paul;C42;paul@sport25.fr", "VOISIN;Voisin;Jean;C43;",
                    ], 3
                ),
                (
                    .adressesTiers,
                    [
                        "ADR_CODE;ADR_NUMERO;ADR_RS;ADR_RUE;ADR_CP;ADR_VILLE;PAY_CODE;ADR_NPAI",
                        "C42;001;SPORT25;5 rue Cugnot;78120;RAMBOUILLET;FR;0",
                        "C42;002;SPORT25 Entrepôt;12 avenue de l'Europe;28000;CHARTRES;FR;0",
                        "C42;003;SPORT25 Belgique;1 rue Neuve;1000;BRUXELLES;BE;1",
                    ], 3
                ),
                (
                    .banquesTiers,
                    [
                        "PCF_CODE;RIB_ORDRE;RIB_BQ_NOM;RIB_TYPE;RIB_AGENCE;RIB_GUICHE;RIB_COMPTE;RIB_CLE;RIB_IBAN;RIB_DT_SM",
                        "C42;01;La Banque Postale;FR;20041;01005;0500013M026;06;FR14;15/06/2024",
                        "C42;02;Banque de Belgique;GEN;;;;;;",
                    ], 2
                ),
            ]
            for (domaine, lines, count) in steps {
                let (status, answer) = try await client.importer(domaine, lines)
                #expect(status == .ok, "\(domaine)")
                #expect(answer.statistics == statistics(imported: count, rejected: 0), "\(domaine)")
                #expect(answer.journalMessages.contains("L'import a été effectué avec succès."), "\(domaine)")
            }
        }

        // Read back with a connection of its own, as any tool reading the file would.
        let queue = try DatabaseQueue(path: server.demoPath, configuration: .patient)
        defer { try? queue.close() }
        try await queue.read { db in
            let tiers = try #require(try Row.fetchOne(db, sql: "SELECT * FROM TIERS WHERE PCF_CODE = 'C42'"))
            #expect(tiers["PCF_TYPE"] as String? == "C")
            #expect(tiers["PCF_RS"] as String? == "SPORT25")
            #expect(tiers["PCF_CAPITA"] as String? == "15000.5000")
            #expect(tiers["PCF_DATIMM"] as String? == "2010-03-01")
            let account = try #require(
                try Row.fetchOne(
                    db,
                    sql:
                        "SELECT C.* FROM COMPTES C JOIN TIERS T ON T.CPT_NUMERO = C.CPT_NUMERO WHERE T.PCF_CODE = 'C42'"
                ))
            #expect(account["CPT_NUMERO"] as String? == "411C42")
            #expect(account["PCF_CODE"] as String? == "C42")
            #expect(account["CPT_TYPE"] as String? == "C")

            let contacts = try Row.fetchAll(
                db,
                sql: """
                    SELECT C.CCT_NUMERO, C.CCT_CODE, C.CCT_PRENOM FROM CONTACTS C
                    JOIN TIERS T ON C.CCT_TABLE = 'PCF' AND C.CCT_ORIGIN = T.PCF_CODE
                    WHERE T.PCF_CODE = 'C42' ORDER BY C.CCT_NUMERO
                    """)
            #expect(contacts.map { $0["CCT_CODE"] as String? } == ["DUPONT", "MARTIN"])
            #expect(contacts.map { $0["CCT_NUMERO"] as Int? } == [1, 2])
            #expect(contacts.map { $0["CCT_PRENOM"] as String? } == ["Hélène", "Paul"])

            let addresses = try Row.fetchAll(
                db,
                sql: """
                    SELECT A.* FROM ADRESSES A JOIN TIERS T ON A.ADR_TBL = 'PCF' AND A.ADR_CODE = T.PCF_CODE
                    WHERE T.PCF_CODE = 'C42' ORDER BY A.ADR_NUMERO
                    """)
            #expect(addresses.map { $0["ADR_NUMERO"] as String? } == ["001", "002", "003"])
            #expect(addresses.map { $0["ADR_VILLE"] as String? } == ["RAMBOUILLET", "CHARTRES", "BRUXELLES"])
            #expect(addresses.map { $0["ADR_NPAI"] as Int? } == [0, 0, 1])
            // Address 001 is the billing address of the tiers.
            for column in BillingAddress.columns {
                #expect(
                    tiers[column.tiers] as DatabaseValue == addresses[0][column.adresse] as DatabaseValue, "\(column)")
            }

            let banks = try Row.fetchAll(
                db,
                sql: """
                    SELECT R.* FROM TIERS_RIB R JOIN TIERS T ON R.PCF_CODE = T.PCF_CODE
                    WHERE T.PCF_CODE = 'C42' ORDER BY R.RIB_ORDRE
                    """)
            #expect(banks.map { $0["RIB_ORDRE"] as String? } == ["01", "02"])
            #expect(banks.map { $0["RIB_BQ_NOM"] as String? } == ["La Banque Postale", "Banque de Belgique"])
            #expect(banks[0]["RIB_IBAN"] as String? == "FR14")
            #expect(banks[0]["RIB_DT_SM"] as String? == "2024-06-15")

            // Each tiers has its own: nothing of C42 went to its neighbour, and nothing is left unlinked.
            let summary = try Row.fetchAll(
                db,
                sql: """
                    SELECT T.PCF_CODE,
                        (SELECT COUNT(*) FROM CONTACTS C WHERE C.CCT_TABLE = 'PCF' AND C.CCT_ORIGIN = T.PCF_CODE),
                        (SELECT COUNT(*) FROM ADRESSES A WHERE A.ADR_TBL = 'PCF' AND A.ADR_CODE = T.PCF_CODE),
                        (SELECT COUNT(*) FROM TIERS_RIB R WHERE R.PCF_CODE = T.PCF_CODE)
                    FROM TIERS T ORDER BY T.PCF_CODE
                    """
            ).map { [$0[0] as String, "\($0[1] as Int)", "\($0[2] as Int)", "\($0[3] as Int)"] }
            #expect(summary == [["C42", "2", "3", "2"], ["C43", "1", "1", "0"]])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM CONTACTS") == 3)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ADRESSES") == 4)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM TIERS_RIB") == 2)
        }
    }

    /// Gestimum's form: the ERP version served, 9.5, then the data model's number.
    @Test(arguments: TestBackend.available) func theERPVersionIsGestimums95WithTheDataModel(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try await server.run { client in
            try await client.execute(uri: "/api/rest/Outils/%22VersionERP%22", method: .get) { response in
                #expect(response.status == .ok)
                let answer = try JSONValue.parse(Array(response.body.readableBytesView))
                guard case .array(let results) = answer["result"], case .string(let message) = results.first?["message"]
                else { return #expect(Bool(false), "no message in \(answer)") }
                #expect(
                    message.wholeMatch(of: #/9\.5\.0\.\d+ \(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\)/#) != nil, "\(message)")
            }
        }
    }

    @Test(arguments: TestBackend.available) func everyDomainOfTheFamilyIsServed(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            // Ecritures has no header and a report of its own (EcrituresTests).
            for domaine in Domaine.all where !domaine.takesFormat {
                let (status, answer) = try await client.importer(domaine, [domaine.catalogue.fields[0].name])
                #expect(status == .ok, "\(domaine)")
                #expect(
                    answer.journalMessages
                        == server.journal(
                            domaine.taskName, ["Nombre de lignes importées : 0", "Nombre de lignes non importées : 0"]),
                    "\(domaine)")
                #expect(answer.statistics == statistics(imported: 0, rejected: 0))
            }
        }
        #expect(
            Domaine.all.map(\.taskName) == [
                "ImporterClients", "ImporterFournisseurs", "ImporterProspects", "ImporterContacts",
                "ImporterAdressesTiers", "ImporterBanquesTiers", "ImporterComptes", "ImporterDevises", "ImporterPays",
                "ImporterVilles", "ImporterModesReglements", "ImporterNaturesComptables", "ImporterCommerciaux",
                "ImporterSalaries", "ImporterSectionsAnalytiques", "ImporterComptesReporting", "ImporterGlossaires",
                "ImporterUtilisateurs", "ImporterFamillesArticles", "ImporterSousFamillesArticles", "ImporterArticles",
                "ImporterTarifsArticles", "ImporterReferencesClientsArticles", "ImporterTarifsFournisseursArticles",
                "ImporterEquivalencesArticles", "ImporterComposantsNomenclatures", "ImporterGrillesTarifs",
                "ImporterAffaires", "ImporterActions", "ImporterDocumentsVente", "ImporterDocumentsAchat",
                "ImporterDocumentsStock", "ImporterImmobilisations", "ImporterEcritures",
            ])
    }
}
