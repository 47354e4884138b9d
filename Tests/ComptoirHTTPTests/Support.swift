import ComptoirCore
import ComptoirStore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ComptoirHTTP

/// A data folder in a fresh temporary directory holding the société DEMO (user DEMO, empty
/// password) and ALPHA (user ADMIN, password "secret"), and the web service serving it. The
/// folder is removed when the test lets go of it.
final class TestServer: Sendable {
    private let temporary: TemporaryFolder
    private let fileSystem: SmallFileSystem?
    let bodyLimit: Int
    /// Where DEMO and ALPHA live when they are PostgreSQL sociétés.
    let connections: [String: ConnectionFile]
    var demoConnection: ConnectionFile? { connections["DEMO"] }

    /// Sociétés DEMO and ALPHA in a new folder, or on `fileSystem` when given.
    init(bodyLimit: Int = ServerSettings.defaultBodyLimit, on fileSystem: SmallFileSystem? = nil) throws {
        temporary = try TemporaryFolder()
        self.fileSystem = fileSystem
        self.bodyLimit = bodyLimit
        connections = [:]
        let societes = SocieteFolder(path: fileSystem?.path ?? temporary.path)
        try societes.create(name: "DEMO", user: "DEMO", password: "", hashCost: 4)
        try societes.create(name: "ALPHA", user: "ADMIN", password: "secret", hashCost: 4)
    }

    /// Sociétés DEMO and ALPHA in PostgreSQL, on the server of `COMPTOIR_TEST_POSTGRES`, each
    /// in a new schema; their connection files in a new folder.
    init(onPostgres: Void) async throws {
        temporary = try TemporaryFolder()
        fileSystem = nil
        bodyLimit = ServerSettings.defaultBodyLimit
        connections = [
            "DEMO": try await TestPostgres.createSociete("DEMO", in: temporary.path, user: "DEMO", password: ""),
            "ALPHA": try await TestPostgres.createSociete(
                "ALPHA", in: temporary.path, user: "ADMIN", password: "secret"),
        ]
    }

    /// DEMO and ALPHA on `backend`.
    convenience init(_ backend: TestBackend) async throws {
        switch backend {
        case .sqlite: try self.init()
        case .postgres: try await self.init(onPostgres: ())
        }
    }

    var folder: String { fileSystem?.path ?? temporary.path }
    var demoPath: String { folder + "/DEMO.Gestimum" }

    /// Runs `test` against the web service, which waits `lockWait` for a session and
    /// `bodyBudgetWait` for room in a budget of `bodyBudget` bytes for bodies; its log lines
    /// go to `log` when given, else nowhere below `warning`.
    /// `hold`, when given, holds the imports it chooses once their session is open.
    /// `testing` `.live` serves it on a port of 127.0.0.1, where the test's requests come from
    /// a real peer; `metricsForAnyPeer` is `--metriques`.
    func run(
        lockWait: Duration = .seconds(30),
        bodyBudget: Int = 1 << 30,
        bodyBudgetWait: Duration = .seconds(10),
        spillFolder: String? = nil,
        log: LogRecorder? = nil,
        hold: SessionHold? = nil,
        testing: TestingSetup = .router,
        metricsForAnyPeer: Bool = false,
        _ test: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var logger = Logger(label: "comptoir-test")
        logger.logLevel = .warning
        var settings = ServerSettings(
            port: 0, folder: folder, bodyLimit: bodyLimit, lockWait: lockWait, bodyBudget: bodyBudget,
            bodyBudgetWait: bodyBudgetWait, metricsForAnyPeer: metricsForAnyPeer)
        if let spillFolder { settings.spillFolder = spillFolder }
        if let hold { settings.sessionOpened = { user, isEnded in await hold.enter(user, isEnded: isEnded) } }
        let app = makeApplication(
            settings: settings,
            logger: log?.logger() ?? logger
        )
        try await app.test(testing) { client in try await test(DelphiReader(client: client)) }
    }

    /// Reads a société of the folder through a separate connection, to see what was committed.
    func read<T>(societe: String = "DEMO", _ query: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: "\(folder)/\(societe).Gestimum", configuration: .patient)
        defer { try? queue.close() }
        return try queue.read(query)
    }

    /// Runs `sql`, written for SQLite, with its `?` `arguments`, on DEMO through a separate
    /// connection, on either backend,
    /// as an administrator would before a test.
    func execute(_ sql: String, _ arguments: [String] = []) throws {
        if let demoConnection {
            _ = try TestPostgres.rows(sql, arguments.map(FieldValue.text), in: demoConnection)
        } else {
            try write { db in try db.execute(sql: sql, arguments: StatementArguments(arguments)) }
        }
    }

    /// Sets the preference `code` of DEMO (a counter, a codification…) to `value`.
    func setPreference(_ code: String, to value: String) throws {
        try execute("UPDATE PREFERENCES SET PRF_VALEUR = ? WHERE PRF_CODE = ?", [value, code])
    }

    /// Changes DEMO through a separate connection, as an administrator would before a test.
    func write(_ change: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: demoPath, configuration: .patient)
        defer { try? queue.close() }
        try queue.write(change)
    }

    /// Rows of a table as dictionaries of text, ordered by their first column: DEMO's on either
    /// backend, another société's in its SQLite file.
    func rows(_ table: String, societe: String = "DEMO", where condition: String = "1") throws -> [[String: String?]] {
        let rows =
            societe == "DEMO"
            ? try records(table, condition)
            : try read(societe: societe) { db in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(condition) ORDER BY 1")
            }
        return rows.map { row in
            Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0].map { "\($0)" }) })
        }
    }

    /// The integer a query of DEMO answers (-1 for none).
    func count(_ sql: String, societe: String = "DEMO") throws -> Int {
        if let connection = connections[societe] {
            return try TestPostgres.rows(sql, in: connection).first?.first?.value.integer ?? -1
        }
        return try read(societe: societe) { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// Everything a société holds: its schema and every row of its tables, as text.
    func dump(societe: String = "DEMO") throws -> String {
        try read(societe: societe) { db in
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            var dump = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
                .joined(
                    separator: "\n"
                )
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY 1") {
                    dump += "\n\(table): \(row.description)"
                }
            }
            return dump
        }
    }

    /// The files of the folder (but DEMO's WAL and shared memory) and everything DEMO holds:
    /// what "nothing stored" compares.
    func snapshot() throws -> String {
        let files = try contents(of: folder).filter { !$0.hasPrefix("DEMO.Gestimum-") }
        return files.joined(separator: ",") + "\n" + (try dump())
    }
}

/// Where a test server's sociétés live: SQLite files, or PostgreSQL schemas when the tests are
/// given a server (`COMPTOIR_TEST_POSTGRES`).
enum TestBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var available: [TestBackend] { TestPostgres.isAvailable ? allCases : [.sqlite] }
}

let clientsPath = "/api/rest/Clients/%22Importer%22"

extension TestClientProtocol {
    /// POSTs `body` to `path` and returns the status and the decoded answer.
    func post(_ body: String, to path: String = clientsPath) async throws -> (HTTPResponse.Status, JSONValue) {
        let answer = try await timedPost(body, to: path)
        return (answer.status, answer.answer)
    }
}

extension JSONValue {
    /// The value at `key` of an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The journal lines of an import answer, without their timestamps.
    var journalMessages: [String] {
        guard case .array(let results) = self["result"], case .object = results.first,
            case .array(let lines) = results.first?["journal"]
        else { return [] }
        return lines.compactMap { line in
            guard case .string(let text) = line else { return nil }
            return String(text.dropFirst("dd/MM/yyyy HH:mm:ss ".count))
        }
    }

    /// The journal lines of a documents import about its pièces: each one created, or refused
    /// for its number.
    var pieceMessages: [String] { journalMessages.filter { $0.hasPrefix("La pièce") } }

    var statistics: JSONValue? {
        guard case .array(let results) = self["result"] else { return nil }
        return results.first?["statistiques"]
    }

    var errorMessage: String? {
        guard case .string(let message) = self["error"] else { return nil }
        return message
    }
}

extension Domaine {
    /// `/api/rest/<Domaine>/%22Importer%22`.
    var importPath: String { "/api/rest/\(name)/%22Importer%22" }

    /// The catalogue's field names, in its order, as a header line separated by `;`; with
    /// `custom`, a custom field after them.
    func fullHeader(custom: String? = nil) -> String {
        (catalogue.fields.map(\.name) + (custom.map { [$0] } ?? [])).joined(separator: ";")
    }
}

/// The body of an import request of `domaine`.
func importBody(
    _ domaine: Domaine,
    lines: [String],
    parametres: [(String, String)] = [("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Oui")]
) -> String {
    importBody(root: domaine.rootKey, linesKey: domaine.linesKey, lines: lines, parametres: parametres)
}

extension TestClientProtocol {
    /// Imports `lines` (header first) into DEMO through `domaine`'s request.
    func importer(
        _ domaine: Domaine,
        _ lines: [String],
        parametres: [(String, String)] = parametres()
    ) async throws -> (HTTPResponse.Status, JSONValue) {
        try await post(importBody(domaine, lines: lines, parametres: parametres), to: domaine.importPath)
    }
}

extension TestServer {
    /// The journal of an import of DEMO by `task`, around the lines between the task's launch
    /// and its end (contract, section 5).
    func journal(_ task: String, _ body: [String]) -> [String] {
        journalMessages(task: task, societe: demoPath, body)
    }

    /// The rows of `table` of DEMO matching `condition`, with their stored values (type
    /// included), read through a separate connection.
    func records(_ table: String, _ condition: String = "1", _ arguments: [String] = [], order: String = "1")
        throws -> [Row]
    {
        if let demoConnection {
            let values = arguments.map(FieldValue.text)
            // Ordered as SQLite orders: NULL first.
            return try TestPostgres.rows(
                "SELECT * FROM \"\(table)\" WHERE \(condition == "1" ? "true" : condition) ORDER BY \(order) NULLS FIRST",
                values, in: demoConnection
            ).map { row in
                Row(
                    Dictionary(
                        row.map { field -> (String, (any DatabaseValueConvertible)?) in
                            switch field.value {
                            case .null: (field.name, nil)
                            case .text(let text): (field.name, text)
                            case .integer(let integer): (field.name, Int64(integer))
                            }
                        }, uniquingKeysWith: { first, _ in first }))
            }
        }
        let queue = try DatabaseQueue(path: demoPath, configuration: .patient)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM \(table) WHERE \(condition) ORDER BY \(order)",
                arguments: StatementArguments(arguments))
        }
    }

    /// The one row of `table` of DEMO matching `condition`.
    func record(_ table: String, _ condition: String, _ arguments: [String] = []) throws -> Row {
        let rows = try records(table, condition, arguments)
        try #require(rows.count == 1, "\(rows.count) rows of \(table) where \(condition) \(arguments)")
        return rows[0]
    }
}

extension Row {
    /// The stored value of `column`, to compare with `"text".databaseValue`, `1.databaseValue`
    /// or `.null`.
    func value(_ column: String) -> DatabaseValue { self[column] as DatabaseValue }
}

/// One field of a full-catalogue import: the value written in the file and the value stored.
struct FieldSample {
    let raw: String
    let stored: DatabaseValue

    init(_ raw: String, _ stored: DatabaseValue) {
        self.raw = raw
        self.stored = stored
    }

    /// A text stored as written.
    init(_ text: String) { self.init(text, text.databaseValue) }
}

/// The data line of a full-catalogue import of `domaine`: one sample per catalogue field (the
/// test fails when one is missing or unknown), then `custom`'s value.
func fullLine(_ domaine: Domaine, _ samples: [String: FieldSample], custom: String? = nil) throws -> String {
    let names = domaine.catalogue.fields.map(\.name)
    #expect(Set(samples.keys) == Set(names), "samples for \(Set(samples.keys).symmetricDifference(names))")
    return try (names.map { try #require(samples[$0]).raw } + (custom.map { [$0] } ?? [])).joined(separator: ";")
}

/// Checks that `row` stores each sample's value.
func expectStored(_ row: Row, _ samples: [String: FieldSample], sourceLocation: SourceLocation = #_sourceLocation) {
    for (name, sample) in samples.sorted(by: { $0.key < $1.key }) {
        #expect(row.value(name) == sample.stored, "\(name)", sourceLocation: sourceLocation)
    }
}
