import ComptoirStore
import ComptoirTestSupport
import Foundation
import Loopback
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several Comptoir servers in front of one PostgreSQL société (issue 18): live `comptoir
/// demarrer` processes on one connection file, the société created by `comptoir societe creer
/// --postgres`, on the server of `COMPTOIR_TEST_POSTGRES`.
@Suite(
    "Two live servers share a PostgreSQL société",
    .serialized,
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"),
    .enabled(if: TestPostgres.isAvailable, "COMPTOIR_TEST_POSTGRES is not set"))
struct PostgresServersTests {
    /// A société of its own for each test: its schema is named after it.
    let societe = "PG" + UUID().uuidString.prefix(8).replacingOccurrences(of: "-", with: "")

    /// Creates the société (user U, password pw, and users V and W) in `folder` with the
    /// command line, and starts two servers on it: the first waits 30 s for a session, the
    /// second `lockWait` seconds.
    private func withTwoServers(
        lockWait: Int = 30, _ body: (LiveComptoir, LiveComptoir, String) async throws -> Void
    ) async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let created = try await runComptoir(
                executable,
                [
                    "societe", "creer", societe, "--utilisateur", "U", "--mot-passe", "pw", "--dossier", folder,
                    "--postgres", try #require(TestPostgres.url),
                ], directory: folder)
            try #require(created.status == 0, "\(created.standardError)")
            for user in ["V", "W"] {
                let added = try await runComptoir(
                    executable,
                    ["utilisateur", "creer", user, "--mot-passe", "pw", "--societe", societe, "--dossier", folder],
                    directory: folder)
                try #require(added.status == 0, "\(added.standardError)")
            }
            let first = try await LiveComptoir.start(
                executable, folder: folder, arguments: ["--dossier", folder, "--attente-verrou", "30"])
            defer { first.killIfRunning() }
            let second = try await LiveComptoir.start(
                executable, folder: folder, arguments: ["--dossier", folder, "--attente-verrou", String(lockWait)])
            defer { second.killIfRunning() }
            try await body(first, second, folder)
        }
    }

    private func importClients(
        on server: LiveComptoir, user: String, _ lines: [String], exclusif: Bool = false
    ) async -> LiveConversation {
        let body = importBody(
            fichier: societe, utilisateur: user, motPasse: "pw", exclusif: exclusif,
            lines: ["PCF_CODE;CPT_NUMERO;PCF_RS"] + lines, parametres: [("entete", "Oui"), ("statistiques", "Oui")])
        return await liveExchange(
            port: server.port, LiveRequest.post("/api/rest/Clients/%22Importer%22", body: Array(body.utf8)),
            timeout: 120)
    }

    /// The codes of the clients whose code starts with `prefix`, read through the read API.
    private func clientCodes(on server: LiveComptoir, prefix: String) async throws -> Set<String> {
        let request = Array(
            """
            GET /api/comptoir/v1/societes/\(societe)/Clients?limite=100000&PCF_CODE.debut=\(prefix) HTTP/1.1\r
            Host: 127.0.0.1\r
            Authorization: Basic \(Data("U:pw".utf8).base64EncodedString())\r
            Connection: close\r
            \r

            """.utf8)
        // A read's session is let go of a moment after its last chunk.
        let answer = await resending(while: 409, for: 10) { await liveExchange(port: server.port, request) }
        try #require(answer.status == 200, "\(answer.text.prefix(500))")
        // The body is chunked: its records are found by their codes.
        let codes = answer.body.matches(of: /"PCF_CODE":"([^"]+)"/).map { String($0.output.1) }
        return Set(codes)
    }

    @Test("concurrent imports through both servers: every acknowledged line is there, once")
    func concurrentImports() async throws {
        try await withTwoServers { first, second, _ in
            let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, user) in ["U", "V", "W"].enumerated() {
                    group.addTask {
                        var lines: [String] = []
                        for round in 0..<6 {
                            let server = (index + round).isMultiple(of: 2) ? first : second
                            let batch = LiveRequest.lines("\(user)\(round)-", 0..<25)
                            let answer = await importClients(on: server, user: user, batch)
                            #expect(answer.status == 200, "\(answer.text.prefix(600))")
                            if LiveRequest.answer(answer.body, imported: batch.count) {
                                lines += batch.map { String($0.prefix { $0 != ";" }) }
                            } else {
                                Issue.record("\(answer.body.prefix(600))")
                            }
                        }
                        return lines
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(acknowledged.count == 3 * 6 * 25)
            for user in ["U", "V", "W"] {
                let stored = try await clientCodes(on: second, prefix: user)
                #expect(stored == Set(acknowledged.filter { $0.hasPrefix(user) }))
            }
        }
    }

    @Test("an exclusive session on one server refuses the other server's request")
    func exclusiveAcrossServers() async throws {
        try await withTwoServers(lockWait: 0) { first, second, _ in
            let large = LiveRequest.lines("X", 0..<5_000)
            async let held = importClients(on: first, user: "U", large, exclusif: true)
            // The first server's session is open once its société answers nobody else.
            var refused: LiveConversation?
            for _ in 0..<100 {
                let answer = await importClients(on: second, user: "V", LiveRequest.lines("Y", 0..<1))
                if answer.status == 409 {
                    refused = answer
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let refusal = try #require(refused, "the second server never refused")
            #expect(refusal.errorMessage == "La société \(societe).Gestimum est ouverte en mode exclusif")
            let answer = await held
            #expect(
                answer.status == 200 && LiveRequest.answer(answer.body, imported: 5_000), "\(answer.text.prefix(600))")
            let after = await importClients(on: second, user: "V", LiveRequest.lines("Y", 0..<1))
            #expect(after.status == 200, "\(after.text.prefix(600))")
        }
    }

    @Test(
        "SIGKILL of one server mid-import: nothing of its request is stored, its session is freed, the other server goes on"
    )
    func killedServer() async throws {
        try await withTwoServers(lockWait: 0) { first, second, _ in
            async let killed = importClients(on: first, user: "U", LiveRequest.lines("K", 0..<50_000))
            // Killed while its import runs: once its session refuses the same user elsewhere.
            var running = false
            for _ in 0..<200 where !running {
                try await Task.sleep(for: .milliseconds(50))
                let probe = await importClients(on: second, user: "U", [])
                running = probe.status == 409
            }
            try #require(running, "the import never held its session")
            try await Task.sleep(for: .milliseconds(300))
            first.signal(SIGKILL)
            _ = await killed
            // The other server imports meanwhile and after, as the killed request's user too.
            let other = await importClients(on: second, user: "V", LiveRequest.lines("V", 0..<10))
            #expect(other.status == 200 && LiveRequest.answer(other.body, imported: 10), "\(other.text.prefix(600))")
            // The killed server's session goes once PostgreSQL sees its connection gone.
            let sameUser = await resending(while: 409, for: 10) {
                await importClients(on: second, user: "U", LiveRequest.lines("L", 0..<10))
            }
            #expect(
                sameUser.status == 200 && LiveRequest.answer(sameUser.body, imported: 10),
                "\(sameUser.text.prefix(600))")
            #expect(try await clientCodes(on: second, prefix: "K").isEmpty)
            #expect(try await clientCodes(on: second, prefix: "L").count == 10)
        }
    }

    @Test("a wrong password, or a database that does not answer: a French error naming the société, no crash")
    func unreachableDatabase() async throws {
        let executable = try #require(comptoirExecutable)
        let url = try #require(TestPostgres.url)
        try await withTemporaryFolder { folder in
            // The command line refuses to create a société it cannot reach, and leaves no file.
            let wrongPassword = url.replacing(/:[^:@\/]+@/, with: ":faux@")
            let refused = try await runComptoir(
                executable,
                [
                    "societe", "creer", "MAUVAIS", "--utilisateur", "U", "--dossier", folder, "--postgres",
                    wrongPassword,
                ],
                directory: folder)
            #expect(refused.status != 0)
            #expect(
                refused.standardError
                    == "Erreur : La base de données de la société MAUVAIS est inaccessible : le mot de passe de l'utilisateur \(try #require(URL(string: url)?.user)) est refusé\n"
            )
            #expect(try contents(of: folder).filter { $0.hasSuffix(".Gestimum") }.isEmpty)
            // An address without a password, where the database asks for one.
            let withoutPassword = try await runComptoir(
                executable,
                [
                    "societe", "creer", "SANSMDP", "--utilisateur", "U", "--dossier", folder, "--postgres",
                    url.replacing(/:[^:@\/]+@/, with: "@"),
                ],
                directory: folder)
            #expect(
                withoutPassword.standardError
                    == "Erreur : La base de données de la société SANSMDP est inaccessible : PostgreSQL demande un mot de passe pour l'utilisateur \(try #require(URL(string: url)?.user)), et le fichier de connexion n'en donne pas (MotDePasse ou VariableMotDePasse)\n"
            )

            // Connection files that name a wrong password, a port where nothing listens, and a
            // schema that does not exist.
            let good = try ConnectionFile(url: url, schema: "inexistant")
            var badPassword = good
            badPassword.password = .inFile("faux")
            var stopped = good
            // A port where no database answers, held so that no other program takes it meanwhile.
            let refusing = try #require(LoopbackSocket.refusing())
            defer { withExtendedLifetime(refusing.socket) {} }
            stopped.port = refusing.port
            for (name, connection) in [("MAUVAIS", badPassword), ("ARRETEE", stopped), ("SANSSCHEMA", good)] {
                try connection.text.write(
                    toFile: (folder as NSString).appendingPathComponent("\(name).Gestimum"), atomically: true,
                    encoding: .utf8)
            }
            let server = try await LiveComptoir.start(executable, folder: folder, arguments: ["--dossier", folder])
            defer { server.killIfRunning() }
            for name in ["MAUVAIS", "ARRETEE", "SANSSCHEMA"] {
                let body = importBody(fichier: name, utilisateur: "U", lines: ["PCF_CODE", "C1"])
                let answer = await liveExchange(
                    port: server.port, LiveRequest.post("/api/rest/Clients/%22Importer%22", body: Array(body.utf8)))
                #expect(answer.status == 503, "\(answer.text)")
                #expect(
                    answer.errorMessage?.hasPrefix("La base de données de la société \(name) est inaccessible : ")
                        == true, "\(answer.text)")
                if name == "MAUVAIS" {
                    #expect(answer.errorMessage?.hasSuffix(" est refusé") == true, "\(answer.text)")
                }
                if name == "SANSSCHEMA" {
                    #expect(
                        answer.errorMessage?.contains("le schéma inexistant n'existe pas") == true, "\(answer.text)")
                }
            }
            #expect(server.process.isRunning)
            // The users' commands tell a missing schema as the server does.
            let users = try await runComptoir(
                executable, ["utilisateur", "lister", "--societe", "SANSSCHEMA", "--dossier", folder],
                directory: folder)
            #expect(users.standardError.contains("le schéma inexistant n'existe pas"), "\(users.standardError)")
        }
    }
}
