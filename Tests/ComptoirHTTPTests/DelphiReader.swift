import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Reads every answer as Delphi's DataSnap REST client does before handing it on: the bytes
/// decoded as UTF-8, that text turned back into bytes with the Windows code page (`BytesOf`),
/// and those bytes parsed as UTF-8 JSON. An answer it cannot read fails the test that got it;
/// every test of the web service goes through it (`TestServer.run`).
struct DelphiReader: TestClientProtocol {
    let client: any TestClientProtocol

    var port: Int? { client.port }

    func executeRequest(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse {
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        let problem = Self.readingProblem(Array(response.body.readableBytesView))
        #expect(problem == nil, "\(method) \(uri): Delphi's client cannot read the answer: \(problem ?? "")")
        return response
    }

    /// Why Delphi's client would read nothing of `answer`, or nil when it reads it.
    static func readingProblem(_ answer: [UInt8]) -> String? {
        let text = String(decoding: answer, as: UTF8.self)
        guard let ansi = text.data(using: .windowsCP1252, allowLossyConversion: true) else {
            return "not representable in Windows-1252: \(text.prefix(200))"
        }
        guard String(data: ansi, encoding: .utf8) != nil else {
            return "not UTF-8 once in Windows-1252: \(text.prefix(200))"
        }
        guard (try? JSONSerialization.jsonObject(with: ansi)) != nil else { return "not JSON: \(text.prefix(200))" }
        return nil
    }
}

@Suite struct DelphiReaderTests {
    @Test("the check refuses what Delphi's client cannot read, and reads Comptoir's answers")
    func theCheckCanFail() {
        #expect(DelphiReader.readingProblem(Array(#"{"resultat":"succès"}"#.utf8)) != nil)
        #expect(DelphiReader.readingProblem(Array(#"{"resultat":"succ\u00E8s"}"#.utf8)) == nil)
        #expect(DelphiReader.readingProblem(Array("pas du JSON".utf8)) != nil)
    }
}
