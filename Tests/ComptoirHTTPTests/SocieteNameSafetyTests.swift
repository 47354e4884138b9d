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

// Société names from requests never reach a file outside the data folder (issue 4): only the
// file-name part counts, `../`, absolute and `\`-paths, NUL bytes, very long names, names that
// differ only by Unicode normalisation and symbolic links leading out of the folder are all
// answered 400 or 404 in French, and the files outside stay byte for byte as they were.

/// A temporary tree:
///
///     <root>/PARENT.Gestimum            a société just above the data folder
///     <root>/dehors/SECRET.Gestimum     a société outside (user SECRET, empty password)
///     <root>/dehors/passwd              a file that is no société
///     <root>/donnees-2/VOISIN.Gestimum  a société in a folder whose name extends the data folder's
///     <root>/donnees/                   the data folder: DEMO (user DEMO, empty password) and links
private final class NameTree: Sendable {
    private let temporary: TemporaryFolder
    let root: String
    let data: String
    let outside: String
    let sibling: String

    /// The symbolic links of the data folder that lead out of it, by société name.
    static let links: [(name: String, target: String)] = [
        ("LIEN", "$ROOT/dehors/SECRET.Gestimum"), ("RELATIF", "../dehors/SECRET.Gestimum"),
        ("PASSWD", "$ROOT/dehors/passwd"),
        ("VOISIN", "$ROOT/donnees-2/VOISIN.Gestimum"), ("DOSSIER", "$ROOT/dehors"),
        ("PENDANT", "$ROOT/dehors/NOUVEAU.Gestimum"),
        ("BOUCLE", "BOUCLE.Gestimum"), ("PARENT", "../PARENT.Gestimum"), ("ETC", "/etc/passwd"),
    ]

    init() throws {
        temporary = try TemporaryFolder()
        root = temporary.path
        data = root + "/donnees"
        outside = root + "/dehors"
        sibling = root + "/donnees-2"
        try SocieteFolder(path: data).create(name: "DEMO", user: "DEMO", password: "", hashCost: 4)
        try SocieteFolder(path: outside).create(name: "SECRET", user: "SECRET", password: "", hashCost: 4)
        try SocieteFolder(path: sibling).create(name: "VOISIN", user: "SECRET", password: "", hashCost: 4)
        try SocieteFolder(path: root).create(name: "PARENT", user: "SECRET", password: "", hashCost: 4)
        try Data("root:x:0:0:root:/root:/bin/sh\n".utf8).write(to: URL(fileURLWithPath: outside + "/passwd"))
        for (name, target) in Self.links {
            try FileManager.default.createSymbolicLink(
                atPath: "\(data)/\(name).Gestimum",
                withDestinationPath: target.replacingOccurrences(of: "$ROOT", with: root))
        }
    }

    /// Every file of the tree outside the data folder, with its bytes.
    func outsideFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            if relative == "donnees" || relative.hasPrefix("donnees/") { continue }
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            } else {
                files[relative] = Data()
            }
        }
        return files
    }

    /// The names in the data folder, with what SQLite adds beside DEMO left out.
    func dataNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: data).filter { !$0.hasPrefix("DEMO.Gestimum-") }.sorted()
    }

    func run(_ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "comptoir-noms-test")
        logger.logLevel = .critical
        try await makeApplication(settings: ServerSettings(folder: data), logger: logger).test(.router, test)
    }
}

/// An import body for `fichier`, by `utilisateur` (both given as Swift strings, NUL included).
private func importBody(fichier: String, utilisateur: String) -> String {
    JSONValue.object([
        (
            "importer_clients",
            .object([
                (
                    "societe",
                    .object([
                        ("fichier", .string(fichier)), ("utilisateur", .string(utilisateur)),
                        ("mot_passe", .string("")),
                    ])
                ),
                (
                    "parametres",
                    .object([
                        ("entete", .string("Oui")), ("statistiques", .string("Oui")),
                        (
                            "fichier_clients",
                            .array([.string("PCF_CODE;CPT_NUMERO;PCF_RS"), .string("X1;411X1;Intrus")])
                        ),
                    ])
                ),
            ])
        )
    ]).asciiText
}

/// Whether `message` refuses a société's name, for one of its reasons.
private func refusesName(_ message: String) -> Bool {
    message.hasPrefix("Le nom de société « ")
        && [
            "est invalide : lettres sans accent, chiffres, espaces, « _ », « . » et « - » seulement",
            "est invalide : il est vide", "est invalide : il ne peut pas commencer par un point",
            "est invalide : 200 caractères au plus",
        ].contains(where: message.hasSuffix)
}

/// A société name a request may give, and what it must get.
struct HostileName: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        /// 404 `La société <file> est introuvable`.
        case notFound(String)
        /// 400, the name refused.
        case refused
        /// 200: the société DEMO of the data folder.
        case demo
    }

    let fichier: String
    let outcome: Outcome
    let user: String

    init(_ fichier: String, _ outcome: Outcome, user: String = "SECRET") {
        self.fichier = fichier
        self.outcome = outcome
        self.user = user
    }

    var testDescription: String {
        let shown = fichier.unicodeScalars.map {
            $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}"
        }
        .joined()
        return shown.count > 60 ? String(shown.prefix(60)) + "…(\(fichier.count))" : shown
    }
}

@Suite("Société names never reach a file outside the data folder")
struct SocieteNameSafetyTests {
    static let names: [HostileName] =
        [
            HostileName("../x", .notFound("x.Gestimum")),
            HostileName("../PARENT.Gestimum", .notFound("PARENT.Gestimum")),
            // The folder's `PASSWD.Gestimum` (a link leading out) is the file of that name in any
            // case: still no société.
            HostileName("../../etc/passwd", .notFound("PASSWD.Gestimum")),
            HostileName("/etc/passwd", .notFound("PASSWD.Gestimum")),
            HostileName("/etc/passwd.Gestimum", .notFound("PASSWD.Gestimum")),
            HostileName("..\\dehors\\SECRET", .notFound("SECRET.Gestimum")),
            HostileName("../dehors/SECRET.Gestimum", .notFound("SECRET.Gestimum")),
            HostileName("C:\\Windows\\x", .notFound("x.Gestimum")),
            HostileName("C:\\Windows\\System32\\config\\SAM", .notFound("SAM.Gestimum")),
            HostileName("\\\\serveur\\partage\\SECRET.Gestimum", .notFound("SECRET.Gestimum")),
            HostileName("DEMO\u{0}/../../etc/passwd", .notFound("PASSWD.Gestimum")),
            HostileName(
                String(repeating: "A", count: 200), .notFound(String(repeating: "A", count: 200) + ".Gestimum")),
            // Only the file-name part counts: these find DEMO of the data folder.
            HostileName("C:\\ProgramData\\Gestimum\\DEMO.Gestimum", .demo, user: "DEMO"),
            HostileName("../../../../DEMO", .demo, user: "DEMO"),
            HostileName(String(repeating: "a/", count: 5_000) + "DEMO", .demo, user: "DEMO"),
            // In another case, as a Windows client or `.ini` writes it: the one file of that name.
            HostileName("demo", .demo, user: "DEMO"), HostileName("C:\\Gestimum\\Demo.gestimum", .demo, user: "DEMO"),
            // Refused outright.
            HostileName("..", .refused), HostileName(".", .refused), HostileName("../", .refused),
            HostileName("/", .refused),
            HostileName("\\", .refused), HostileName("C:", .refused), HostileName(".Gestimum", .refused),
            HostileName("..Gestimum", .refused), HostileName(".DEMO", .refused), HostileName("DE\u{0}MO", .refused),
            HostileName("DEMO\u{0}", .refused), HostileName("\u{0}", .refused),
            HostileName("DEMO\u{0}.Gestimum", .refused),
            HostileName(String(repeating: "A", count: 10_000), .refused),
            HostileName(String(repeating: "A", count: 201), .refused),
            HostileName(String(repeating: "/", count: 10_000), .refused),
            HostileName(String(repeating: "../", count: 3_000), .refused),
            HostileName("Soci\u{E9}t\u{E9}", .refused), HostileName("Socie\u{301}te\u{301}", .refused),
            HostileName("DEMO\u{301}", .refused), HostileName("\u{FF24}\u{FF25}\u{FF2D}\u{FF2F}", .refused),
            HostileName("DEMO\u{200B}", .refused), HostileName("\u{212A}ELVIN", .refused),
            HostileName("DEMO\u{2215}x", .refused),
            HostileName("DEMO:x", .refused), HostileName("DEMO*", .refused), HostileName("~", .refused),
            HostileName("DEMO\n", .refused),
        ] + NameTree.links.map { HostileName($0.name, .notFound($0.name + ".Gestimum")) }

    @Test("each hostile name answers 400 or 404 in French, or finds DEMO in the data folder", arguments: names)
    func hostileName(name: HostileName) async throws {
        let tree = try NameTree()
        // Sociétés whose names differ from those asked only by normalisation.
        for variant in ["Soci\u{E9}t\u{E9}", "Socie\u{301}te\u{301}"] {
            try FileManager.default.copyItem(
                atPath: tree.data + "/DEMO.Gestimum", toPath: "\(tree.data)/\(variant).Gestimum")
        }
        let outsideBefore = try tree.outsideFiles()
        let namesBefore = try tree.dataNames()
        let body = importBody(fichier: name.fichier, utilisateur: name.user)
        try await tree.run { client in
            try await client.execute(
                uri: "/api/rest/Clients/%22Importer%22", method: .post, body: ByteBuffer(string: body)
            ) { response in
                let answer = try JSONValue.parse(Array(response.body.readableBytesView))
                switch name.outcome {
                case .notFound(let file):
                    #expect(response.status == .notFound, "\(answer.asciiText)")
                    #expect(answer == .object([("error", .string("La société \(file) est introuvable"))]))
                case .refused:
                    #expect(response.status == .badRequest, "\(answer.asciiText.prefix(300))")
                    guard case .object(let members) = answer, members.count == 1,
                        case .string(let message) = members[0].value
                    else {
                        Issue.record("not an error answer: \(answer.asciiText.prefix(300))")
                        return
                    }
                    #expect(refusesName(message), "\(message.prefix(300))")
                case .demo:
                    #expect(response.status == .ok, "\(answer.asciiText)")
                }
            }
        }
        #expect(try tree.outsideFiles() == outsideBefore, "a file outside the data folder was changed or created")
        #expect(try tree.dataNames() == namesBefore, "a file appeared in the data folder")
        // Only DEMO was written to, and only for the names that are DEMO's.
        let queue = try DatabaseQueue(path: tree.data + "/DEMO.Gestimum", configuration: .patient)
        defer { try? queue.close() }
        let stored = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM TIERS") }
        if case .demo = name.outcome { #expect(stored == 1) } else { #expect(stored == 0) }
    }

    @Test(
        "the data folder's own API: names stay in the folder, links leading out are no société, nothing is created outside"
    )
    func societeFolder() async throws {
        let tree = try NameTree()
        let folder = SocieteFolder(path: tree.data)
        let outsideBefore = try tree.outsideFiles()
        for name in Self.names.map(\.fichier) + NameTree.links.map(\.name) {
            do {
                let path = try folder.filePath(for: name)
                #expect((path as NSString).deletingLastPathComponent == tree.data, "\(name.prefix(60)) → \(path)")
            } catch {
                #expect(refusesName(error.message), "\(error.message.prefix(300))")
            }
        }
        for (name, _) in NameTree.links {
            #expect(throws: SocieteError.notFound(name + ".Gestimum"), "\(name)") {
                _ = try folder.sqliteSociete(named: name)
            }
            // Creating over a link, even a dangling one, never writes through it.
            #expect(throws: SocieteError.alreadyExists(name + ".Gestimum"), "\(name)") {
                try folder.create(name: name, user: "U", password: "", hashCost: 4)
            }
        }
        #expect(try tree.outsideFiles() == outsideBefore, "a file outside the data folder was changed or created")
        #expect(!FileManager.default.fileExists(atPath: tree.outside + "/NOUVEAU.Gestimum"))
        #expect(try tree.dataNames().allSatisfy { !$0.contains(".creation-") })

        // A data folder reached through a symbolic link still serves its own sociétés.
        let alias = tree.root + "/alias"
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: tree.data)
        let aliased = SocieteFolder(path: alias)
        #expect(try await aliased.sqliteSociete(named: "DEMO").authenticate(user: "DEMO", password: ""))
        #expect(throws: SocieteError.notFound("LIEN.Gestimum")) { _ = try aliased.sqliteSociete(named: "LIEN") }
        // The société outside is still what it was: nobody got in.
        let secret = try SocieteFolder(path: tree.outside).sqliteSociete(named: "SECRET")
        #expect(try await secret.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM TIERS") } == 0)
    }

    @Test("a name at the longest length accepted can be created and opened")
    func longestName() async throws {
        let tree = try NameTree()
        let folder = SocieteFolder(path: tree.data)
        let name = String(repeating: "N", count: 200)
        #expect(try SocieteName.fileName(for: name) == name + ".Gestimum")
        do {
            try folder.create(name: name, user: "U", password: "", hashCost: 4)
            #expect(try await folder.sqliteSociete(named: name).authenticate(user: "U", password: ""))
        } catch {
            Issue.record("SocieteName accepts a name of 200 characters, but creating it fails: \(error)")
        }
        #expect(try tree.dataNames().allSatisfy { !$0.contains(".creation-") }, "a draft was left behind")
    }
}
