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

// The real server stopping on SIGTERM, and cutting off slow or silent clients (issue 4). The
// helpers (LiveComptoir, LiveRequest…) are in LiveComptoir.swift.

/// Creates the société `name` (user U, password pw) in `folder`/societes with the command
/// line, and starts a server on it with `options`; returns the server and the société's file.
func startServer(
    _ executable: URL, societe name: String, options: [String], folder: String
) async throws -> (LiveComptoir, file: String) {
    let data = (folder as NSString).appendingPathComponent("societes")
    let created = try await runComptoir(
        executable, ["societe", "creer", name, "--utilisateur", "U", "--mot-passe", "pw", "--dossier", data],
        directory: folder)
    try #require(created.status == 0, "societe creer: \(created.standardError)")
    let server = try await LiveComptoir.start(
        executable, folder: folder, arguments: ["--dossier", data] + options)
    return (server, (data as NSString).appendingPathComponent("\(name).Gestimum"))
}

/// Sends an import of `count` clients (codes `<prefix>000001`…) into the société `name` of
/// `server`, and waits until the société's log shows it writing (512 Kio).
private func startWritingImport(
    _ server: LiveComptoir, societe name: String, file: String, prefix: String, count: Int
) async throws -> Task<LiveConversation, Never> {
    let wal = file + "-wal"
    let walBefore = liveFileSize(wal)
    let request = LiveRequest.importClients(
        societe: name, user: "U", password: "pw", lines: LiveRequest.lines(prefix, 0..<count))
    let port = server.port
    let running = Task { await liveExchange(port: port, request, timeout: 300) }
    let grown = try await waitForGrowth(of: wal, from: walBefore, by: 512 << 10, timeout: 120, while: server.process)
    #expect(grown >= 512 << 10, "the import was not seen writing before SIGTERM (WAL grew by \(grown) bytes)")
    return running
}

/// Waits until `path` has grown by `bytes`, for at most `timeout` seconds, and returns the growth.
private func waitForGrowth(of path: String, from size: Int, by bytes: Int, timeout: Double, while running: Process)
    async throws -> Int
{
    let deadline = Date().addingTimeInterval(timeout)
    while liveFileSize(path) < size + bytes, Date() < deadline, running.isRunning {
        try await Task.sleep(for: .milliseconds(20))
    }
    return liveFileSize(path) - size
}

@Suite(
    "SIGTERM: running requests finish, new ones are refused, the process exits",
    .serialized,
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct StopTests {
    @Test("SIGTERM during an import: it is answered in full and stored, new connections are refused, exit status 0")
    func sigtermLetsTheRunningRequestFinish() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, file) = try await startServer(
                executable, societe: "STOP", options: ["--delai-arret", "30"], folder: folder)
            defer { server.killIfRunning() }
            let port = server.port

            // A keep-alive connection that made one request before the stop and then stays idle.
            let idle = try #require(LoopbackSocket(port: port))
            let first = await runOffPool {
                idle.send(LiveRequest.version(connection: "keep-alive"))
                return idle.readAnswer(timeout: 15)
            }
            #expect(first.status == 200, "\(first.text)")

            // The running import.
            let count = 20_000
            let running = try await startWritingImport(server, societe: "STOP", file: file, prefix: "K", count: count)

            let stopAt = Date()
            server.signal(SIGTERM)
            var refusedAt: Date?
            while Date() < stopAt.addingTimeInterval(5) {
                if !LoopbackSocket.acceptsConnections(port: port) {
                    refusedAt = Date()
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let runningWhenRefused = server.process.isRunning
            let idleEnd = await runOffPool { idle.converse(sending: [], for: 10) }
            let answer = await running.value
            let exited = await waitForExit(server.process, timeout: 40)
            let exitAt = Date()
            let log = server.log

            #expect(refusedAt != nil, "new connections were still accepted 5 s after SIGTERM")
            #expect(runningWhenRefused)
            if let refusedAt, let answeredAt = answer.answeredAt {
                #expect(
                    answeredAt > refusedAt, "the import was answered before the stop began: the test proves nothing")
            }
            #expect(
                idleEnd.closedAfter != nil && idleEnd.bytes.isEmpty,
                "the idle connection was not closed: \(idleEnd.text)")
            #expect(answer.status == 200, "\(answer.text.prefix(500))\n\(log)")
            #expect(LiveRequest.answer(answer.body, imported: count), "\(answer.body.prefix(500))")
            #expect(exited, "the process did not exit within 40 s of SIGTERM")
            #expect(exitAt.timeIntervalSince(stopAt) <= 35, "exit \(exitAt.timeIntervalSince(stopAt)) s after SIGTERM")
            #expect(server.process.terminationReason == .exit)
            #expect(server.process.terminationStatus == 0, "\(log)")
            #expect(try liveCountRows(file, "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'K%'") == count)
        }
    }

    /// The request is held in the middle of its import by the test's own write lock on the
    /// société until the stop has stopped it (past --delai-arret, or at a second signal): it can
    /// never finish first.
    @Test(
        "a request does not hold the stop past --delai-arret, nor past a second signal: it is refused with 503 and nothing of it is stored",
        arguments: [("1", [SIGTERM]), ("60", [SIGTERM, SIGTERM]), ("60", [SIGINT, SIGINT])])
    func stopIsBoundedByDelaiArret(delay: String, signals: [Int32]) async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, file) = try await startServer(
                executable, societe: "BORNE", options: ["--delai-arret", delay], folder: folder)
            defer { server.killIfRunning() }
            // The société is opened before the lock is taken.
            await openWithOneImport(port: server.port, societe: "BORNE")

            let lock = try WriteLock(path: file)
            let port = server.port
            let running = Task {
                await liveExchange(
                    port: port,
                    LiveRequest.importClients(
                        societe: "BORNE", user: "U", password: "pw", lines: LiveRequest.lines("L", 0..<1_000)),
                    timeout: 60)
            }
            // The request is sent, opens its session and waits for the lock.
            try await waitForSession(on: file)
            let stopAt = Date()
            // Each signal once the server has taken the one before: close signals may be merged.
            for (index, signal) in signals.enumerated() {
                server.signal(signal)
                let seen = await server.waitForLog(index == 0 ? "Arrêt demandé" : "Second signal")
                #expect(seen, "signal \(index + 1) not seen; the output:\n\(server.log)")
            }
            // Past --delai-arret 1, or at the second signal, the import is stopped while it
            // still waits; the lock goes after, within the time its refusal has to go out.
            try await Task.sleep(for: .seconds(2))
            try lock.release()
            let exited = await waitForExit(server.process, timeout: 10)
            let exitAfter = Date().timeIntervalSince(stopAt)
            server.killIfRunning()
            let answer = await running.value
            let stored = try liveCountRows(file, "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'L%'")

            #expect(exited, "the process had not exited \(exitAfter) s after SIGTERM; its output:\n\(server.log)")
            #expect(answer.status == 503, "\(answer.text.prefix(300))")
            #expect(
                answer.text.contains(
                    #"{"error":"Le serveur s'arr\u00EAte : l'import est annul\u00E9, rien n'en est \u00E9crit"}"#),
                "the client is told why: \(answer.text.prefix(300))")
            #expect(stored == 0, "the request was cut off, yet \(stored) of its lines were committed")
            // A request cut off by the stop is no internal error.
            #expect(!server.log.contains("Erreur interne"), "\(server.log)")
        }
    }
}

@Suite(
    "Slow, silent and oversized clients are cut off by the real server",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct SlowClientTests {
    static let post =
        "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    static let slowAnswer = #"{"error":"Requ\u00EAte trop lente : son corps n'a pas \u00E9t\u00E9 re\u00E7u en 2 s"}"#

    @Test(
        "--delai-requete 2 --delai-inactivite 2: silent, stalled and trickling clients are cut off within 5 s while another client is served"
    )
    func timeouts() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(
                executable, societe: "LENT",
                options: ["--delai-requete", "2", "--delai-inactivite", "2", "--limite-requete", "1"], folder: folder)
            defer { server.killIfRunning() }
            let port = server.port
            func conversation(_ initial: String, trickle: String? = nil) async -> LiveConversation {
                await runOffPool {
                    guard let socket = LoopbackSocket(port: port) else { return LiveConversation() }
                    return socket.converse(
                        sending: Array(initial.utf8), trickle: trickle.map { Array($0.utf8) }, for: 10)
                }
            }

            async let silent = conversation("")
            async let stalled = conversation(Self.post + "Content-Length: 1000\r\n\r\n{")
            async let trickling = conversation(Self.post + "Content-Length: 1000\r\n\r\n{", trickle: " ")
            async let slowHeaders = conversation(
                "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\n", trickle: "X-Lent: 1\r\n")
            async let chunked = conversation(
                Self.post + "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n", trickle: "1\r\n \r\n")
            // Over --limite-requete 1 (1 Mio): the answer comes as soon as the limit is passed.
            let oversized =
                Array((Self.post + "Content-Length: \(2 << 20)\r\n\r\n").utf8)
                + Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 4096)
            async let tooLarge = runOffPool {
                guard let socket = LoopbackSocket(port: port) else { return LiveConversation() }
                return socket.converse(sending: oversized, for: 10)
            }

            // Meanwhile, another client is served normally.
            try await Task.sleep(for: .milliseconds(500))
            let normal = await liveExchange(
                port: port,
                LiveRequest.importClients(
                    societe: "LENT", user: "U", password: "pw", lines: LiveRequest.lines("C", 0..<3)))
            let version = await liveExchange(port: port, LiveRequest.version())
            #expect(normal.status == 200, "\(normal.text)")
            #expect(LiveRequest.answer(normal.body, imported: 3), "\(normal.body)")
            #expect(version.status == 200, "\(version.text)")

            let silence = await silent
            #expect(silence.bytes.isEmpty, "\(silence.text)")
            #expect(
                silence.closedAfter.map { (1.5...5).contains($0) } == true,
                "silent client closed after \(String(describing: silence.closedAfter)) s")

            let stall = await stalled
            let stallCut =
                stall.closedAfter.map { $0 <= 5 } == true
                || (stall.status == 408 && stall.answeredAfter.map { $0 <= 5 } == true)
            #expect(
                stallCut,
                "stalled client: answered \(String(describing: stall.answeredAfter)) s, closed \(String(describing: stall.closedAfter)) s: \(stall.text)"
            )
            if stall.status != nil {
                #expect(stall.status == 408, "\(stall.text)")
                #expect(stall.body.contains(Self.slowAnswer), "\(stall.body)")
            }

            for (name, cut) in [("trickling body", await trickling), ("chunked trickle", await chunked)] {
                #expect(cut.status == 408, "\(name): \(cut.text)")
                #expect(
                    cut.answeredAfter.map { (1.5...5).contains($0) } == true,
                    "\(name) answered after \(String(describing: cut.answeredAfter)) s")
                #expect(cut.body.contains(Self.slowAnswer), "\(name): \(cut.body)")
                #expect(
                    cut.closedAfter.map { $0 <= 6 } == true,
                    "\(name): still connected \(String(describing: cut.closedAfter)) s")
            }

            let headers = await slowHeaders
            #expect(
                headers.closedAfter.map { $0 <= 5 } == true,
                "trickled headers: still connected after 10 s: \(headers.text)")

            let large = await tooLarge
            #expect(large.status == 413, "\(large.text)")
            #expect(
                large.body.contains(#"{"error":"Requ\u00EAte trop volumineuse (limite : 1 Mio)"}"#), "\(large.body)")
        }
    }
}
