import AsyncHTTPClient
import Foundation
import Synchronization

/// Many one-line imports from concurrent keep-alive clients, then a check that every import
/// the server acknowledged is in the société. Each client signs in as its own user, as
/// concurrent integrations do: requests of one user wait for each other's session. Each client
/// is a thread on a blocking connection, the lightest load generator there is, since it runs on
/// the server's processors.
enum SmallRequests {
    struct Figures {
        /// Acknowledged imports per second: an answer that imported nothing does not count.
        let requestsPerSecond: Double
        let p50: Double
        let p99: Double
        let acknowledged: Int
        /// Answers that did not acknowledge their import (a refusal, an error).
        let unacknowledged: Int
        let missing: Int
    }

    /// What the clients saw: every latency, the code of every acknowledged import, the failures.
    private struct Outcome {
        var latencies: [Double] = []
        var acknowledged: [String] = []
        var failures: [String] = []

        mutating func add(_ other: Outcome) {
            latencies += other.latencies
            acknowledged += other.acknowledged
            failures += other.failures
        }
    }

    /// Runs the clients against `servers` servers started on one data folder, so on one
    /// société kept in `storage`; client `n` talks to the server `n % servers`, listening on
    /// `port + n % servers`.
    static func run(
        binary: String, folder: String, port: Int, clients: Int, seconds: Int, servers: Int = 1,
        storage: SocieteStorage = .sqlite
    ) async throws -> Figures {
        let users = (0..<clients).map { "CLIENT\($0)" }
        try ServerProcess.createSociete(binary: binary, folder: folder, otherUsers: users, storage: storage)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var started: [ServerProcess] = []
        do {
            for index in 0..<max(1, servers) {
                started.append(
                    try await ServerProcess.serve(binary: binary, folder: folder, port: port + index, client: client))
            }
        } catch {
            for server in started { server.stop() }
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        let outcome = Mutex(Outcome())
        let running = DispatchGroup()
        for (clientNumber, user) in users.enumerated() {
            running.enter()
            let serverPort = started[clientNumber % started.count].port
            Thread {
                let mine = requests(port: serverPort, user: user, codePrefix: "S\(clientNumber)-", until: deadline)
                outcome.withLock { $0.add(mine) }
                running.leave()
            }.start()
        }
        await withCheckedContinuation { done in running.notify(queue: .global()) { done.resume() } }
        let elapsed = (ContinuousClock.now - start).seconds
        for server in started { server.stop() }

        let seen = outcome.withLock { $0 }
        if let failure = seen.failures.first { throw BenchFailure("petites requêtes : \(failure)") }
        let latencies = seen.latencies.sorted()
        let stored = try await storage.storedClientCodes(societePath: started[0].societePath)
        let percentile = { (fraction: Double) in
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))]
        }
        return Figures(
            requestsPerSecond: Double(seen.acknowledged.count) / elapsed,
            p50: percentile(0.5),
            p99: percentile(0.99),
            acknowledged: seen.acknowledged.count,
            unacknowledged: latencies.count - seen.acknowledged.count,
            missing: seen.acknowledged.filter { !stored.contains($0) }.count
        )
    }

    /// One client's one-line imports, one after the other on one connection, until `deadline`.
    private static func requests(
        port: Int, user: String, codePrefix: String, until deadline: ContinuousClock.Instant
    ) -> Outcome {
        var outcome = Outcome()
        do {
            let connection = try LoopbackConnection(port: port)
            var count = 0
            while ContinuousClock.now < deadline {
                let code = codePrefix + String(count)
                count += 1
                let body = clientsImportBody(
                    lines: ["\(code);411\(code);Client \(code);1 rue du Port;;78120;Rambouillet;FR;;;;"],
                    tester: false, journal: false, user: user)
                let sent = ContinuousClock.now
                let answer = try connection.post(
                    "/api/rest/Clients/%22Importer%22", body: Array(body.readableBytesView), timeout: 60)
                outcome.latencies.append((ContinuousClock.now - sent).seconds)
                if answer.status == 200, importedCount(answer.text) == 1 { outcome.acknowledged.append(code) }
            }
        } catch {
            outcome.failures.append("\(user) : \(error)")
        }
        return outcome
    }
}
