import ComptoirCore
import ComptoirTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Loopback
import Testing

/// Every refusal of the contract's section 6: its status, its French message, and nothing stored.
@Suite struct RefusalTests {
    static let lines = ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Alpha"]

    static let badRequests: [(body: String, message: String)] = [
        ("pas du JSON", "Le corps de la requête n'est pas un JSON valide : valeur attendue (octet 1)"),
        ("", "Le corps de la requête est vide"),
        (
            importBody(root: "importer_fournisseurs", lines: lines),
            "Le corps de la requête doit avoir une seule clé racine, importer_clients"
        ),
        (
            #"{"importer_clients": {"societe": {}, "parametres": {}}, "autre": {}}"#,
            "Le corps de la requête doit avoir une seule clé racine, importer_clients"
        ),
        (#"{"importer_clients": {"parametres": {}}}"#, "Paramètre societe manquant"),
        (
            #"{"importer_clients": {"societe": [], "parametres": {}}}"#,
            "Le paramètre societe doit être un objet, pas un tableau"
        ),
        (importBody(linesKey: "fichier_fournisseurs", lines: lines), "Paramètre fichier_clients manquant"),
        (importBody(fichier: "", lines: lines), "Paramètre fichier manquant"),
        (
            importBody(lines: lines, parametres: [("entete", "Oui"), ("journal", "Peut-être")]),
            "Le paramètre journal doit valoir Oui ou Non, pas « Peut-être »"
        ),
        (
            importBody(lines: lines, parametres: [("entete", "Oui"), ("separateur_champs", ";;")]),
            "Le séparateur de champs (separateur_champs) doit être un seul caractère, pas « ;; »"
        ),
        (
            importBody(lines: lines, parametres: [("entete", "Oui"), ("identificateur_texte", "\"\"")]),
            "L'identificateur de texte (identificateur_texte) doit être un seul caractère, pas « \"\" »"
        ),
        (
            importBody(lines: lines, parametres: [("journal", "Oui")]),
            "Aucun nom de champ : renseignez noms_champs ou mettez entete à Oui avec les noms en première ligne"
        ),
        (
            importBody(lines: ["PCF_CODE;PCF_RS;pcf_code", "C1;A;C1"]),
            "Le champ PCF_CODE est présent deux fois dans les noms de champs"
        ),
        (
            #"{"importer_clients": {"societe": {"fichier": "DEMO", "fichier": "X", "utilisateur": "DEMO"}, "parametres": {}}}"#,
            "La clé fichier est présente deux fois dans un même objet"
        ),
        (
            importBody(fichier: "../DEMO.Gestimum/..", lines: lines),
            "Le nom de société « .. » est invalide : il ne peut pas commencer par un point"
        ),
    ]

    @Test(arguments: badRequests)
    func badRequestsAreRefusedWith400(body: String, message: String) async throws {
        let server = try TestServer()
        try await server.run { client in
            let (status, answer) = try await client.post(body)
            #expect(status == .badRequest)
            #expect(answer == Answer.error(message))
        }
        #expect(try server.rows("TIERS").isEmpty)
    }

    @Test func unknownUserAndWrongPasswordGetTheSame401() async throws {
        let server = try TestServer()
        try await server.run { client in
            for (fichier, user, password) in [
                ("DEMO", "NOBODY", ""), ("ALPHA", "ADMIN", "wrong"), ("ALPHA", "ADMIN", ""), ("DEMO", "DEMO", "x"),
            ] {
                let body = importBody(fichier: fichier, utilisateur: user, motPasse: password, lines: Self.lines)
                let (status, answer) = try await client.post(body)
                #expect(status == .unauthorized)
                #expect(answer == Answer.error("Utilisateur ou mot de passe incorrect"))
            }
            let (status, _) = try await client.post(
                importBody(fichier: "ALPHA", utilisateur: "ADMIN", motPasse: "secret", lines: Self.lines)
            )
            #expect(status == .ok)
        }
        #expect(try server.rows("TIERS").isEmpty)
        #expect(try server.rows("TIERS", societe: "ALPHA").count == 1)
    }

    @Test func aMissingSocieteIs404AndIsNotCreated() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (status, answer) = try await client.post(
                importBody(fichier: "C:\\Gestimum\\NOPE.Gestimum", lines: Self.lines))
            #expect(status == .notFound)
            #expect(answer == Answer.error("La société NOPE.Gestimum est introuvable"))
        }
        #expect(!FileManager.default.fileExists(atPath: server.folder + "/NOPE.Gestimum"))
    }

    @Test("a connection file the operator must mend is a 503 that says why, as a database that refuses the login")
    func aBrokenConnectionFileIs503() async throws {
        let server = try TestServer()
        try "; Fichier de connexion Comptoir\n[Connexion]\nMoteur=PostgreSQL\nHote=h\n".write(
            toFile: server.folder + "/CASSE.Gestimum", atomically: true, encoding: .utf8)
        try await server.run { client in
            let (status, answer) = try await client.post(importBody(fichier: "CASSE", lines: Self.lines))
            #expect(status == .serviceUnavailable)
            #expect(
                answer == Answer.error("Le fichier de connexion de la société CASSE est invalide : la clé Base manque"))
            // A password written without its key is never shown to the client.
            try "; Fichier de connexion Comptoir\n[Connexion]\nMoteur=PostgreSQL\nMotDePasse hunter2\n".write(
                toFile: server.folder + "/CASSE.Gestimum", atomically: true, encoding: .utf8)
            let (_, secret) = try await client.post(importBody(fichier: "CASSE", lines: Self.lines))
            #expect(
                secret
                    == Answer.error(
                        "Le fichier de connexion de la société CASSE est invalide : ligne 4 incorrecte (clé=valeur attendu)"
                    ))
        }
    }

    @Test("a société file cut short is a 503 that says it is damaged, never a 500")
    func aDamagedSocieteIs503() async throws {
        let server = try TestServer()
        try await server.run { client in
            let lines = (1...3000).map { "C\($0);411C\($0);Client numéro \($0)" }
            let (status, _) = try await client.importer(.clients, ["PCF_CODE;CPT_NUMERO;PCF_RS"] + lines)
            #expect(status == .ok)
        }
        // A copy cut short, as a disk that lost the end of the file leaves it.
        let file = try #require(FileHandle(forUpdatingAtPath: server.demoPath))
        try file.truncate(atOffset: try file.seekToEnd() / 2)
        try file.close()
        try await server.run { client in
            let (status, answer) = try await client.post(importBody(fichier: "DEMO", lines: Self.lines))
            #expect(status == .serviceUnavailable)
            #expect(
                answer
                    == Answer.error(
                        "Le fichier de la société DEMO est endommagé : rien n'y a été écrit ; "
                            + "vérifiez-le (comptoir societe verifier DEMO) et restaurez sa dernière sauvegarde"))
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let server = try TestServer(bodyLimit: 1024)
        let body = importBody(lines: Self.lines + (1...100).map { "C\($0);411C\($0);Client \($0)" })
        try await server.run { client in
            let (status, answer) = try await client.post(body)
            #expect(status == .contentTooLarge)
            #expect(answer == Answer.error("Requête trop volumineuse (limite : 1 Kio)"))
        }
        #expect(try server.rows("TIERS").isEmpty)
    }

    @Test func unknownDomainsAndPaths404WrongMethods405() async throws {
        let server = try TestServer()
        try await server.run { client in
            let cases: [(String, HTTPRequest.Method, HTTPResponse.Status, String)] = [
                // Contacts is served now: a body for Clients is refused as a body, not as a domain.
                (
                    "/api/rest/Contacts/%22Importer%22", .post, .badRequest,
                    "Le corps de la requête doit avoir une seule clé racine, importer_contacts"
                ),
                // Every one of Gestimum's 34 imports is served: any other name is an unknown path,
                // a misspelt one too.
                (
                    "/api/rest/Inventaires/%22Importer%22", .post, .notFound,
                    "Requête inconnue : /api/rest/Inventaires/%22Importer%22"
                ),
                (
                    "/api/rest/Client/%22Importer%22", .post, .notFound,
                    "Requête inconnue : /api/rest/Client/%22Importer%22"
                ),
                ("/api/rest/Clients/%22Importer", .post, .notFound, "Requête inconnue : /api/rest/Clients/%22Importer"),
                ("/api/rest/Clients/%22%22", .post, .notFound, "Requête inconnue : /api/rest/Clients/%22%22"),
                ("/ailleurs", .get, .notFound, "Requête inconnue : /ailleurs"),
                (
                    "/api/rest/Clients/%22Importer%22", .get, .methodNotAllowed,
                    "La requête Clients/Importer s'appelle avec la méthode POST"
                ),
                (
                    "/api/rest/Outils/%22Version%22", .post, .methodNotAllowed,
                    "La requête Outils/Version s'appelle avec la méthode GET"
                ),
            ]
            for (path, method, status, message) in cases {
                let body = ByteBuffer(string: importBody(lines: Self.lines))
                try await client.execute(uri: path, method: method, body: body) { response in
                    #expect(response.status == status, "\(path)")
                    let answer = try JSONValue.parse(Array(response.body.readableBytesView))
                    #expect(answer == Answer.error(message))
                    // A 405 says which methods the path takes: HEAD wherever GET is.
                    let allowed = method == .get ? "POST" : "GET, HEAD"
                    #expect(response.headers[.allow] == (status == .methodNotAllowed ? allowed : nil), "\(path)")
                }
            }
        }
        #expect(try server.rows("TIERS").isEmpty)
    }

    @Test("HEAD answers GET's headers without its body; not where GET is not, nor on the read API")
    func headAnswersGetsHeaders() async throws {
        let server = try TestServer()
        try await server.run { client in
            for path in ["/api/rest/Outils/%22Version%22", "/api/rest/Outils/VersionERP/", "/openapi.json", "/console"]
            {
                let got = try await client.execute(uri: path, method: .get)
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == .ok, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(head.headers[.contentLength] == String(got.body.readableBytes), "\(path)")
                #expect(head.headers[.contentType] == got.headers[.contentType], "\(path)")
            }
            for (path, allowed) in [
                ("/api/rest/Clients/%22Importer%22", "POST"), ("/api/comptoir/v1/domaines", "GET"),
            ] {
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == .methodNotAllowed, "\(path)")
                #expect(head.headers[.allow] == allowed, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
            }
        }
    }

    /// DataSnap's proxies call methods without quotes and with a final `/`; Delphi's REST
    /// client quotes them; either may add a query string.
    @Test func everyDataSnapAddressingFormIsServed() async throws {
        let server = try TestServer()
        try await server.run { client in
            let imports = [
                "/api/rest/Clients/%22Importer%22/", "/api/rest/Clients/Importer", "/api/rest/clients/importer/",
                "/api/rest/Clients/\"Importer\"", "/api/rest/Clients/%22Importer%22/?ts=1",
                "/api/rest/Clients/Importer?_=2",
            ]
            for (index, path) in imports.enumerated() {
                let body = ByteBuffer(
                    string: importBody(lines: [Self.lines[0], "C\(index);411C\(index);Client \(index)"]))
                try await client.execute(uri: path, method: .post, body: body) { response in
                    #expect(response.status == .ok, "\(path): \(String(buffer: response.body))")
                }
            }
            let versions = [
                "/api/rest/Outils/Version", "/api/rest/Outils/Version/", "/api/rest/Outils/%22VersionERP%22/",
                "/api/rest/outils/versionerp", "/api/rest/Outils/%22Version%22?x=y",
            ]
            for path in versions {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path): \(String(buffer: response.body))")
                }
            }
        }
        #expect(try server.rows("TIERS").count == 6)
    }

    /// DataSnap's clients send `text/plain;charset=UTF-8`, others JSON, a form type or nothing;
    /// the body may be wrapped in `{"_parameters":[…]}`, start with a BOM, or break its lines
    /// with CRLF.
    @Test func bodiesInEveryFormADataSnapClientSends() async throws {
        let server = try TestServer()
        try await server.run { client in
            func body(_ index: Int) -> String {
                importBody(lines: [Self.lines[0], "C\(index);411C\(index);Client \(index)"])
            }
            let cases: [(String?, String)] = [
                ("text/plain;charset=UTF-8", body(0)), (nil, body(1)), ("application/x-www-form-urlencoded", body(2)),
                ("application/json", #"{"_parameters":["# + body(3) + "]}"),
                ("text/plain;charset=UTF-8", "\u{FEFF}" + body(4)),
                ("application/json", body(5).replacingOccurrences(of: ",", with: ",\r\n  ")),
            ]
            for (contentType, text) in cases {
                var headers = HTTPFields()
                if let contentType { headers[.contentType] = contentType }
                try await client.execute(
                    uri: clientsPath, method: .post, headers: headers, body: ByteBuffer(string: text)
                ) {
                    response in
                    #expect(response.status == .ok, "\(contentType ?? "none"): \(String(buffer: response.body))")
                }
            }
        }
        #expect(try server.rows("TIERS").count == 6)
    }

    @Test("a compressed body is refused with what the client may send instead, and nothing is stored")
    func codedBodies() async throws {
        let server = try TestServer()
        let body = importBody(lines: Self.lines)
        try await server.run(testing: .live) { client in
            for (coding, status) in [("gzip", HTTPResponse.Status.unsupportedMediaType), ("identity", .ok)] {
                try await client.execute(
                    uri: clientsPath, method: .post, headers: [.contentEncoding: coding], body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == status, "\(coding): \(String(buffer: response.body))")
                    guard status != .ok else { return }
                    #expect(response.headers[.acceptEncoding] == "identity")
                    let answer = try JSONValue.parse(Array(response.body.readableBytesView))
                    #expect(
                        answer
                            == Answer.error(
                                "Le corps de la requête est compressé (Content-Encoding : gzip) : Comptoir le lit sans compression"
                            ))
                }
            }
            #expect(try server.rows("TIERS").count == 1)
            // Transfer codings, written byte for byte: HTTP clients add their own.
            let port = try #require(client.port)
            let chunk = String(body.utf8.count, radix: 16) + "\r\n" + body + "\r\n0\r\n\r\n"
            for (coding, sent, status, message) in [
                (
                    "gzip", body, "400",
                    "Codage de transfert non pris en charge (Transfer-Encoding : gzip) : sans chunked en dernier, la fin du corps ne peut pas être lue"
                ),
                (
                    "gzip, chunked", chunk, "501",
                    "Codage de transfert non pris en charge (Transfer-Encoding : gzip) : seul chunked l'est"
                ),
            ] {
                let socket = try #require(LoopbackSocket(port: port))
                let request =
                    "POST \(clientsPath) HTTP/1.1\r\nHost: comptoir\r\nTransfer-Encoding: \(coding)\r\n\r\n\(sent)"
                #expect(socket.send(Array(request.utf8)))
                var received: [UInt8] = []
                var closed = false
                reading: while true {
                    switch socket.read(timeout: 2) {
                    case .data(let bytes): received += bytes
                    case .closed:
                        closed = true
                        break reading
                    case .timeout: break reading
                    }
                }
                let answer = String(decoding: received, as: UTF8.self)
                #expect(answer.hasPrefix("HTTP/1.1 \(status) "), "\(coding): \(answer)")
                #expect(answer.hasSuffix(Answer.error(message).asciiText), "\(coding): \(answer)")
                // Where a body of unknown end stops cannot be known: nothing after it is a request.
                #expect(closed == (status == "400"), "\(coding)")
            }
        }
        #expect(try server.rows("TIERS").count == 1)
    }

    @Test(
        "a body that declares Windows-1252 or Latin-1 is read in it, unless a byte order mark says otherwise; undeclared, it is refused as UTF-8"
    )
    func declaredWindows1252() async throws {
        let server = try TestServer()
        // Written with its accents, not escaped as DataSnap writes them.
        @Sendable func body(_ code: String, _ encoding: TextEncoding = .windows1252) -> [UInt8] {
            encoding.encode(
                #"{"importer_clients": {"societe": {"fichier": "DEMO", "utilisateur": "DEMO"}, "parametres": "#
                    + #"{"entete": "Oui", "fichier_clients": ["PCF_CODE;CPT_NUMERO;PCF_RS", "\#(code);411\#(code);Hôtel de l'Œuvre"]}}}"#,
                startsFile: true)
        }
        let utf16: [UInt8] =
            [0xFF, 0xFE] + "{}".utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try await server.run { client in
            let windows1252 = "text/plain; charset=windows-1252"
            let cases: [(String, [UInt8], HTTPResponse.Status, String?)] = [
                (windows1252, body("H1"), .ok, nil),
                ("application/json;charset=\"ISO-8859-1\"", body("H2"), .ok, nil),
                ("application/json", body("H3"), .badRequest, nil),
                // A file saved in UTF-8 by an editor that marks it, sent by a client that declares ANSI.
                (windows1252, body("H4", .utf8WithBOM), .ok, nil),
                (
                    windows1252, utf16, .badRequest,
                    "Le corps de la requête est en UTF-16 : il doit être en UTF-8, ou en Windows-1252 déclaré par son Content-Type"
                ),
            ]
            for (contentType, bytes, status, message) in cases {
                try await client.execute(
                    uri: clientsPath, method: .post, headers: [.contentType: contentType],
                    body: ByteBuffer(bytes: bytes)
                ) { response in
                    #expect(response.status == status, "\(contentType): \(String(buffer: response.body))")
                    if let message { #expect(String(buffer: response.body) == Answer.error(message).asciiText) }
                }
            }
        }
        #expect(try server.rows("TIERS").map { $0["PCF_RS"] ?? nil } == Array(repeating: "Hôtel de l'Œuvre", count: 3))
    }

    @Test(arguments: TestBackend.available) func versionsAnswerWithTheBuildDate(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            for path in ["/api/rest/Outils/%22Version%22", "/api/rest/Outils/%22VersionERP%22"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    let answer = try JSONValue.parse(Array(response.body.readableBytesView))
                    guard case .array(let results) = answer["result"],
                        case .string(let message) = results.first?["message"]
                    else { return #expect(Bool(false), "no message in \(answer)") }
                    #expect(results.first?["resultat"] == .string("succès"))
                    #expect(message.wholeMatch(of: #/[0-9.]+ \(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\)/#) != nil, "\(message)")
                }
            }
        }
    }
}
