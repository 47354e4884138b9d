import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Loopback
import Testing

/// Comptoir's read API (`/api/comptoir/v1/`): what was imported, read back.
@Suite("Read API")
struct ReadAPITests {
    @Test("a client that leaves in the middle of a large page stops its reading, and the server goes on")
    func aClientLeavingMidPage() async throws {
        let server = try TestServer()
        try await server.run(testing: .live) { client in
            let lines = (0..<30_000).map {
                "L\($0);411L\($0);Client \($0) dont le nom prend de la place;1 rue du Marché"
            }
            let (_, answer) = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE"] + lines)
            try #require(answer.statistics == statistics(imported: 30_000, rejected: 0))
            let port = try #require(client.port)
            for _ in 0..<3 {
                // Far more than the socket's buffers hold: the reading waits for the client, which
                // reads a few bytes and hangs up (the socket closes at the end of this scope),
                // leaving chunks in between.
                let socket = try #require(LoopbackSocket(port: port))
                let request =
                    "GET /api/comptoir/v1/societes/DEMO/Clients?limite=1000000 HTTP/1.1\r\nHost: comptoir\r\n"
                    + "Authorization: Basic \(Data("DEMO:".utf8).base64EncodedString())\r\n\r\n"
                #expect(socket.send(Array(request.utf8)))
                guard case .data(let start) = socket.read(timeout: 30) else {
                    Issue.record("aucune réponse")
                    return
                }
                #expect(String(decoding: start, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            }
            // The readings notice the client is gone at their next chunk, and let their chunks go.
            try await Task.sleep(for: .seconds(2))
            let page = try await client.lire("societes/DEMO/Clients?limite=1")
            #expect(page.status == .ok)
        }
    }

    @Test(
        "10 000 clients paged through without loss or repeat while another user imports",
        arguments: TestBackend.available)
    func pagingWhileImporting(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let codes = (1...10_000).map { String(format: "C%05d", $0 * 2) }
            let (_, answer) = try await client.importer(
                .clients, ["PCF_CODE;PCF_RS;CPT_NUMERO"] + codes.map { "\($0);Client \($0);411\($0)" })
            try #require(answer.statistics == statistics(imported: 10_000, rejected: 0))
            try await client.addUser("LECTEUR", password: "lire")

            // DEMO imports the odd codes, in between the others, while LECTEUR pages.
            async let importing: Void = {
                for batch in 0..<5 {
                    let lines = (0..<400).map { index in
                        let code = String(format: "C%05d", (batch * 400 + index) * 10 + 1)
                        return "\(code);Nouveau \(code);411\(code)"
                    }
                    let (status, _) = try await client.importer(.clients, ["PCF_CODE;PCF_RS;CPT_NUMERO"] + lines)
                    #expect(status == .ok)
                }
            }()
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "limite=700" + (cursor.map { "&apres=\($0)" } ?? "")
                let page = try await client.lire(
                    "societes/DEMO/Clients?\(query)", user: "LECTEUR", password: "lire")
                try #require(page.status == .ok, "\(page.text)")
                let json = try page.json()
                guard case .array(let records) = json["enregistrements"] else {
                    Issue.record("pas d'enregistrements : \(page.text)")
                    return
                }
                #expect(records.count <= 700)
                seen += records.compactMap { $0["PCF_CODE"]?.stringValue }
                cursor = json["suivant"]?.stringValue
            } while cursor != nil
            try await importing

            #expect(seen == seen.sorted(), "les pages suivent l'ordre de la clé")
            #expect(Set(seen).count == seen.count, "aucun client lu deux fois")
            #expect(Set(codes).isSubset(of: Set(seen)), "aucun client perdu")

            // All of them in one page, which PostgreSQL gives a batch at a time through a cursor.
            let all = try await client.lire("societes/DEMO/Clients?limite=1000000", user: "LECTEUR", password: "lire")
            guard case .array(let records) = try all.json()["enregistrements"] else {
                Issue.record("pas d'enregistrements : \(all.text.prefix(300))")
                return
            }
            let allCodes = records.compactMap { $0["PCF_CODE"]?.stringValue }
            #expect(allCodes.count == 12_000)
            #expect(allCodes == allCodes.sorted() && Set(allCodes).count == 12_000)
            #expect(Set(seen).isSubset(of: Set(allCodes)))
        }
    }

    @Test(
        "each filter kind: equality, prefix, ranges on dates, amounts and numbers, and their refusals",
        arguments: TestBackend.available)
    func filters(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .clients,
                [
                    "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_VILLE;PCF_DATCLO;PCF_ENCMAX;PCF_DORT",
                    "C1;411C1;Martin;Paris;31/01/2026;1000;0",
                    "C2;411C2;Marchand;Lyon;2026-03-31;2500,50;1",
                    "C3;411C3;Durand;Paris;;99,99;0",
                    "C4;411C4;Ma*rie;Nantes;15/06/2026;;0",
                    "G1;411G1;Grand;Lille;01/01/2025;9007199254740993;0",
                    "G2;411G2;Grand;Lille;01/01/2025;9007199254740992;0",
                    "G3;411G3;Grand;Lille;01/01/2025;123456789012345,1234;0",
                ])
            try #require(answer.statistics == statistics(imported: 7, rejected: 0))
            // C3 once more: its update count is 2.
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "C3;411C3;Durand"])

            func codes(_ query: String) async throws -> [String] {
                try await client.values(of: "PCF_CODE", in: "Clients?\(query)")
            }
            #expect(try await codes("PCF_VILLE=Paris") == ["C1", "C3"])
            #expect(try await codes("PCF_VILLE=") == [])
            #expect(try await codes("PCF_DATCLO=") == ["C3"], "une valeur vide cherche les champs vides")
            // Those kept as empty texts too: the société's own natures have no origin.
            let natures = try await client.lire("societes/DEMO/NaturesComptables?NAT_ORIGIN=")
            guard case .array(let societeNatures) = try natures.json()["enregistrements"] else {
                return #expect(Bool(false), "\(natures.text)")
            }
            #expect(!societeNatures.isEmpty && societeNatures.allSatisfy { $0["NAT_TABLE"]?.stringValue == "SOC" })
            #expect(try await codes("pcf_dort=1") == ["C2"])
            #expect(try await codes("PCF_ENCMAX=2500.5") == ["C2"], "un montant se compare en nombre")
            #expect(try await codes("PCF_RS.debut=Mar") == ["C1", "C2"])
            #expect(try await codes("PCF_RS.debut=mar") == [], "le préfixe distingue la casse")
            #expect(try await codes("PCF_RS.debut=Ma*") == ["C4"], "* n'est pas un joker")
            #expect(try await codes("PCF_DATCLO.min=2026-02-01") == ["C2", "C4"])
            #expect(try await codes("PCF_DATCLO.min=01/02/2026&PCF_DATCLO.max=31/03/2026") == ["C2"])
            #expect(try await codes("PCF_DATCLO.debut=2026-0") == ["C1", "C2", "C4"])
            #expect(try await codes("PCF_ENCMAX.min=100&PCF_ENCMAX.max=2000") == ["C1"])
            #expect(try await codes("PCF_ENCMAX.max=999,99") == ["C3"])
            // Exactly, past what a binary float holds.
            #expect(try await codes("PCF_ENCMAX=9007199254740992") == ["G2"])
            #expect(try await codes("PCF_ENCMAX=123456789012345.12") == [])
            #expect(try await codes("PCF_ENCMAX.min=123456789012345.1&PCF_ENCMAX.max=123456789012345.1233") == [])
            #expect(try await codes("PCF_ENCMAX.min=9007199254740993") == ["G1"])
            #expect(try await codes("PCF_NUMMAJ.min=2") == ["C3"])
            // The day C2 was created, as stored: the day of the test may have changed since.
            let created = try await client.values(of: "PCF_DTCREE", in: "Clients?PCF_CODE=C2")
            let today = try #require(created.first).prefix(10)
            #expect(
                try await codes("PCF_DTCREE.max=\(today)&PCF_VILLE=Lyon") == ["C2"], "un jour borne toute la journée")
            #expect(try await codes("PCF_DTCREE=\(today)&PCF_VILLE=Lyon") == ["C2"], "un jour trouve toute la journée")
            #expect(try await codes("PCF_DTCREE=2001-01-01&PCF_VILLE=Lyon") == [])
            // A query as forms and HTTP libraries write it: `+` is a space, `%2B` a plus.
            _ = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "S1;411S1;Sport Max", "S2;411S2;Sport+Max"])
            #expect(try await codes("PCF_RS.debut=Sport+Max") == ["S1"])
            #expect(try await codes("PCF_RS.debut=Sport%20Max") == ["S1"])
            #expect(try await codes("PCF_RS.debut=Sport%2BMax") == ["S2"])
            #expect(try await codes("PCF_VILLE=Paris&ordre=decroissant") == ["C3", "C1"])

            for (query, message) in [
                ("PCF_RS.min=A", "Le filtre PCF_RS.min ne s'applique qu'aux dates, aux montants et aux nombres"),
                ("PCF_ENCMAX.debut=1", "Le filtre PCF_ENCMAX.debut ne s'applique qu'aux champs texte et aux dates"),
                ("PCF_DATCLO.min=32/01/2026", "Le champ PCF_DATCLO n'est pas une date valide : 32/01/2026"),
                ("PCF_ENCMAX.min=beaucoup", "Le champ PCF_ENCMAX n'est pas un nombre valide : beaucoup"),
                ("PCF_RS.environ=A", "Filtre inconnu : PCF_RS.environ (CHAMP, CHAMP.debut, CHAMP.min ou CHAMP.max)"),
                (
                    "ART_CODE=A",
                    "Paramètre inconnu : ART_CODE (ni limite, ni apres, ni ordre, ni un champ des enregistrements)"
                ),
                ("limite=0", "Le paramètre limite doit être un nombre entier de 1 à 1000000"),
                ("ordre=hasard", "Le paramètre ordre vaut croissant ou decroissant, pas hasard"),
                ("apres=pas-un-curseur", "Le paramètre apres n'est pas un curseur donné par une page précédente"),
                // `["\u0000"]`, made by hand: PostgreSQL refuses a NUL in a text.
                ("apres=WyJcdTAwMDAiXQ", "Le paramètre apres n'est pas un curseur donné par une page précédente"),
                ("PCF_VILLE=Paris&PCF_VILLE=Lyon", "Le paramètre PCF_VILLE est donné plusieurs fois"),
                // SQLite's text parameters end at a NUL, and its `LIKE` refuses a pattern this long.
                ("PCF_CODE=C1%00x", "La valeur de PCF_CODE contient un caractère nul"),
                // Latin-1's `é`, as an old client escapes it: no UTF-8 text, so no value to look for.
                (
                    "PCF_VILLE=Orl%E9ans",
                    "Le paramètre Orl%E9ans n'est pas un texte UTF-8 : ses octets (%XX) doivent être en UTF-8"
                ),
                (
                    "PCF_RS.debut=\(String(repeating: "A", count: 70_000))",
                    "La valeur de PCF_RS.debut dépasse 10000 caractères"
                ),
            ] {
                let page = try await client.lire("societes/DEMO/Clients?\(query)")
                #expect(page.status == .badRequest, "\(query)")
                #expect(try page.json().errorMessage == message, "\(query)")
            }
        }
    }

    @Test("Accept's qualities choose between JSON and CSV; JSON without a CSV range above zero")
    func acceptQualities() async throws {
        let server = try TestServer()
        try await server.run { client in
            let expected: [(accept: String?, csv: Bool)] = [
                (nil, false), ("text/csv", true), ("*/*", false), ("text/*", true),
                ("application/json, text/csv;q=0.5", false), ("application/json;q=0.4, text/csv;q=0.5", true),
                ("text/csv;q=0", false), ("TEXT/CSV; Q=0.9, */*;q=0.1", true), ("text/csv, application/json", true),
                ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false),
            ]
            for (accept, csv) in expected {
                let answer = try await client.lire("societes/DEMO/Pays", accept: accept)
                #expect(answer.status == .ok)
                #expect(
                    answer.headers[.contentType]
                        == (csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8"),
                    "\(accept ?? "sans Accept")")
            }
        }
    }

    @Test("JSON and CSV of the same records; a document comes with its lines, in both")
    func jsonAndCSV() async throws {
        let server = try TestServer()
        try await server.run { client in
            try await DocumentsTests.catalogue(client)
            let (_, answer) = try await client.importer(
                .documentsVente,
                [
                    "DOC_STYPE;PCF_CODE;DOC_DATE;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_REMISE",
                    "F;MA0001;15/01/2026;A20;3;19,99;10", "F;MA0001;15/01/2026;L55;2;12,50;",
                ])
            try #require(answer.statistics == statistics(imported: 2, rejected: 0), "\(answer.journalMessages)")

            let json = try await client.lire("societes/DEMO/DocumentsVente")
            #expect(json.headers[.contentType] == "application/json; charset=utf-8")
            guard case .array(let documents) = try json.json()["enregistrements"], let document = documents.first else {
                Issue.record("pas de document : \(json.text)")
                return
            }
            #expect(documents.count == 1)
            #expect(document["DOC_DATE"] == .string("2026-01-15"))
            #expect(document["DOC_STYPE"] == .string("F"))
            let storedHT = try server.read { db in try String.fetchOne(db, sql: "SELECT DOC_MT_HT FROM DOCUMENTS") }
            #expect(document["DOC_MT_HT"] == storedHT.map(JSONValue.number), "un montant est un nombre JSON, exact")
            #expect(document["DOC_TYPE"] == nil, "le type du domaine n'est pas une colonne de ses enregistrements")
            guard case .array(let lines) = document["lignes"] else {
                Issue.record("pas de lignes : \(json.text)")
                return
            }
            #expect(lines.compactMap { $0["ART_CODE"]?.stringValue } == ["A20", "L55"])
            #expect(lines.first?["LIG_QTE"]?.isNumber == true)
            #expect(try json.json()["suivant"] == .null)

            let csv = try await client.lire("societes/DEMO/DocumentsVente", accept: "text/csv")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF], "un BOM pour les tableurs")
            let rows = String(decoding: csv.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            let header = rows[0].components(separatedBy: ";")
            #expect(rows.count == 4 && rows[3] == "", "un en-tête, une ligne par ligne du document")
            let first = Dictionary(uniqueKeysWithValues: zip(header, rows[1].components(separatedBy: ";")))
            #expect(first["DOC_DATE"] == "15/01/2026")
            #expect(first["ART_CODE"] == "A20")
            #expect(first["LIG_P_BRUT"]?.contains(",") == true, "des décimales à virgule")
            #expect(rows[2].components(separatedBy: ";")[header.firstIndex(of: "ART_CODE")!] == "L55")

            // The document alone, by its key, is the same CSV: the list has only it.
            guard let number = document["DOC_NUMERO"]?.stringValue else {
                Issue.record("pas de DOC_NUMERO : \(json.text)")
                return
            }
            let alone = try await client.lire("societes/DEMO/DocumentsVente/\(number)", accept: "text/csv")
            #expect(alone.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(alone.body == csv.body, "\(alone.text)")

        }
    }

    @Test(
        "filters and keys find what an import of the same text stored: a listed code in its case, a country in capitals",
        arguments: TestBackend.available)
    func filtersCompareStoredForms(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, articles) = try await client.importer(
                .articles, ["ART_CODE;ART_LIB;ART_STOCK", "A1;Moyen;m", "A2;Sans;N"])
            try #require(articles.statistics == statistics(imported: 2, rejected: 0), "\(articles.journalMessages)")
            let (_, clients) = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS;PAY_CODE", "C1;411C1;Un;fr", "C2;411C2;Deux;"])
            try #require(clients.statistics == statistics(imported: 2, rejected: 0), "\(clients.journalMessages)")
            _ = try await client.importer(.tarifsArticles, ["ART_CODE;ART_P_VTE;DEV_CODE", "A1;20;eur"])

            #expect(try await client.values(of: "ART_CODE", in: "Articles?ART_STOCK=m") == ["A1"])
            #expect(try await client.values(of: "ART_CODE", in: "Articles?ART_STOCK=M") == ["A1"])
            #expect(try await client.values(of: "PCF_CODE", in: "Clients?PAY_CODE=fr") == ["C1"])
            #expect(try await client.values(of: "ART_CODE", in: "TarifsArticles?DEV_CODE=eur") == ["A1"])
            let price = try await client.lire("societes/DEMO/TarifsArticles/A1/eur/")
            #expect(price.status == .ok, "\(price.text)")
            #expect(try price.json()["DEV_CODE"] == .string("EUR"))
            // Free text is compared as written.
            #expect(try await client.values(of: "PCF_CODE", in: "Clients?PCF_RS=un") == [])

            let refused = try await client.lire("societes/DEMO/Articles?ART_STOCK=z")
            #expect(refused.status == .badRequest)
            #expect(
                try refused.json().errorMessage?.hasPrefix(
                    "Le champ ART_STOCK n'accepte pas la valeur z (valeurs possibles : N, C, M,") == true,
                "\(refused.text)")
        }
    }

    @Test(
        "a CSV page gives the next page's cursor in a header; a record alone; its key in the path",
        arguments: TestBackend.available)
    func csvPagingAndSingleRecords(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .clients,
                [
                    "PCF_CODE|CPT_NUMERO|PCF_RS|PCF_RUE", "C1|411C1|Un|1 rue « ; »", "C2|411C2|Deux|guillemets\"",
                    "C3|411C3|Trois|",
                ],
                parametres: parametres(("separateur_champs", "|")))
            try #require(answer.statistics == statistics(imported: 3, rejected: 0), "\(answer.journalMessages)")
            _ = try await client.importer(.villes, ["VIL_CODE;VIL_NOM", "75001;PARIS", "69001;LYON/1"])
            let first = try await client.lire("societes/DEMO/Clients?limite=2", accept: "text/csv")
            let next = try #require(first.headers[HTTPField.Name("X-Comptoir-Suivant")!])
            let text = String(decoding: first.body.dropFirst(3), as: UTF8.self)
            #expect(text.contains("\r\nC1;Un;") && text.contains(";\"1 rue « ; »\";"))
            #expect(text.contains(";\"guillemets\"\"\";"))
            let second = try await client.lire("societes/DEMO/Clients?limite=2&apres=\(next)", accept: "text/csv")
            #expect(second.headers[HTTPField.Name("X-Comptoir-Suivant")!] == nil)
            #expect(String(decoding: second.body, as: UTF8.self).contains("\r\nC3;Trois;"))

            // Spaces an import would trim from a field not quoted are quoted, and come back.
            let quoted = parametres(("identificateur_texte", "\""))
            let (_, spacedImport) = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE", "C4;411C4;Quatre;\"  au fond\t\""], parametres: quoted)
            try #require(
                spacedImport.statistics == statistics(imported: 1, rejected: 0), "\(spacedImport.journalMessages)")
            let spacedRows = try await client.csvRows("societes/DEMO/Clients/C4")
            try #require(spacedRows.count == 2, "\(spacedRows)")
            #expect(spacedRows[1].contains(";\"  au fond\t\";"), "\(spacedRows)")
            let (_, again) = try await client.importer(.clients, spacedRows, parametres: quoted)
            #expect(again.statistics == statistics(imported: 1, rejected: 0), "\(again.journalMessages)")
            #expect(try await client.lire("societes/DEMO/Clients/C4").json()["PCF_RUE"] == .string("  au fond\t"))

            let one = try await client.lire("societes/DEMO/Clients/C2")
            #expect(one.status == .ok)
            #expect(try one.json()["PCF_RS"] == .string("Deux"))
            let oneRows = try await client.csvRows("societes/DEMO/Clients/C2")
            #expect(oneRows.count == 2 && oneRows[0].hasPrefix("PCF_CODE;") && oneRows[1].hasPrefix("C2;Deux;"))
            let city = try await client.lire("societes/DEMO/Villes/69001/LYON%2F1")
            #expect(try city.json()["VIL_NOM"] == .string("LYON/1"), "une clé à deux valeurs, l'une avec un /")

            // A key whose last value is empty: its path ends with a `/`.
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB", "A10;Dix"])
            _ = try await client.importer(.tarifsArticles, ["ART_CODE;ART_P_VTE;DEV_CODE", "A10;20;EUR"])
            let price = try await client.lire("societes/DEMO/TarifsArticles/A10/EUR/")
            #expect(price.status == .ok, "une clé dont la dernière valeur est vide")
            #expect(
                try price.json()["ART_GAMME"] == .string(""), "une partie vide de la clé, telle qu'un chemin la prend")
            #expect(try await client.lire("societes/DEMO/Clients/").status == .ok, "une liste, un / à la fin")

            // A decimal key part is a number, however it is written.
            _ = try await client.importer(
                .grillesTarifs, ["TAR_CODE;TAR_LIB;ART_CODE;TAR_PRIX;TAR_BORNE", "G1;Grille;A10;12,5;10"])
            for bound in ["10", "10,0", "10.000", "+10"] {
                let line = try await client.lire("societes/DEMO/GrillesTarifs/G1///A10//EUR/\(bound)")
                #expect(line.status == .ok, "\(bound)")
                #expect(line.text.contains(#""TAR_BORNE":10.000,"#), "\(bound)")
            }
            for bound in ["11", "dix"] {
                #expect(try await client.lire("societes/DEMO/GrillesTarifs/G1///A10//EUR/\(bound)").status == .notFound)
            }

            for (path, message) in [
                ("societes/DEMO/Clients/C9", "Aucun enregistrement Clients de clé C9"),
                ("societes/DEMO/Fournisseurs/C1", "Aucun enregistrement Fournisseurs de clé C1"),
                ("societes/DEMO/Villes/75001", "La clé de Villes a 2 valeur(s) : VIL_CODE, VIL_NOM"),
                ("societes/DEMO/Bananes", "Domaine inconnu : Bananes"),
                ("societes/NULLEPART/Clients", "La société NULLEPART.Gestimum est introuvable"),
            ] {
                let answer = try await client.lire(path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(try answer.json().errorMessage == message, "\(path)")
            }
            let withNul = try await client.lire("societes/DEMO/Clients/C1%00x")
            #expect(withNul.status == .badRequest)
            #expect(try withNul.json().errorMessage == "La valeur de PCF_CODE contient un caractère nul")
            // A record, a société and the domains take no parameter: it would be silently ignored.
            for (path, what) in [
                ("societes/DEMO/Clients/C1?PCF_VILLE=Lyon", "un enregistrement"),
                ("societes/DEMO?PCF_VILLE=Lyon", "une société"),
                ("domaines?PCF_VILLE=Lyon", "la liste des domaines"),
            ] {
                let filtered = try await client.lire(path)
                #expect(filtered.status == .badRequest, "\(path)")
                #expect(
                    try filtered.json().errorMessage
                        == "Paramètre inconnu : PCF_VILLE (\(what) ne prend aucun paramètre)")
            }
        }
    }

    @Test(
        "401 in French, with the challenge; no user reads another société's records", arguments: TestBackend.available)
    func authentication(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS", "SECRET;411SECRET;Client de DEMO"])
            for (user, password) in [("DEMO", "faux"), ("INCONNU", ""), ("ADMIN", "secret")] {
                let answer = try await client.lire("societes/DEMO/Clients", user: user, password: password)
                #expect(answer.status == .unauthorized, "\(user)")
                #expect(try answer.json().errorMessage == "Utilisateur ou mot de passe incorrect")
                #expect(answer.headers[.wwwAuthenticate] == "Basic realm=\"Comptoir\", charset=\"UTF-8\"")
            }
            let anonymous = try await client.execute(uri: "/api/comptoir/v1/societes/DEMO/Clients", method: .get) {
                $0
            }
            #expect(anonymous.status == .unauthorized)

            // ALPHA's administrator, through every path that could lead to DEMO's file.
            for path in [
                "societes/ALPHA%2F..%2FDEMO/Clients", "societes/..%2FDEMO.Gestimum/Clients",
                "societes/%2Ftmp%2FDEMO/Clients", "societes/ALPHA/Clients%2F..%2F..%2FDEMO",
                "societes/DEMO/Clients",
            ] {
                let answer = try await client.lire(path, user: "ADMIN", password: "secret")
                #expect(!answer.text.contains("SECRET"), "\(path): \(answer.text)")
                #expect(answer.status != .ok || answer.text.contains("\"enregistrements\":[]"), "\(path)")
            }
            let own = try await client.lire("societes/ALPHA", user: "ADMIN", password: "secret")
            #expect(
                try own.json() == .object([("societe", .string("ALPHA.Gestimum")), ("utilisateur", .string("ADMIN"))]))
        }
    }

    @Test(
        "reads hold their session as imports do: another user's exclusive session refuses them",
        arguments: TestBackend.available)
    func exclusiveSession(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in try await client.addUser("LECTEUR", password: "lire") }
        let hold = SessionHold()
        try await server.run(lockWait: .milliseconds(300), hold: hold) { client in
            async let exclusive = client.post(
                sessionBody(exclusif: true, lines: ["PCF_CODE;CPT_NUMERO;PCF_RS", "X1;411X1;Exclusif"]))
            try await hold.waitUntilHolding()
            let refused = try await client.lire("societes/DEMO/Clients", user: "LECTEUR", password: "lire")
            #expect(refused.status == .conflict)
            #expect(try refused.json().errorMessage == "La société DEMO.Gestimum est ouverte en mode exclusif")
            hold.release()
            #expect(try await exclusive.0 == .ok)
            let read = try await client.lire("societes/DEMO/Clients", user: "LECTEUR", password: "lire")
            #expect(read.status == .ok)
            #expect(read.text.contains("X1"))
        }
    }

    @Test("custom fields a file added are read back, filtered on, and given in CSV", arguments: TestBackend.available)
    func customFields(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .clients, ["PCF_CODE;CPT_NUMERO;PCF_RS;XXX_SEGMENT", "C1;411C1;Un;B2B", "C2;411C2;Deux;B2C"])
            try #require(answer.statistics == statistics(imported: 2, rejected: 0), "\(answer.journalMessages)")
            let one = try await client.lire("societes/DEMO/Clients/C1")
            #expect(try one.json()["XXX_SEGMENT"] == .string("B2B"), "\(one.text)")
            let filtered = try await client.lire("societes/DEMO/Clients?XXX_SEGMENT=B2C")
            #expect(filtered.status == .ok, "\(filtered.text)")
            #expect(filtered.text.contains("\"PCF_CODE\":\"C2\"") && !filtered.text.contains("\"PCF_CODE\":\"C1\""))
            let csv = try await client.lire("societes/DEMO/Clients", accept: "text/csv")
            let header = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(separator: "\r\n").first ?? ""
            #expect(header.hasSuffix(";XXX_SEGMENT"), "\(header)")
        }
    }

    @Test(
        "users are read by administrators only, and never with their password's hash", arguments: TestBackend.available)
    func utilisateurs(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            try await client.addUser("LECTEUR", password: "lire", group: "DEFAUT")
            let admin = try await client.lire("societes/DEMO/Utilisateurs")
            #expect(admin.status == .ok)
            #expect(admin.text.contains("LECTEUR") && !admin.text.contains("USR_MDP_HASH"))
            #expect(admin.text.contains("\"USR_NAME\":\"DEMO\""), "le champ du catalogue, pas la colonne USR_CODE")
            // Users' codes compare without case: their prefix is still a prefix of their bytes.
            let prefixed = try await client.lire("societes/DEMO/Utilisateurs?USR_NAME.debut=LEC")
            #expect(prefixed.status == .ok, "\(prefixed.text)")
            #expect(prefixed.text.contains("LECTEUR") && !prefixed.text.contains("\"USR_NAME\":\"DEMO\""))
            #expect(
                try await client.lire("societes/DEMO/Utilisateurs/lecteur").json()["USR_GROUPE"] == .string("DEFAUT"))
            let first = try await client.lire(
                "societes/DEMO/Utilisateurs?limite=1&ordre=decroissant", accept: "text/csv")
            let cursor = try #require(first.headers[HTTPField.Name("X-Comptoir-Suivant")!], "\(first.text)")
            #expect(
                try await client.values(of: "USR_NAME", in: "Utilisateurs?limite=1&ordre=decroissant") == ["LECTEUR"])
            #expect(
                try await client.values(of: "USR_NAME", in: "Utilisateurs?limite=1&ordre=decroissant&apres=\(cursor)")
                    == ["DEMO"])

            // Their export imports again, as every domain's.
            let (_, again) = try await client.importer(
                .utilisateurs, try await client.csvRows("societes/DEMO/Utilisateurs"))
            #expect(again.statistics == statistics(imported: 2, rejected: 0), "\(again.journalMessages)")
            let other = try await client.lire("societes/DEMO/Utilisateurs", user: "LECTEUR", password: "lire")
            #expect(other.status == .forbidden)
        }
    }

    @Test(
        "grille lines come with their grille's label, which filters find, and their export creates the grilles again",
        arguments: TestBackend.available)
    func grillesWithTheirLabel(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.articles, ["ART_CODE;ART_LIB", "A1;Un", "A2;Deux"])
            let lines = [
                "TAR_CODE;TAR_LIB;ART_CODE;TAR_PRIX;TAR_BORNE", "G1;Gros;A1;12,5;10", "G1;Gros;A2;11;0",
                "G2;Détail;A1;15;0",
            ]
            let (_, grilles) = try await client.importer(.grillesTarifs, lines)
            try #require(grilles.statistics == statistics(imported: 3, rejected: 0), "\(grilles.journalMessages)")
            #expect(try await client.values(of: "TAR_LIB", in: "GrillesTarifs") == ["Gros", "Gros", "Détail"])
            #expect(try await client.values(of: "TAR_CODE", in: "GrillesTarifs?TAR_LIB=D%C3%A9tail") == ["G2"])
            #expect(try await client.values(of: "TAR_CODE", in: "GrillesTarifs?TAR_LIB.debut=Gr") == ["G1", "G1"])
            let one = try await client.lire("societes/DEMO/GrillesTarifs/G2///A1//EUR/0")
            #expect(try one.json()["TAR_LIB"] == .string("Détail"), "\(one.text)")

            // Thresholds in their numbers' order, page after page, either way.
            let paliers = ["TAR_CODE;TAR_LIB;ART_CODE;TAR_PRIX;TAR_BORNE", "G3;Paliers;A1;9;5", "G3;Paliers;A1;7;20"]
            _ = try await client.importer(.grillesTarifs, paliers + ["G3;Paliers;A1;8;100", "G3;Paliers;A1;10;2,5"])
            for (order, expected) in [
                ("croissant", ["2.500", "5.000", "20.000", "100.000"]),
                ("decroissant", ["100.000", "20.000", "5.000", "2.500"]),
            ] {
                var bounds: [String] = []
                var after: String?
                repeat {
                    let page = try await client.lire(
                        "societes/DEMO/GrillesTarifs?TAR_CODE=G3&limite=1&ordre=\(order)"
                            + (after.map { "&apres=\($0)" } ?? ""))
                    let json = try page.json()
                    guard case .array(let records) = json["enregistrements"],
                        case .number(let bound) = records.first?["TAR_BORNE"]
                    else { break }
                    bounds.append(bound)
                    after = json["suivant"]?.stringValue
                } while after != nil && bounds.count < 10
                #expect(bounds == expected, "\(order)")
            }
            try server.execute("DELETE FROM \"TGRILLES\" WHERE \"TAR_CODE\" = 'G3'")

            let rows = try await client.csvRows("societes/DEMO/GrillesTarifs")
            let before = try await client.lire("societes/DEMO/GrillesTarifs").text
            for table in ["TGRILLES", "TARIFS"] { try server.execute("DELETE FROM \"\(table)\"") }
            let (_, again) = try await client.importer(.grillesTarifs, rows)
            #expect(again.statistics == statistics(imported: 3, rejected: 0), "\(again.journalMessages)")
            #expect(try await client.lire("societes/DEMO/GrillesTarifs").text == before)
        }
    }

    @Test(
        "numbers the server gives, kept as text, order their records as numbers: 2 before 10",
        arguments: TestBackend.available)
    func serverNumbersInTheirOrder(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, actions) = try await client.importer(
                .actions, ["ACT_TYPE;ACT_OBJET"] + (1...11).map { "APPEL;Appel \($0)" })
            try #require(actions.statistics == statistics(imported: 11, rejected: 0), "\(actions.journalMessages)")
            let all = (1...11).map(String.init)
            #expect(try await client.values(of: "ACT_NUMERO", in: "Actions") == all)
            #expect(try await client.values(of: "ACT_NUMERO", in: "Actions?ordre=decroissant") == all.reversed())
            // Page after page, the cursor compares numbers too.
            let nine = try await client.lire("societes/DEMO/Actions?limite=9").json()
            let cursor = try #require(nine["suivant"]?.stringValue)
            #expect(try await client.values(of: "ACT_NUMERO", in: "Actions?limite=3&apres=\(cursor)") == ["10", "11"])
        }
    }

    @Test("the domains and their fields, for clients that map files and show records", arguments: TestBackend.available)
    func domaines(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let answer = try await client.execute(uri: "/api/comptoir/v1/domaines", method: .get) { $0 }
            let json = try JSONValue.parse(Array(answer.body.readableBytesView))
            guard case .array(let domaines) = json["domaines"] else {
                Issue.record("pas de domaines")
                return
            }
            #expect(domaines.compactMap { $0["nom"]?.stringValue } == Domaine.all.map(\.name))
            let vente = try #require(domaines.first { $0["nom"] == .string("DocumentsVente") })
            #expect(vente["cle"] == .array([.string("DOC_NUMERO")]))
            #expect(
                vente["requete"]
                    == .object([
                        ("racine", .string("importer_documents_vente")), ("lignes", .string("fichier_documents_vente")),
                    ]))
            guard case .array(let enfants) = vente["enfants"] else { return }
            #expect(enfants.first?["nom"] == .string("lignes"))
        }
    }
}

/// What a read of the API answered.
struct ReadAnswer {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue { try JSONValue.parse(body) }
}

extension TestClientProtocol {
    /// The rows of `path` read in CSV, its BOM dropped, each without its CRLF.
    func csvRows(_ path: String) async throws -> [String] {
        let csv = try await lire(path, accept: "text/csv")
        try #require(csv.status == .ok, "\(path): \(csv.text)")
        return String(decoding: csv.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").dropLast()
    }

    /// GETs `/api/comptoir/v1/<path>` as `user`, by HTTP Basic.
    func lire(_ path: String, user: String = "DEMO", password: String = "", accept: String? = nil) async throws
        -> ReadAnswer
    {
        var headers: HTTPFields = [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
        if let accept { headers[.accept] = accept }
        return try await execute(uri: "/api/comptoir/v1/\(path)", method: .get, headers: headers) { response in
            ReadAnswer(status: response.status, headers: response.headers, body: Array(response.body.readableBytesView))
        }
    }

    /// The values of `field` of the records of DEMO's page `path` (`Clients?PCF_VILLE=Paris`).
    func values(of field: String, in path: String) async throws -> [String] {
        let page = try await lire("societes/DEMO/\(path)")
        try #require(page.status == .ok, "\(path): \(page.text)")
        guard case .array(let records) = try page.json()["enregistrements"] else { return [] }
        return records.compactMap { $0[field]?.stringValue }
    }

    /// Adds a user to DEMO, through DEMO's administrator's import.
    func addUser(_ code: String, password: String, group: String = "ADMIN") async throws {
        let (_, answer) = try await importer(
            .utilisateurs, ["USR_NAME;USR_PASSWD;USR_GROUPE", "\(code);\(password);\(group)"])
        try #require(answer.statistics == statistics(imported: 1, rejected: 0), "\(answer.journalMessages)")
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    var isNumber: Bool {
        if case .number = self { true } else { false }
    }
}
