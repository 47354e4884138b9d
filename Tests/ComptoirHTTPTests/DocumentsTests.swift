import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// Sales, purchase and stock documents through the web service (`documents.md`).
@Suite("Documents")
struct DocumentsTests {
    /// The worked example's société (`documents.md` §8): client MA0001 of nature 001, not in
    /// TTC; article A20 at 20 %, L55 of family LIVRES at 5,5 %; a supplier; stock-managed
    /// articles and a nomenclature.
    static func catalogue(_ client: some TestClientProtocol) async throws {
        for (domaine, lines) in [
            (
                Domaine.clients,
                ["PCF_CODE;PCF_RS;CPT_NUMERO;NAT_CODE;PCF_CP;PCF_VILLE", "MA0001;Martin;411MA0001;001;75011;Paris"]
            ),
            (.prospects, ["PCF_CODE;PCF_RS;CPT_NUMERO", "PR0001;Prospect;411PR0001"]),
            (.fournisseurs, ["PCF_CODE;PCF_RS;CPT_NUMERO", "FO0001;Fournisseur;401FO0001"]),
            (.famillesArticles, ["FAR_CODE;FAR_LIB", "LIVRES;Livres"]),
            (
                .articles,
                [
                    "ART_CODE;ART_LIB;FAR_CODE;ART_P_VTE;ART_P_ACH;ART_P_PRV;ART_TYPE;ART_STOCK;ART_INTV",
                    "A20;Article à 20 %;;19,99;10;12;P;M;0", "L55;Livre;LIVRES;12,5;6;7;P;M;0",
                    "SERV;Service;;50;;;V;N;0", "INTERDIT;Interdit;;5;;;P;M;1", "KIT;Kit;;30;;;N;M;0",
                ]
            ),
            (.composantsNomenclatures, ["ART_CODE;PRD_CODE;PRD_QTE", "KIT;A20;2", "KIT;L55;1"]),
            (.affaires, ["PRJ_CODE;PRJ_LIB", "A1;Affaire un", "A2;Affaire deux"]),
            (.naturesComptables, ["NAT_TABLE;NAT_ORIGIN;NAT_TYPE;NAT_CODE;NAT_TVATX", "FAR;LIVRES;V;001;5,5"]),
        ] {
            let (_, answer) = try await client.importer(domaine, lines)
            try #require(
                answer.statistics == statistics(imported: lines.count - 1, rejected: 0),
                "\(domaine): \(answer.journalMessages)")
        }
    }

    /// DEMO and ALPHA on `backend`, DEMO's document counters at the year 2026: a société's
    /// counters start at the year of its creation, and the numbers these tests expect must hold
    /// in any year.
    static func makeServer(_ backend: TestBackend) async throws -> TestServer {
        let server = try await TestServer(backend)
        try server.execute(
            """
            UPDATE PREFERENCES SET PRF_VALEUR = substr(PRF_VALEUR, 1, 3) || '26' || substr(PRF_VALEUR, 6)
            WHERE PRF_CODE LIKE 'COMPTEUR!_%!_%' ESCAPE '!' AND PRF_VALEUR LIKE '_____-%'
            """)
        return server
    }

    /// A new société on `backend` holding `catalogue` (and a second dépôt, `002`, when asked), served to
    /// `test` with the server; the server is returned to read the société afterwards.
    @discardableResult
    private static func withCatalogue(
        _ backend: TestBackend, secondDepot: Bool = false,
        _ test: @escaping @Sendable (any TestClientProtocol, TestServer) async throws -> Void
    ) async throws -> TestServer {
        let server = try await makeServer(backend)
        if secondDepot { try server.execute("INSERT INTO DEPOT (DEP_CODE, DEP_LIB) VALUES ('002', 'Annexe')") }
        try await server.run { client in
            try await catalogue(client)
            try await test(client, server)
        }
        return server
    }

    /// Imports `lines` of `domaine` and expects its journal, between the launch of its task and
    /// its end, to be `body`.
    static func expectJournal(
        _ client: some TestClientProtocol, _ server: TestServer, _ domaine: Domaine, _ lines: [String],
        _ body: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let (_, answer) = try await client.importer(domaine, lines)
        #expect(answer.journalMessages == server.journal(domaine.taskName, body), sourceLocation: sourceLocation)
    }

    private static let workedExample = [
        "DOC_STYPE;PCF_CODE;DOC_DATE;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_REMISE",
        "F;MA0001;15/01/2026;A20;3;19,99;10",
        "F;MA0001;15/01/2026;L55;2;12,50;",
    ]

    @Test("the worked example comes out to the cent", arguments: TestBackend.available)
    func workedExample(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let (status, answer) = try await client.importer(.documentsVente, Self.workedExample)
            #expect(status == .ok)
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterDocumentsVente",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 2",
                            "Nombre de lignes non importées : 0", "La pièce FAC26-00001 a été créée",
                        ]))
        }
        let document = try server.record("DOCUMENTS", "DOC_PIECE = 'FAC26-00001'")
        #expect(document["DOC_MT_HT"] as String? == "78.9700")
        #expect(document["DOC_MT_TVA"] as String? == "12.1700")
        #expect(document["DOC_MT_TTC"] as String? == "91.1400")
        #expect(document["DOC_NUMERO"] as String? == "0000000001")
        #expect(document["DOC_TYPE"] as String? == "V")
        let lines = try server.records("LIGNES", order: "LIG_NUMERO")
        #expect(lines.map { $0["LIG_P_NET"] as String? } == ["17.9910", "12.5000"])
        #expect(lines.map { $0["LIG_TOTAL"] as String? } == ["53.9700", "25.0000"])
        #expect(lines.map { $0["LIG_TXTVA"] as String? } == ["20.000", "5.500"])
    }

    @Test(
        "before a nature's change of rate, documents of one request take the former rate, after it the new one",
        arguments: TestBackend.available)
    func formerRateBeforeTheChange(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, _ in
            let nature = [
                "NAT_TABLE;NAT_ORIGIN;NAT_TYPE;NAT_CODE;NAT_TVATX;NAT_DTTVA;NAT_TXTVA",
                "ART;L55;V;001;5,5;01/02/2026;7",
            ]
            let (_, natures) = try await client.importer(.naturesComptables, nature)
            try #require(natures.statistics == statistics(imported: 1, rejected: 0))
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;ART_CODE;LIG_QTE;LIG_P_BRUT", "F;MA0001;31/01/2026;L55;1;10",
                    "F;MA0001;01/02/2026;L55;1;10", "F;MA0001;15/01/2026;L55;1;10",
                ])
            #expect(answer.statistics == statistics(imported: 3, rejected: 0))
        }
        let lines = try server.records("LIGNES", order: "DOC_NUMERO")
        #expect(lines.map { $0["LIG_TXTVA"] as String? } == ["7.000", "5.500", "7.000"])
        let documents = try server.records("DOCUMENTS", order: "DOC_NUMERO")
        #expect(documents.map { $0["DOC_MT_TVA"] as String? } == ["0.7000", "0.5500", "0.7000"])
    }

    @Test(
        "a remise exceptionnelle is shared among the VAT bases, the largest absorbing the rounding",
        arguments: TestBackend.available)
    func workedExampleWithRemise(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let (_, answer) = try await client.importer(
                .documentsVente, Self.workedExample.map { $0 + ($0.hasPrefix("DOC") ? ";DOC_TXRFAC" : ";5") })
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
        }
        let document = try server.record("DOCUMENTS", "1")
        #expect(document["DOC_MT_RFAC"] as String? == "3.9500")
        #expect(document["DOC_TVA_B1"] as String? == "51.2700")
        #expect(document["DOC_TVA_T1"] as String? == "20.000")
        #expect(document["DOC_TVA_B2"] as String? == "23.7500")
        #expect(document["DOC_TVA_T2"] as String? == "5.500")
        #expect(document["DOC_MT_HT"] as String? == "75.0200")
        #expect(document["DOC_MT_TVA"] as String? == "11.5600")
        #expect(document["DOC_MT_TTC"] as String? == "86.5800")
    }

    @Test(
        "a tiers billed in TTC gets prices including VAT, and the totals taken out of them",
        arguments: TestBackend.available)
    func documentInTTC(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            _ = try await client.importer(
                .clients, ["PCF_CODE;PCF_RS;CPT_NUMERO;PCF_EN_TTC;REG_CODE", "TTC01;Particulier;411TTC01;1;CB"])
            let (_, answer) = try await client.importer(
                .documentsVente, ["DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "C;TTC01;A20;1"])
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
        }
        let document = try server.record("DOCUMENTS", "1")
        #expect(document["DOC_EN_TTC"] as Int? == 1)
        #expect(document["REG_CODE"] as String? == "CB")
        #expect(document["DEP_CODE"] as String? == "001")
        #expect(document["DEV_CODE"] as String? == "EUR")
        #expect(document["NAT_CODE"] as String? == "001")
        // 19,99 × 1,2 = 23,988 → 23,99 TTC, of which 19,99 HT and 4,00 of VAT.
        #expect(try server.record("LIGNES", "1")["LIG_P_BRUT"] as String? == "23.9900")
        #expect(document["DOC_MT_TTC"] as String? == "23.9900")
        #expect(document["DOC_MT_HT"] as String? == "19.9900")
        #expect(document["DOC_MT_TVA"] as String? == "4.0000")
        #expect(try server.record("LIGNES", "1")["LIG_LIB"] as String? == "Article à 20 %")
    }

    /// Two lines that differ only by `field`, with the values `first` and `second`.
    private static func twoLines(differingBy field: String, _ first: String, _ second: String) -> [String] {
        var values: KeyValuePairs<String, String> {
            [
                "DOC_STYPE": "C", "PCF_CODE": "MA0001", "DOC_DATE": "15/01/2026", "DOC_PIECE": "",
                "DEP_CODE": "001", "REP_CODE": "R1", "PRJ_CODE": "", "DOC_REFPCF": "REF",
            ]
        }
        let header = values.map(\.key) + ["ART_CODE", "LIG_QTE"]
        func line(_ value: String) -> String {
            (values.map { $0.key == field ? value : $0.value } + ["A20", "1"]).joined(separator: ";")
        }
        return [header.joined(separator: ";"), line(first), line(second)]
    }

    @Test(
        "a change of any break field starts a new document; codes compare without regard to case, references as written",
        arguments: TestBackend.available,
        [
            ("DOC_STYPE", "C", "D", 2), ("PCF_CODE", "MA0001", "MA0002", 2),
            ("DOC_DATE", "15/01/2026", "16/01/2026", 2),
            ("DOC_PIECE", "P1", "P2", 2), ("DEP_CODE", "001", "002", 2), ("REP_CODE", "R1", "R2", 2),
            ("DOC_REFPCF", "REF", "AUTRE", 2), ("PRJ_CODE", "A1", "A2", 2), ("PRJ_CODE", "", "A2", 2),
            ("DOC_DATE", "15/01/2026", "2026-01-15", 1),
            // A reference is the tiers' own text, not a code: written otherwise, it is another.
            ("DOC_REFPCF", "REF", "ref", 2),
        ])
    func grouping(backend: TestBackend, change: (field: String, first: String, second: String, documents: Int))
        async throws
    {
        let server = try await Self.withCatalogue(backend, secondDepot: true) { client, server in
            _ = try await client.importer(
                .clients, ["PCF_CODE;PCF_RS;CPT_NUMERO", "MA0002;Autre;411MA0002"])
            _ = try await client.importer(.commerciaux, ["REP_CODE;REP_NOM", "R1;Un", "R2;Deux"])
            let (_, answer) = try await client.importer(
                .documentsVente, Self.twoLines(differingBy: change.field, change.first, change.second))
            #expect(answer.statistics == statistics(imported: 2, rejected: 0), "\(answer.journalMessages)")
        }
        #expect(try server.records("DOCUMENTS").count == change.documents)
        #expect(try server.records("LIGNES").count == 2)
    }

    @Test(
        "a later line whose code is its document's written otherwise is refused with its document",
        arguments: TestBackend.available)
    func codesWrittenOtherwise(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            // Codes are matched exactly: `ma0001` is another tiers than `MA0001`.
            _ = try await client.importer(.clients, ["PCF_CODE;PCF_RS;CPT_NUMERO", "ma0001;Autre;411MA0001B"])
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;ART_CODE;LIG_QTE", "F;MA0001;15/01/2026;A20;1",
                    "F;ma0001;15/01/2026;A20;2", "F;ma0001;16/01/2026;A20;3",
                ])
            #expect(answer.statistics == statistics(imported: 1, rejected: 2), "\(answer.journalMessages)")
            #expect(
                answer.journalMessages.contains(
                    "Le champ PCF_CODE vaut ma0001 sur cette ligne, MA0001 pour son document"),
                "\(answer.journalMessages)")
        }
        let documents = try server.records("DOCUMENTS")
        #expect(documents.map { $0["PCF_CODE"] as String } == ["ma0001"])
        #expect(try server.records("LIGNES").map { $0["LIG_QTE"] as String } == ["3.000"])
    }

    @Test("stock documents break on sub-type, dépôt, tiers, pièce and destination", arguments: TestBackend.available)
    func stockGrouping(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend, secondDepot: true) { client, server in
            let (_, answer) = try await client.importer(
                .documentsStock,
                [
                    "DOC_STYPE;DEP_CODE;PCF_CODE;DOC_TDEPOT;ART_CODE;MVT_QTE",
                    "E;001;;;A20;10", "E;001;;;L55;10",  // one document
                    "E;002;;;A20;5",  // another dépôt
                    "E;002;FO0001;;A20;5",  // another tiers
                    "T;001;;002;A20;1", "T;001;;002;L55;1",  // one transfer
                ])
            #expect(answer.statistics == statistics(imported: 6, rejected: 0), "\(answer.journalMessages)")
        }
        #expect(
            try server.records("DOCUMENTS", order: "DOC_NUMERO").map { $0["DOC_PIECE"] as String? } == [
                "ENT26-00001", "ENT26-00002", "ENT26-00003", "TFT26-00001",
            ])
    }

    @Test(
        "one bad line refuses its whole document, and only it; the counts are file lines",
        arguments: TestBackend.available)
    func badLineRefusesItsDocument(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            try await Self.expectJournal(
                client, server, .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;ART_CODE;LIG_QTE",
                    "F;MA0001;15/01/2026;A20;1",
                    "F;MA0001;16/01/2026;A20;1",
                    "F;MA0001;16/01/2026;NOPE;1",
                    "",
                    "F;MA0001;16/01/2026;L55;abc",
                    "F;MA0001;17/01/2026;L55;1",
                ],
                [
                    "Nombre de lignes importées : 2", "Nombre de lignes non importées : 3",
                    "La pièce FAC26-00001 a été créée",
                    "La ligne 2 n'a pas pu être importée :",
                    "La ligne 3 n'a pas pu être importée :", "Le code article NOPE n'existe pas",
                    "La ligne 5 n'a pas pu être importée :",
                    "Le champ LIG_QTE n'est pas un nombre valide : abc",
                    "Le document de vente n'a pas été créé.",
                    "La pièce FAC26-00002 a été créée",
                ])
        }
        #expect(try server.records("DOCUMENTS").count == 2)
        #expect(try server.records("LIGNES").count == 2)
        // The refused document left no stock behind.
        #expect(try server.records("ART_MVT").count == 2)
    }

    @Test("each reference is checked, naming the field's value", arguments: TestBackend.available)
    func references(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let header =
                "DOC_STYPE;PCF_CODE;DEP_CODE;REP_CODE;REG_CODE;PAY_CODE;ART_CODE;LIG_QTE;DOC_REMFAC;DOC_TXRFAC;PRJ_CODE"
            let cases: [(String, [String])] = [
                ("F;MA0001;;;;;A20;1;;;NOPE", ["Le code affaire NOPE n'existe pas"]),
                ("F;;;;;;A20;1;;", ["Code tiers manquant"]),
                ("F;XX;;;;;A20;1;;", ["Le code tiers XX n'existe pas"]),
                ("F;FO0001;;;;;A20;1;;", ["Le tiers FO0001 n'est pas un client"]),
                ("F;PR0001;;;;;A20;1;;", ["Le tiers PR0001 n'est pas un client"]),
                ("F;MA0001;999;;;;A20;1;;", ["Le code dépôt 999 n'existe pas"]),
                ("F;MA0001;;ZZ;;;A20;1;;", ["Le code commercial ZZ n'existe pas"]),
                ("F;MA0001;;;NOPE;;A20;1;;", ["Le code mode de règlement NOPE n'existe pas"]),
                ("F;MA0001;;;;XX;A20;1;;", ["Le code pays XX n'existe pas"]),
                ("F;MA0001;;;;;INTERDIT;1;;", ["L'article INTERDIT est interdit à la vente"]),
                ("F;MA0001;;;;;;1;;", ["Code article manquant"]),
                ("F;MA0001;;;;;A20;;;", ["Quantité manquante"]),
                // The first line is checked all the same, and a code too long is not also missing.
                ("F;XX;;;;;NOPE;1;;", ["Le code tiers XX n'existe pas", "Le code article NOPE n'existe pas"]),
                ("F;MA0001;;;;;\(String(repeating: "A", count: 31));1;;", ["Le champ ART_CODE dépasse 30 caractères"]),
                (
                    "F;MA0001;;;;;A20;1;5;5",
                    ["Les champs DOC_REMFAC et DOC_TXRFAC ne peuvent pas être renseignés tous les deux"]
                ),
            ]
            for (line, reasons) in cases {
                let (_, answer) = try await client.importer(.documentsVente, [header, line])
                #expect(
                    answer.journalMessages
                        == server.journal(
                            "ImporterDocumentsVente",
                            [
                                "Nombre de lignes importées : 0", "Nombre de lignes non importées : 1",
                                "La ligne 1 n'a pas pu être importée :",
                            ] + reasons + ["Le document de vente n'a pas été créé."]),
                    "\(line)")
            }
            // A prospect may receive a devis; a purchase needs a supplier.
            let (_, devis) = try await client.importer(.documentsVente, [header, "D;PR0001;;;;;A20;1;;"])
            #expect(devis.statistics == statistics(imported: 1, rejected: 0))
            let (_, achat) = try await client.importer(.documentsAchat, [header, "C;MA0001;;;;;A20;1;;"])
            #expect(achat.journalMessages.contains("Le tiers MA0001 n'est pas un fournisseur"))
        }
        #expect(try server.records("DOCUMENTS").count == 1)
    }

    @Test(
        "a sale whose tiers, country and preferences give no nature is refused, rather than created without amounts",
        arguments: TestBackend.available)
    func noNature(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            try server.execute("DELETE FROM PREFERENCES WHERE PRF_CODE = 'NATURE_VENTE'")
            try server.execute("UPDATE TIERS SET NAT_CODE = NULL, PAY_CODE = NULL WHERE PCF_CODE = 'MA0001'")
            try await Self.expectJournal(
                client, server, .documentsVente, ["DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "B;MA0001;A20;3"],
                [
                    "Nombre de lignes importées : 0", "Nombre de lignes non importées : 1",
                    "La ligne 1 n'a pas pu être importée :",
                    "Aucune nature comptable pour ce document : ni le tiers, ni son pays, ni la préférence NATURE_VENTE n'en donnent",
                    "Le document de vente n'a pas été créé.",
                ])
        }
        #expect(try server.records("DOCUMENTS").isEmpty)
    }

    @Test(
        "in a stock document an unknown tiers is a warning, and the document keeps no tiers",
        arguments: TestBackend.available)
    func stockUnknownTiers(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            try await Self.expectJournal(
                client, server, .documentsStock,
                ["DOC_STYPE;PCF_CODE;ART_CODE;MVT_QTE", "E;TOT001;A20;4"],
                [
                    "L'import a été effectué avec succès.", "Nombre de lignes importées : 1",
                    "Nombre de lignes non importées : 0", "Le code tiers TOT001 n'existe pas",
                    "La pièce ENT26-00001 a été créée",
                ])
            // Said of a refused document too, before its reasons, as in Gestimum's stock report.
            try await Self.expectJournal(
                client, server, .documentsStock,
                ["DOC_STYPE;PCF_CODE;ART_CODE;MVT_QTE", "S;TOT001;A20;10"],
                [
                    "Nombre de lignes importées : 0", "Nombre de lignes non importées : 1",
                    "La ligne 1 n'a pas pu être importée :", "Le code tiers TOT001 n'existe pas",
                    "Stock de l'article A20 insuffisant. Stock actuel : 4. Quantité à sortir : 10.",
                    "Le document de stock n'a pas été créé.",
                ])
        }
        #expect(try server.record("DOCUMENTS", "1")["PCF_CODE"] as String? == nil)
    }

    @Test(
        "a number that a document of the same request took, automatic or forced, refuses the document",
        arguments: TestBackend.available)
    func numberTakenInTheSameRequest(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { client, _ in
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_PIECE;DOC_REFPCF;ART_CODE;LIG_QTE", "F;MA0001;;A;A20;1",
                    "F;MA0001;FAC26-00001;;A20;1", "F;MA0001;CMD-43;;A20;1", "F;MA0001;cmd-43;B;A20;1",
                    "F;MA0001;;C;A20;1",
                ])
            #expect(
                answer.pieceMessages == [
                    "La pièce FAC26-00001 a été créée", "La pièce FAC26-00001 existe déjà",
                    "La pièce CMD-43 a été créée", "La pièce CMD-43 existe déjà", "La pièce FAC26-00002 a été créée",
                ])
            #expect(answer.statistics == statistics(imported: 3, rejected: 2))
        }
    }

    @Test(
        "DOC_PIECE forces the number in upper case; a number taken refuses the document; the counter skips it",
        arguments: TestBackend.available)
    func numbering(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let header = "DOC_STYPE;PCF_CODE;DOC_PIECE;DOC_REFPCF;ART_CODE;LIG_QTE"
            let (_, forced) = try await client.importer(
                .documentsVente,
                [header, "F;MA0001;fac26-00002;;A20;1", "F;MA0001;cmd-42;;A20;1", "F;MA0001;;;A20;1"])
            #expect(
                forced.pieceMessages == [
                    "La pièce FAC26-00002 a été créée", "La pièce CMD-42 a été créée",
                    "La pièce FAC26-00001 a été créée",
                ])
            let (_, again) = try await client.importer(
                .documentsVente, [header, "F;MA0001;CMD-42;;A20;1", "F;MA0001;;A;A20;1", "F;MA0001;;B;A20;1"])
            #expect(
                again.pieceMessages == [
                    "La pièce CMD-42 existe déjà", "La pièce FAC26-00003 a été créée",
                    "La pièce FAC26-00004 a été créée",
                ])
            // Another family has numbers of its own.
            let (_, achat) = try await client.importer(.documentsAchat, [header, "F;FO0001;CMD-42;;A20;1"])
            #expect(achat.journalMessages.contains("La pièce CMD-42 a été créée"))
        }
        #expect(
            try server.record("PREFERENCES", "PRF_CODE = 'COMPTEUR_V_F'")["PRF_VALEUR"] as String? == "FAC26-00005")
        #expect(
            try server.records("DOCUMENTS", order: "DOC_NUMERO").map { $0["DOC_NUMERO"] as String? } == [
                "0000000001", "0000000002", "0000000003", "0000000004", "0000000005", "0000000006",
            ])
    }

    @Test(
        "the counter skips every number a document has, forced by an earlier request or by this one",
        arguments: TestBackend.available)
    func numberingSkipsForcedRuns(backend: TestBackend) async throws {
        _ = try await Self.withCatalogue(backend) { client, _ in
            let header = "DOC_STYPE;PCF_CODE;DOC_PIECE;DOC_REFPCF;ART_CODE;LIG_QTE"
            _ = try await client.importer(
                .documentsVente,
                [header, "F;MA0001;FAC26-00002;;A20;1", "F;MA0001;FAC26-00004;;A20;1", "F;MA0001;FAC26-00005;;A20;1"])
            let (_, answer) = try await client.importer(
                .documentsVente,
                [header, "F;MA0001;;A;A20;1", "F;MA0001;FAC26-00007;;A20;1"]
                    + ["B", "C", "D", "E"].map { "F;MA0001;;\($0);A20;1" })
            #expect(
                answer.pieceMessages == [
                    "La pièce FAC26-00001 a été créée", "La pièce FAC26-00007 a été créée",
                    "La pièce FAC26-00003 a été créée", "La pièce FAC26-00006 a été créée",
                    "La pièce FAC26-00008 a été créée", "La pièce FAC26-00009 a été créée",
                ])
        }
    }

    @Test("two concurrent requests never get the same number", arguments: TestBackend.available)
    func concurrentNumbering(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let lines = ["DOC_STYPE;PCF_CODE;DOC_REFPCF;ART_CODE;LIG_QTE"] + (1...40).map { "C;MA0001;R\($0);A20;1" }
            async let first = client.importer(.documentsVente, lines)
            async let second = client.importer(.documentsVente, lines)
            let answers = try await [first.1, second.1]
            for answer in answers { #expect(answer.statistics == statistics(imported: 40, rejected: 0)) }
            let pieces = answers.flatMap { $0.pieceMessages }
            #expect(Set(pieces).count == 80)
        }
        #expect(Set(try server.records("DOCUMENTS").map { $0["DOC_PIECE"] as String? }).count == 80)
        #expect(
            try server.record("PREFERENCES", "PRF_CODE = 'COMPTEUR_V_C'")["PRF_VALEUR"] as String? == "ARC26-00081")
    }

    @Test(
        "documents read in several chunks, one across two of them, are each numbered and written whole, in order",
        arguments: TestBackend.available)
    func documentsAcrossChunks(backend: TestBackend) async throws {
        // Two lines each: more than a chunk of lines; document 512 has its first line in the
        // first chunk and its second in the next.
        let count = 750
        let server = try await Self.withCatalogue(backend) { client, _ in
            let lines =
                ["DOC_STYPE;PCF_CODE;DOC_REFPCF;ART_CODE;LIG_QTE;LIG_P_BRUT"]
                + (1...count).flatMap { ["F;MA0001;R\($0);A20;1;\($0)", "F;MA0001;R\($0);L55;2;1"] }
            let (_, answer) = try await client.importer(.documentsVente, lines)
            #expect(answer.statistics == statistics(imported: 2 * count, rejected: 0))
            #expect(
                answer.pieceMessages == (1...count).map { "La pièce FAC26-\(String(format: "%05d", $0)) a été créée" })
        }
        let documents = try server.records("DOCUMENTS", order: "DOC_NUMERO")
        #expect(documents.map { $0["DOC_REFPCF"] as String? } == (1...count).map { "R\($0)" })
        // Its own price once, and 2 × 1.
        #expect(documents.map { $0["DOC_BRUT"] as String? } == (1...count).map { "\($0 + 2).0000" })
        #expect(try server.records("LIGNES").count == 2 * count)
        #expect(try Self.stock(server, "A20")[1] == "\(count).000")
        #expect(try Self.stock(server, "L55")[1] == "\(2 * count).000")
        try Self.expectStockIsTheSumOfItsMovements(server)
    }

    /// The stock of `article` in `depot`: entrées, sorties, pertes, écarts, commandes clients and fournisseurs.
    private static func stock(_ server: TestServer, _ article: String, _ depot: String = "001") throws -> [String?] {
        let rows = try server.records("ART_STOCK", "ART_CODE = ? AND DEP_CODE = ?", [article, depot])
        guard let row = rows.first else { return [] }
        return StockColumn.allCases.map { row[$0.rawValue] as String? }
    }

    @Test("every stock sub-type moves its column, and each move is a movement", arguments: TestBackend.available)
    func stockSubTypes(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend, secondDepot: true) { client, server in
            let (_, answer) = try await client.importer(
                .documentsStock,
                [
                    "DOC_STYPE;DOC_TDEPOT;ART_CODE;MVT_QTE;MVT_TALTER;MVT_TPERTE",
                    "E;;A20;10;;", "E;;L55;4;;",
                    "S;;A20;3;;",
                    "X;;A20;1;;C",
                    "M;;A20;-2;CA;",
                    "T;002;A20;2;;",
                    "O;;KIT;1;;",
                ])
            #expect(
                answer.pieceMessages == [
                    "La pièce ENT26-00001 a été créée", "La pièce STI26-00001 a été créée",
                    "La pièce PTE26-00001 a été créée", "La pièce ECT26-00001 a été créée",
                    "La pièce TFT26-00001 a été créée", "La pièce ASS26-00001 a été créée",
                ], "\(answer.journalMessages)")
        }
        // Entrées, sorties, pertes, écarts, commandes clients, commandes fournisseurs.
        #expect(try Self.stock(server, "A20") == ["10.000", "7.000", "1.000", "-2.000", "0.000", "0.000"])
        #expect(try Self.stock(server, "A20", "002") == ["2.000", "0.000", "0.000", "0.000", "0.000", "0.000"])
        #expect(try Self.stock(server, "L55") == ["4.000", "1.000", "0.000", "0.000", "0.000", "0.000"])
        #expect(try Self.stock(server, "KIT") == ["1.000", "0.000", "0.000", "0.000", "0.000", "0.000"])
        // One movement per line, two for the transfer, one per component and one for the assemblage.
        #expect(try server.records("ART_MVT").count == 10)
        try Self.expectStockIsTheSumOfItsMovements(server)
    }

    @Test(
        "an assemblage moves each component to the thousandth at its own cost, the stock the sum of its movements",
        arguments: TestBackend.available)
    func assemblageComponents(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            _ = try await client.importer(.composantsNomenclatures, ["ART_CODE;PRD_CODE;PRD_QTE", "KIT;L55;1,5"])
            let (_, answer) = try await client.importer(
                .documentsStock,
                ["DOC_STYPE;ART_CODE;MVT_QTE", "E;A20;10", "E;L55;10", "O;KIT;0,333", "O;KIT;0,333"])
            #expect(answer.statistics == statistics(imported: 4, rejected: 0), "\(answer.journalMessages)")
        }
        // 1,5 × 0,333 = 0,4995 of L55 a kit: 0,500 each time, as each movement stores it.
        #expect(try Self.stock(server, "L55") == ["10.000", "1.000", "0.000", "0.000", "0.000", "0.000"])
        #expect(try Self.stock(server, "A20") == ["10.000", "1.332", "0.000", "0.000", "0.000", "0.000"])
        let components = try server.records("ART_MVT", "DOC_NUMERO = (SELECT MAX(DOC_NUMERO) FROM DOCUMENTS)")
        // The document of both lines: each line's three movements.
        #expect(components.count == 6)
        #expect(
            Set(components.map { [$0["ART_CODE"], $0["MVT_QTE"], $0["MVT_PACH"]] as [String?] })
                == [["A20", "0.666", "12.0000"], ["KIT", "0.333", nil], ["L55", "0.500", "7.0000"]])
        try Self.expectStockIsTheSumOfItsMovements(server)
    }

    @Test("a nomenclature without components neither assembles nor disassembles", arguments: TestBackend.available)
    func nomenclatureWithoutComponents(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            _ = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_TYPE;ART_STOCK", "VIDE;Kit sans composant;N;M"])
            let (_, answer) = try await client.importer(
                .documentsStock, ["DOC_STYPE;ART_CODE;MVT_QTE", "O;VIDE;2", "E;VIDE;5", "O;VIDE;-1"])
            #expect(answer.statistics == statistics(imported: 1, rejected: 2), "\(answer.journalMessages)")
            #expect(
                answer.journalMessages.filter { $0.contains("La nomenclature VIDE n'a aucun composant") }.count == 2,
                "\(answer.journalMessages)")
        }
        #expect(try Self.stock(server, "VIDE") == ["5.000", "0.000", "0.000", "0.000", "0.000", "0.000"])
        try Self.expectStockIsTheSumOfItsMovements(server)
    }

    @Test(
        "a stock document's CSV names each column once, and the import reads it back", arguments: TestBackend.available)
    func stockDocumentsCSVReadBack(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { client, server in
            _ = try await client.importer(.documentsStock, ["DOC_STYPE;ART_CODE;MVT_QTE", "E;A20;10", "E;L55;4"])
            let csv = try await client.lire("societes/DEMO/DocumentsStock", accept: "text/csv")
            let lines = String(decoding: csv.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
                .filter { !$0.isEmpty }
            let header = lines[0].components(separatedBy: ";")
            #expect(Set(header).count == header.count, "\(header)")
            // Into the same société: only its pièce, which exists, is refused.
            let (status, again) = try await client.importer(
                .documentsStock, lines, parametres: parametres(("tester", "Oui")))
            #expect(status == .ok, "\(again)")
            #expect(again.statistics == statistics(imported: 0, rejected: 2), "\(again.journalMessages)")
            #expect(again.journalMessages.contains { $0.hasPrefix("La pièce ENT") && $0.hasSuffix("existe déjà") })
            #expect(!again.journalMessages.contains { $0.contains("deux fois") }, "\(again.journalMessages)")
        }
    }

    @Test(
        "a stock document's export imports again: one row per line, each with its own quantity",
        arguments: TestBackend.available)
    func stockDocumentsExportImportsAgain(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend, secondDepot: true) { client, server in
            let lines = [
                "DOC_STYPE;DOC_TDEPOT;ART_CODE;MVT_QTE;MVT_TALTER", "E;;A20;20;", "E;;L55;10;", "T;002;A20;3;",
                "O;;KIT;2;", "O;;KIT;-1;", "M;;L55;-1;CA",
            ]
            let (_, first) = try await client.importer(.documentsStock, lines)
            try #require(first.statistics == statistics(imported: 6, rejected: 0), "\(first.journalMessages)")
            let places = [("A20", "001"), ("A20", "002"), ("L55", "001"), ("KIT", "001")]
            let stock = try places.map { try Self.stock(server, $0.0, $0.1) }
            let rows = try await client.csvRows("societes/DEMO/DocumentsStock")
            // The transfer's arrival and the assemblage's components are movements, not lines.
            #expect(rows.count == lines.count, "\(rows)")
            let header = try #require(rows.first?.components(separatedBy: ";"))
            let quantity = try #require(header.firstIndex(of: "MVT_QTE"))
            #expect(
                rows.dropFirst().map { $0.components(separatedBy: ";")[quantity] }
                    == ["20,000", "10,000", "3,000", "2,000", "-1,000", "-1,000"], "\(rows)")

            for table in ["DOCUMENTS", "ART_MVT", "ART_STOCK"] { try server.execute("DELETE FROM \"\(table)\"") }
            let (_, again) = try await client.importer(.documentsStock, rows)
            #expect(again.statistics == statistics(imported: 6, rejected: 0), "\(again.journalMessages)")
            #expect(try places.map { try Self.stock(server, $0.0, $0.1) } == stock)
            // The same documents, but for the numbers and times the server gives.
            let given = ["DOC_NUMERO", "DOC_DTCREE", "DOC_DTMAJ"].compactMap { header.firstIndex(of: $0) }
            let written = { (rows: [String]) in
                rows.map {
                    $0.components(separatedBy: ";").enumerated().filter { !given.contains($0.offset) }.map(\.element)
                }
            }
            #expect(written(try await client.csvRows("societes/DEMO/DocumentsStock")) == written(rows))
            try Self.expectStockIsTheSumOfItsMovements(server)
        }
    }

    /// `ART_STOCK` holds, for each place and column, the sum of the movements.
    static func expectStockIsTheSumOfItsMovements(_ server: TestServer) throws {
        var sums: [[String]: Double] = [:]
        for movement in try server.records("ART_MVT") {
            let place = ["DEP_CODE", "ART_CODE", "ART_GAMME", "MVT_STOCK"].map { movement[$0] as String }
            sums[place, default: 0] += Double(movement["MVT_QTE"] as String)!
        }
        for (place, total) in sums {
            let row = try server.record(
                "ART_STOCK", "DEP_CODE = ? AND ART_CODE = ? AND ART_GAMME = ?", [place[0], place[1], place[2]])
            #expect(Double(row[place[3]] as String) == total)
        }
    }

    @Test(
        "vente and achat documents move the stock of their sub-type",
        arguments: TestBackend.available,
        [
            (Domaine.documentsVente, "C", StockColumn.commandesClients), (.documentsVente, "B", .sorties),
            (.documentsVente, "R", .entrees), (.documentsVente, "F", .sorties), (.documentsVente, "A", .entrees),
            (.documentsAchat, "C", .commandesFournisseurs), (.documentsAchat, "B", .entrees),
            (.documentsAchat, "R", .sorties), (.documentsAchat, "F", .entrees), (.documentsAchat, "A", .sorties),
        ])
    func venteAchatStock(backend: TestBackend, move: (domaine: Domaine, subType: String, column: StockColumn))
        async throws
    {
        let (domaine, subType, column) = move
        let server = try await Self.withCatalogue(backend) { client, server in
            let tiers = domaine == .documentsVente ? "MA0001" : "FO0001"
            let (_, answer) = try await client.importer(
                domaine,
                ["DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "\(subType);\(tiers);A20;3", "\(subType);\(tiers);SERV;1"])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
        }
        let stock = try Self.stock(server, "A20")
        #expect(stock[StockColumn.allCases.firstIndex(of: column)!] == "3.000")
        #expect(stock.filter { $0 == "0.000" }.count == 5)
        // A service is not managed in stock.
        #expect(try Self.stock(server, "SERV").isEmpty)
    }

    @Test("financial documents, devis and pro-forma move no stock", arguments: TestBackend.available)
    func noStock(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "1;MA0001;A20;1", "0;MA0001;A20;1", "D;MA0001;A20;1",
                    "P;MA0001;A20;1",
                ])
            #expect(
                answer.pieceMessages == [
                    "La pièce FAC26-00001 a été créée", "La pièce AVC26-00001 a été créée",
                    "La pièce DVC26-00001 a été créée", "La pièce PFC26-00001 a été créée",
                ])
        }
        #expect(try server.records("ART_STOCK").isEmpty)
    }

    @Test(
        "a sortie beyond the stock is refused with Gestimum's wording, counting earlier lines and documents",
        arguments: TestBackend.available)
    func insufficientStock(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { client, server in
            try await Self.expectJournal(
                client, server, .documentsStock,
                [
                    "DOC_STYPE;ART_CODE;MVT_QTE;MVT_TALTER", "S;A20;10;", "E;A20;2,5;", "S;A20;2;", "S;A20;1;",
                    "M;A20;-3;CA",
                ],
                [
                    "Nombre de lignes importées : 1", "Nombre de lignes non importées : 4",
                    "La ligne 1 n'a pas pu être importée :",
                    "Stock de l'article A20 insuffisant. Stock actuel : 0. Quantité à sortir : 10.",
                    "Le document de stock n'a pas été créé.", "La pièce ENT26-00001 a été créée",
                    "La ligne 3 n'a pas pu être importée :", "La ligne 4 n'a pas pu être importée :",
                    "Stock de l'article A20 insuffisant. Stock actuel : 0,5. Quantité à sortir : 1.",
                    "Le document de stock n'a pas été créé.", "La ligne 5 n'a pas pu être importée :",
                    "Stock de l'article A20 insuffisant. Stock actuel : 2,5. Quantité à sortir : 3.",
                    "Le document de stock n'a pas été créé.",
                ])
        }
    }

    @Test(
        "a document field that cannot be read counts on the document's first line only, as later ones are ignored",
        arguments: TestBackend.available)
    func laterLinesDocumentFieldsAreIgnored(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { client, server in
            try await Self.expectJournal(
                client, server, .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_REFPCF;DOC_DT_PRV;ART_CODE;LIG_QTE", "F;MA0001;A;31/02/2026;A20;1",
                    "F;MA0001;B;;A20;1", "F;MA0001;B;31/02/2026;A20;x",
                ],
                [
                    "Nombre de lignes importées : 0", "Nombre de lignes non importées : 3",
                    "La ligne 1 n'a pas pu être importée :",
                    "Le champ DOC_DT_PRV n'est pas une date valide : 31/02/2026",
                    "Le document de vente n'a pas été créé.", "La ligne 2 n'a pas pu être importée :",
                    "La ligne 3 n'a pas pu être importée :",
                    "Le champ LIG_QTE n'est pas un nombre valide : x",
                    "Le document de vente n'a pas été créé.",
                ])
            let (_, second) = try await client.importer(
                .documentsVente,
                ["DOC_STYPE;PCF_CODE;DOC_DT_PRV;ART_CODE;LIG_QTE", "F;MA0001;;A20;1", "F;MA0001;31/02/2026;A20;1"])
            #expect(second.statistics == statistics(imported: 2, rejected: 0), "\(second.journalMessages)")
        }
    }

    @Test(
        "a remise exceptionnelle outside 0 to 100 %, negative or above the brut refuses its document",
        arguments: TestBackend.available)
    func invalidRemise(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { client, server in
            try await Self.expectJournal(
                client, server, .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_REFPCF;ART_CODE;LIG_QTE;LIG_P_BRUT;DOC_TXRFAC;DOC_REMFAC",
                    "F;MA0001;A;A20;1;20;150;", "F;MA0001;B;A20;1;20;;-5", "F;MA0001;C;A20;1;20;;50,5",
                    "F;MA0001;D;A20;1;20;100;", "F;MA0001;E;A20;1;20;;20",
                ],
                [
                    "Nombre de lignes importées : 2", "Nombre de lignes non importées : 3",
                    "La ligne 1 n'a pas pu être importée :",
                    "La remise exceptionnelle de 150 % n'est pas valide : elle doit être comprise entre 0 et 100 %",
                    "Le document de vente n'a pas été créé.", "La ligne 2 n'a pas pu être importée :",
                    "La remise exceptionnelle de -5 n'est pas valide : elle ne peut pas être négative",
                    "Le document de vente n'a pas été créé.", "La ligne 3 n'a pas pu être importée :",
                    "La remise exceptionnelle de 50,5 dépasse le montant brut du document (20)",
                    "Le document de vente n'a pas été créé.", "La pièce FAC26-00001 a été créée",
                    "La pièce FAC26-00002 a été créée",
                ])
        }
    }

    @Test(
        "a negative quantity that takes stock out of a dépôt is checked as a sortie is",
        arguments: TestBackend.available)
    func negativeQuantitiesLeavingADepot(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend, secondDepot: true) { client, server in
            try await Self.expectJournal(
                client, server, .documentsStock,
                [
                    "DOC_STYPE;DEP_CODE;DOC_TDEPOT;ART_CODE;MVT_QTE", "E;001;;A20;-2", "T;001;002;A20;-3",
                    // A negative sortie comes in; a transfer's negative line brings back what it took.
                    "S;001;;A20;-4", "T;001;002;A20;1", "T;001;002;A20;-1",
                ],
                [
                    "Nombre de lignes importées : 3", "Nombre de lignes non importées : 2",
                    "La ligne 1 n'a pas pu être importée :",
                    "Stock de l'article A20 insuffisant. Stock actuel : 0. Quantité à sortir : 2.",
                    "Le document de stock n'a pas été créé.", "La ligne 2 n'a pas pu être importée :",
                    "Stock de l'article A20 insuffisant. Stock actuel : 0. Quantité à sortir : 3.",
                    "Le document de stock n'a pas été créé.", "La pièce STI26-00001 a été créée",
                    "La pièce TFT26-00001 a été créée",
                ])
        }
    }

    @Test(
        "tester=Oui answers as the import would, and leaves the counters and the stock as they were",
        arguments: TestBackend.available)
    func testerLeavesNothing(backend: TestBackend) async throws {
        let server = try await Self.makeServer(backend)
        let parametres = parametres(("tester", "Oui"))
        try await server.run { client in
            try await Self.catalogue(client)
            let (_, vente) = try await client.importer(.documentsVente, Self.workedExample, parametres: parametres)
            #expect(vente.journalMessages.contains("La pièce FAC26-00001 a été créée"))
            let (_, stock) = try await client.importer(
                .documentsStock, ["DOC_STYPE;ART_CODE;MVT_QTE", "E;A20;5"], parametres: parametres)
            #expect(stock.journalMessages.contains("La pièce ENT26-00001 a été créée"))
        }
        for table in ["DOCUMENTS", "LIGNES", "ART_MVT", "ART_STOCK"] { #expect(try server.records(table).isEmpty) }
        #expect(
            try server.records("PREFERENCES", "PRF_CODE IN ('COMPTEUR_V_F', 'COMPTEUR_S_E', 'COMPTEUR_DOCUMENTS')")
                .map { $0["PRF_VALEUR"] as String }.sorted() == ["0000000001", "ENT26-00001", "FAC26-00001"])
    }

    @Test(
        "Gestimum's examples: its purchase order makes two pièces, its stock entry one",
        arguments: TestBackend.available)
    func gestimumsExamples(backend: TestBackend) async throws {
        let server = try await Self.makeServer(backend)
        try server.setPreference("COMPTEUR_A_C", to: "BCF17-00008")
        try server.setPreference("COMPTEUR_S_E", to: "ENT17-00017")
        try await server.run { client in
            _ = try await client.importer(.fournisseurs, ["PCF_CODE;PCF_RS;CPT_NUMERO", "HU0001;Huet;401HU0001"])
            _ = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_P_ACH", "NL;Nettoyant;4", "TRA;Traverse;12", "ELS;Élastique;1"])
            let (_, achat) = try await client.importer(
                .documentsAchat,
                [
                    "DOC_STYPE;DOC_DATE;DOC_DT_PRV;PCF_CODE;ART_CODE;LIG_QTE",
                    "C;20/12/2018;22/12/2018;HU0001;NL;1",
                    "C;28/12/2018;29/12/2018;HU0001;TRA;2",
                    "C;28/12/2018;29/12/2018;HU0001;NL;3",
                ])
            #expect(
                achat.journalMessages
                    == server.journal(
                        "ImporterDocumentsAchat",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 3",
                            "Nombre de lignes non importées : 0", "La pièce BCF17-00008 a été créée",
                            "La pièce BCF17-00009 a été créée",
                        ]))
            let (_, stock) = try await client.importer(
                .documentsStock, ["DOC_STYPE;DEP_CODE;ART_CODE;MVT_QTE", "E;001;ELS;20"])
            #expect(
                stock.journalMessages
                    == server.journal(
                        "ImporterDocumentsStock",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 1",
                            "Nombre de lignes non importées : 0", "La pièce ENT17-00017 a été créée",
                        ]))
        }
        // The purchase order's lines are priced from the articles' buying prices.
        #expect(
            try server.records("DOCUMENTS", "DOC_TYPE = 'A'", order: "DOC_PIECE").map { $0["DOC_MT_HT"] as String? }
                == [
                    "4.0000", "36.0000",
                ])
        #expect(try Self.stock(server, "NL")[StockColumn.allCases.firstIndex(of: .commandesFournisseurs)!] == "4.000")
    }

    @Test(
        "a price below cost and a delivery before the document are warnings, under their line",
        arguments: TestBackend.available)
    func warnings(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { client, server in
            try await Self.expectJournal(
                client, server, .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;DOC_DT_PRV;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_DT_LIV",
                    "C;MA0001;15/01/2026;10/01/2026;A20;1;19,99;",
                    "C;MA0001;15/01/2026;10/01/2026;A20;1;11;14/01/2026",
                ],
                [
                    "L'import a été effectué avec succès.", "Nombre de lignes importées : 2",
                    "Nombre de lignes non importées : 0",
                    "La ligne 1 comporte les avertissements suivants :",
                    "La date de livraison n'est pas valide",
                    "La ligne 2 comporte les avertissements suivants :",
                    "Le prix de vente de l'article est inférieur au prix de revient.",
                    "La date de livraison n'est pas valide", "La pièce ARC26-00001 a été créée",
                ])
            // An avoir's quantities are positive: a negative one is imported as given, and told.
            try await Self.expectJournal(
                client, server, .documentsVente,
                ["DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "A;MA0001;A20;2", "A;MA0001;A20;-1"],
                [
                    "L'import a été effectué avec succès.", "Nombre de lignes importées : 2",
                    "Nombre de lignes non importées : 0", "La ligne 2 comporte les avertissements suivants :",
                    "La quantité est négative dans un avoir : la ligne diminue l'avoir",
                    "La pièce AVC26-00001 a été créée",
                ])
        }
    }

    @Test(
        "text and free lines; custom fields go to the document unless only the lines have them",
        arguments: TestBackend.available)
    func textFreeLinesAndCustomFields(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;ART_CODE;LIG_TYPE;LIG_LIB;LIG_QTE;LIG_P_BRUT;XXX_CANAL",
                    "C;MA0001;A20;;;1;10;WEB", "C;MA0001;;T;Emballage cadeau;;;", "C;MA0001;;;Port;1;5;",
                ])
            #expect(answer.statistics == statistics(imported: 3, rejected: 0), "\(answer.journalMessages)")
        }
        let document = try server.record("DOCUMENTS", "1")
        #expect(document["XXX_CANAL"] as String? == "WEB")
        // 10 + 5 at the société's 20 %; the text line has no amount.
        #expect(document["DOC_MT_TTC"] as String? == "18.0000")
        let lines = try server.records("LIGNES", order: "LIG_NUMERO")
        #expect(lines.map { $0["LIG_LIB"] as String? } == ["Article à 20 %", "Emballage cadeau", "Port"])
        #expect(lines.map { $0["LIG_TOTAL"] as String? } == ["10.0000", nil, "5.0000"])
        // Only the article line moves stock.
        #expect(try server.records("ART_MVT").count == 1)
    }

    @Test(
        "a text line is its text alone, a free line has its price: otherwise refused with its document",
        arguments: TestBackend.available)
    func textLineWithoutText(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let header = "DOC_STYPE;PCF_CODE;ART_CODE;LIG_TYPE;LIG_LIB;LIG_QTE;LIG_P_BRUT"
            try await Self.expectJournal(
                client, server, .documentsVente, [header, "C;MA0001;A20;;;1;", "C;MA0001;;T;;;"],
                [
                    "Nombre de lignes importées : 0", "Nombre de lignes non importées : 2",
                    "La ligne 1 n'a pas pu être importée :", "La ligne 2 n'a pas pu être importée :",
                    "Libellé manquant", "Le document de vente n'a pas été créé.",
                ])
            // An article line marked T by mistake would lose its amount and its stock.
            try await Self.expectJournal(
                client, server, .documentsVente, [header, "C;MA0001;NOPE;T;Colis;5;", "C;MA0001;;T;Port;;12"],
                [
                    "Nombre de lignes importées : 0", "Nombre de lignes non importées : 2",
                    "La ligne 1 n'a pas pu être importée :",
                    "Une ligne de texte (LIG_TYPE T) ne porte que LIG_LIB, pas ART_CODE",
                    "La ligne 2 n'a pas pu être importée :",
                    "Une ligne de texte (LIG_TYPE T) ne porte que LIG_LIB, pas LIG_P_BRUT",
                    "Le document de vente n'a pas été créé.",
                ])
            // A free line has no article to take its price from: it gives one, 0 if need be.
            try await Self.expectJournal(
                client, server, .documentsVente, [header, "C;MA0001;;;Port;1;", "C;MA0001;;;Cadeau;1;0"],
                [
                    "Nombre de lignes importées : 0", "Nombre de lignes non importées : 2",
                    "La ligne 1 n'a pas pu être importée :", "Prix manquant", "La ligne 2 n'a pas pu être importée :",
                    "Le document de vente n'a pas été créé.",
                ])
        }
        #expect(try server.records("DOCUMENTS").isEmpty)
    }

    @Test(
        "Gestimum's sales order, with its commercial and its affaire, and an action that names its pièce",
        arguments: TestBackend.available)
    func gestimumsSalesOrderAndItsAction(backend: TestBackend) async throws {
        let server = try await Self.makeServer(backend)
        try server.setPreference("COMPTEUR_V_C", to: "ARC17-00051")
        try await server.run { client in
            try await Self.catalogue(client)
            _ = try await client.importer(.commerciaux, ["REP_CODE;REP_NOM", "CO1;Commercial"])
            _ = try await client.importer(.affaires, ["PRJ_CODE;PRJ_LIB", "A11;Salon"])
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB", "NL;Nettoyant", "EV;Éponge"])
            try await Self.expectJournal(
                client, server, .documentsVente,
                [
                    "DOC_STYPE;DOC_DATE;DOC_DT_PRV;DOC_REFPCF;PCF_CODE;REP_CODE;PRJ_CODE;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_REMISE",
                    "C;25/12/2018;25/12/2018;CC20181225;MA0001;CO1;A11;NL;10;20;2",
                    "C;25/12/2018;25/12/2018;CC20181225;MA0001;CO1;A11;EV;2;15;2",
                ],
                [
                    "L'import a été effectué avec succès.", "Nombre de lignes importées : 2",
                    "Nombre de lignes non importées : 0", "La pièce ARC17-00051 a été créée",
                ])
            let (_, action) = try await client.importer(
                .actions, ["ACT_TYPE;ACT_OBJET;DOC_NUMERO", "APPEL;Relance;arc17-00051"])
            #expect(action.statistics == statistics(imported: 1, rejected: 0), "\(action.journalMessages)")
        }
        let document = try server.record("DOCUMENTS", "1")
        #expect(document["PRJ_CODE"] as String? == "A11")
        #expect(document["REP_CODE"] as String? == "CO1")
        // 10 × 19,60 + 2 × 14,70 = 225,40 HT.
        #expect(document["DOC_MT_HT"] as String? == "225.4000")
        #expect(try server.record("ACTIONS", "1")["DOC_NUMERO"] as String? == document["DOC_NUMERO"] as String?)
    }

    @Test(
        "amounts beyond what a Montant holds refuse their line or their document; the others are imported",
        arguments: TestBackend.available)
    func amountsOutOfRange(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_REFPCF;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_REMISE;DOC_REMFAC",
                    // Six discounts whose factors keep their four decimals: 10^20 × 10^24 units.
                    "F;MA0001;A;A20;99999,999;9999999999999999,9999;1,11+1,13+1,17+1,19+1,23+1,29;",
                    // Two lines that a Montant holds, whose sum it does not: 17 digits.
                    "F;MA0001;B;A20;1;9999999999999999;;",
                    "F;MA0001;B;L55;1;9999999999999999;;",
                    "F;MA0001;C;A20;1;20;;",
                ])
            let expected: [String] = [
                "Nombre de lignes importées : 1", "Nombre de lignes non importées : 3",
                "La ligne 1 n'a pas pu être importée :",
                "Le montant de la ligne dépasse ce qu'un montant peut contenir (16 chiffres avant la virgule)",
                "Le document de vente n'a pas été créé.", "La ligne 2 n'a pas pu être importée :",
                "Le montant du document dépasse ce qu'un montant peut contenir (16 chiffres avant la virgule)",
                "La ligne 3 n'a pas pu être importée :", "Le document de vente n'a pas été créé.",
                "La pièce FAC26-00001 a été créée",
            ]
            #expect(answer.journalMessages == server.journal("ImporterDocumentsVente", expected))
        }
        #expect(try server.records("DOCUMENTS").count == 1)
    }

    @Test(
        "a purchase or sale line's lot, its dates and its zone go with its stock movement",
        arguments: TestBackend.available)
    func lotOnTheMovement(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, _ in
            let (_, answer) = try await client.importer(
                .documentsAchat,
                [
                    "DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_ZONE;LIG_NUMLOT;LIG_DT_FAB;LIG_DT_PER",
                    "B;FO0001;A20;4;5;Z2;L002;01/11/2026;01/11/2027", "B;FO0001;L55;1;3;;;;",
                ])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0), "\(answer.journalMessages)")
        }
        let movements = try server.records("ART_MVT", order: "ART_CODE")
        #expect(movements.map { $0["MVT_NUMLOT"] as String? } == ["L002", nil])
        #expect(movements.map { $0["MVT_ZONE"] as String? } == ["Z2", nil])
        #expect(movements.map { $0["MVT_DT_FAB"] as String? } == ["2026-11-01", nil])
        #expect(movements.map { $0["MVT_DT_PER"] as String? } == ["2027-11-01", nil])
    }

    @Test(
        "a delivery address the file gives is taken whole, never completed from the billing address",
        arguments: TestBackend.available)
    func deliveryAddressGiven(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, _ in
            _ = try await client.importer(
                .clients,
                ["PCF_CODE;PCF_RS;CPT_NUMERO;PCF_RUE;PCF_COMP;PAY_CODE", "LIV1;Livré;411LIV1;5 rue B;ZA Nord;FR"])
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_REFPCF;DOC_L_RS;DOC_L_RUE;DOC_L_CP;DOC_L_VILL;ART_CODE;LIG_QTE",
                    "C;LIV1;AILLEURS;Jean Martin;3 rue X;69001;Lyon;A20;1", "C;LIV1;ICI;;;;;A20;1",
                ])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0), "\(answer.journalMessages)")
        }
        let documents = try server.records("DOCUMENTS", order: "DOC_NUMERO")
        #expect(documents.map { $0["DOC_L_RUE"] as String? } == ["3 rue X", "5 rue B"])
        #expect(documents.map { $0["DOC_L_COMP"] as String? } == [nil, "ZA Nord"])
        #expect(documents.map { $0["DOC_L_PAYS"] as String? } == ["FR", "FR"])
        #expect(documents.map { $0["DOC_F_COMP"] as String? } == ["ZA Nord", "ZA Nord"])
    }

    @Test(
        "a document's billing address is its tiers' address 001, whose own names come before the tiers'",
        arguments: TestBackend.available)
    func billingAddressFromAddress001(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, _ in
            _ = try await client.importer(.clients, ["PCF_CODE;PCF_RS;CPT_NUMERO", "SANS;Sans adresse;411SANS"])
            let (_, address) = try await client.importer(
                .adressesTiers,
                [
                    "ADR_CODE;ADR_NUMERO;ADR_TITLE;ADR_RS;ADR_RUE;ADR_CP;ADR_VILLE;PAY_CODE",
                    "MA0001;001;SARL;Martin Facturation;1 rue A;75001;Paris;FR",
                ])
            #expect(address.statistics == statistics(imported: 1, rejected: 0), "\(address.journalMessages)")
            let (_, answer) = try await client.importer(
                .documentsVente, ["DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "C;MA0001;A20;1", "C;SANS;A20;1"])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0), "\(answer.journalMessages)")
        }
        let documents = try server.records("DOCUMENTS", order: "DOC_NUMERO")
        #expect(documents.map { $0["DOC_F_RS"] as String? } == ["Martin Facturation", "Sans adresse"])
        #expect(documents.map { $0["DOC_L_RS"] as String? } == ["Martin Facturation", "Sans adresse"])
        #expect(documents[0]["DOC_F_TITL"] as String? == "SARL")
        #expect(documents[0]["DOC_F_RUE"] as String? == "1 rue A")
        #expect(documents[0]["DOC_L_VILL"] as String? == "Paris")
    }

    @Test(
        "a line without price takes the article's new selling price from ART_DT_NEW on",
        arguments: TestBackend.available)
    func newSellingPrice(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, _ in
            let (_, price) = try await client.importer(
                .tarifsArticles, ["ART_CODE;ART_P_VTE;ART_DT_NEW;ART_N_VTE", "A20;19,99;01/03/2026;24"])
            #expect(price.statistics == statistics(imported: 1, rejected: 0), "\(price.journalMessages)")
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;ART_CODE;LIG_QTE", "C;MA0001;28/02/2026;A20;1",
                    "C;MA0001;01/03/2026;A20;1", "C;MA0001;01/03/2026;L55;1",
                ])
            #expect(answer.statistics == statistics(imported: 3, rejected: 0), "\(answer.journalMessages)")
        }
        let lines = try server.records("LIGNES", order: "DOC_NUMERO, LIG_NUMERO")
        #expect(lines.map { $0["LIG_P_BRUT"] as String? } == ["19.9900", "24.0000", "12.5000"])
    }

    @Test(
        "a line without price: the supplier's price of its gamme and first priority, the article's in a foreign currency",
        arguments: TestBackend.available)
    func supplierAndCurrencyPrices(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, _ in
            for (domaine, lines) in [
                (
                    Domaine.tarifsFournisseursArticles,
                    [
                        "ART_CODE;PCF_CODE;ART_PFOURN;ART_GAMME;ART_P_ACH;DEV_CODE", "A20;FO0001;2;;100;EUR",
                        "A20;FO0001;1;;8;EUR", "A20;FO0001;1;ROUGE;9;EUR",
                        // No currency is the société's: still the first priority.
                        "L55;FO0001;2;;7;EUR", "L55;FO0001;1;;6;",
                    ]
                ),
                (.clients, ["PCF_CODE;PCF_RS;CPT_NUMERO;DEV_CODE", "US0001;Client US;411US0001;USD"]),
                (.tarifsArticles, ["ART_CODE;DEV_CODE;ART_P_VTE", "A20;USD;29"]),
            ] {
                let (_, answer) = try await client.importer(domaine, lines)
                try #require(answer.statistics == statistics(imported: lines.count - 1, rejected: 0))
            }
            let (_, achat) = try await client.importer(
                .documentsAchat,
                [
                    "DOC_STYPE;PCF_CODE;ART_CODE;ART_GAMME;LIG_QTE", "C;FO0001;A20;;1", "C;FO0001;A20;ROUGE;1",
                    "C;FO0001;A20;BLEU;1", "C;FO0001;L55;;1",
                ])
            #expect(achat.statistics == statistics(imported: 4, rejected: 0), "\(achat.journalMessages)")
            let (_, vente) = try await client.importer(
                .documentsVente, ["DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "C;US0001;A20;1", "C;US0001;L55;1"])
            #expect(vente.statistics == statistics(imported: 2, rejected: 0), "\(vente.journalMessages)")
        }
        let lines = try server.records("LIGNES", order: "DOC_NUMERO, LIG_NUMERO")
        #expect(
            lines.map { $0["LIG_P_BRUT"] as String? } == ["8.0000", "9.0000", "8.0000", "6.0000", "29.0000", "12.5000"])
    }

    @Test(
        "a sub-type that cannot be read is said once, and the lines after it, which may be of its document, are refused with it",
        arguments: TestBackend.available)
    func unreadableSubType(backend: TestBackend) async throws {
        try await Self.withCatalogue(backend) { client, server in
            try await Self.expectJournal(
                client, server, .documentsVente,
                ["DOC_STYPE;PCF_CODE;ART_CODE;LIG_QTE", "Z;MA0001;A20;1", "F;MA0001;A20;1", "F;MA0001;A20;1"],
                [
                    "Nombre de lignes importées : 0", "Nombre de lignes non importées : 3",
                    "La ligne 1 n'a pas pu être importée :",
                    "Le champ DOC_STYPE n'accepte pas la valeur Z (valeurs possibles : P, D, C, B, R, F, A, 0, 1)",
                    "La ligne 2 n'a pas pu être importée :", "La ligne 3 n'a pas pu être importée :",
                    "Le document de vente n'a pas été créé.",
                ])
        }
    }

    @Test(
        "a line whose break fields cannot all be read is not of the documents around it whose readable ones differ",
        arguments: TestBackend.available)
    func partlyReadableBreakFields(backend: TestBackend) async throws {
        let server = try await Self.withCatalogue(backend) { client, server in
            // An impossible date on an order of another reference than the orders around it:
            // they are not its.
            let (_, other) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;DOC_REFPCF;ART_CODE;LIG_QTE", "F;MA0001;25/03/2026;CMD-2;A20;1",
                    "F;MA0001;31/02/2026;CMD-3;A20;1", "F;MA0001;25/03/2026;CMD-4;A20;1",
                    "F;MA0001;25/03/2026;CMD-4;A20;2",
                ])
            #expect(other.statistics == statistics(imported: 3, rejected: 1), "\(other.journalMessages)")
            #expect(other.journalMessages.contains("Le champ DOC_DATE n'est pas une date valide : 31/02/2026"))
            // The same reference: the line may be the first of the next document, which
            // is refused with it rather than written without it.
            let (_, same) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;DOC_REFPCF;ART_CODE;LIG_QTE", "F;MA0001;31/02/2026;CMD-5;A20;1",
                    "F;MA0001;25/03/2026;CMD-5;A20;1",
                ])
            #expect(same.statistics == statistics(imported: 0, rejected: 2), "\(same.journalMessages)")
        }
        #expect(
            try server.records("DOCUMENTS", order: "DOC_NUMERO").map {
                [$0["PCF_CODE"], $0["DOC_REFPCF"]] as [String?]
            }
                == [["MA0001", "CMD-2"], ["MA0001", "CMD-4"]])
    }
}
