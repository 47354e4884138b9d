import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The built `comptoir` executable: in the products folder, which holds the test bundle too.
/// Nil when it cannot be found.
let comptoirExecutable: URL? = {
    var starts = [Bundle.main.bundleURL, Bundle.main.executableURL, Bundle(for: BundleMarker.self).bundleURL]
        .compactMap { $0 }
    if let first = CommandLine.arguments.first {
        starts.append(URL(fileURLWithPath: first).standardizedFileURL)
    }
    for start in starts {
        var folder = start.standardizedFileURL
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("comptoir")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
    }
    return nil
}()

/// A class of this module, to find the test bundle.
private final class BundleMarker {}

/// What a finished run of the executable did.
struct ProcessOutcome {
    var status: Int32
    var reason: Process.TerminationReason
    var standardOutput: String
    var standardError: String
}

/// Runs the executable with `arguments` to the end (at most `timeout` seconds), from
/// `directory`, with `environment` (the test process's own minus `COMPTOIR_DOSSIER` when nil),
/// `input` on its standard input (nothing when nil).
func runComptoir(
    _ executable: URL,
    _ arguments: [String],
    directory: String,
    environment: [String: String]? = nil,
    input: String? = nil,
    timeout: TimeInterval = 30
) async throws -> ProcessOutcome {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var inherited = ProcessInfo.processInfo.environment
    inherited.removeValue(forKey: "COMPTOIR_DOSSIER")
    process.environment = environment ?? inherited
    let outputFile = (directory as NSString).appendingPathComponent(".stdout-\(UUID().uuidString)")
    let errorFile = (directory as NSString).appendingPathComponent(".stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: outputFile)
        try? FileManager.default.removeItem(atPath: errorFile)
    }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
    let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
    process.standardOutput = output
    process.standardError = error
    if let input {
        let inputFile = (directory as NSString).appendingPathComponent(".stdin-\(UUID().uuidString)")
        try Data(input.utf8).write(to: URL(fileURLWithPath: inputFile))
        defer { try? FileManager.default.removeItem(atPath: inputFile) }
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputFile))
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    let finished = await waitForExit(process, timeout: timeout)
    if !finished {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
    try output.close()
    try error.close()
    return ProcessOutcome(
        status: finished ? process.terminationStatus : -1,
        reason: process.terminationReason,
        standardOutput: (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "",
        standardError: (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
    )
}

/// Whether `process` exits within `timeout` seconds.
func waitForExit(_ process: Process, timeout: TimeInterval) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return true
}

/// Returns once a session is open on the SQLite société `societe` (its file's path): a live slot
/// in `<société>.Gestimum-sessions`.
func waitForSession(on societe: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = Date().addingTimeInterval(120)
    while !((try? Data(contentsOf: URL(fileURLWithPath: societe + "-sessions"))) ?? Data()).enumerated()
        .contains(where: { $0.offset % 128 == 0 && $0.offset > 0 && $0.element == UInt8(ascii: "A") })
    {
        try #require(Date() < deadline, "no session opened on \(societe)", sourceLocation: sourceLocation)
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// Runs the program `tool` with `arguments` from `folder` to its end: its status, and what it
/// wrote on its outputs together.
func runTool(_ tool: String, _ arguments: [String], in folder: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}
