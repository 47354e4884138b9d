import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Testing

/// The requests of Gestimum's clients as they reach the wire, sent to a live server: the
/// contract's example and every request of `docs/exemples`, in the order the README gives,
/// each into a fresh DEMO société, as the Delphi proxy sends them and as the JavaScript proxy
/// does. Every answer must be read by Delphi's client.
@Suite(
    "DataSnap's clients, end to end",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct DataSnapClientsTests {
    /// How a DataSnap proxy writes its requests.
    enum Proxy: String, CustomTestStringConvertible, CaseIterable {
        /// `Datasnap.DSClientRest`: JSON in ASCII (`\u00E9`, `\/`), the method quoted.
        case delphi
        /// `ServerFunctionExecutor.js`: raw UTF-8 compact JSON; GET methods unquoted.
        case javaScript

        var testDescription: String { rawValue }

        /// The body of a request, from the example file as Gestimum's help writes it.
        func body(of example: Data) throws -> [UInt8] {
            switch self {
            case .delphi:
                return Array(try JSONValue.parse(Array(example)).asciiText.utf8)
            case .javaScript:
                let object = try JSONSerialization.jsonObject(with: example)
                return Array(try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]))
            }
        }

        var versionPath: String {
            switch self {
            case .delphi: "/api/rest/Outils/%22Version%22/"
            case .javaScript: "/api/rest/Outils/Version/"
            }
        }
    }

    /// Each request: its class, its file in `docs/exemples`, and the lines it imports.
    static let requests: [(classe: String, file: String, imported: Int)] = [
        ("Clients", "clients-importer", 1), ("Fournisseurs", "fournisseurs", 1), ("Prospects", "prospects", 1),
        ("Contacts", "contacts", 1), ("AdressesTiers", "adresses-tiers", 1), ("BanquesTiers", "banques-tiers", 1),
        ("Comptes", "comptes", 2), ("Devises", "devises", 2), ("Pays", "pays", 1), ("Villes", "villes", 1),
        ("ComptesReporting", "comptes-reporting", 2), ("SectionsAnalytiques", "sections-analytiques", 1),
        ("NaturesComptables", "natures-comptables", 2), ("ModesReglements", "modes-reglements", 1),
        ("Commerciaux", "commerciaux", 1), ("Salaries", "salaries", 3), ("Utilisateurs", "utilisateurs", 3),
        ("Glossaires", "glossaires", 2), ("FamillesArticles", "familles-articles", 2),
        ("SousFamilles", "sousfamilles-articles", 2), ("Articles", "articles", 3),
        ("TarifsArticles", "tarifs-articles", 2), ("ReferencesClientsArticles", "references-clients-articles", 1),
        ("TarifsFournisseursArticles", "tarifs-fournisseurs-articles", 1),
        ("EquivalencesArticles", "equivalences-articles", 1),
        ("ComposantsNomenclatures", "composants-nomenclatures", 2),
        ("GrillesTarifs", "grilles-tarifs", 3), ("Affaires", "affaires", 3), ("Actions", "actions", 2),
        ("DocumentsStock", "documents-stock", 2), ("DocumentsAchat", "documents-achat", 1),
        ("DocumentsVente", "documents-vente", 4), ("Immobilisations", "immobilisations", 1),
        ("Ecritures", "ecritures", 3),
    ]

    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/exemples").standardizedFileURL

    @Test(arguments: Proxy.allCases)
    func everyExampleIsImported(by proxy: Proxy) async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("societes")
            let server = try await LiveComptoir.start(
                executable, folder: folder, arguments: ["--demo", "--dossier", data])
            defer { server.killIfRunning() }

            for request in Self.requests {
                let example = try Data(contentsOf: Self.examples.appendingPathComponent(request.file + ".requete.json"))
                let body = try proxy.body(of: example)
                // The Delphi proxy's body is ASCII; the JavaScript proxy's keeps the file's raw UTF-8.
                let isASCII = body.allSatisfy { $0 < 0x80 }
                #expect(isASCII == (proxy == .delphi || example.allSatisfy { $0 < 0x80 }), "\(request.file)")
                let answer = await liveExchange(
                    port: server.port,
                    LiveRequest.post(
                        "/api/rest/\(request.classe)/%22Importer%22/", body: body,
                        contentType: "text/plain;charset=UTF-8"))
                #expect(answer.status == 200, "\(request.file): \(answer.text)")
                #expect(DelphiClient.readingProblem(Array(answer.body.utf8)) == nil, "\(request.file)")
                #expect(LiveRequest.answer(answer.body, imported: request.imported), "\(request.file): \(answer.body)")
            }
            let version = await liveExchange(port: server.port, LiveRequest.version(path: proxy.versionPath))
            #expect(version.status == 200, "\(version.text)")
            #expect(version.body.contains(#""resultat":"succ\u00E8s""#), "\(version.body)")
            #expect(DelphiClient.readingProblem(Array(version.body.utf8)) == nil)
            await server.stopCleanly()

            // The accented values reached the société as Gestimum's help writes them.
            let societe = try DatabaseQueue(
                path: (data as NSString).appendingPathComponent("DEMO.Gestimum"), configuration: .patient)
            defer { try? societe.close() }
            func text(_ sql: String) throws -> String? { try societe.read { db in try String.fetchOne(db, sql: sql) } }
            #expect(try text("SELECT PCF_COMP FROM TIERS WHERE PCF_CODE = 'C42'") == "ZA Du Pâtis")
            #expect(try text("SELECT CCT_FONCT FROM CONTACTS") == "Gérant")
            #expect(try text("SELECT ADR_RUE FROM ADRESSES WHERE ADR_NUMERO = '002'") == "ZI du Bel Air; bâtiment 3")
            #expect(
                try text("SELECT CPT_LIB FROM COMPTES WHERE CPT_NUMERO = '401F1'") == "Papeterie Durand (fournitures)")
            // The shop's order: 2 × 18,00 + 40,00 + 5,90 of shipping, all at 20 %.
            #expect(
                try text("SELECT DOC_MT_HT || ' ' || DOC_MT_TTC FROM DOCUMENTS WHERE DOC_TYPE = 'V'")
                    == "81.9000 98.2800")
            #expect(
                try text("SELECT STK_ENTREE || ' ' || STK_SORTIE FROM ART_STOCK WHERE ART_CODE = 'A10'")
                    == "100.000 0.000")
        }
    }
}
