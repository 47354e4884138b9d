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
            (.naturesComptables, ["NAT_TABLE;NAT_ORIGIN;NAT_TYPE;NAT_CODE;NAT_TVATX", "FAR;LIVRES;V;001;5,5"]),
        ] {
            let (_, answer) = try await client.importer(domaine, lines)
            try #require(
                answer.statistics == statistics(imported: lines.count - 1, rejected: 0),
                "\(domaine): \(answer.journalMessages)")
        }
    }

    private static let workedExample = [
        "DOC_STYPE;PCF_CODE;DOC_DATE;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_REMISE",
        "F;MA0001;15/01/2026;A20;3;19,99;10",
        "F;MA0001;15/01/2026;L55;2;12,50;",
    ]

    @Test("the worked example comes out to the cent")
    func workedExample() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await Self.catalogue(client)
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
}
