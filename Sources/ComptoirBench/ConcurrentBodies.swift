import AsyncHTTPClient
import Foundation
import NIOCore

/// Large imports sent all at once, each by its own user, to a server whose budget for bodies
/// holds only some of them: the others wait their turn. The server's peak memory is then
/// set against that budget.
enum ConcurrentBodies {
    struct Figures {
        let imports: Int
        let bodyBytes: Int
        let budgetBytes: Int
        let peakMemoryBytes: Int
        let imported: Int
        let seconds: Double
    }

    static func run(
        binary: String, folder: String, port: Int, imports: Int, lines: ClientLines, bodiesInBudget: Int
    ) async throws -> Figures {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let users = (0..<imports).map { "U\($0)" }
        let bodies = users.map { user in
            clientsImportBody(lines: (0..<lines.count).lazy.map(lines.line), tester: false, journal: false, user: user)
        }
        let bodyBytes = bodies[0].readableBytes
        let budgetMiB = (bodyBytes * bodiesInBudget) >> 20 + 1
        let server = try await ServerProcess.start(
            binary: binary, folder: folder, port: port, client: client, otherUsers: users,
            options: ["--memoire-requetes", String(budgetMiB), "--attente-memoire", "3600"])
        defer { server.stop() }
        let endpoint = server.endpoint
        let start = ContinuousClock.now
        let imported = try await withThrowingTaskGroup(of: Int.self) { group in
            for body in bodies {
                group.addTask {
                    let response = try await client.execute(
                        endpoint.request("Clients/%22Importer%22", body: body), timeout: .hours(2))
                    let answer = try await response.body.collect(upTo: 1 << 20)
                    return response.status == .ok ? importedCount(String(buffer: answer)) ?? 0 : 0
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (ContinuousClock.now - start).seconds
        let peakMemoryBytes = server.peakMemoryBytes
        try await client.shutdown()
        return Figures(
            imports: imports, bodyBytes: bodyBytes, budgetBytes: budgetMiB << 20, peakMemoryBytes: peakMemoryBytes,
            imported: imported, seconds: seconds)
    }
}
