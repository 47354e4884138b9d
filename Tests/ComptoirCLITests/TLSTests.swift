import ComptoirTestSupport
import Foundation
import Loopback
import Testing

/// HTTPS served directly, and the refusal to serve HTTP beyond the loopback.
@Suite("TLS")
struct TLSTests {
    @Test("--certificat and --cle serve HTTPS: curl --cacert imports through it; HTTP is not answered")
    func httpsWithASelfSignedCertificate() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            try makeCertificate(in: folder)
            let data = (folder as NSString).appendingPathComponent("societes")
            let server = try await LiveComptoir.start(
                executable, folder: folder,
                arguments: ["--demo", "--dossier", data, "--certificat", "certificat.pem", "--cle", "cle.pem"])
            defer { server.killIfRunning() }
            let body = importBody(fichier: "DEMO", lines: ["PCF_CODE;CPT_NUMERO;PCF_RS", "TLS1;411TLS1;Chiffré"])
            try body.write(
                toFile: (folder as NSString).appendingPathComponent("requete.json"), atomically: true, encoding: .utf8)
            let (status, answer) = try runTool(
                "/usr/bin/curl",
                [
                    "-s", "--cacert", "certificat.pem", "-X", "POST",
                    "https://localhost:\(server.port)/api/rest/Clients/%22Importer%22",
                    "-H", "Content-Type: application/json", "--data-binary", "@requete.json",
                ], in: folder)
            #expect(status == 0, "\(answer)")
            #expect(answer.contains(#""nombre_lignes_import\u00E9es":"1""#), "\(answer)")
            // Plain HTTP gets no answer that a client could read as one.
            let plain = await liveExchange(port: server.port, LiveRequest.version(), timeout: 5)
            #expect(plain.status == nil, "\(plain.text)")
            await server.stopCleanly()
            #expect(server.log.contains("HTTPS avec le certificat certificat.pem"))
        }
    }

    @Test("over HTTPS, a connection turned away is closed even when its client never says a word")
    func silentRefusedConnectionsClose() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            try makeCertificate(in: folder)
            let server = try await LiveComptoir.start(
                executable, folder: folder,
                arguments: [
                    "--demo", "--dossier", folder + "/societes", "--certificat", "certificat.pem", "--cle", "cle.pem",
                    "--connexions-max", "1",
                ])
            defer { server.killIfRunning() }
            // Two clients that never start their handshake, for one place: one of them is turned
            // away, and its 503 waits for a handshake that never comes. It is closed all the same.
            let sockets = try [LoopbackSocket(port: server.port), LoopbackSocket(port: server.port)].map {
                try #require($0)
            }
            // Read side by side: the other one, let in, waits for its handshake until the timeout.
            async let first = runOffPool { sockets[0].read(timeout: 15) }
            async let second = runOffPool { sockets[1].read(timeout: 15) }
            let outcomes = await [first, second]
            #expect(
                outcomes.contains {
                    if case .closed = $0 { true } else { false }
                }, "\(outcomes)")
        }
    }

    /// A self-signed certificate for localhost, `certificat.pem`, and its key `cle.pem`, in `folder`.
    private func makeCertificate(in folder: String) throws {
        let (made, said) = try runTool(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "cle.pem", "-out", "certificat.pem",
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ], in: folder)
        try #require(made == 0, "openssl: \(said)")
    }

    @Test("a certificate that cannot be read stops the start with a French message")
    func unreadableCertificate() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            try "pas un certificat".write(
                toFile: (folder as NSString).appendingPathComponent("faux.pem"), atomically: true, encoding: .utf8)
            let outcome = try await runComptoir(
                executable, ["demarrer", "--dossier", folder, "--certificat", "faux.pem", "--cle", "faux.pem"],
                directory: folder)
            #expect(outcome.status == 1)
            #expect(
                outcome.standardError.contains("Le certificat faux.pem est illisible (PEM attendu)"),
                "\(outcome.standardError)")
        }
    }

    @Test("without TLS, a non-loopback address is refused unless --sans-tls-hors-local is given")
    func noPlainHTTPBeyondTheLoopback() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let refused = try await runComptoir(
                executable, ["demarrer", "--dossier", folder, "--hote", "0.0.0.0", "--port", "0"], directory: folder)
            #expect(refused.status != 0)
            #expect(
                refused.standardError.contains("Sans TLS, Comptoir n'écoute que sur la boucle locale"),
                "\(refused.standardError)")
            let alone = try await runComptoir(
                executable, ["demarrer", "--dossier", folder, "--certificat", "c.pem"], directory: folder)
            #expect(alone.standardError.contains("--certificat et --cle vont ensemble"), "\(alone.standardError)")
            // Told it is behind a proxy, it listens.
            let server = try await LiveComptoir.start(
                executable, folder: folder,
                arguments: ["--dossier", folder, "--hote", "0.0.0.0", "--sans-tls-hors-local"])
            defer { server.killIfRunning() }
            let version = await liveExchange(port: server.port, LiveRequest.version())
            #expect(version.status == 200)
            await server.stopCleanly()
        }
    }
}
