import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore

/// Many one-line imports from concurrent keep-alive clients, then a check that every import
/// the server acknowledged is in the société. Each client signs in as its own user, as
/// concurrent integrations do: requests of one user wait for each other's session.
enum SmallRequests {
    struct Figures {
        let requestsPerSecond: Double
        let p50: Double
        let p99: Double
        let acknowledged: Int
        let missing: Int
    }

    static func run(binary: String, folder: String, port: Int, clients: Int, seconds: Int) async throws -> Figures {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clients
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let users = (0..<clients).map { "CLIENT\($0)" }
        let server = try await ServerProcess.start(
            binary: binary, folder: folder, port: port, client: client, otherUsers: users)
        let endpoint = server.endpoint
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        let results = try await withThrowingTaskGroup(of: (latencies: [Double], acknowledged: [String]).self) { group in
            for clientNumber in 0..<clients {
                group.addTask {
                    var latencies: [Double] = []
                    var acknowledged: [String] = []
                    var count = 0
                    while ContinuousClock.now < deadline {
                        let code = "S\(clientNumber)-\(count)"
                        count += 1
                        let body = clientsImportBody(
                            lines: ["\(code);411\(code);Client \(code);1 rue du Port;;78120;Rambouillet;FR;;;;"],
                            tester: false, journal: false, user: users[clientNumber])
                        let sent = ContinuousClock.now
                        let response = try await client.execute(
                            endpoint.request("Clients/%22Importer%22", body: body), timeout: .seconds(30))
                        let answer = try await response.body.collect(upTo: 1 << 20)
                        latencies.append((ContinuousClock.now - sent).seconds)
                        if response.status == .ok, importedCount(answer) == 1 { acknowledged.append(code) }
                    }
                    return (latencies, acknowledged)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = (ContinuousClock.now - start).seconds
        server.stop()
        try await client.shutdown()

        let latencies = results.flatMap(\.latencies).sorted()
        let acknowledged = results.flatMap(\.acknowledged)
        let queue = try DatabaseQueue(path: server.societePath)
        let stored = Set(try await queue.read { db in try String.fetchAll(db, sql: "SELECT PCF_CODE FROM TIERS") })
        try queue.close()
        let percentile = { (fraction: Double) in
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))]
        }
        return Figures(
            requestsPerSecond: Double(latencies.count) / elapsed,
            p50: percentile(0.5),
            p99: percentile(0.99),
            acknowledged: acknowledged.count,
            missing: acknowledged.filter { !stored.contains($0) }.count
        )
    }
}
