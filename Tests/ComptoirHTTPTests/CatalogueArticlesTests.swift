import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// What the catalogue domains do beyond one row per line.
@Suite("The article catalogue")
struct CatalogueArticlesTests {
    private static let created = [
        "L'import a été effectué avec succès.", "Nombre de lignes importées : 2", "Nombre de lignes non importées : 0",
    ]

    @Test("automatic codification numbers each line from the counter, across requests and restarts")
    func automaticCodification() async throws {
        let server = try TestServer()
        try server.setPreference("CODIFICATION_ARTICLES", to: "Automatique")
        let lines = ["ART_CODE;ART_LIB", "IGNORE;Premier", "IGNORE;Second"]
        try await server.run { client in
            let (_, answer) = try await client.importer(.articles, lines)
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterArticles",
                        Self.created + ["L'article ART000001 a été créé", "L'article ART000002 a été créé"]))
            let (_, again) = try await client.importer(.articles, lines)
            #expect(again.journalMessages.contains("L'article ART000004 a été créé"))
        }
        // Another server on the same folder, as after a restart.
        try await server.run { client in
            let (_, answer) = try await client.importer(.articles, ["ART_LIB", "Cinquième"])
            #expect(answer.journalMessages.contains("L'article ART000005 a été créé"))
        }
        #expect(
            try server.records("ARTICLES", order: "ART_CODE").map { $0["ART_CODE"] as String? } == [
                "ART000001", "ART000002", "ART000003", "ART000004", "ART000005",
            ])
        #expect(
            try server.record("PREFERENCES", "PRF_CODE = 'COMPTEUR_ARTICLES'").value("PRF_VALEUR")
                == "ART000006".databaseValue)
    }

    @Test("a line without code nor label is told both, where codes are given by hand; numbered, only its label")
    func missingCodeAndLabel() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (_, answer) = try await client.importer(.articles, ["ART_CODE;ART_LIB", ";"])
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterArticles",
                        [
                            "Nombre de lignes importées : 0", "Nombre de lignes non importées : 1",
                            "La ligne 1 n'a pas pu être importée :", "Code manquant", "Libellé manquant",
                        ]), "\(answer.journalMessages)")
        }
        try server.setPreference("CODIFICATION_ARTICLES", to: "Automatique")
        try await server.run { client in
            let (_, answer) = try await client.importer(.articles, ["ART_CODE;ART_LIB", ";"])
            #expect(answer.journalMessages.contains("Libellé manquant"))
            #expect(!answer.journalMessages.contains("Code manquant"), "\(answer.journalMessages)")
        }
    }

    @Test("automatic codification skips a code that an article created by hand already holds")
    func automaticCodificationSkipsTakenCodes() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB", "ART000001;À la main"])
        }
        try server.setPreference("CODIFICATION_ARTICLES", to: "Automatique")
        try await server.run { client in
            let (_, answer) = try await client.importer(.articles, ["ART_LIB", "Numéroté"])
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
            #expect(answer.journalMessages.contains("L'article ART000002 a été créé"))
        }
        #expect(
            try server.record("ARTICLES", "ART_CODE = 'ART000001'").value("ART_LIB") == "À la main".databaseValue)
        #expect(
            try server.record("PREFERENCES", "PRF_CODE = 'COMPTEUR_ARTICLES'").value("PRF_VALEUR")
                == "ART000003".databaseValue)
    }

    @Test(
        "a new article takes the defaults of its sous-famille, else of its family, and its family from its sous-famille"
    )
    func defaultsAreInherited() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await client.importer(
                .famillesArticles, ["FAR_CODE;FAR_LIB;FAR_TYPE;FAR_CATEG;FAR_DELCOM;FAR_DORT", "FAR1;Un;P;F;12;1"])
            _ = try await client.importer(.sousFamillesArticles, ["SFA_CODE;FAR_CODE;SFA_TYPE", "SFAR1;FAR1;V"])
            let (_, answer) = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;SFA_CODE;ART_DELCOM", "A1;Article;SFAR1;", "A2;Autre;SFAR1;3"])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
        }
        let article = try server.record("ARTICLES", "ART_CODE = 'A1'")
        #expect(article.value("FAR_CODE") == "FAR1".databaseValue)
        #expect(article.value("ART_TYPE") == "V".databaseValue)
        #expect(article.value("ART_CATEG") == "F".databaseValue)
        // A family asleep holds new articles of its own: they are awake, as the file makes them.
        #expect(article.value("ART_DORT") != 1.databaseValue)
        // A field the line gives, even empty, is the line's.
        #expect(article.value("ART_DELCOM") == .null)
        #expect(try server.record("ARTICLES", "ART_CODE = 'A2'").value("ART_DELCOM") == 3.databaseValue)
    }

    /// The catalogue types `ART_DTCREE` as a date: stamped, it holds the day, as a file gives it
    /// and as the read API describes it; `ART_DTMAJ`, no catalogue field, the time too.
    @Test("an article's creation date is stamped as a date, unless the file gives it", arguments: TestBackend.available)
    func creationDateIsADate(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_DTCREE", "A1;Daté;15/03/2024", "A2;Tamponné;"])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
            // The same header again, to update: an empty creation column leaves the stored one.
            let (_, update) = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_DTCREE;ART_USRCRE", "A1;Daté et revu;;"])
            #expect(update.statistics == statistics(imported: 1, rejected: 0))
        }
        let dated = try server.record("ARTICLES", "ART_CODE = 'A1'")
        #expect(dated.value("ART_DTCREE") == "2024-03-15".databaseValue)
        #expect(dated.value("ART_USRCRE") == "DEMO".databaseValue)
        #expect(dated.value("ART_LIB") == "Daté et revu".databaseValue)
        let stamped = try server.record("ARTICLES", "ART_CODE = 'A2'")
        #expect(String.fromDatabaseValue(stamped.value("ART_DTCREE"))?.wholeMatch(of: /\d{4}-\d\d-\d\d/) != nil)
        #expect(
            String.fromDatabaseValue(stamped.value("ART_DTMAJ"))?.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/)
                != nil)
    }

    @Test(
        "a price in the société's currency is also the article's own, and the other way round; another currency's or a gamme's is not",
        arguments: TestBackend.available)
    func tarifsUpdateTheArticle(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB;ART_P_VTE", "A10;Article;20"])
            _ = try await client.importer(.devises, ["DEV_CODE;DEV_LIB", "USD;Dollar"])
            let (_, answer) = try await client.importer(
                .tarifsArticles,
                [
                    "ART_CODE;DEV_CODE;ART_GAMME;ART_P_VTE;ART_P_ACH", "A10;;;24,5;12", "A10;USD;;30;",
                    "A10;usd;;31;", "A10;;G2;77;",
                ])
            #expect(answer.statistics == statistics(imported: 4, rejected: 0))
            let article = try server.record("ARTICLES", "ART_CODE = 'A10'")
            #expect(article.value("ART_P_VTE") == "24.5000".databaseValue)
            #expect(article.value("ART_P_ACH") == "12.0000".databaseValue)
            // Changed, the article says so: by whom, and how many times (created, then one price).
            #expect(article.value("ART_USRMAJ") == "DEMO".databaseValue)
            #expect(article.value("ART_NUMMAJ") == 2.databaseValue)
            // The article's own prices changed, its tariff line in the société's currency follows.
            _ = try await client.importer(.articles, ["ART_CODE;ART_P_VTE;ART_P_ACH", "A10;99;33"])
        }
        // A currency is a code in upper case: `usd` updates the USD price.
        let prices = try server.records("ART_PRIX", order: "DEV_CODE, ART_GAMME")
        #expect(prices.map { $0["DEV_CODE"] as String? } == ["EUR", "EUR", "USD"])
        #expect(prices.map { $0["ART_P_VTE"] as String? } == ["99.0000", "77.0000", "31.0000"])
        #expect(prices.map { $0["ART_P_ACH"] as String? }.first == "33.0000")
    }

    @Test(
        "a new tariff line of the article's own price takes the article's prices it does not give; its export changes nothing",
        arguments: TestBackend.available)
    func newArticlePriceTakesTheArticles(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_P_ACH;ART_P_COEF;ART_P_VTE", "Q1;Q;10;2;20"])
            _ = try await client.importer(.tarifsArticles, ["ART_CODE;ART_P_VTE", "Q1;25"])
            let price = try await client.lire("societes/DEMO/TarifsArticles/Q1/EUR/").json()
            #expect(price["ART_P_ACH"] == .number("10.0000") && price["ART_P_COEF"] == .number("2.000"), "\(price)")
            #expect(price["ART_P_VTE"] == .number("25.0000"))

            let rows = try await client.csvRows("societes/DEMO/TarifsArticles?ART_CODE=Q1")
            let before = try await client.lire("societes/DEMO/Articles/Q1").json()
            let (_, again) = try await client.importer(.tarifsArticles, rows)
            #expect(again.statistics == statistics(imported: 1, rejected: 0), "\(again.journalMessages)")
            let after = try await client.lire("societes/DEMO/Articles/Q1").json()
            for name in ["ART_P_ACH", "ART_P_COEF", "ART_P_VTE"] { #expect(after[name] == before[name], "\(name)") }
        }
    }

    @Test(
        "a component may not contain its parent however deep: the line is refused, naming the cycle",
        arguments: TestBackend.available)
    func cyclesAreRefused(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_TYPE", "N1;Un;N", "N2;Deux;N", "N3;Trois;F"])
            _ = try await client.importer(.composantsNomenclatures, ["ART_CODE;PRD_CODE", "N1;N2", "N2;N3"])
            let (_, answer) = try await client.importer(.composantsNomenclatures, ["ART_CODE;PRD_CODE", "N3;N1"])
            #expect(answer.statistics == statistics(imported: 0, rejected: 1))
            #expect(answer.journalMessages.contains("L'article N1 contient déjà N3 : cycle N3 → N1 → N2 → N3"))
            // A component of no quantity, or less, is none.
            let (_, quantities) = try await client.importer(
                .composantsNomenclatures, ["ART_CODE;PRD_CODE;PRD_QTE", "N1;N3;0", "N1;N3;-3"])
            #expect(quantities.statistics == statistics(imported: 0, rejected: 2))
            #expect(quantities.journalMessages.contains("La quantité du composant doit être positive : 0"))
            #expect(quantities.journalMessages.contains("La quantité du composant doit être positive : -3"))
        }
        #expect(try server.records("ART_PROD").count == 2)
    }

    @Test(
        "an update of a grille line or of a component changes only what the file gives; an empty quantity is 1",
        arguments: TestBackend.available)
    func updatesKeepWhatTheFileLeavesOut(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_TYPE", "A1;Un;", "N1;Nomenclature;N", "T1;Sans type;"])
            let (_, grille) = try await client.importer(
                .grillesTarifs, ["TAR_CODE;TAR_LIB;ART_CODE;TAR_PRIX;TAR_BORNE", "G1;Grille;A1;12,5;10"])
            #expect(grille.statistics == statistics(imported: 1, rejected: 0), "\(grille.journalMessages)")
            _ = try await client.importer(.grillesTarifs, ["TAR_CODE;ART_CODE;TAR_BORNE;TAR_CMMNTR", "G1;A1;10;note"])
            _ = try await client.importer(.composantsNomenclatures, ["ART_CODE;PRD_CODE;PRD_QTE", "N1;A1;1,5"])
            _ = try await client.importer(.composantsNomenclatures, ["ART_CODE;PRD_CODE;PRD_QTE", "N1;A1;"])
            // An article of no type is no nomenclature.
            let (_, untyped) = try await client.importer(.composantsNomenclatures, ["ART_CODE;PRD_CODE", "T1;A1"])
            #expect(untyped.journalMessages.contains("L'article T1 n'est ni une nomenclature ni un forfait"))
        }
        let line = try server.record("TGRILLES", "TAR_CODE = 'G1'")
        #expect(line.value("TAR_PRIX") == "12.5000".databaseValue)
        #expect(line.value("TAR_CMMNTR") == "note".databaseValue)
        #expect(try server.records("ART_PROD").map { $0["PRD_QTE"] as String? } == ["1.000"])
    }

    @Test(
        "an article's sous-famille and family always agree; a family's defaults are taken as an article's field takes them",
        arguments: TestBackend.available)
    func familyAndSousFamilleAgree(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(
                .famillesArticles, ["FAR_CODE;FAR_LIB;FAR_STOCK;FAR_MFACT", "F1;Un;O;-", "F2;Deux;;"])
            _ = try await client.importer(.sousFamillesArticles, ["SFA_CODE;SFA_LIB;FAR_CODE", "S1;Sous-un;F1"])
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB;SFA_CODE", "A1;Un;S1", "P1;Prix;"])
            let (_, moved) = try await client.importer(.articles, ["ART_CODE;ART_LIB;FAR_CODE", "A1;Un;F2"])
            #expect(moved.journalMessages.contains("La sous-famille S1 n'appartient pas à la famille F2"))
            // An empty family beside the sous-famille that stays is that sous-famille's.
            let (_, emptied) = try await client.importer(.articles, ["ART_CODE;FAR_CODE", "A1;"])
            #expect(emptied.statistics == statistics(imported: 1, rejected: 0), "\(emptied.journalMessages)")
            let (_, given) = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;FAR_CODE;SFA_CODE", "P1;Prix;;S1"])
            #expect(given.statistics == statistics(imported: 1, rejected: 0), "\(given.journalMessages)")
        }
        let articles = try server.records("ARTICLES", order: "ART_CODE")
        #expect(
            articles.map { [$0["ART_CODE"], $0["FAR_CODE"], $0["SFA_CODE"]] as [String?] } == [
                ["A1", "F1", "S1"], ["P1", "F1", "S1"],
            ])
        // LIFO is O for a family and F for an article; a family's "-" is no mode at all.
        #expect(articles.map { $0["ART_STOCK"] as String? } == ["F", nil])
        #expect(articles.map { $0["ART_MFACT"] as String? } == [nil, nil])
    }

    @Test(
        "a sous-famille moved to another family takes its articles and its grille lines with it",
        arguments: TestBackend.available)
    func sousFamilleMovesItsArticles(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.famillesArticles, ["FAR_CODE;FAR_LIB", "F1;Un", "F2;Deux"])
            _ = try await client.importer(
                .sousFamillesArticles, ["SFA_CODE;SFA_LIB;FAR_CODE", "S1;Sous-un;F1", "S2;Sous-deux;F1"])
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB;SFA_CODE", "A1;Un;S1", "A2;Deux;S2"])
            let (_, grilles) = try await client.importer(
                .grillesTarifs,
                [
                    "TAR_CODE;TAR_LIB;SFA_CODE;TAR_REMISE;TAR_BORNE", "G;Grille;S1;7;0", "G;Grille;S1;9;10",
                    "G;Grille;S2;5;0",
                ])
            try #require(grilles.statistics == statistics(imported: 3, rejected: 0), "\(grilles.journalMessages)")
            _ = try await client.importer(
                .sousFamillesArticles, ["SFA_CODE;FAR_CODE", "S1;F2"], parametres: parametres(("tester", "Oui")))
            #expect(
                try await client.lire("societes/DEMO/Articles/A1").json()["FAR_CODE"] == .string("F1"), "tester=Oui")
            // S2 keeps its family: its article is left as it is.
            let (_, moved) = try await client.importer(
                .sousFamillesArticles, ["SFA_CODE;FAR_CODE", "S1;F2", "S2;F1"])
            #expect(moved.statistics == statistics(imported: 2, rejected: 0), "\(moved.journalMessages)")
            // The article follows: an update of it naming its sous-famille alone is accepted.
            let (_, updated) = try await client.importer(.articles, ["ART_CODE;ART_LIB;SFA_CODE", "A1;Un bis;S1"])
            #expect(updated.statistics == statistics(imported: 1, rejected: 0), "\(updated.journalMessages)")
            // Its grille lines follow: named by the sous-famille, a line updates the one it has.
            let (_, again) = try await client.importer(
                .grillesTarifs, ["TAR_CODE;SFA_CODE;TAR_REMISE;TAR_BORNE", "G;S1;8;0"])
            #expect(again.statistics == statistics(imported: 1, rejected: 0), "\(again.journalMessages)")
        }
        let articles = try server.records("ARTICLES", order: "ART_CODE")
        #expect(
            articles.map { [$0["ART_CODE"], $0["FAR_CODE"], $0["SFA_CODE"]] as [String?] } == [
                ["A1", "F2", "S1"], ["A2", "F1", "S2"],
            ])
        // Created, moved with its sous-famille, updated: each stamps it.
        #expect(articles.map { $0["ART_NUMMAJ"] as Int? } == [3, 1])
        #expect(
            try Self.grilleLines(server, order: "SFA_CODE, TAR_BORNE") == [
                ["F2", "S1", "8"], ["F2", "S1", "9"], ["F1", "S2", "5"],
            ])
    }

    /// The family, sous-famille and remise of each grille line, in `order`.
    private static func grilleLines(_ server: TestServer, order: String) throws -> [[String?]] {
        try server.records("TGRILLES", order: order).map {
            [$0["FAR_CODE"], $0["SFA_CODE"], $0["TAR_REMISE"]] as [String?]
        }
    }

    @Test(
        "a grille line the moved sous-famille already has under its new family is kept, and the old one left",
        arguments: TestBackend.available)
    func sousFamilleMoveMeetsALineOfItsNewFamily(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.famillesArticles, ["FAR_CODE;FAR_LIB", "F1;Un", "F2;Deux"])
            _ = try await client.importer(.sousFamillesArticles, ["SFA_CODE;SFA_LIB;FAR_CODE", "S1;Sous-un;F1"])
            let (_, grilles) = try await client.importer(
                .grillesTarifs, ["TAR_CODE;TAR_LIB;SFA_CODE;TAR_REMISE;TAR_BORNE", "G;Grille;S1;7;0"])
            try #require(grilles.statistics == statistics(imported: 1, rejected: 0), "\(grilles.journalMessages)")
            // The same line under F2, as one written before moves took their lines along.
            try server.execute(
                """
                INSERT INTO "TGRILLES" ("TAR_CODE", "FAR_CODE", "SFA_CODE", "ART_CODE", "ART_GAMME", "DEV_CODE",
                "TAR_BORNE", "TAR_REMISE")
                SELECT "TAR_CODE", 'F2', "SFA_CODE", "ART_CODE", "ART_GAMME", "DEV_CODE", "TAR_BORNE", '3'
                FROM "TGRILLES"
                """)
            let (_, moved) = try await client.importer(.sousFamillesArticles, ["SFA_CODE;FAR_CODE", "S1;F2"])
            #expect(moved.statistics == statistics(imported: 1, rejected: 0), "\(moved.journalMessages)")
        }
        #expect(try Self.grilleLines(server, order: "FAR_CODE") == [["F1", "S1", "7"], ["F2", "S1", "3"]])
    }

    @Test("a grille line's discount may be a surcharge, or follow the line of the threshold before")
    func grilleSurchargesAndCascades() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB", "A10;Dix", "A20;Vingt"])
            let (_, answer) = try await client.importer(
                .grillesTarifs,
                [
                    "TAR_CODE;TAR_LIB;ART_CODE;TAR_BORNE;TAR_REMISE", "GT;Grille;A20;;-2", "GT;;A10;;10",
                    "GT;;A10;50;+5",
                    "GT;;A20;0;+3",
                ])
            #expect(answer.statistics == statistics(imported: 3, rejected: 1))
            #expect(
                answer.journalMessages.contains("La remise +3 ne peut suivre aucune ligne : le seuil TAR_BORNE est 0"))
        }
        #expect(
            try server.records("TGRILLES", order: "ART_CODE, TAR_BORNE").map { $0["TAR_REMISE"] as String? } == [
                "10", "+5", "-2",
            ])
    }

    @Test(
        "a grille line is found by its article, else its sous-famille, whose family it takes, else its family",
        arguments: TestBackend.available)
    func grilleLinesOfASousFamilleOrAnArticle(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.famillesArticles, ["FAR_CODE;FAR_LIB", "FAR1;Un", "FAR2;Deux"])
            _ = try await client.importer(.sousFamillesArticles, ["SFA_CODE;FAR_CODE", "SFAR1;FAR1"])
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB;FAR_CODE", "A10;Dix;FAR1"])
            let (_, answer) = try await client.importer(
                .grillesTarifs,
                [
                    "TAR_CODE;TAR_LIB;ART_CODE;FAR_CODE;SFA_CODE;TAR_PRIX", "GT5;Grille 5;;;SFAR1;10",
                    "GT5;;;FAR1;SFAR1;12", "GT5;;;FAR2;SFAR1;13", "GT5;;A10;FAR1;;7", "GT5;;A10;;;8",
                    "GT5;;A10;FAR2;;9",
                ])
            #expect(answer.statistics == statistics(imported: 4, rejected: 2))
            #expect(answer.journalMessages.contains("La sous-famille SFAR1 n'appartient pas à la famille FAR2"))
            #expect(answer.journalMessages.contains("L'article A10 n'appartient pas à la famille FAR2"))
        }
        #expect(
            try server.records("TGRILLES", order: "ART_CODE, SFA_CODE").map {
                [$0["ART_CODE"], $0["FAR_CODE"], $0["SFA_CODE"], $0["TAR_PRIX"]] as [String?]
            } == [["", "FAR1", "SFAR1", "12.0000"], ["A10", "", "", "8.0000"]])
    }

    @Test("a nomenclature's component is priced as its article; a forfait's as the line says, else as its article")
    func componentPrices() async throws {
        let server = try TestServer()
        try await server.run { client in
            _ = try await client.importer(
                .articles,
                ["ART_CODE;ART_LIB;ART_TYPE;ART_P_VTE", "A10;Dix;P;20", "N30;Nomenclature;N;30", "F40;Forfait;F;"])
            let (_, answer) = try await client.importer(
                .composantsNomenclatures,
                ["ART_CODE;PRD_CODE;PRD_PRIX", "N30;A10;99", "F40;A10;15", "F40;N30;"])
            #expect(answer.statistics == statistics(imported: 3, rejected: 0))
            #expect(
                answer.journalMessages.contains(
                    "Le prix d'un composant de nomenclature est celui de l'article A10 : 99 est ignoré"))
        }
        #expect(
            try server.records("ART_PROD", order: "ART_CODE, PRD_CODE").map {
                [$0["ART_CODE"], $0["PRD_CODE"], $0["PRD_PRIX"]] as [String?]
            } == [["F40", "A10", "15.0000"], ["F40", "N30", "30.0000"], ["N30", "A10", "20.0000"]])
    }

    @Test("SousFamilles is the same request as SousFamillesArticles", arguments: TestBackend.available)
    func sousFamillesAlias(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let domaine = Domaine.sousFamillesArticles
            let (status, answer) = try await client.post(
                importBody(root: domaine.rootKey, linesKey: domaine.linesKey, lines: ["SFA_CODE;SFA_LIB", "S1;Une"]),
                to: "/api/rest/SousFamilles/%22Importer%22")
            #expect(status == .ok)
            #expect(answer.journalMessages.contains("Lancement de la tâche ImporterSousFamillesArticles"))
        }
        #expect(try server.records("ART_SFAM").count == 1)
    }
}
