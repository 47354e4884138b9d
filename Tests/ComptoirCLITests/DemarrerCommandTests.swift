import ArgumentParser
import Foundation
import Testing

@testable import ComptoirCLI

@Suite("comptoir demarrer: options")
struct DemarrerCommandTests {
    private func parse(_ arguments: [String]) throws -> DemarrerCommand {
        try #require(try Comptoir.parseAsRoot(["demarrer"] + arguments) as? DemarrerCommand)
    }

    @Test("defaults: 127.0.0.1, port 8080, no demo, no folder given")
    func defaults() throws {
        let command = try parse([])
        #expect(command.hote == "127.0.0.1")
        #expect(command.port == 8080)
        #expect(command.demo == false)
        #expect(command.folder.dossier == nil)
        #expect(DemarrerCommand.demoSociete == "DEMO")
    }

    @Test("the defaults of the limits and delays, as the README gives them")
    func defaultLimits() throws {
        let command = try parse([])
        #expect(command.attenteVerrou == 30)
        #expect(command.limiteRequete == 256)
        #expect(command.delaiRequete == 300)
        #expect(command.delaiCorps == 10)
        #expect(command.delaiInactivite == 60)
        #expect(command.delaiArret == 30)
        #expect(command.connexionsMax == nil)
        #expect(command.connexionsParAdresse == 0)
        let settings = command.settings(openFiles: 20_000)
        #expect(settings.bodyLimit == 256 << 20)
        #expect(settings.lockWait == .seconds(30))
        #expect(settings.requestTimeout == .seconds(300))
        #expect(settings.bodyStallTimeout == .seconds(10))
        #expect(settings.idleTimeout == .seconds(60))
        // An eighth of the open files is left to the sociétés, at least 256.
        #expect(settings.maximumConnections == 17_500)
        #expect(command.settings(openFiles: 1_024).maximumConnections == 768)
        #expect(settings.maximumConnectionsPerAddress == nil)
        // A quarter of the machine's memory, at most 2 Gio, for the bodies; 10 s to wait for room.
        #expect(command.memoireRequetes == nil)
        #expect(command.attenteMemoire == 10)
        #expect(
            settings.bodyBudget == min(Int(ProcessInfo.processInfo.physicalMemory / 4), 2 << 30))
        #expect(settings.bodyBudgetWait == .seconds(10))
        // `/metrics` only for this machine's peers.
        #expect(settings.metricsForAnyPeer == false)
    }

    @Test("the limits and delays given are the server's settings")
    func limitOptions() throws {
        let command = try parse([
            "--attente-verrou", "5", "--limite-requete", "2", "--delai-requete", "20", "--delai-corps", "3",
            "--delai-inactivite", "7", "--delai-arret", "0", "--connexions-max", "100", "--connexions-par-adresse", "4",
            "--memoire-requetes", "512", "--attente-memoire", "2",
        ])
        #expect(command.delaiArret == 0)
        let settings = command.settings(openFiles: 1_024)
        #expect(settings.lockWait == .seconds(5))
        #expect(settings.bodyLimit == 2 << 20)
        #expect(settings.requestTimeout == .seconds(20))
        #expect(settings.bodyStallTimeout == .seconds(3))
        #expect(settings.idleTimeout == .seconds(7))
        #expect(settings.maximumConnections == 100)
        #expect(settings.maximumConnectionsPerAddress == 4)
        #expect(settings.bodyBudget == 512 << 20)
        #expect(settings.bodyBudgetWait == .seconds(2))
    }

    @Test("--metriques serves /metrics to every peer")
    func metricsForAnyPeer() throws {
        #expect(try parse(["--metriques"]).settings(openFiles: 1_024).metricsForAnyPeer)
    }

    @Test(
        "limits below their minimum are refused",
        arguments: [
            ["--delai-corps", "0"], ["--connexions-max", "0"], ["--connexions-par-adresse", "-1"],
            ["--limite-requete", "0"], ["--delai-requete", "0"], ["--memoire-requetes", "0"],
            ["--attente-memoire", "-1"],
        ])
    func limitsBelowTheirMinimum(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Comptoir.parseAsRoot(["demarrer"] + arguments) }
    }

    @Test("without TLS, only loopback addresses as written: never a name that starts alike")
    func loopbackAddresses() throws {
        for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1", "::ffff:127.0.0.1"] {
            #expect(try parse(["--hote", host]).hote == host)
        }
        // Written as in a URL, an IPv6 address is listened on without its brackets.
        #expect(try parse(["--hote", "[::1]"]).settings(openFiles: 1024).host == "::1")
        for host in ["127.intranet.example", "127.0.0.1.nip.io", "::ffff:10.0.0.1", "0.0.0.0"] {
            #expect(throws: (any Error).self, "\(host)") { _ = try parse(["--hote", host]) }
        }
    }

    @Test(
        "limits past a year or a tebibyte are refused in French, never overflowed",
        arguments: [
            ("--delai-inactivite", "9223372037", "31536000"), ("--delai-arret", "31536001", "31536000"),
            ("--limite-requete", "9007199254740992", "1048576"), ("--memoire-requetes", "1048577", "1048576"),
        ])
    func limitsPastTheirMaximum(option: String, value: String, maximum: String) {
        #expect {
            _ = try Comptoir.parseAsRoot(["demarrer", option, value])
        } throws: { error in
            Comptoir.message(for: error) == "\(option) doit valoir au plus \(maximum), pas \(value)"
        }
    }

    @Test("every option is read")
    func options() throws {
        let command = try parse([
            "--hote", "0.0.0.0", "--port", "18080", "--demo", "--dossier", "/srv/comptoir", "--sans-tls-hors-local",
            "--format-journal", "json",
        ])
        #expect(command.hote == "0.0.0.0")
        #expect(command.port == 18080)
        #expect(command.demo)
        #expect(command.folder.dossier == "/srv/comptoir")
        #expect(command.folder.path == "/srv/comptoir")
        #expect(command.sansTLSHorsLocal)
        #expect(command.formatJournal == .json)
        let tls = try parse(["--hote", "0.0.0.0", "--certificat", "c.pem", "--cle", "k.pem"])
        #expect(tls.certificat == "c.pem" && tls.cle == "k.pem")
    }

    @Test("options may come in any order, with = too")
    func optionsInAnyOrder() throws {
        let command = try parse(["--dossier=/tmp/x", "--demo", "--port=9000", "--hote=::1"])
        #expect(command.hote == "::1")
        #expect(command.port == 9000)
        #expect(command.demo)
        #expect(command.folder.path == "/tmp/x")
    }

    @Test(
        "a port that is not a number or out of range, or an unknown option, is refused",
        arguments: [
            ["--port", "huit"], ["--port"], ["--port", "65536"], ["--port", "99999"], ["--host", "127.0.0.1"],
            ["--demo=oui"], ["extra"],
        ])
    func invalidOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Comptoir.parseAsRoot(["demarrer"] + arguments) }
    }
}
