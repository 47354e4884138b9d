import ComptoirTestSupport
import Foundation
import Testing

/// The console (`/console`) in a real browser: `Tests/Browser/console_walk.py` drives Debian's
/// headless Chromium through chromedriver and selenium over its six steps, against the real
/// executable. Its screenshots go to `captures/console/` at the repository's root.
@Suite("Console in a browser")
struct ConsoleBrowserTests {
    @Test(
        "sign in, a file's columns, tester=Oui's rejections, an import with progress, pages, prefix searches, CSV export",
        .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"),
        .enabled(
            if: BrowserTools.found != nil,
            "needs chromium, chromedriver and python3 with selenium: apt-get install chromium chromium-driver; pip install selenium"
        ))
    func sixSteps() async throws {
        let executable = try #require(comptoirExecutable)
        let tools = try #require(BrowserTools.found)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let captures = repository.appendingPathComponent("captures/console").path
        try? FileManager.default.removeItem(atPath: captures)
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("societes")
            let server = try await LiveComptoir.start(
                executable, folder: folder, arguments: ["--demo", "--dossier", data])
            defer { server.killIfRunning() }
            let script = repository.appendingPathComponent("Tests/Browser/console_walk.py").path
            let walk = await runOffPool {
                Result {
                    try runTool(
                        tools.python,
                        [
                            script, "--url", "http://127.0.0.1:\(server.port)", "--captures", captures, "--travail",
                            folder, "--chromium", tools.chromium, "--chromedriver", tools.chromedriver,
                        ], in: folder)
                }
            }
            let (status, output) = try walk.get()
            #expect(
                status == 0, "the console's walk failed; screenshots in \(captures):\n\(output)\nserver:\n\(server.log)"
            )
            await server.stopCleanly()
        }
    }
}

/// Chromium, its driver, and a Python that imports selenium, when all three are installed.
enum BrowserTools {
    struct Paths: Sendable {
        let chromium: String
        let chromedriver: String
        let python: String
    }

    static let found: Paths? = {
        guard let chromium = executable("chromium"), let chromedriver = executable("chromedriver"),
            let python = executable("python3"),
            let check = try? runTool(python, ["-c", "import selenium"], in: NSTemporaryDirectory()), check.status == 0
        else { return nil }
        return Paths(chromium: chromium, chromedriver: chromedriver, python: python)
    }()

    /// The first `name` on the `PATH` that can be run.
    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
