import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A 500 answer carries only a reference; the log holds the details under that reference
/// (issue 4, "Hostile and broken input").
@Suite("500: a reference in the answer, the details in the log")
struct InternalErrorTests {
    static let password = "Ne-Pas-Journaliser-500"

    /// The reference of a 500 answer, when it is exactly `{"error":"Erreur interne (référence
    /// <8 characters>)"}`; nil otherwise.
    private func referenceOf(_ answer: TimedAnswer) -> String? {
        guard case .object(let members) = answer.answer, members.count == 1, let message = answer.message,
            let match = message.wholeMatch(of: /Erreur interne \(référence ([0-9A-Za-z]{8})\)/)
        else { return nil }
        return String(match.output.1)
    }

    /// Posts an import by ADMIN (password `password`) into `fichier`, with the log captured.
    private func failingRequest(
        server: TestServer,
        fichier: String,
        log: LogRecorder
    ) async throws -> (TimedAnswer, TimedAnswer) {
        let body = sessionBody(
            fichier: fichier, utilisateur: "ADMIN", motPasse: Self.password, lines: clientLines("E", count: 2))
        let result = Answers()
        try await server.run(lockWait: .seconds(1), log: log) { client in
            result.set(try await client.timedPost(body), try await client.timedPost(body))
        }
        return try result.get()
    }

    @Test("a société file that is not a database answers 500 with only a reference, logged with the details")
    func textFileSociete() async throws {
        let server = try TestServer()
        let path = server.folder + "/BAD.Gestimum"
        try "Ceci n'est pas une base SQLite.\n".write(toFile: path, atomically: true, encoding: .utf8)
        let log = LogRecorder()
        let (first, second) = try await failingRequest(server: server, fichier: "BAD.Gestimum", log: log)
        try expectReferenced(first, second, log: log, details: ["BAD.Gestimum", "notASociete"], folder: server.folder)
        // The file is left as it was.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "Ceci n'est pas une base SQLite.\n")
    }

    @Test("an SQLite database that is not a société answers 500 the same way")
    func foreignDatabase() async throws {
        let server = try TestServer()
        let path = server.folder + "/AUTRE.Gestimum"
        let queue = try DatabaseQueue(path: path, configuration: .patient)
        try await queue.write { db in try db.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        try queue.close()
        let log = LogRecorder()
        let (first, second) = try await failingRequest(server: server, fichier: "AUTRE", log: log)
        try expectReferenced(
            first, second, log: log, details: ["AUTRE.Gestimum", "notASociete"], folder: server.folder)
    }

    /// Checks two 500 answers and the log: each answer only names its reference, the two differ,
    /// and an error line of the log holds each reference with `details`, never the password.
    private func expectReferenced(
        _ first: TimedAnswer,
        _ second: TimedAnswer,
        log: LogRecorder,
        details: [String],
        folder: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var references: [String] = []
        for answer in [first, second] {
            #expect(answer.status == .internalServerError, sourceLocation: sourceLocation)
            let reference = try #require(referenceOf(answer), "\(answer.body)", sourceLocation: sourceLocation)
            #expect(
                answer.body == #"{"error":"Erreur interne (r\u00E9f\u00E9rence "# + reference + #")"}"#,
                sourceLocation: sourceLocation)
            // Nothing of the details in the answer.
            #expect(!answer.body.contains(folder), sourceLocation: sourceLocation)
            for detail in details { #expect(!answer.body.contains(detail), sourceLocation: sourceLocation) }
            references.append(reference)

            let errors = log.lines.filter { $0.level >= .error && $0.description.contains(reference) }
            #expect(errors.count == 1, "\(log.text)", sourceLocation: sourceLocation)
            for detail in details {
                #expect(
                    errors.first?.description.contains(detail) == true, "\(log.text)", sourceLocation: sourceLocation)
            }
        }
        #expect(references[0] != references[1], "each failure has its own reference")
        #expect(!log.text.contains(Self.password), "\(log.text)", sourceLocation: sourceLocation)
    }
}

/// The two answers a test's requests got, handed out of the test closure.
private final class Answers: Sendable {
    private let storage = Mutex<(TimedAnswer, TimedAnswer)?>(nil)

    func set(_ first: TimedAnswer, _ second: TimedAnswer) { storage.withLock { $0 = (first, second) } }

    func get() throws -> (TimedAnswer, TimedAnswer) { try #require(storage.withLock { $0 }) }
}
