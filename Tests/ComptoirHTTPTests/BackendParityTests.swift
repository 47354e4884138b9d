import ComptoirCore
import ComptoirTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ComptoirHTTP

/// Every domain, the same answers on both stores (issue 18): the example request of each of the
/// 34 imports (`docs/exemples`), sent to a web service whose DEMO is an SQLite file and to one
/// whose DEMO is a PostgreSQL schema, as a creation, again as an update, with `tester=Oui`, with
/// a line the rules refuse, and with one that does not split; then every domain's records read
/// back through the read API, in JSON and in CSV. The answers must be the same bytes, but for
/// the times of the journals and of the audit columns, and the folder's path.
@Suite("Every domain answers the same on SQLite and on PostgreSQL", .enabled(if: TestPostgres.isAvailable))
struct BackendParityTests {
    /// The example requests, by file name.
    static var examples: [(name: String, body: [String: Any])] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../docs/exemples")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".requete.json") }.sorted().compactMap { file in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path),
                let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            return (file, body)
        }
    }

    /// The requests of one round: each example as given, then changed by `change`.
    static func round(_ change: (inout [String: Any]) -> Void) -> [(path: String, body: String)] {
        examples.map { example in
            let root = example.body.keys.first!
            let domaine = Domaine.all.first { $0.rootKey == root }!
            var request = example.body[root] as! [String: Any]
            change(&request)
            let data = try! JSONSerialization.data(withJSONObject: [root: request], options: [.sortedKeys])
            return (domaine.importPath, String(decoding: data, as: UTF8.self))
        }
    }

    /// The parameters of a request, changed by `change`.
    static func parametres(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
        { request in
            var parametres = request["parametres"] as? [String: Any] ?? [:]
            change(&parametres)
            request["parametres"] = parametres
        }
    }

    /// Adds `line` to every file of lines a request holds.
    static func adding(_ line: String) -> (inout [String: Any]) -> Void {
        parametres { parametres in
            for (key, value) in parametres where key.hasPrefix("fichier_") {
                if let lines = value as? [String] { parametres[key] = lines + [line] }
            }
        }
    }

    static var rounds: [(String, [(path: String, body: String)])] {
        [
            ("création", round { _ in }),
            ("mise à jour", round { _ in }),
            ("tester=Oui", round(parametres { $0["tester"] = "Oui" })),
            ("une ligne refusée", round(adding("ZZ-INCONNU;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;"))),
            ("une ligne qui ne se découpe pas", round(adding("\"sans fin"))),
            ("tiers mêlés", tangledTiers),
            ("un utilisateur d'une casse à l'autre", [usersInTwoCases]),
        ]
    }

    /// One user named in two cases in one request: the second line finds the first's row,
    /// which both stores compare without regard to case.
    static var usersInTwoCases: (path: String, body: String) {
        let lines = ["USR_NAME;USR_PASSWD;USR_GROUPE", "jdupont;Mot-1;DEFAUT", "JDUPONT;Mot-2;DEFAUT"]
        return (Domaine.utilisateurs.importPath, importBody(.utilisateurs, lines: lines))
    }

    /// Tiers lines that read what the lines before them wrote in the same request: a code
    /// again, an account another tiers holds, a client's code given to a supplier.
    static var tangledTiers: [(path: String, body: String)] {
        let lines = [
            "PCF_CODE;CPT_NUMERO;PCF_RS", "D1;411D1;Un", "D2;411D1;Deux", "D1;411D1;Un encore", "D3;411D3;Trois",
            "D3;411D4;Trois autre", "D4;;Quatre", "D5;411D5;Cinq",
        ]
        return [Domaine.clients, .fournisseurs, .prospects, .clients].map { domaine in
            (domaine.importPath, importBody(domaine, lines: lines))
        }
    }

    /// What the two stores may answer differently: the times, and the folder.
    static func normalized(_ text: String, folder: String) -> String {
        var text = text.replacingOccurrences(of: folder, with: "<dossier>")
            .replacingOccurrences(of: folder.replacingOccurrences(of: "/", with: "\\/"), with: "<dossier>")
        for pattern in [
            #"\d\d\\?/\d\d\\?/\d{4} \d\d:\d\d:\d\d"#, #"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#,
        ] {
            text = text.replacingOccurrences(of: pattern, with: "<heure>", options: .regularExpression)
        }
        return text
    }

    /// Everything the web service of `server` answers to the rounds, then to the reading of
    /// every domain.
    static func answers(of server: TestServer) async throws -> [String] {
        let folder = server.folder
        let rounds = Self.rounds
        let collected = Mutex<[String]>([])
        try await server.run { client in
            func append(_ answer: String) { collected.withLock { $0.append(answer) } }
            for (name, requests) in rounds {
                for request in requests {
                    let answer = try await client.timedPost(request.body, to: request.path)
                    append(
                        "\(name) \(request.path) \(answer.status.code) " + normalized(answer.body, folder: folder))
                }
            }
            for domaine in Domaine.all {
                for accept in ["application/json", "text/csv"] {
                    let read = try await client.lire("societes/DEMO/\(domaine.name)?limite=100000", accept: accept)
                    append(
                        "\(domaine.name) \(accept) \(read.status.code) "
                            + normalized(String(decoding: read.body, as: UTF8.self), folder: folder))
                }
            }
        }
        return collected.withLock { $0 }
    }

    @Test("each import's answers, and every record read back, are the same bytes on both stores")
    func sameAnswers() async throws {
        let sqlite = try await Self.answers(of: TestServer())
        let postgres = try await Self.answers(of: TestServer(onPostgres: ()))
        #expect(Self.examples.count == 34)
        #expect(sqlite.count == postgres.count)
        for (onSQLite, onPostgres) in zip(sqlite, postgres) where onSQLite != onPostgres {
            Issue.record("SQLite :\n\(onSQLite.prefix(3000))\nPostgreSQL :\n\(onPostgres.prefix(3000))")
        }
        // No request met an internal error, and the rounds did import.
        #expect(!sqlite.contains { $0.contains(" 500 ") })
        let domainsWithRecords = sqlite.filter {
            $0.contains(" application/json 200 ") && !$0.contains("\"enregistrements\":[]")
        }
        #expect(domainsWithRecords.count >= 25, "\(domainsWithRecords.count) domaines lus avec des enregistrements")
    }
}
