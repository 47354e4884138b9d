import ComptoirTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@testable import ComptoirStore

/// Requests that share a transaction keep their own outcomes, and share its commit's.
@Suite("GroupCommit: shared transactions, separate outcomes")
struct GroupCommitTests {
    private struct Refused: Error, Equatable {}

    /// A database with a table `rows`, and `deferred`, whose reference to `rows` is checked
    /// only at the commit.
    private func database(in folder: String) throws -> DatabasePool {
        let pool = try DatabasePool(path: (folder as NSString).appendingPathComponent("groupe.sqlite"))
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE rows (id TEXT PRIMARY KEY)")
            try db.execute(
                sql: "CREATE TABLE deferred (id TEXT REFERENCES rows(id) DEFERRABLE INITIALLY DEFERRED)")
        }
        return pool
    }

    private func groupCommit(_ pool: DatabasePool) throws -> GroupCommit {
        GroupCommit(pool: pool, lock: try CheckpointLock(societePath: pool.path))
    }

    private func ids(_ pool: DatabasePool) async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM rows ORDER BY id") }
    }

    /// Runs `first`, which holds the writer until `batch` are all waiting, so that they share
    /// the next transaction; returns each one's outcome.
    private func inOneBatch(
        _ commits: GroupCommit,
        _ batch: [@Sendable (Database) throws -> Void]
    ) async throws -> [Result<Void, any Error>] {
        let release = DispatchSemaphore(value: 0)
        let running = Mutex(false)
        let first = Task {
            try await commits.write { db in
                running.withLock { $0 = true }
                release.wait()
                try db.execute(sql: "INSERT INTO rows VALUES ('premier')")
            }
        }
        while !running.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        let tasks = batch.map { work in
            Task { () -> Result<Void, any Error> in
                do {
                    try await commits.write(work)
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
        }
        while commits.pendingCount < batch.count { try await Task.sleep(for: .milliseconds(5)) }
        release.signal()
        try await first.value
        var outcomes: [Result<Void, any Error>] = []
        for task in tasks { outcomes.append(await task.value) }
        return outcomes
    }

    @Test("a request that throws shares a transaction with one that commits: only the second is kept")
    func throwingAndCommittingInOneBatch() async throws {
        try await withTemporaryFolder { folder in
            let pool = try database(in: folder)
            let outcomes = try await inOneBatch(
                try groupCommit(pool),
                [
                    { db in
                        try db.execute(sql: "INSERT INTO rows VALUES ('refuse')")
                        throw Refused()
                    },
                    { db in try db.execute(sql: "INSERT INTO rows VALUES ('garde')") },
                ])
            #expect(throws: Refused.self) { try outcomes[0].get() }
            #expect(throws: Never.self) { try outcomes[1].get() }
            #expect(try await ids(pool) == ["garde", "premier"])
        }
    }

    @Test("a commit that fails is reported to every request of its batch, and keeps nothing of it")
    func failedCommitReachesEveryRequest() async throws {
        try await withTemporaryFolder { folder in
            let pool = try database(in: folder)
            let outcomes = try await inOneBatch(
                try groupCommit(pool),
                [
                    // Its savepoint is released: the broken reference is only found at the commit.
                    { db in try db.execute(sql: "INSERT INTO deferred VALUES ('absent')") },
                    { db in try db.execute(sql: "INSERT INTO rows VALUES ('perdu')") },
                ])
            for outcome in outcomes {
                let error = #expect(throws: DatabaseError.self) { try outcome.get() }
                #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            }
            #expect(try await ids(pool) == ["premier"])
            #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM deferred") } == 0)
        }
    }

    /// SQLite rolls the whole transaction back after some errors (a full disk): the work of the
    /// batch that ran before went with it, and must not be reported kept, nor lost.
    @Test("a request whose error ends the transaction fails alone: the others of its batch run again and are kept")
    func transactionEndedByOneRequest() async throws {
        try await withTemporaryFolder { folder in
            let pool = try database(in: folder)
            let outcomes = try await inOneBatch(
                try groupCommit(pool),
                [
                    { db in try db.execute(sql: "INSERT INTO rows VALUES ('avant')") },
                    { db in
                        try db.execute(sql: "INSERT INTO rows VALUES ('fautif')")
                        try db.execute(sql: "ROLLBACK")
                        throw Refused()
                    },
                    { db in try db.execute(sql: "INSERT INTO rows VALUES ('apres')") },
                ])
            #expect(throws: Never.self) { try outcomes[0].get() }
            #expect(throws: Refused.self) { try outcomes[1].get() }
            #expect(throws: Never.self) { try outcomes[2].get() }
            #expect(try await ids(pool) == ["apres", "avant", "premier"])
        }
    }
}
