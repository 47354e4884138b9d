import ComptoirTestSupport
import Foundation
import Loopback
import Testing

/// Connections that hold the server without finishing their requests are bounded.
@Suite(
    "Crowds of connections and stalled bodies lock nobody out",
    .serialized,
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct ConnectionTests {
    /// Opens `count` connections, each answered once (so that the server has let it in), then
    /// kept open and silent. A connection refused is tried again for a while: the server learns
    /// of a closed connection (the readiness probe's) a moment after the client closed it.
    private func holdConnections(_ count: Int, port: Int) async -> [LoopbackSocket] {
        await runOffPool {
            (0..<count).compactMap { _ in
                for _ in 0..<50 {
                    guard let socket = LoopbackSocket(port: port),
                        socket.send(LiveRequest.version(connection: "keep-alive"))
                    else { return nil }
                    if socket.readAnswer(timeout: 10).status == 200 { return socket }
                    usleep(100_000)
                }
                return nil
            }
        }
    }

    /// The answer a new connection gets to a version request, read until the server closes it.
    private func versionAnswer(port: Int) async -> LiveConversation {
        await liveExchange(port: port, LiveRequest.version(), timeout: 10)
    }

    @Test(
        "past --connexions-max, a new connection gets an immediate 503 in French, and is served again once room is made"
    )
    func connectionCap() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(
                executable, societe: "FOULE", options: ["--connexions-max", "3"], folder: folder)
            defer { server.killIfRunning() }
            var held = await holdConnections(3, port: server.port)
            #expect(held.count == 3)

            let refused = await versionAnswer(port: server.port)
            #expect(refused.status == 503, "\(refused.text)")
            #expect(refused.text.contains("Retry-After: 1"), "\(refused.text)")
            #expect(
                refused.errorMessage == "Trop de connexions ouvertes sur le serveur (3) : réessayez plus tard",
                "\(refused.body)")
            #expect(
                refused.answeredAfter.map { $0 < 3 } == true,
                "answered after \(String(describing: refused.answeredAfter)) s")
            #expect(refused.closedAfter != nil, "the refused connection was left open")

            // Closing the held connections makes room: the server sees them close at once.
            held.removeAll()
            var served = await versionAnswer(port: server.port)
            for _ in 0..<50 where served.status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                served = await versionAnswer(port: server.port)
            }
            #expect(served.status == 200, "\(served.text)")
        }
    }

    @Test("past --connexions-par-adresse, a new connection from that address gets 503 naming it")
    func perAddressCap() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(
                executable, societe: "ADRESSE", options: ["--connexions-par-adresse", "2"], folder: folder)
            defer { server.killIfRunning() }
            let held = await holdConnections(2, port: server.port)
            #expect(held.count == 2)
            for _ in 0..<5 {
                let refused = await versionAnswer(port: server.port)
                #expect(refused.status == 503, "\(refused.text)")
                #expect(
                    refused.errorMessage
                        == "Trop de connexions ouvertes depuis l'adresse 127.0.0.1 (2) : réessayez plus tard",
                    "\(refused.body)")
            }
            // A flood of refusals is a line every 10 s in the journal, not one each.
            let logged = server.log.components(separatedBy: "Connexion de ").count - 1
            #expect((1...2).contains(logged), "\(server.log)")
        }
    }

    @Test(
        "a request that does not keep its connection (HTTP/1.0, Connection: Close in any case or list) has it closed after its answer"
    )
    func connectionsClosedAsAsked() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(executable, societe: "FERME", options: [], folder: folder)
            defer { server.killIfRunning() }
            let version = "GET /api/rest/Outils/%22Version%22"
            for request in [
                "\(version) HTTP/1.0\r\n\r\n", "\(version) HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n",
                "\(version) HTTP/1.1\r\nHost: h\r\nConnection: TE, close\r\n\r\n",
            ] {
                let conversation = await liveExchange(port: server.port, Array(request.utf8), timeout: 10)
                #expect(conversation.status == 200, "\(request): \(conversation.text)")
                #expect(
                    conversation.closedAfter.map { $0 < 5 } == true,
                    "\(request): \(String(describing: conversation.closedAfter))")
            }
            // Kept when asked to be, in HTTP/1.0 too.
            let kept = await liveExchange(
                port: server.port, Array("\(version) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8), timeout: 2)
            #expect(kept.status == 200, "\(kept.text)")
            #expect(kept.closedAfter == nil)
        }
    }

    @Test("--delai-corps 1: a body that stalls is cut with 408, one that trickles is not")
    func stalledBody() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(
                executable, societe: "CORPS", options: ["--delai-corps", "1", "--delai-requete", "60"], folder: folder)
            defer { server.killIfRunning() }
            let port = server.port
            let head = Array(
                "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"
                    .utf8)
            async let stalled = runOffPool {
                LoopbackSocket(port: port)?.converse(sending: head, for: 10) ?? LiveConversation()
            }
            async let trickling = runOffPool {
                LoopbackSocket(port: port)?.converse(sending: head, trickle: Array(" ".utf8), every: 0.25, for: 4)
                    ?? LiveConversation()
            }
            let stall = await stalled
            #expect(stall.status == 408, "\(stall.text)")
            #expect(
                stall.errorMessage == "Requête interrompue : aucun octet de son corps reçu depuis 1 s", "\(stall.body)"
            )
            #expect(
                stall.answeredAfter.map { $0 < 5 } == true,
                "answered after \(String(describing: stall.answeredAfter)) s")
            let trickle = await trickling
            #expect(trickle.bytes.isEmpty, "a trickling body was cut: \(trickle.text)")
        }
    }
}

/// A body sent without a length (`Transfer-Encoding: chunked`) takes its room in the budget of
/// all bodies as it comes: past the whole budget it gets 413, and the server goes on serving.
@Suite(
    "The budget of bodies on a live server",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct LiveBodyBudgetTests {
    @Test("--memoire-requetes 1: a chunked body past a mebibyte gets 413; a small chunked import is served")
    func chunkedBodyCountsAsItComes() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(
                executable, societe: "CORPS", options: ["--memoire-requetes", "1"], folder: folder)
            defer { server.killIfRunning() }
            let port = server.port
            let head = Array(
                "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    .utf8)
            func chunk(_ bytes: [UInt8]) -> [UInt8] {
                Array("\(String(bytes.count, radix: 16))\r\n".utf8) + bytes + Array("\r\n".utf8)
            }
            // 64 Kio of spaces at a time, for 2 Mio: never a whole body the server could refuse at its head.
            let spaces = chunk([UInt8](repeating: UInt8(ascii: " "), count: 64 << 10))
            let large = await runOffPool { () -> LiveConversation in
                guard let socket = LoopbackSocket(port: port) else { return LiveConversation() }
                var conversation = LiveConversation()
                let start = Date()
                guard socket.send(head) else { return conversation }
                for _ in 0..<32 {
                    guard socket.send(spaces) else { break }
                    if case .data = socket.read(timeout: 0) { break }
                }
                while conversation.take(socket.read(timeout: 5), since: start) {}
                return conversation
            }
            #expect(large.status == 413, "\(large.text)")
            #expect(
                large.errorMessage == "Requête trop volumineuse pour la mémoire des requêtes du serveur (1 Mio)",
                "\(large.body)")

            let request = LiveRequest.importClients(
                societe: "CORPS", user: "U", password: "pw", lines: LiveRequest.lines("K", 0..<2))
            let body = Array(request[(request.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound)...])
            let small = await liveExchange(port: port, head + chunk(body) + chunk([]))
            #expect(small.status == 200, "\(small.text)")
            #expect(LiveRequest.answer(small.body, imported: 2), "\(small.body)")
        }
    }
}

/// A body that HTTP cannot read is the client's fault: a French 400, never an internal error.
@Suite(
    "Bodies HTTP cannot read on a live server",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct BrokenBodyTests {
    @Test("a malformed chunk, or a chunk without its end of line, gets 400 in French; the server goes on")
    func malformedChunks() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(executable, societe: "CORPS", options: [], folder: folder)
            defer { server.killIfRunning() }
            let head = Array(
                "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    .utf8)
            for body in ["zz\r\nabc\r\n", "3\r\nabcdef\r\n0\r\n\r\n"] {
                let answer = await liveExchange(port: server.port, head + Array(body.utf8), timeout: 10)
                #expect(answer.status == 400, "\(answer.text)")
                #expect(
                    answer.errorMessage
                        == "Le corps de la requête est incomplet ou mal formé : HTTP n'a pas pu le lire en entier",
                    "\(answer.text)")
            }
            await openWithOneImport(port: server.port, societe: "CORPS")
        }
    }

    @Test("a Content-Length past what an integer holds gets its 413 at once")
    func hugeDeclaredLength() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(executable, societe: "CORPS", options: [], folder: folder)
            defer { server.killIfRunning() }
            let head =
                "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\n"
            let answer = await runOffPool { () -> LiveConversation in
                guard let socket = LoopbackSocket(port: server.port) else { return LiveConversation() }
                return socket.converse(sending: Array(head.utf8), for: 5)
            }
            #expect(answer.status == 413, "\(answer.text)")
            #expect(answer.answeredAfter.map { $0 < 3 } == true, "\(String(describing: answer.answeredAfter))")
        }
    }

    @Test("a request HTTP cannot parse gets its 400 with the contract's JSON error")
    func unparsableRequests() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(executable, societe: "CORPS", options: [], folder: folder)
            defer { server.killIfRunning() }
            for request in [
                "HELLO\r\n\r\n",
                "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            ] {
                let answer = await liveExchange(port: server.port, Array(request.utf8), timeout: 10)
                #expect(answer.status == 400, "\(answer.text)")
                #expect(
                    answer.errorMessage == "Requête HTTP mal formée : le serveur ne peut pas la lire", "\(answer.text)")
            }
            await openWithOneImport(port: server.port, societe: "CORPS")
        }
    }
}

/// PHP's and .NET's clients send `Expect: 100-continue` and wait for `100 Continue` before the body.
@Suite(
    "Expect: 100-continue on a live server",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct ExpectContinueTests {
    private func head(_ path: String, length: Int, more: String = "") -> [UInt8] {
        Array(
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\nExpect: 100-continue\r\n\(more)Connection: close\r\n\r\n"
                .utf8)
    }

    /// Sends the head of an import declaring 2 Mio and expects its 413 at once, without `100 Continue`.
    private func sendOversizedHead(port: Int, sourceLocation: SourceLocation = #_sourceLocation) async
        -> LiveConversation
    {
        let oversized = await runOffPool { () -> LiveConversation in
            guard let socket = LoopbackSocket(port: port) else { return LiveConversation() }
            return socket.converse(sending: head("/api/rest/Clients/%22Importer%22", length: 2 << 20), for: 5)
        }
        #expect(oversized.status == 413, "\(oversized.text)", sourceLocation: sourceLocation)
        #expect(
            oversized.answeredAfter.map { $0 < 3 } == true, "\(String(describing: oversized.answeredAfter))",
            sourceLocation: sourceLocation)
        #expect(!oversized.text.contains("100 Continue"), "\(oversized.text)", sourceLocation: sourceLocation)
        return oversized
    }

    @Test(
        "100 Continue comes before the body is sent; a declared length over the limit, or a compressed body, gets its refusal without the body"
    )
    func continueThenBody() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(
                executable, societe: "SUITE", options: ["--limite-requete", "1"], folder: folder)
            defer { server.killIfRunning() }
            let port = server.port
            let request = LiveRequest.importClients(
                societe: "SUITE", user: "U", password: "pw", lines: LiveRequest.lines("E", 0..<2))
            let body = Array(request[(request.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound)...])
            let (interim, final) = await runOffPool { () -> (String, LiveConversation) in
                guard let socket = LoopbackSocket(port: port) else { return ("", LiveConversation()) }
                socket.send(head("/api/rest/Clients/%22Importer%22", length: body.count))
                // Only the head is sent: the server must answer before the body comes.
                guard case .data(let bytes) = socket.read(timeout: 3) else { return ("", LiveConversation()) }
                return (String(decoding: bytes, as: UTF8.self), socket.converse(sending: body, for: 10))
            }
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(interim)")
            #expect(final.status == 200, "\(final.text)")
            #expect(LiveRequest.answer(final.body, imported: 2), "\(final.body)")

            _ = await sendOversizedHead(port: port)

            let unknown = await runOffPool { () -> LiveConversation in
                guard let socket = LoopbackSocket(port: port) else { return LiveConversation() }
                return socket.converse(sending: head("/api/rest/Nulle/Part", length: 10), for: 5)
            }
            #expect(unknown.status == 404, "\(unknown.text)")
            #expect(unknown.answeredAfter.map { $0 < 3 } == true, "\(String(describing: unknown.answeredAfter))")

            let compressed = await runOffPool { () -> LiveConversation in
                guard let socket = LoopbackSocket(port: port) else { return LiveConversation() }
                return socket.converse(
                    sending: head("/api/rest/Clients/%22Importer%22", length: 10, more: "Content-Encoding: gzip\r\n"),
                    for: 5)
            }
            #expect(compressed.status == 415, "\(compressed.text)")
            #expect(!compressed.text.contains("100 Continue"), "\(compressed.text)")
            #expect(compressed.answeredAfter.map { $0 < 3 } == true, "\(String(describing: compressed.answeredAfter))")
        }
    }

    @Test("a declared length over the budget of all bodies gets its 413 without the body")
    func overTheBudget() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let (server, _) = try await startServer(
                executable, societe: "SUITE", options: ["--memoire-requetes", "1"], folder: folder)
            defer { server.killIfRunning() }
            let port = server.port
            let oversized = await sendOversizedHead(port: port)
            #expect(oversized.body.contains("m\\u00E9moire des requ\\u00EAtes"), "\(oversized.body)")
        }
    }
}
