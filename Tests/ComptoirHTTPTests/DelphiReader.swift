import ComptoirTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Reads every answer as Delphi's DataSnap REST client does (`DelphiClient`). An answer it
/// cannot read fails the test that got it; every test of the web service goes through it
/// (`TestServer.run`). Only Comptoir's own API (`/api/comptoir/`), the console's files
/// (`/console`) and the OpenAPI document, which no Delphi client asks for, answer in UTF-8, and
/// `/metrics` in Prometheus's text. An answer to HEAD has no body to read.
struct DelphiReader: TestClientProtocol {
    let client: any TestClientProtocol

    var port: Int? { client.port }

    func executeRequest(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse {
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        guard method != .head,
            !["/api/comptoir/", "/console", "/openapi.json"].contains(where: uri.lowercased().hasPrefix),
            !uri.hasPrefix("/metrics")
        else { return response }
        let problem = DelphiClient.readingProblem(Array(response.body.readableBytesView))
        #expect(problem == nil, "\(method) \(uri): Delphi's client cannot read the answer: \(problem ?? "")")
        return response
    }
}

@Suite struct DelphiReaderTests {
    @Test("the check refuses what Delphi's client cannot read, and reads Comptoir's answers")
    func theCheckCanFail() {
        #expect(DelphiClient.readingProblem(Array(#"{"resultat":"succès"}"#.utf8)) != nil)
        #expect(DelphiClient.readingProblem(Array(#"{"resultat":"succ\u00E8s"}"#.utf8)) == nil)
        #expect(DelphiClient.readingProblem(Array("pas du JSON".utf8)) != nil)
    }
}
