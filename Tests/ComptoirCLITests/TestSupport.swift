import Foundation

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
/// `directory`, with `environment` (the test process's own minus `COMPTOIR_DOSSIER` when nil).
func runComptoir(
    _ executable: URL,
    _ arguments: [String],
    directory: String,
    environment: [String: String]? = nil,
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
    process.standardInput = FileHandle.nullDevice
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

/// An IPv4 address of 127.0.0.1 and `port`.
private func loopback(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A TCP socket, or -1.
private func tcpSocket() -> Int32 {
    #if canImport(Darwin)
        socket(AF_INET, SOCK_STREAM, 0)
    #else
        socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #endif
}

/// A port of 127.0.0.1 that nothing listens on right now: one the kernel picks, else a random one.
func freeLoopbackPort() -> Int {
    let descriptor = tcpSocket()
    guard descriptor >= 0 else { return Int.random(in: 18000..<28000) }
    defer { close(descriptor) }
    var address = loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard bound == 0 else { return Int.random(in: 18000..<28000) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { return Int.random(in: 18000..<28000) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func acceptsConnections(port: Int) -> Bool {
    let descriptor = tcpSocket()
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = loopback(port: UInt16(port))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    return connected == 0
}

/// A socket listening on 127.0.0.1 at a port the kernel picks, and that port; nil when it fails.
/// Close the descriptor when done.
func listeningLoopbackSocket() -> (descriptor: Int32, port: Int)? {
    let descriptor = tcpSocket()
    guard descriptor >= 0 else { return nil }
    var address = loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ready = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, length) == 0 && listen(descriptor, 1) == 0
                && getsockname(descriptor, $0, &length) == 0
        }
    }
    guard ready else {
        close(descriptor)
        return nil
    }
    return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
}

/// The raw answer of 127.0.0.1:`port` to `GET path` (HTTP/1.1, `Connection: close`), or nil
/// when the connection fails. Reads for at most 5 s.
func httpGet(port: Int, path: String) -> String? {
    let descriptor = tcpSocket()
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = loopback(port: UInt16(port))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
    let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
    guard sent == request.count else { return nil }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard received > 0 else { break }
        answer += buffer[0..<received]
    }
    return String(decoding: answer, as: UTF8.self)
}
