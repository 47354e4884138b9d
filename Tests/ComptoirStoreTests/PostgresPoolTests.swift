import ComptoirTestSupport
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import ComptoirStore

/// The connections of a PostgreSQL société: bounded, so that a burst of requests on several
/// servers never takes all of PostgreSQL's, given back to the requests that wait for one, and
/// never waited on once closed.
@Suite(
    "PostgreSQL connections: bounded, never waited on once closed",
    .enabled(if: TestPostgres.isAvailable, "COMPTOIR_TEST_POSTGRES is not set"))
struct PostgresPoolTests {
    @Test("past the bound a request waits for a connection given back; a few stay idle, the others close")
    func boundedPool() async throws {
        let link = try PostgresLink(connection: try TestPostgres.connection(), path: "/tmp/POOL.Gestimum")
        defer { link.close() }
        var taken: [PostgresConnection] = []
        for _ in 0..<PostgresLink.maximumOpen { taken.append(try await link.take()) }
        let served = Served()
        let waiting = Task {
            let connection = try await link.take()
            served.value.store(true, ordering: .relaxed)
            return connection
        }
        try await Task.sleep(for: .milliseconds(300))
        let servedEarly = served.value.load(ordering: .relaxed)
        #expect(!servedEarly, "a connection past the bound was opened")
        // It is given the one given back.
        link.giveBack(taken[0])
        let handed = try await waiting.value
        #expect(handed === taken[0])
        taken[0] = handed
        // A connection that broke frees its place for a new one.
        link.discard(taken.removeLast())
        taken.append(try await link.take())
        for connection in taken { link.giveBack(connection) }
        // Those past the idle bound close soon, not at once.
        let surplus = PostgresLink.maximumOpen - PostgresLink.maximumIdle
        for _ in 0..<200 where taken.filter(\.isClosed).count < surplus {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(taken.filter(\.isClosed).count == surplus)
    }

    @Test(
        "an answer the driver loses when its connection closes fails its wait at once, on a thread or in a task",
        arguments: [false, true])
    func waitEndsWithTheConnection(awaited: Bool) async throws {
        let link = try PostgresLink(connection: try TestPostgres.connection(), path: "/tmp/POOL.Gestimum")
        defer { link.close() }
        let connection = try await link.take()
        // An answer that never comes, as a COPY's that PostgresNIO loses in a restart, or a
        // session's COMMIT whose answer a broken network drops.
        let lost = connection.eventLoop.makePromise(of: Void.self)
        let waiting =
            awaited
            ? Task { () async -> Result<Void, any Error> in
                do {
                    return .success(try await lost.futureResult.value(on: connection))
                } catch {
                    return .failure(error)
                }
            }
            : Task.detached { Result { try lost.futureResult.wait(on: connection) } }
        try await Task.sleep(for: .milliseconds(200))
        try await connection.close()
        let outcome = await waiting.value
        #expect(throws: ConnectionLost.self) { try outcome.get() }
        lost.succeed(())
        link.discard(connection)
    }

    @Test("a connection keeps no answer that came: a pooled one would hold them all for as long as it lives")
    func answersThatCameAreNotKept() async throws {
        let link = try PostgresLink(connection: try TestPostgres.connection(), path: "/tmp/POOL.Gestimum")
        defer { link.close() }
        let connection = try await link.take()
        for index in 0..<50 {
            let rows = try await connection.rows("SELECT $1::text", [.text("réponse \(index)")])
            #expect(rows.first?.first?.text == "réponse \(index)")
        }
        let waited = try await PostgresSociete.onOwnThread { try connection.rowsWaiting("SELECT 1") }
        #expect(waited.count == 1)
        #expect(OwedAnswers.of(connection).count == 0)
        // One still owed is failed when the connection closes, and the list goes with it.
        let never = connection.eventLoop.makePromise(of: Void.self)
        let waiting = Task { try await never.futureResult.value(on: connection) }
        for _ in 0..<200 where OwedAnswers.of(connection).count == 0 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(OwedAnswers.of(connection).count == 1)
        try await connection.close()
        await #expect(throws: ConnectionLost.self) { try await waiting.value }
        never.succeed(())
        link.discard(connection)
    }
}

/// Whether a request waiting for a connection got one.
private final class Served: Sendable {
    let value = Atomic(false)
}
