import ComptoirStore
import ComptoirTestSupport
import Foundation
import GRDB
import Loopback
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// A real server, and raw connections to it, for the tests of the executable.

/// A `comptoir demarrer` process listening on 127.0.0.1, its output in a log file.
final class LiveComptoir: @unchecked Sendable {
    let process: Process
    let port: Int
    let logPath: String

    private init(process: Process, port: Int, logPath: String) {
        self.process = process
        self.port = port
        self.logPath = logPath
    }

    /// Starts `comptoir demarrer --hote 127.0.0.1 --port 0 <arguments>` from `folder` and
    /// waits until it accepts connections on the port the system gave it, which its log names
    /// (in text or in JSON): a port picked free beforehand could be taken before the server
    /// binds it.
    static func start(_ executable: URL, folder: String, arguments: [String]) async throws -> LiveComptoir {
        let logPath = (folder as NSString).appendingPathComponent("serveur-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = executable
        process.arguments = ["demarrer", "--hote", "127.0.0.1", "--port", "0"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log.close()
        let output = { Self.text(of: logPath) }
        let deadline = Date().addingTimeInterval(30)
        while true {
            if let match = output().firstMatch(of: #/https?:(?:\\?/){2}[^ "]+:([0-9]+) ; console/#),
                let port = Int(match.1),
                LoopbackSocket.acceptsConnections(port: port)
            {
                return LiveComptoir(process: process, port: port, logPath: logPath)
            }
            guard process.isRunning, Date() < deadline else {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                Issue.record("the server did not listen within 30 s; its output:\n\(output())")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    var log: String { Self.text(of: logPath) }

    private static func text(of logPath: String) -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Returns once the log holds `text`, within `timeout` seconds: whether it came.
    func waitForLog(_ text: String, timeout: TimeInterval = 10) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !log.contains(text) {
            if Date() > deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    func signal(_ signal: Int32) { _ = kill(process.processIdentifier, signal) }

    /// Kills the process if it still runs, and waits for it: the last resort of every test.
    func killIfRunning() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Sends SIGTERM and expects a clean exit (status 0) within 10 s.
    func stopCleanly(sourceLocation: SourceLocation = #_sourceLocation) async {
        signal(SIGTERM)
        let exited = await waitForExit(process, timeout: 10)
        if !exited { killIfRunning() }
        #expect(
            exited, "the server did not stop within 10 s of SIGTERM; its output:\n\(log)",
            sourceLocation: sourceLocation)
        #expect(process.terminationReason == .exit, "output:\n\(log)", sourceLocation: sourceLocation)
        #expect(process.terminationStatus == 0, "output:\n\(log)", sourceLocation: sourceLocation)
    }
}

/// What a client read on one connection, and when.
struct LiveConversation: Sendable {
    var bytes: [UInt8] = []
    /// Seconds from the start until the first byte of the answer, if any came.
    var answeredAfter: Double?
    /// Seconds from the start until the server closed (or reset) the connection, if it did.
    var closedAfter: Double?
    /// When the first byte of the answer came.
    var answeredAt: Date?

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The status of the answer, from `HTTP/1.1 <code>`.
    var status: Int? {
        guard text.hasPrefix("HTTP/1.1 "), text.count >= 12 else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }

    var body: String {
        guard let range = text.range(of: "\r\n\r\n") else { return "" }
        return String(text[range.upperBound...])
    }

    /// The message of an `{"error": …}` answer.
    var errorMessage: String? {
        let answer = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String]
        return answer?["error"]
    }

    /// Takes in what a read of a conversation started at `start` gave; false once the server
    /// has closed the connection.
    mutating func take(_ read: LoopbackSocket.Read, since start: Date) -> Bool {
        switch read {
        case .timeout: return true
        case .closed:
            closedAfter = Date().timeIntervalSince(start)
            return false
        case .data(let received):
            if answeredAt == nil {
                answeredAt = Date()
                answeredAfter = Date().timeIntervalSince(start)
            }
            bytes += received
            return true
        }
    }
}

/// The conversations of the tests with a live server. Their calls block: run them with `runOffPool`.
extension LoopbackSocket {
    /// Sends `initial`, then `trickle` every `interval` seconds while the connection is open,
    /// and reads until the server closes it or `duration` seconds have passed.
    func converse(
        sending initial: [UInt8], trickle: [UInt8]? = nil, every interval: Double = 0.25, for duration: Double
    )
        -> LiveConversation
    {
        let start = Date()
        var conversation = LiveConversation()
        var trickling = send(initial) ? trickle : nil
        var nextTrickle = start.addingTimeInterval(interval)
        while true {
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= duration { break }
            if let bytes = trickling, Date() >= nextTrickle {
                if !send(bytes) { trickling = nil }
                nextTrickle = Date().addingTimeInterval(interval)
            }
            let wait = trickling == nil ? duration - elapsed : min(interval, duration - elapsed)
            guard conversation.take(read(timeout: wait), since: start) else { return conversation }
        }
        return conversation
    }

    /// Reads one whole answer (headers and `Content-Length` bytes), leaving the connection open.
    func readAnswer(timeout: Double) -> LiveConversation {
        let start = Date()
        var conversation = LiveConversation()
        while Date().timeIntervalSince(start) < timeout {
            if HTTPAnswer.first(in: conversation.bytes) != nil { return conversation }
            guard conversation.take(read(timeout: timeout - Date().timeIntervalSince(start)), since: start) else {
                return conversation
            }
        }
        return conversation
    }
}

/// Runs blocking work on a thread of its own, off Swift's cooperative pool.
func runOffPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// Requests as bytes on the wire.
enum LiveRequest {
    /// `POST /api/rest/Clients/"Importer"` of `lines` (a header line is put first) into
    /// `societe`, with the statistics; `Connection: close`.
    static func importClients(societe: String, user: String, password: String, lines: [String]) -> [UInt8] {
        let json = importBody(
            fichier: societe, utilisateur: user, motPasse: password, lines: ["PCF_CODE;CPT_NUMERO;PCF_RS"] + lines,
            parametres: [("entete", "Oui"), ("statistiques", "Oui")])
        return post("/api/rest/Clients/%22Importer%22", body: Array(json.utf8))
    }

    static func post(
        _ path: String, body: [UInt8], contentType: String = "application/json", connection: String = "close"
    ) -> [UInt8] {
        Array(
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: \(connection)\r\n\r\n"
                .utf8) + body
    }

    static func version(path: String = "/api/rest/Outils/%22Version%22", connection: String = "close") -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: \(connection)\r\n\r\n".utf8)
    }

    /// The lines `<prefix><n>;411<prefix><n>;Client <n>` for each n of `range`.
    static func lines(_ prefix: String, _ range: Range<Int>) -> [String] {
        range.map { "\(prefix)\($0);411\(prefix)\($0);Client \($0)" }
    }

    /// Whether an answer's statistics say `imported` lines were imported and none rejected.
    static func answer(_ body: String, imported: Int) -> Bool {
        let answer = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let result = (answer?["result"] as? [[String: Any]])?.first
        let statistiques = result?["statistiques"] as? [String: String]
        // Ecritures counts its écriture lines, and its errors, under keys of its own.
        if let ecritures = statistiques?["nombre_lignes_écritures_importées"] {
            return ecritures == String(imported) && statistiques?["nombre_lignes_écritures_rejetées"] == "0"
                && statistiques?["nombre_erreurs"] == "0"
        }
        return statistiques == ["nombre_lignes_importées": String(imported), "nombre_lignes_non_importées": "0"]
    }
}

/// Sends one request on a new connection (to `host`, an IPv4 address of this machine) and reads
/// until the server closes it.
func liveExchange(port: Int, host: String = "127.0.0.1", _ request: [UInt8], timeout: Double = 60) async
    -> LiveConversation
{
    await runOffPool {
        guard let socket = LoopbackSocket(port: port, host: host) else { return LiveConversation() }
        return socket.converse(sending: request, for: timeout)
    }
}

/// The answer of `exchange`, sent again every 100 ms while its status is `status`, for at most
/// `timeout` seconds: what the server frees or lets go of a moment after an answer (a session,
/// a société kept busy by another process) is asked for again.
func resending(
    while status: Int, for timeout: TimeInterval, _ exchange: () async -> LiveConversation
) async -> LiveConversation {
    let deadline = Date().addingTimeInterval(timeout)
    var answer = await exchange()
    while answer.status == status, Date() < deadline {
        try? await Task.sleep(for: .milliseconds(100))
        answer = await exchange()
    }
    return answer
}

/// Opens the société `societe` (user U, password pw) of a live server with a one-line import,
/// so that what a test watches next is not the opening of the société and its schema check.
func openWithOneImport(port: Int, societe: String, sourceLocation: SourceLocation = #_sourceLocation) async {
    let answer = await liveExchange(
        port: port,
        LiveRequest.importClients(societe: societe, user: "U", password: "pw", lines: LiveRequest.lines("A", 0..<1)))
    #expect(answer.status == 200, "\(answer.text)", sourceLocation: sourceLocation)
}

/// The size of a file, 0 when it does not exist.
func liveFileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

/// Counts in a société file, read through a connection of the test's own.
func liveCountRows(_ path: String, _ sql: String) throws -> Int {
    let queue = try DatabaseQueue(path: path, configuration: .patient)
    defer { try? queue.close() }
    return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
}

// MARK: - Crashes
