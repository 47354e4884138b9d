import ComptoirCore
import ComptoirHTTP
import ComptoirStore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

// Hostile and broken bodies through the web service (issue 4): each refused request answers
// 400 with {"error": <French message>} and stores nothing; a body over the limit answers 413;
// huge lines are processed without a crash.

/// A request body as bytes, with the name a failing test shows.
struct HostileBody: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// The exact message, when the contract or the code fixes it; else any French message.
    let message: String?

    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ message: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.message = message
    }

    init(_ name: String, _ text: String, _ message: String? = nil) {
        self.init(name, Array(text.utf8), message)
    }
}

/// The body of a Clients import of DEMO, with `parametres` given as JSON text.
private func clientsBody(
    fichier: String = #""DEMO""#, utilisateur: String = #""DEMO""#,
    lines: String = #"["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Alpha"]"#,
    parametres: String = #""journal": "Oui", "statistiques": "Oui", "entete": "Oui""#
) -> String {
    """
    {"importer_clients": {"societe": {"fichier": \(fichier), "utilisateur": \(utilisateur), "mot_passe": ""},
     "parametres": {\(parametres), "fichier_clients": \(lines)}}}
    """
}

/// The body of a Clients import of DEMO with `lines`, written by the project's JSON writer.
private func clientsBody(
    lines: [String], parametres: [(String, String)] = [("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Oui")]
) -> String {
    let members: [(key: String, value: JSONValue)] =
        parametres.map { ($0.0, JSONValue.string($0.1)) } + [("fichier_clients", .array(lines.map(JSONValue.string)))]
    return JSONValue.object([
        (
            "importer_clients",
            .object([
                (
                    "societe",
                    .object([
                        ("fichier", .string("DEMO")), ("utilisateur", .string("DEMO")), ("mot_passe", .string("")),
                    ])
                ),
                ("parametres", .object(members)),
            ])
        )
    ]).asciiText
}

/// Checks that `message` is one of Comptoir's French messages, not a leaked Swift or Foundation description.
private func expectFrenchMessage(
    _ message: String?, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let message, !message.isEmpty else {
        Issue.record("no message \(context)", sourceLocation: sourceLocation)
        return
    }
    for leak in [
        "Error Domain", "The operation", "couldn", "error", "Error", "Swift.", "Optional(", "nil", "expected",
        "unexpected", "Internal", "Erreur interne",
    ] {
        #expect(
            !message.contains(leak), "« \(leak) » in « \(message.prefix(300)) » \(context)",
            sourceLocation: sourceLocation)
    }
    let french: Set<String> = [
        "le", "la", "les", "de", "du", "des", "est", "pas", "doit", "un", "une", "trop", "attendu", "attendue",
        "invalide",
        "champ", "clé", "paramètre", "ligne", "requête", "corps", "valide", "société", "introuvable", "aucun",
        "caractère",
    ]
    let words = message.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
    #expect(
        words.contains(where: french.contains), "« \(message.prefix(300)) » is not French \(context)",
        sourceLocation: sourceLocation)
}

extension TestClientProtocol {
    /// POSTs raw bytes to the Clients import and returns the status and the parsed answer.
    fileprivate func postBytes(_ bytes: [UInt8], to path: String = "/api/rest/Clients/%22Importer%22") async throws -> (
        HTTPResponse.Status, JSONValue
    ) {
        try await execute(uri: path, method: .post, body: ByteBuffer(bytes: bytes)) { response in
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            return (response.status, try JSONValue.parse(Array(response.body.readableBytesView)))
        }
    }
}

extension JSONValue {
    /// The `error` of a refusal, when the answer is exactly `{"error": <string>}`.
    fileprivate var onlyError: String? {
        guard case .object(let members) = self, members.count == 1, members[0].key == "error",
            case .string(let message) = members[0].value
        else { return nil }
        return message
    }

    /// `nombre_lignes_importées` and `nombre_lignes_non_importées` of an import's answer.
    fileprivate var counts: (imported: String?, rejected: String?) {
        guard case .object(let root) = self,
            case .array(let results)? = root.first(where: { $0.key == "result" })?.value,
            case .object(let result)? = results.first,
            case .object(let statistics)? = result.first(where: { $0.key == "statistiques" })?.value
        else { return (nil, nil) }
        func text(_ key: String) -> String? {
            if case .string(let value)? = statistics.first(where: { $0.key == key })?.value { value } else { nil }
        }
        return (text("nombre_lignes_importées"), text("nombre_lignes_non_importées"))
    }

    /// The journal lines of an import's answer, without their time stamps.
    fileprivate var journal: [String] {
        guard case .object(let root) = self,
            case .array(let results)? = root.first(where: { $0.key == "result" })?.value,
            case .object(let result)? = results.first,
            case .array(let lines)? = result.first(where: { $0.key == "journal" })?.value
        else { return [] }
        return lines.compactMap { line in
            if case .string(let text) = line { String(text.dropFirst("dd/MM/yyyy HH:mm:ss ".count)) } else { nil }
        }
    }
}

@Suite("Hostile and broken bodies through the web service")
struct HostileInputTests {
    static let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    static let deepObjects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
    /// A body otherwise in ASCII, refused at its first byte above 0x7F.
    static func notUTF8(_ name: String, _ bytes: [UInt8]) -> HostileBody {
        let offset = (bytes.firstIndex { $0 > 0x7F } ?? bytes.count) + 1
        return HostileBody(name, bytes, "Le corps de la requête n'est pas un texte UTF-8 valide (octet \(offset))")
    }

    static let bodies: [HostileBody] = [
        // Invalid UTF-8, inside and outside strings.
        notUTF8(
            "invalid UTF-8 in fichier", Array(clientsBody(fichier: "\"DEMO@\"").utf8).map { $0 == 0x40 ? 0xFF : $0 }),
        notUTF8(
            "invalid UTF-8 in a line",
            Array(clientsBody(lines: #"["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Alph@"]"#).utf8).map {
                $0 == 0x40 ? 0xC3 : $0
            }),
        notUTF8(
            "overlong /",
            Array(#"{"importer_clients": {"societe": {"fichier": ""#.utf8) + [0xC0, 0xAF] + Array(#""}}}"#.utf8)),
        notUTF8("UTF-16 surrogate in UTF-8", Array(#"["#.utf8) + [0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]),
        notUTF8(
            "a Windows-1252 file",
            Array(clientsBody(lines: #"["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Soci@t@"]"#).utf8).map {
                $0 == 0x40 ? 0xE9 : $0
            }),
        HostileBody(
            "0xFF before the document", [0xFF] + Array(clientsBody().utf8),
            "Le corps de la requête n'est pas un JSON valide : valeur attendue (octet 1)"),
        HostileBody("a lone surrogate escape", clientsBody(fichier: #""DEMO\uD800""#)),
        HostileBody("UTF-16 body", [0xFF, 0xFE] + clientsBody().utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
        // Qualifier left open in the header, names repeated 100 000 times.
        HostileBody(
            "qualifier left open in the header",
            clientsBody(
                lines: #"["\"PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Alpha"]"#,
                parametres: #""entete": "Oui", "identificateur_texte": "\"""#),
            "La ligne d'en-tête est invalide : Identificateur de texte non fermé"),
        HostileBody(
            "the same name 100 000 times in the header",
            clientsBody(lines: "[\"" + Array(repeating: "PCF_RS", count: 100_000).joined(separator: ";") + "\"]"),
            "Le champ PCF_RS est présent deux fois dans les noms de champs"),
        // Deep nesting.
        HostileBody("arrays nested 100 000 deep", deep),
        HostileBody("objects nested 100 000 deep", deepObjects),
        HostileBody("nested 100 000 deep in place of the lines", clientsBody(lines: deep)),
        HostileBody("nested 100 000 deep, left open", String(repeating: "[", count: 100_000)),
        // Other kinds where strings belong.
        HostileBody(
            "a number for fichier", clientsBody(fichier: "12"),
            "Le paramètre fichier doit être une chaîne, pas un nombre"),
        HostileBody(
            "a huge number for fichier", clientsBody(fichier: "1" + String(repeating: "0", count: 100_000) + "e999999"),
            "Le paramètre fichier doit être une chaîne, pas un nombre"),
        HostileBody(
            "null for utilisateur", clientsBody(utilisateur: "null"),
            "Le paramètre utilisateur doit être une chaîne, pas null"),
        HostileBody(
            "an array for utilisateur", clientsBody(utilisateur: #"["DEMO"]"#),
            "Le paramètre utilisateur doit être une chaîne, pas un tableau"),
        HostileBody(
            "an object for fichier", clientsBody(fichier: #"{"nom": "DEMO"}"#),
            "Le paramètre fichier doit être une chaîne, pas un objet"),
        HostileBody(
            "a boolean for entete", clientsBody(parametres: #""entete": true"#),
            "Le paramètre entete doit être une chaîne, pas un booléen"),
        HostileBody(
            "an array for separateur_champs", clientsBody(parametres: #""entete": "Oui", "separateur_champs": [";"]"#),
            "Le paramètre separateur_champs doit être une chaîne, pas un tableau"),
        HostileBody(
            "an object for journal", clientsBody(parametres: #""entete": "Oui", "journal": {}"#),
            "Le paramètre journal doit être une chaîne, pas un objet"),
        HostileBody(
            "null for noms_champs", clientsBody(parametres: #""noms_champs": null"#),
            "Le paramètre noms_champs doit être une chaîne, pas null"),
        HostileBody(
            "a number among the lines", clientsBody(lines: #"["PCF_CODE;CPT_NUMERO;PCF_RS", 411]"#),
            "Le paramètre fichier_clients doit être un tableau de chaînes : il contient un nombre"),
        HostileBody(
            "null among the lines", clientsBody(lines: #"["PCF_CODE;CPT_NUMERO;PCF_RS", null]"#),
            "Le paramètre fichier_clients doit être un tableau de chaînes : il contient null"),
        HostileBody(
            "an object among the lines", clientsBody(lines: #"["PCF_CODE;CPT_NUMERO;PCF_RS", {"PCF_CODE": "C1"}]"#),
            "Le paramètre fichier_clients doit être un tableau de chaînes : il contient un objet"),
        HostileBody(
            "an array among the lines", clientsBody(lines: #"["PCF_CODE;CPT_NUMERO;PCF_RS", ["C1"]]"#),
            "Le paramètre fichier_clients doit être un tableau de chaînes : il contient un tableau"),
        HostileBody(
            "the lines as one string", clientsBody(lines: #""PCF_CODE;CPT_NUMERO;PCF_RS""#),
            "Le paramètre fichier_clients doit être un tableau de chaînes"),
        HostileBody(
            "societe as a string", #"{"importer_clients": {"societe": "DEMO", "parametres": {}}}"#,
            "Le paramètre societe doit être un objet, pas une chaîne"),
        HostileBody(
            "parametres as a number", #"{"importer_clients": {"societe": {}, "parametres": 0}}"#,
            "Le paramètre parametres doit être un objet, pas un nombre"),
        HostileBody(
            "the root as an array", "[" + clientsBody() + "]",
            "Le corps de la requête doit être un objet JSON avec la clé importer_clients"),
        HostileBody(
            "the root as null", "null", "Le corps de la requête doit être un objet JSON avec la clé importer_clients"),
        HostileBody(
            "the root's content as a string", #"{"importer_clients": "tout"}"#,
            "Le paramètre importer_clients doit être un objet, pas une chaîne"),
        // Duplicate keys.
        HostileBody(
            "fichier twice",
            #"{"importer_clients": {"societe": {"fichier": "DEMO", "fichier": "../../etc/passwd", "utilisateur": "DEMO"}, "parametres": {}}}"#,
            "La clé fichier est présente deux fois dans un même objet"),
        HostileBody(
            "the lines twice", clientsBody(parametres: #""entete": "Oui", "fichier_clients": []"#),
            "La clé fichier_clients est présente deux fois dans un même objet"),
        HostileBody(
            "the root key twice", "{\"importer_clients\": {}, " + clientsBody().dropFirst(),
            "La clé importer_clients est présente deux fois dans un même objet"),
        HostileBody(
            "societe twice", #"{"importer_clients": {"societe": {}, "parametres": {}, "societe": {}}}"#,
            "La clé societe est présente deux fois dans un même objet"),
        // Byte order marks.
        HostileBody(
            "two byte order marks", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array(clientsBody().utf8),
            "Le corps de la requête n'est pas un JSON valide : valeur attendue (octet 4)"),
        HostileBody("a byte order mark after a space", [0x20, 0xEF, 0xBB, 0xBF] + Array(clientsBody().utf8)),
        HostileBody("a byte order mark at the end", Array(clientsBody().utf8) + [0xEF, 0xBB, 0xBF]),
        HostileBody("a byte order mark in fichier", clientsBody(fichier: "\"\u{FEFF}DEMO\"")),
        // Truncated, and trailing garbage.
        HostileBody("cut in the middle", String(clientsBody().prefix(60))),
        HostileBody("garbage after the document", clientsBody() + " {}"),
        HostileBody("NUL bytes", [0x00, 0x00] + Array(clientsBody().utf8)),
        HostileBody(
            "a separator of two characters",
            clientsBody(parametres: #""entete": "Oui", "separateur_champs": "e\u0301""#),
            "Le séparateur de champs (separateur_champs) doit être un seul caractère, pas « é »"),
    ]

    @Test("refused bodies answer 400 with a French error and store nothing", arguments: bodies)
    func refusedBodies(body: HostileBody) async throws {
        let server = try TestServer()
        let before = try server.snapshot()
        try await server.run { client in
            let (status, answer) = try await client.postBytes(body.bytes)
            #expect(status == .badRequest, "\(answer.asciiText.prefix(300))")
            let message = answer.onlyError
            #expect(message != nil, "the answer is not {\"error\": …}: \(answer.asciiText.prefix(300))")
            expectFrenchMessage(message, body.name)
            if let expected = body.message { #expect(message == expected) }
            // The service is still up: a valid import goes through.
            let (next, _) = try await client.postBytes(Array(clientsBody(lines: ["PCF_CODE;CPT_NUMERO;PCF_RS"]).utf8))
            #expect(next == .ok)
        }
        #expect(try server.snapshot() == before, "something was stored by a refused request")
    }

    @Test("one byte order mark before the body is allowed: the import runs")
    func leadingByteOrderMark() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (status, answer) = try await client.postBytes([0xEF, 0xBB, 0xBF] + Array(clientsBody().utf8))
            #expect(status == .ok, "\(answer.asciiText)")
            #expect(answer.counts == ("1", "0"))
        }
        #expect(try server.count("SELECT COUNT(*) FROM TIERS WHERE PCF_CODE = 'C1'") == 1)
    }

    @Test("lines as a client splitting a Windows file leaves them: CR, LF, BOM; a NUL rejects its line")
    func linesFromASplitFile() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (_, split) = try await client.postBytes(
                Array(clientsBody(lines: ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_VILLE\r", "LA1;411LA1;R1;Paris\r\n"]).utf8))
            #expect(split.counts == ("1", "0"))
            #expect(!split.journal.contains { $0.contains("inconnu") }, "\(split.journal)")
            let (_, marked) = try await client.postBytes(
                Array(
                    clientsBody(
                        lines: ["\u{FEFF}NB1;411NB1;R"],
                        parametres: [
                            ("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Non"),
                            ("noms_champs", "PCF_CODE;CPT_NUMERO;PCF_RS"),
                        ]
                    ).utf8))
            #expect(marked.counts == ("1", "0"))
            let (_, nul) = try await client.postBytes(
                Array(clientsBody(lines: ["PCF_CODE;CPT_NUMERO;PCF_RS", "NUL\u{0}X;411NULX;R"]).utf8))
            #expect(nul.counts == ("0", "1"))
            #expect(nul.journal.contains("Le champ 1 contient un caractère nul (U+0000)"))
        }
        #expect(try server.count("SELECT COUNT(*) FROM TIERS WHERE PCF_CODE = 'LA1' AND PCF_VILLE = 'Paris'") == 1)
        #expect(try server.count("SELECT COUNT(*) FROM TIERS WHERE PCF_CODE = 'NB1'") == 1)
        #expect(try server.count("SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'NUL%'") == 0)
    }

    @Test("a data line with its qualifier left open is rejected in French, and stores nothing")
    func dataLineWithQualifierLeftOpen() async throws {
        let server = try TestServer()
        let body = clientsBody(
            lines: ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;\"Alpha; et fils"],
            parametres: [
                ("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Oui"), ("identificateur_texte", "\""),
            ])
        try await server.run { client in
            let (status, answer) = try await client.postBytes(Array(body.utf8))
            #expect(status == .ok)
            #expect(answer.counts == ("0", "1"))
            #expect(answer.journal.contains("La ligne 1 n'a pas pu être importée :"))
            #expect(answer.journal.contains("Identificateur de texte non fermé"))
        }
        #expect(try server.count("SELECT COUNT(*) FROM TIERS") == 0)
        #expect(try server.count("SELECT COUNT(*) FROM COMPTES WHERE \(importedAccounts)") == 0)
    }

    @Test("a data line of 100 000 fields is rejected in French; one with 100 000 empty extra fields is imported")
    func hundredThousandFields() async throws {
        let server = try TestServer()
        let wide = Array(repeating: "x", count: 100_000).joined(separator: ";")
        let padded = "C2;411C2;Beta" + String(repeating: ";", count: 99_997)
        try await server.run { client in
            let (status, answer) = try await client.postBytes(
                Array(clientsBody(lines: ["PCF_CODE;CPT_NUMERO;PCF_RS", wide, padded]).utf8))
            #expect(status == .ok)
            #expect(answer.counts == ("1", "1"))
            #expect(answer.journal.contains("La ligne comporte 100000 champs alors que 3 sont attendus"))
        }
        #expect(try server.count("SELECT COUNT(*) FROM TIERS") == 1)
    }

    @Test(
        "a 10 MB line in an otherwise valid request is processed: imported in a memo, rejected in a 60-character field")
    func tenMegabyteLine() async throws {
        let server = try TestServer()
        let memo = String(repeating: "Très long commentaire ; ", count: 10 * 1024 * 1024 / 25)
        let header = "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_MEMO"
        let lines = [
            header, "C1;411C1;Alpha;\"" + memo + "\"",
            "C2;411C2;" + String(repeating: "B", count: 10 * 1024 * 1024) + ";x",
        ]
        let body = clientsBody(
            lines: lines,
            parametres: [
                ("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Oui"), ("identificateur_texte", "\""),
            ])
        try await server.run { client in
            let (status, answer) = try await client.postBytes(Array(body.utf8))
            #expect(status == .ok)
            #expect(answer.counts == ("1", "1"))
            #expect(answer.journal.contains("Le champ PCF_RS dépasse 60 caractères"))
        }
        #expect(try server.count("SELECT LENGTH(PCF_MEMO) FROM TIERS WHERE PCF_CODE = 'C1'") == memo.count)
        #expect(try server.count("SELECT COUNT(*) FROM TIERS WHERE PCF_CODE = 'C2'") == 0)
    }

    @Test("a body over the limit answers 413 in French and stores nothing; a body of exactly the limit is read")
    func bodyLimit() async throws {
        let server = try TestServer(bodyLimit: 1024)
        let base = Array(clientsBody().utf8)
        try #require(base.count < 1024)
        let exact = base + Array(repeating: UInt8(ascii: " "), count: 1024 - base.count)
        let before = try server.snapshot()
        try await server.run { client in
            for bytes in [
                exact + [0x20], Array(repeating: UInt8(ascii: "["), count: 10 * 1024 * 1024),
                exact + Array(clientsBody().utf8),
            ] {
                let (status, answer) = try await client.postBytes(bytes)
                #expect(status == .contentTooLarge, "\(bytes.count) bytes")
                #expect(answer.onlyError == "Requête trop volumineuse (limite : 1 Kio)")
            }
            #expect(try server.snapshot() == before)
            let (status, answer) = try await client.postBytes(exact)
            #expect(status == .ok, "\(answer.asciiText)")
            #expect(answer.counts == ("1", "0"))
        }
    }

    @Test("randomly mutated requests: never a 500, every refusal a French 400, the société intact")
    func mutatedRequests() async throws {
        let server = try TestServer()
        let body = Array(
            clientsBody(
                lines: [
                    "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_DATIMM;PCF_CAPITAL", "C1;411C1;Alpha;31/12/2020;1 000,50",
                    "C2;411C2;\"Bêta; fils\";;",
                ],
                parametres: [
                    ("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Oui"), ("identificateur_texte", "\""),
                ]
            ).utf8)
        // Mutations only after the société, so that user and password stay valid and the
        // requests reach the import rather than the login throttle.
        let start = try #require(body.indices.first { body[$0...].starts(with: Array("\"parametres\"".utf8)) })
        var state: UInt64 = 0x0C0F_FEE0_0030
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) >> 1)
        }
        let tokens: [[UInt8]] =
            ["\"", "\\", "{", "}", "[", "]", ",", ":", ";", "null", "0", "\\u0000", "\\uDFFF"].map { Array($0.utf8) }
            + [[0xFF], [0xC3], [0xEF, 0xBB, 0xBF]]
        var mutants: [[UInt8]] = []
        for _ in 0..<150 {
            var bytes = body
            for _ in 0..<(1 + next() % 3) {
                let position = start + next() % (bytes.count - start)
                switch next() % 4 {
                case 0: bytes.remove(at: position)
                case 1: bytes[position] = UInt8(truncatingIfNeeded: next())
                case 2: bytes.insert(contentsOf: tokens[next() % tokens.count], at: position)
                default:
                    bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + next() % 12)], at: position)
                }
            }
            mutants.append(bytes)
        }
        try await server.run { [mutants] client in
            var statuses: [UInt: Int] = [:]
            for bytes in mutants {
                let (status, answer) = try await client.postBytes(bytes)
                statuses[UInt(status.code), default: 0] += 1
                #expect(status == .ok || status == .badRequest, "\(status): \(answer.asciiText.prefix(300))")
                if status != .ok { expectFrenchMessage(answer.onlyError, String(decoding: bytes, as: UTF8.self)) }
            }
            #expect(statuses[400, default: 0] > 30, "\(statuses)")
        }
        let queue = try DatabaseQueue(path: server.demoPath, configuration: .patient)
        defer { try? queue.close() }
        #expect(try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }
}
