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
            try societe.addUser(code: code, name: code, password: code.lowercased(), group: "DEFAUT", hashCost: 4)
        }
    }

    /// The number of rows of `table` of a société matching `condition`, read through a
    /// separate connection.
    func rowCount(_ table: String, societe: String = "DEMO", where condition: String = "1") throws -> Int {
        try count("SELECT COUNT(*) FROM \(table) WHERE \(condition)", societe: societe)
    }
}

/// Holds the first import whose session opens, once open and before it runs, until the test
/// releases it or its session is ended (`deconnecter`): a session held as long as the test
/// decides, whatever the speed of the machine. The imports after it pass.
final class SessionHold: Sendable {
    private let state = Mutex<(taken: Bool, holding: Bool, released: Bool, entered: [String])>(
        (false, false, false, []))

    /// Whether the first import is held right now.
    var isHolding: Bool { state.withLock { $0.holding } }

    /// The users whose imports opened their session, in order.
    var entered: [String] { state.withLock { $0.entered } }

    func release() { state.withLock { $0.released = true } }

    func enter(_ user: String, isEnded: @Sendable () -> Bool) async {
        let holds = state.withLock { state in
            state.entered.append(user)
            guard !state.taken else { return false }
            state.taken = true
            state.holding = true
            return true
        }
        guard holds else { return }
        while !state.withLock({ $0.released }), !isEnded() { try? await Task.sleep(for: .milliseconds(5)) }
        state.withLock { $0.holding = false }
    }

    /// Waits until the first import is held, at most `timeout`; fails the test when it is not.
    func waitUntilHolding(timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let deadline = ContinuousClock.now + timeout
        while !isHolding, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        guard isHolding else {
            Issue.record("no import was held in \(timeout)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
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
