import ComptoirCore
import ComptoirTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every request has an id, sent back in `X-Request-Id`: the client's own when it sends a plain
/// one, else a new one; a 500's reference is that id.
@Suite("Request ids")
struct RequestIDTests {
    private static let requestID = HTTPField.Name("X-Request-Id")!

    @Test("an answer carries a new id, or the client's own when it is a plain token")
    func idsAreSentBack() async throws {
        let server = try TestServer()
        try await server.run { client in
            let path = "/api/rest/Outils/%22Version%22"
            let fresh = try await client.execute(uri: path, method: .get) { $0.headers[Self.requestID] }
            #expect(fresh?.wholeMatch(of: /[0-9A-F]{8}/) != nil, "\(fresh ?? "none")")
            let other = try await client.execute(uri: path, method: .get) { $0.headers[Self.requestID] }
            #expect(other != fresh)
            let kept = try await client.execute(uri: path, method: .get, headers: [Self.requestID: "nginx-7f3a.42_b"]) {
                $0.headers[Self.requestID]
            }
            #expect(kept == "nginx-7f3a.42_b")
            for odd in ["a b", String(repeating: "x", count: 65), "é"] {
                let replaced = try await client.execute(uri: path, method: .get, headers: [Self.requestID: odd]) {
                    $0.headers[Self.requestID]
                }
                #expect(replaced?.wholeMatch(of: /[0-9A-F]{8}/) != nil, "\(odd) → \(replaced ?? "none")")
            }
        }
    }

    @Test("a 500's reference is the request's id, which the log's lines carry")
    func referencesAreRequestIDs() async throws {
        let server = try TestServer()
        try "Ceci n'est pas une base SQLite.\n".write(
            toFile: server.folder + "/BAD.Gestimum", atomically: true, encoding: .utf8)
        let log = LogRecorder()
        try await server.run(log: log) { client in
            let body = importBody(fichier: "BAD.Gestimum", lines: ["PCF_CODE;PCF_RS;CPT_NUMERO", "C1;Un;411C1"])
            try await client.execute(
                uri: clientsPath, method: .post, headers: [Self.requestID: "essai-500"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[Self.requestID] == "essai-500")
                #expect(String(buffer: response.body).contains("essai-500"))
            }
        }
        #expect(log.lines.contains { $0.level >= .error && $0.description.contains("essai-500") }, "\(log.text)")
    }
}
