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

    @Test("every option is read")
    func options() throws {
        let command = try parse(["--hote", "0.0.0.0", "--port", "18080", "--demo", "--dossier", "/srv/comptoir"])
        #expect(command.hote == "0.0.0.0")
        #expect(command.port == 18080)
        #expect(command.demo)
        #expect(command.folder.dossier == "/srv/comptoir")
        #expect(command.folder.path == "/srv/comptoir")
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
        "a port that is not a number, or an unknown option, is refused",
        arguments: [
            ["--port", "huit"], ["--port"], ["--host", "127.0.0.1"], ["--demo=oui"], ["extra"],
        ])
    func invalidOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Comptoir.parseAsRoot(["demarrer"] + arguments) }
    }
}
