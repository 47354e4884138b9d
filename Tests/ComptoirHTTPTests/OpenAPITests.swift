import ComptoirCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import ComptoirHTTP

@Suite struct OpenAPITests {
    /// The document the server serves, parsed.
    private func document(_ client: any TestClientProtocol) async throws -> JSONValue {
        try await client.execute(uri: "/openapi.json", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            return try JSONValue.parse(Array(response.body.readableBytesView))
        }
    }

    @Test(
        "/openapi.json is OpenAPI 3.1 with one Importer path per domain, the Outils, the read API, the metrics, the console and itself"
    )
    func servedDocument() async throws {
        let server = try TestServer()
        try await server.run { client in
            let document = try await document(client)
            guard case .string(let version) = document["openapi"] else {
                return #expect(Bool(false), "no openapi version")
            }
            #expect(version.hasPrefix("3.1."))
            guard case .object(let paths) = document["paths"] else { return #expect(Bool(false), "no paths") }
            let importers = paths.map(\.key).filter { $0.hasSuffix("/%22Importer%22") }
            #expect(importers == Domaine.all.map { "/api/rest/\($0.name)/%22Importer%22" })
            let lists = Domaine.all.map { "/api/comptoir/v1/societes/{societe}/\($0.name)" }
            let records = Domaine.all.map { domaine in
                "/api/comptoir/v1/societes/{societe}/\(domaine.name)"
                    + domaine.reading.key.map { "/{\($0)}" }.joined()
            }
            let reads = ["/api/comptoir/v1/domaines", "/api/comptoir/v1/societes/{societe}"] + lists + records
            for path in ["/api/rest/Outils/%22Version%22", "/api/rest/Outils/%22VersionERP%22", "/openapi.json"] + reads
            {
                #expect(document["paths"]?[path]?["get"] != nil, "\(path)")
            }
            try await client.execute(uri: "/openapi.json", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
    }

    /// Each domain's example request, sent as it is, is run by the server, and its answer
    /// carries the statistics the document names for that domain.
    @Test("every domain's documented example is answered as documented")
    func examplesAreAnswered() async throws {
        let server = try TestServer()
        try await server.run { client in
            let document = try await document(client)
            for domaine in Domaine.all {
                let operation = document["paths"]?[OpenAPIDocument.importPath(domaine)]?["post"]
                let content = operation?["requestBody"]?["content"]?["application/json"]
                let example = try #require(content?["example"], "\(domaine)")
                let statistics = operation?["responses"]?["200"]?["content"]?["application/json"]?["schema"]?[
                    "properties"]?["result"]?["items"]?["properties"]?["statistiques"]?["required"]
                try await client.execute(
                    uri: OpenAPIDocument.importPath(domaine), method: .post,
                    body: ByteBuffer(string: example.asciiText)
                ) { response in
                    #expect(response.status == .ok, "\(domaine): \(String(buffer: response.body))")
                    let answer = try JSONValue.parse(Array(response.body.readableBytesView))
                    guard case .object(let members) = answer.statistics else {
                        return #expect(Bool(false), "\(domaine): no statistics in \(answer)")
                    }
                    #expect(statistics == .array(members.map { .string($0.key) }), "\(domaine)")
                }
            }
        }
    }
}
