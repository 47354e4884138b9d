import ArgumentParser
import Foundation
import Testing

@testable import ComptoirCLI

@Suite("FolderOption: --dossier, else $COMPTOIR_DOSSIER, else ./societes")
struct FolderOptionTests {
    @Test("--dossier wins")
    func dossierOption() throws {
        let option = try FolderOption.parse(["--dossier", "/data/societes"])
        #expect(option.dossier == "/data/societes")
        #expect(option.path == "/data/societes")
    }

    @Test("without --dossier: $COMPTOIR_DOSSIER when set, else ./societes")
    func defaultFolder() throws {
        let option = try FolderOption.parse([])
        #expect(option.dossier == nil)
        // This process's environment is not changed here (tests run in parallel): the expected
        // value follows whatever the test run was started with. The variable itself is tested
        // through the executable, in `ExecutableTests`.
        if let fromEnvironment = ProcessInfo.processInfo.environment["COMPTOIR_DOSSIER"] {
            #expect(option.path == fromEnvironment)
        } else {
            #expect(option.path == "./societes")
        }
    }

    @Test("both commands share the option")
    func sharedByBothCommands() throws {
        let creer = try #require(
            try Comptoir.parseAsRoot(["societe", "creer", "N", "--utilisateur", "U", "--dossier", "/d1"])
                as? SocieteCommand.Creer)
        #expect(creer.folder.path == "/d1")
        let demarrer = try #require(try Comptoir.parseAsRoot(["demarrer", "--dossier", "/d2"]) as? DemarrerCommand)
        #expect(demarrer.folder.path == "/d2")
    }
}
