import AsyncHTTPClient
import ComptoirHTTP
import Foundation
import Loopback
import Synchronization

/// A crowd of half-sent requests against one well-behaved client: one process holds
/// `connections` requests whose head and first byte of body are sent and nothing more, and
/// opens a new one each time the server cuts one; meanwhile a client sends one-line imports,
/// each on a new connection, one after the other. The server starts with a soft limit of 1,024
/// open files, as from a usual shell.
enum Flood {
    struct Figures {
        let imports: Int
        let slowerThanOneSecond: Int
        let failed: Int
        let slowest: Double
        let p99: Double
        /// Half-sent requests opened in all, and how many were open at the end.
        let opened: Int
        let heldAtEnd: Int
    }

    static func run(binary: String, folder: String, port: Int, connections: Int, seconds: Int) async throws -> Figures {
        // The crowd's sockets are this process's own open files.
        _ = OpenFilesLimit.raiseToHard()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let server = try await ServerProcess.start(
            binary: binary, folder: folder, port: port, client: client, openFilesSoftLimit: 1_024)
        try await client.shutdown()
        defer { server.stop() }
        let deadline = ContinuousClock.now + .seconds(seconds)

        let crowd = Mutex((opened: 0, held: 0))
        let crowdDone = DispatchSemaphore(value: 0)
        Thread {
            holdCrowd(port: port, connections: connections, until: deadline) { opened, held in
                crowd.withLock { $0 = (opened, held) }
            }
            crowdDone.signal()
        }.start()
        // The crowd is in place before the client starts, or as much of it as the server takes in 10 s.
        let crowdDeadline = min(deadline, ContinuousClock.now + .seconds(10))
        while crowd.withLock({ $0.held }) < connections, ContinuousClock.now < crowdDeadline {
            try await Task.sleep(for: .milliseconds(100))
        }

        var latencies: [Double] = []
        var failed = 0
        var count = 0
        while ContinuousClock.now < deadline {
            let code = "G\(count)"
            count += 1
            let body = clientsImportBody(
                lines: ["\(code);411\(code);Client \(code);;;;;FR;;;;"], tester: false, journal: false,
                user: ServerProcess.societe)
            let sent = ContinuousClock.now
            let answer = await Task.detached {
                try? LoopbackConnection(port: port).post(
                    "/api/rest/Clients/%22Importer%22", body: Array(body.readableBytesView), timeout: 5)
            }.value
            latencies.append((ContinuousClock.now - sent).seconds)
            if answer?.status != 200 || answer.flatMap({ importedCount($0.text) }) != 1 { failed += 1 }
            try await Task.sleep(for: .milliseconds(100))
        }
        crowdDone.wait()
        let sorted = latencies.sorted()
        let (opened, held) = crowd.withLock { $0 }
        return Figures(
            imports: latencies.count,
            slowerThanOneSecond: latencies.filter { $0 > 1 }.count,
            failed: failed,
            slowest: sorted.last ?? 0,
            p99: sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))],
            opened: opened,
            heldAtEnd: held)
    }

    /// Keeps `connections` half-sent requests open until `deadline`, replacing each one the
    /// server cuts; reports how many were opened in all and how many are held.
    private static func holdCrowd(
        port: Int, connections: Int, until deadline: ContinuousClock.Instant,
        report: (_ opened: Int, _ held: Int) -> Void
    ) {
        let halfSent = Array(
            "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{".utf8)
        var held: [LoopbackSocket] = []
        var opened = 0
        func open() -> LoopbackSocket? {
            guard let socket = LoopbackSocket(port: port), socket.send(halfSent) else { return nil }
            opened += 1
            return socket
        }
        while ContinuousClock.now < deadline {
            // Those the server answered or closed are replaced.
            held.removeAll { socket in
                if case .timeout = socket.read(timeout: 0) { return false }
                return true
            }
            while held.count < connections, ContinuousClock.now < deadline, let socket = open() {
                held.append(socket)
            }
            report(opened, held.count)
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}
