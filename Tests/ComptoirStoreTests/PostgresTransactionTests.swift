import ComptoirTestSupport
import Foundation
import Loopback
import Synchronization
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// A request on a PostgreSQL société is one transaction, whose statements follow the société's
/// lock without waiting for it, and whose commit follows its last writes.
@Suite("PostgreSQL: one transaction per request", .enabled(if: TestPostgres.isAvailable))
struct PostgresTransactionTests {
    private static func tiers(_ code: String) -> RecordChange {
        RecordChange(
            table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text(code))]),
            values: LineValues([("PCF_TYPE", .text("C")), ("PCF_RS", .text("Tiers \(code)"))]))
    }

    private static func account(_ number: String) -> RecordChange {
        RecordChange(
            table: "COMPTES", kind: .create, key: LineValues([("CPT_NUMERO", .text(number))]),
            values: LineValues([("CPT_TYPE", .text("C"))]))
    }

    /// The row that goes with the refused one: another tiers, sent with it by `COPY`, or an
    /// account, sent with it in one statement of two `INSERT`s.
    @Test(
        "a write the database refuses at the commit fails its request, which keeps nothing",
        arguments: [tiers("Y"), account("411Y")])
    func refusedWrite(with other: RecordChange) async throws {
        try await withTemporaryFolder { folder in
            try await TestPostgres.createSociete("TEST", in: folder, user: "DEMO", password: "")
            let societe = try SocieteFolder(path: folder).societe(named: "TEST")
            try await societe.write(rollback: false) { store in try store.write(Self.tiers("X")) }
            // The other row waits with X, sent together at the end: X is already there.
            await #expect {
                try await societe.write(rollback: false) { store in
                    try store.write(other)
                    try store.write(Self.tiers("X"))
                }
            } throws: { error in
                (error as? StorageFailure).map { $0.cause == .database && $0.code == "PostgreSQL 23505" } ?? false
            }
            let kept = try await societe.write(rollback: true) { store in
                (
                    try store.exists(in: "TIERS", key: LineValues([("PCF_CODE", .text("X"))])),
                    try store.exists(in: other.table, key: other.key)
                )
            }
            #expect(kept.0 && !kept.1)
            // The société takes the next request as before.
            try await societe.write(rollback: false) { store in try store.write(Self.tiers("Z")) }
        }
    }

    @Test("a COMMIT carried out whose answer is lost with its connection is asked after, and answered as kept")
    func commitAnswerLost() async throws {
        try await withTemporaryFolder { folder in
            let connection = try await TestPostgres.createSociete("PERTE", in: folder, user: "DEMO", password: "")
            let cutter = try #require(CommitCutter(to: connection.port))
            let path = folder + "/PERTE.Gestimum"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: "Port=\(connection.port)", with: "Port=\(cutter.port)")
                .write(toFile: path, atomically: false, encoding: .utf8)
            let societe = try SocieteFolder(path: folder).societe(named: "PERTE")
            try await societe.write(rollback: false) { store in try store.write(Self.tiers("KEPT")) }
            let cut = cutter.cut.load(ordering: .relaxed)
            #expect(cut, "the COMMIT's answer was relayed")
            let kept = try await societe.write(rollback: true) { store in
                try store.exists(in: "TIERS", key: LineValues([("PCF_CODE", .text("KEPT"))]))
            }
            #expect(kept)
        }
    }
}

/// A relay in front of PostgreSQL that passes on the COMMIT of the first request's transaction
/// (the one that took the société's lock), but cuts that connection first: the network
/// failing as the database commits, the answer lost. Other connections are relayed as they are.
private final class CommitCutter: Sendable {
    let port: Int
    let cut = Atomic(false)
    private let listener: LoopbackSocket

    init?(to upstream: Int) {
        guard let (listener, port) = LoopbackSocket.listening() else { return nil }
        self.listener = listener
        self.port = port
        Thread { [self] in
            while let client = listener.accept() {
                guard let server = LoopbackSocket(port: upstream) else { continue }
                Thread { Self.relay(from: server, to: client) }.start()
                Thread { self.relayCuttingCommit(from: client, to: server) }.start()
            }
        }.start()
    }

    deinit { listener.shutDown() }

    private static func relay(from source: LoopbackSocket, to destination: LoopbackSocket) {
        while case .data(let bytes) = source.read(), destination.send(bytes) {}
        destination.shutDown()
    }

    private func relayCuttingCommit(from client: LoopbackSocket, to server: LoopbackSocket) {
        var armed = false
        while case .data(let bytes) = client.read() {
            let text = String(decoding: bytes, as: UTF8.self)
            armed = armed || text.contains("pg_advisory_xact_lock")
            if armed, text.contains("COMMIT"),
                cut.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
            {
                client.shutDown()
                _ = server.send(bytes)
                // The database reads the COMMIT before it sees the connection end.
                Thread.sleep(forTimeInterval: 0.5)
                server.shutDown()
                return
            }
            guard server.send(bytes) else { break }
        }
        server.shutDown()
    }
}
