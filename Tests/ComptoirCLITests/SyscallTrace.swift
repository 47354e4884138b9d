import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `strace`, when it is installed.
let straceExecutable: URL? = ["/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
    .map { URL(fileURLWithPath: $0) }

/// `strace` attached to every thread of a live process, writing its `fsync` and `fdatasync`
/// calls, each with the path of its file (`-y`), to a file.
final class SyscallTrace: @unchecked Sendable {
    private let process: Process
    private let output: String
    private let messages: Pipe

    private init(process: Process, output: String, messages: Pipe) {
        self.process = process
        self.output = output
        self.messages = messages
    }

    /// Attaches and returns once strace says it traces the process.
    static func attach(_ strace: URL, to pid: Int32, output: String) throws -> SyscallTrace {
        let process = Process()
        process.executableURL = strace
        process.arguments = ["-f", "-y", "-e", "trace=fsync,fdatasync", "-o", output, "-p", String(pid)]
        let messages = Pipe()
        process.standardError = messages
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // strace says `Process <pid> attached` on its standard error once it traces.
        var said = Data()
        let deadline = Date().addingTimeInterval(20)
        while !String(decoding: said, as: UTF8.self).contains("attached"), process.isRunning, Date() < deadline {
            said += messages.fileHandleForReading.availableData
        }
        let trace = SyscallTrace(process: process, output: output, messages: messages)
        guard process.isRunning, String(decoding: said, as: UTF8.self).contains("attached") else {
            trace.stop()
            Issue.record("strace did not attach: \(String(decoding: said, as: UTF8.self))")
            throw CancellationError()
        }
        return trace
    }

    /// The calls seen so far.
    var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

    /// How many successful `fsync` or `fdatasync` calls of `path` `trace` holds.
    static func syncs(of path: String, in trace: String) -> Int {
        let lines = ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").split(separator: "\n")
        return lines.filter { line in
            (line.contains("fsync(") || line.contains("fdatasync(")) && line.contains("<\(path)>")
                && line.hasSuffix("= 0")
        }.count
    }

    /// Ends the trace. SIGKILL, since strace inherits the test runner's blocked signals: the
    /// kernel then detaches it from the traced process.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
