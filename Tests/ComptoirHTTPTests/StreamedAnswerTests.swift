import ComptoirCore
import ComptoirTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// An answer with a journal is written piece by piece, its lines' entries read back from a
/// spill file rather than held in memory, yet it is the very answer the assembled one would be.
@Suite struct StreamedAnswerTests {
    @Test(arguments: TestBackend.available) func aWarnedImportsStreamedAnswerIsByteForByteTheAssembledOne(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        // Every line warned (a SIREN whose key is wrong), every tenth rejected: over a mebibyte
        // of entries, so that they go through the spill file.
        let count = 20_000
        let lines =
            ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_SIREN"]
            + (0..<count).map { $0 % 10 == 0 ? "W\($0);411W\($0);;" : "W\($0);411W\($0);Client é/\($0);123456789" }
        try await server.run { client in
            try await client.execute(
                uri: clientsPath, method: .post, body: ByteBuffer(string: importBody(.clients, lines: lines))
            ) { response in
                #expect(response.status == .ok)
                let body = Array(response.body.readableBytesView)
                #expect(response.headers[.contentLength] == String(body.count))
                #expect(body.count > 2 << 20)
                // Parsed and written again by the writer of every other answer: the same bytes.
                let answer = try JSONValue.parse(body)
                #expect(answer.asciiText.utf8.elementsEqual(body))

                #expect(answer.statistics == statistics(imported: count * 9 / 10, rejected: count / 10))
                let journal = answer.journalMessages
                // Three lines before the summary, two counts, two per line, two after.
                #expect(journal.count == 3 + 2 + 2 * count + 2)
                #expect(journal[5] == "La ligne 1 n'a pas pu être importée :")
                #expect(journal[6] == "Raison sociale manquante")
                #expect(journal[7] == "La ligne 2 comporte les avertissements suivants :")
                #expect(journal[8] == "Le numéro SIREN 123456789 n'est pas valide")
                #expect(journal[journal.count - 3] == "Le numéro SIREN 123456789 n'est pas valide")
                #expect(journal.last?.hasPrefix("Fermeture de la société ") == true)
                // Every entry carries the time of the summary.
                guard case .array(let results) = answer["result"], case .array(let dated) = results.first?["journal"]
                else { return #expect(Bool(false), "no journal") }
                let times = Set(
                    dated.dropFirst(3).dropLast(2).map { line in
                        guard case .string(let text) = line else { return "" }
                        return String(text.prefix(19))
                    })
                #expect(times.count == 1)
            }
        }
    }
}
