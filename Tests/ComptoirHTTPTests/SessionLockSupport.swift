import ComptoirCore
import ComptoirHTTP
import ComptoirStore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Every log line a web service wrote: level, message and metadata, as text.
final class LogRecorder: Sendable {
    struct Line: Sendable, CustomStringConvertible {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]

        var description: String {
            "[\(level)] \(message) \(metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"
        }
    }

    private let storage = Mutex<[Line]>([])

    var lines: [Line] { storage.withLock { $0 } }

    /// All the lines as text, metadata included.
    var text: String { lines.map(\.description).joined(separator: "\n") }

    fileprivate func record(_ line: Line) { storage.withLock { $0.append(line) } }

    /// A logger at `trace` level whose lines land here.
    func logger(label: String = "comptoir-test") -> Logger {
        var logger = Logger(label: label) { _ in RecordingLogHandler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }
}

/// The log handler of `LogRecorder`.
private struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        for (key, value) in metadataProvider?.get() ?? [:] { all[key] = value }
        for (key, value) in event.metadata ?? [:] { all[key] = value }
        recorder.record(
            LogRecorder.Line(
                level: event.level,
                message: event.message.description,
                metadata: all.mapValues(\.description)
            )
        )
    }
}

extension TestServer {
    /// Adds users (their password is their code in lower case) to a société of the folder.
    func addUsers(_ codes: [String], societe: String = "DEMO") throws {
        let societe = try SocieteFolder(path: folder).societe(named: societe)
        for code in codes {
            try societe.addUser(code: code, name: code, password: code.lowercased(), hashCost: 4)
        }
    }

    /// The number of rows of `table` of a société matching `condition`, read through a
    /// separate connection.
    func rowCount(_ table: String, societe: String = "DEMO", where condition: String = "1") throws -> Int {
        try count("SELECT COUNT(*) FROM \(table) WHERE \(condition)", societe: societe)
    }

    /// Whether a write transaction is running on a société right now: another connection cannot
    /// take the write lock. Opening that connection may wait a little (while a checkpoint runs);
    /// taking the lock never does.
    func isWriting(societe: String = "DEMO") throws -> Bool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: "\(folder)/\(societe).Gestimum", configuration: configuration)
        defer { try? queue.close() }
        do {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA busy_timeout = 0")
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
            return false
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return true
        }
    }

    /// Waits until a request writes into a société (so that its session is open), at most
    /// `timeout`; fails the test when none does.
    func waitUntilWriting(
        societe: String = "DEMO",
        timeout: Duration = .seconds(15),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try isWriting(societe: societe) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no request started writing into \(societe) in \(timeout)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}

/// The body of a Clients import into `fichier` by `utilisateur`, with `deconnecter`, `exclusif`
/// and `tester` as asked, journal and statistics, and a header line first in `lines`.
func sessionBody(
    fichier: String = "DEMO.Gestimum",
    utilisateur: String = "DEMO",
    motPasse: String = "",
    deconnecter: Bool = false,
    exclusif: Bool = false,
    tester: Bool = false,
    lines: [String]
) -> String {
    importBody(
        fichier: fichier, utilisateur: utilisateur, motPasse: motPasse, deconnecter: deconnecter, exclusif: exclusif,
        lines: lines, parametres: parametres(("tester", tester ? "Oui" : "Non")))
}

/// A header and `count` valid client lines whose codes start with `prefix`: `<prefix>000001`…
func clientLines(_ prefix: String, count: Int) -> [String] {
    ["PCF_CODE;CPT_NUMERO;PCF_RS"]
        + (0..<count).map { offset in
            let number = String(offset + 1).leftPadded(to: 6)
            return "\(prefix)\(number);411\(prefix)\(number);Client \(prefix) \(number)"
        }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

/// What one request answered and when.
struct TimedAnswer: Sendable {
    let status: HTTPResponse.Status
    let answer: JSONValue
    /// The raw body of the answer.
    let body: String
    let start: ContinuousClock.Instant
    let end: ContinuousClock.Instant

    var elapsed: Duration { end - start }
    var message: String? { answer.errorMessage }
}

extension TestClientProtocol {
    /// POSTs `body` to the Clients import and times the answer.
    func timedPost(_ body: String, to path: String = clientsPath) async throws -> TimedAnswer {
        let start = ContinuousClock.now
        return try await execute(uri: path, method: .post, body: ByteBuffer(string: body)) { response in
            let end = ContinuousClock.now
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let text = String(buffer: response.body)
            return TimedAnswer(
                status: response.status,
                answer: try JSONValue.parse(Array(response.body.readableBytesView)),
                body: text,
                start: start,
                end: end
            )
        }
    }
}
