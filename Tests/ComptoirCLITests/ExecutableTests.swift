import ComptoirStore
import ComptoirTestSupport
import Foundation
import Loopback
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `comptoir` executable, run as a separate process. Only 127.0.0.1 is contacted.
@Suite(
    "The comptoir executable, end to end",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct ExecutableTests {
    private func executable() throws -> URL {
        try #require(comptoirExecutable, "comptoir executable not found next to the test bundle")
    }

    @Test("demarrer --demo creates DEMO.Gestimum (user DEMO, empty password), serves, and stops on SIGTERM")
    func demarrerDemo() async throws {
        let executable = try executable()
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("societes")
            let server = try await LiveComptoir.start(
                executable, folder: folder, arguments: ["--demo", "--dossier", data])

            let answer = await liveExchange(port: server.port, LiveRequest.version(), timeout: 5).text
            #expect(answer.hasPrefix("HTTP/1.1 200"), "answer: \(answer)")
            #expect(answer.contains(#""resultat":"succ\u00E8s""#), "answer: \(answer)")

            let demo = (data as NSString).appendingPathComponent("DEMO.Gestimum")
            #expect(FileManager.default.fileExists(atPath: demo))
            #expect(!(try contents(of: data).contains { $0.contains(".creation-") }))
            let societe = try SocieteFolder(path: data).sqliteSociete(named: "DEMO")
            #expect(try await societe.authenticate(user: "DEMO", password: ""))
            #expect(try await !societe.authenticate(user: "DEMO", password: "x"))

            await server.stopCleanly()
        }
    }

    @Test("a usage error goes to standard error in French, with ArgumentParser's status 64; a help to standard output")
    func usageInFrench() async throws {
        let executable = try executable()
        try await withTemporaryFolder { folder in
            let wrong = try await runComptoir(executable, ["societe", "creer"], directory: folder)
            #expect(wrong.status == 64)
            #expect(wrong.standardError.hasPrefix("Erreur : Argument manquant : '<nom>'\n"), "\(wrong.standardError)")
            #expect(wrong.standardOutput.isEmpty)
            let help = try await runComptoir(executable, ["help", "demarrer"], directory: folder)
            #expect(help.status == 0)
            #expect(help.standardOutput.contains("UTILISATION : comptoir demarrer"), "\(help.standardOutput)")
            #expect(help.standardError.isEmpty)
        }
    }

    @Test("demarrer --demo keeps an existing DEMO.Gestimum as it is")
    func demarrerDemoKeepsExistingSociete() async throws {
        let executable = try executable()
        try await withTemporaryFolder { folder in
            let path = try SocieteFolder(path: folder).create(
                name: "DEMO", user: "DEMO", password: "secret", hashCost: 4)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let server = try await LiveComptoir.start(
                executable, folder: folder, arguments: ["--demo", "--dossier", folder])
            await server.stopCleanly()

            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            let societe = try SocieteFolder(path: folder).sqliteSociete(named: "DEMO")
            #expect(try await societe.authenticate(user: "DEMO", password: "secret"))
            #expect(try await !societe.authenticate(user: "DEMO", password: ""))
        }
    }

    @Test("demarrer on a port already in use stops at once with status 1 and a French message")
    func demarrerOnBusyPort() async throws {
        let executable = try executable()
        let listener = try #require(LoopbackSocket.listening(), "could not listen on 127.0.0.1")
        defer { withExtendedLifetime(listener.socket) {} }
        try await withTemporaryFolder { folder in
            let outcome = try await runComptoir(
                executable, ["demarrer", "--hote", "127.0.0.1", "--port", String(listener.port), "--dossier", folder],
                directory: folder, timeout: 20)
            #expect(outcome.reason == .exit)
            #expect(outcome.status == 1, "stderr: \(outcome.standardError)")
            let lastLine = outcome.standardError.split(separator: "\n").last.map(String.init) ?? ""
            #expect(lastLine.hasPrefix("Erreur : "), "stderr: \(outcome.standardError)")
        }
    }

    @Test("demarrer refuses a data folder that is not there, and an address that is not this machine's, in French")
    func demarrerRefusesWhatItCannotServe() async throws {
        let executable = try executable()
        try await withTemporaryFolder { folder in
            let missing = (folder as NSString).appendingPathComponent("sociétés-mal-tapées")
            for arguments in [
                ["--dossier", missing],
                [
                    "--dossier", folder, "--hote", "192.0.2.1", "--port", "0", "--sans-tls-hors-local",
                ],
            ] {
                let outcome = try await runComptoir(
                    executable, ["demarrer"] + arguments, directory: folder, timeout: 20)
                #expect(outcome.status == 1, "stderr: \(outcome.standardError)")
                let lastLine = outcome.standardError.split(separator: "\n").last.map(String.init) ?? ""
                #expect(
                    lastLine == "Erreur : Le dossier des sociétés \(missing) n'existe pas"
                        || lastLine.hasPrefix("Erreur : Impossible d'écouter sur 192.0.2.1:0 : "),
                    "stderr: \(outcome.standardError)")
            }
            // Every command that names a société of the folder says so, not that the société is missing.
            for command in [
                ["societe", "lister"], ["societe", "verifier", "DEMO"], ["societe", "sauvegarder", "DEMO"],
                ["societe", "ajouter", "DEMO", "depot", "D2", "Dépôt deux"],
                ["utilisateur", "lister", "--societe", "DEMO"],
            ] {
                let refused = try await runComptoir(executable, command + ["--dossier", missing], directory: folder)
                #expect(refused.status == 1, "\(command)")
                #expect(
                    refused.standardError == "Erreur : Le dossier des sociétés \(missing) n'existe pas\n", "\(command)")
            }
        }
    }

    @Test("societe creer prints the path; a second creation fails with status 1 and a French message")
    func societeCreer() async throws {
        let executable = try executable()
        try await withTemporaryFolder { folder in
            let first = try await runComptoir(
                executable,
                ["societe", "creer", "ACME", "--utilisateur", "U", "--mot-passe", "p", "--dossier", folder],
                directory: folder)
            let path = (folder as NSString).appendingPathComponent("ACME.Gestimum")
            #expect(first.status == 0, "stderr: \(first.standardError)")
            #expect(first.standardOutput == "Société créée : \(path)\n")
            #expect(first.standardError == "")

            let second = try await runComptoir(
                executable, ["societe", "creer", "ACME", "--utilisateur", "U", "--dossier", folder],
                directory: folder)
            #expect(second.reason == .exit)
            #expect(second.status == 1)
            #expect(second.standardError == "Erreur : La société ACME.Gestimum existe déjà\n")
            #expect(second.standardOutput == "")

            let invalid = try await runComptoir(
                executable, ["societe", "creer", "Société", "--utilisateur", "U", "--dossier", folder],
                directory: folder)
            #expect(invalid.status == 1)
            #expect(invalid.standardError.hasPrefix("Erreur : Le nom de société « Société » est invalide"))

            let usage = try await runComptoir(executable, ["societe", "creer", "X"], directory: folder)
            #expect(usage.status != 0)
            #expect(try contents(of: folder) == ["ACME.Gestimum"])
        }
    }

    @Test("without --dossier, $COMPTOIR_DOSSIER is the data folder")
    func environmentFolder() async throws {
        let executable = try executable()
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("depuis-env")
            var environment = ProcessInfo.processInfo.environment
            environment["COMPTOIR_DOSSIER"] = data
            let outcome = try await runComptoir(
                executable, ["societe", "creer", "ENV", "--utilisateur", "U"], directory: folder,
                environment: environment)
            #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
            #expect(try contents(of: data) == ["ENV.Gestimum"])

            // --dossier wins over the variable.
            let explicit = (folder as NSString).appendingPathComponent("explicite")
            let overridden = try await runComptoir(
                executable, ["societe", "creer", "OPT", "--utilisateur", "U", "--dossier", explicit],
                directory: folder, environment: environment)
            #expect(overridden.status == 0, "stderr: \(overridden.standardError)")
            #expect(try contents(of: explicit) == ["OPT.Gestimum"])
            #expect(try contents(of: data) == ["ENV.Gestimum"])
        }
    }

    @Test("without --dossier nor $COMPTOIR_DOSSIER, ./societes is the data folder")
    func defaultFolder() async throws {
        let executable = try executable()
        try await withTemporaryFolder { folder in
            let outcome = try await runComptoir(
                executable, ["societe", "creer", "DEF", "--utilisateur", "U"], directory: folder)
            #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
            let data = (folder as NSString).appendingPathComponent("societes")
            #expect(try contents(of: data) == ["DEF.Gestimum"])
        }
    }
}
