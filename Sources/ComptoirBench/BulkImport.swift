import AsyncHTTPClient
import Foundation
import NIOCore

/// One request holding every line, sent over HTTP on loopback to a fresh server.
enum BulkImport {
    struct Figures {
        let seconds: Double
        let bodyBytes: Int
        let peakMemoryBytes: Int
    }

    static func run(
        binary: String, folder: String, port: Int, lines: ClientLines, tester: Bool, journal: Bool = true
    ) async throws -> Figures {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let body = clientsImportBody(lines: (0..<lines.count).lazy.map(lines.line), tester: tester, journal: journal)
        let server = try await ServerProcess.start(binary: binary, folder: folder, port: port, client: client)
        let endpoint = server.endpoint
        let start = ContinuousClock.now
        let response = try await client.execute(
            endpoint.request("Clients/%22Importer%22", body: body), timeout: .hours(2))
        let answer = try await response.body.collect(upTo: 1 << 30)
        let seconds = (ContinuousClock.now - start).seconds
        let peakMemoryBytes = server.peakMemoryBytes
        server.stop()
        try await client.shutdown()
        guard response.status == .ok, let imported = importedCount(String(buffer: answer)), imported == lines.count
        else {
            throw BenchFailure(
                "import en masse : réponse \(response.status.code) au lieu de \(lines.count) lignes importées : "
                    + String(buffer: answer).prefix(500))
        }
        return Figures(seconds: seconds, bodyBytes: body.readableBytes, peakMemoryBytes: peakMemoryBytes)
    }
}
