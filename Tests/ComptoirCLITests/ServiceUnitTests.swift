import ComptoirTestSupport
import Foundation
import Testing

/// The systemd units of `deploy/`, checked by `systemd-analyze verify` where it is installed,
/// with the executable they start put where they expect it.
@Suite("systemd units")
struct ServiceUnitTests {
    static let analyze = "/usr/bin/systemd-analyze"
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../deploy").standardizedFileURL

    @Test(
        "deploy/'s units pass systemd-analyze verify",
        .enabled(if: FileManager.default.isExecutableFile(atPath: analyze)))
    func unitsVerify() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let units = ["comptoir.service", "comptoir-sauvegarde.service", "comptoir-sauvegarde.timer"]
            for unit in units {
                let text = try String(contentsOf: Self.deploy.appendingPathComponent(unit), encoding: .utf8)
                try text.replacingOccurrences(of: "/opt/comptoir/bin/comptoir", with: executable.path)
                    .write(toFile: (folder as NSString).appendingPathComponent(unit), atomically: true, encoding: .utf8)
            }
            let (status, said) = try runTool(
                Self.analyze, ["verify", "--man=no"] + units.map { (folder as NSString).appendingPathComponent($0) },
                in: folder)
            #expect(status == 0, "\(said)")
            #expect(said.isEmpty, "\(said)")
        }
    }

    @Test("the nightly backup saves every SQLite société, past a PostgreSQL one's connection file")
    func nightlyBackup() async throws {
        let executable = try #require(comptoirExecutable)
        let unit = try String(
            contentsOf: Self.deploy.appendingPathComponent("comptoir-sauvegarde.service"), encoding: .utf8)
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=/bin/sh -c '") })
        // The shell's text, as systemd gives it: `$$` is a `$`.
        let script = line.dropFirst("ExecStart=/bin/sh -c '".count).dropLast()
            .replacingOccurrences(of: "$$", with: "$")
            .replacingOccurrences(of: "/opt/comptoir/bin/comptoir", with: executable.path)
        try await withTemporaryFolder { folder in
            let societes = (folder as NSString).appendingPathComponent("societes")
            for name in ["AAA", "ZZZ"] {
                let created = try await runComptoir(
                    executable, ["societe", "creer", name, "--utilisateur", "U", "--dossier", societes],
                    directory: folder)
                try #require(created.status == 0, "\(created.standardError)")
            }
            try "; Fichier de connexion Comptoir\n[Connexion]\nMoteur=PostgreSQL\nHote=127.0.0.1\n".write(
                toFile: (societes as NSString).appendingPathComponent("ACME.Gestimum"), atomically: true,
                encoding: .utf8)
            let (status, said) = try runTool(
                "/bin/sh", ["-c", "COMPTOIR_DOSSIER='\(societes)'; export COMPTOIR_DOSSIER; \(script)"], in: folder)
            #expect(status == 0, "\(said)")
            let copies = try FileManager.default.contentsOfDirectory(atPath: societes + "/sauvegardes").sorted()
            #expect(copies.map { String($0.prefix(4)) } == ["AAA-", "ZZZ-"], "\(copies)")
        }
    }

    @Test("the service starts the server with JSON logs and stops it within --delai-arret")
    func serviceStartsTheServer() throws {
        let unit = try String(contentsOf: Self.deploy.appendingPathComponent("comptoir.service"), encoding: .utf8)
        #expect(unit.contains("comptoir demarrer --hote 127.0.0.1 --port 8080 --format-journal json --delai-arret 30"))
        #expect(unit.contains("TimeoutStopSec=40"))
        for setting in [
            "User=comptoir", "LimitNOFILE=", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
        ] {
            #expect(unit.contains(setting), "\(setting)")
        }
    }
}
