import AsyncHTTPClient
import Foundation
import NIOCore

/// Every client of a société of `rows` clients, read back through the read API in one page, in
/// JSON or CSV: its time, its size, and the server's peak memory, which must not grow with the
/// rows, since they are written to the connection as they are read.
enum ReadRun {
    struct Figures {
        let seconds: Double
        let peakMemoryBytes: Int
        let bodyBytes: Int
    }

    static func run(binary: String, folder: String, port: Int, rows: Int, csv: Bool) async throws -> Figures {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let server = try await ServerProcess.start(binary: binary, folder: folder, port: port, client: client)
        defer { server.stop() }
        do {
            let figures = try await read(rows: rows, csv: csv, from: server, with: client)
            try await client.shutdown()
            return figures
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func read(rows: Int, csv: Bool, from server: ServerProcess, with client: HTTPClient) async throws
        -> Figures
    {
        let port = server.port
        try QueryExportRun.addClients(rows, to: server.societePath)
        var request = HTTPClientRequest(
            url: "http://127.0.0.1:\(port)/api/comptoir/v1/societes/\(ServerProcess.societe)/Clients?limite=\(rows)")
        request.headers.add(
            name: "Authorization", value: "Basic " + Data("\(ServerProcess.societe):".utf8).base64EncodedString())
        if csv { request.headers.add(name: "Accept", value: "text/csv") }
        let start = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(3600))
        guard response.status == .ok else { throw BenchFailure("la lecture a répondu \(response.status.code)") }
        var bytes = 0
        for try await chunk in response.body { bytes += chunk.readableBytes }
        let seconds = (ContinuousClock.now - start).seconds
        return Figures(seconds: seconds, peakMemoryBytes: server.peakMemoryBytes, bodyBytes: bytes)
    }
}
