import ComptoirTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// The write-ahead log is copied into the database file after the commits, by the writer
/// between them, and never grows without bound, however many commits follow each other. No
/// checkpoint overlaps a commit of another connection, of this process or another (SQLite's
/// "WAL-reset bug"): a second `CheckpointLock` on the same file stands for that connection,
/// since its locks exclude this one's as another process's would.
@Suite("Checkpoints after the commits")
struct CheckpointTests {
    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    /// A database at `path` whose checkpoints `checkpoints` makes, with a table `rows`; small
    /// sizes, so that a few hundred commits go past them many times.
    private func database(at path: String) async throws -> (DatabasePool, Checkpoints) {
        let checkpoints = Checkpoints(lock: try CheckpointLock(societePath: path), threshold: 100, limit: 400)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            checkpoints.install(on: db)
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        checkpoints.checkpoint(on: pool)
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE rows (id TEXT PRIMARY KEY, payload TEXT NOT NULL)")
        }
        return (pool, checkpoints)
    }

    /// Inserts a row of 300 bytes for each of `ids`.
    private func insertRows(_ ids: [String], into db: Database) throws {
        for id in ids {
            try db.execute(
                sql: "INSERT INTO rows (id, payload) VALUES (?, ?)",
                arguments: [id, String(repeating: "x", count: 300)])
        }
    }

    @Test("commits without pause: the log stays under its limit, the file receives the rows, nothing is lost")
    func logStaysBounded() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/journal.sqlite"
            let (pool, checkpoints) = try await database(at: path)
            let initialSize = fileSize(path)
            // Eight writers without pause: commits follow each other, as under a steady load.
            let writers = 8
            let commitsPerWriter = 100
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for commit in 0..<commitsPerWriter {
                            try await pool.write { db in
                                try insertRows((0..<20).map { "\(writer)-\(commit)-\($0)" }, into: db)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let pageSize = try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
            // Three times the limit, a margin: the writer copies the log between two commits,
            // and the log starts afresh once copied. Without checkpoints, the log holds every
            // commit: more than ten times it.
            let bound = Int(3 * checkpoints.limit) * (pageSize + 24)
            #expect(fileSize(path + "-wal") <= bound)
            #expect(fileSize(path) > initialSize + 100 * pageSize, "nothing was checkpointed into the file")
            let count = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rows") }
            #expect(count == writers * commitsPerWriter * 20)
        }
    }

    @Test("a commit that writes more than the limit by itself leaves the copy to the writer, after its answer")
    func largeCommitDoesNotCopy() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/journal.sqlite"
            let (pool, checkpoints) = try await database(at: path)
            let initialSize = fileSize(path)
            let rows = 10_000
            try await pool.write { db in try insertRows((0..<rows).map(String.init), into: db) }
            let pageSize = try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
            #expect(
                fileSize(path + "-wal") > Int(checkpoints.limit) * pageSize, "the commit was not larger than the limit")
            #expect(checkpoints.finishedByCommits.load(ordering: .relaxed) == 0)
            // The writer copies it all into the file, after the commit.
            let deadline = Date().addingTimeInterval(30)
            while fileSize(path) < initialSize + rows * 300, Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(fileSize(path) >= initialSize + rows * 300)
        }
    }

    /// Commits `commits` transactions of 50 rows of 300 bytes, on the calling thread.
    private func commitRows(_ commits: Range<Int>, to pool: DatabasePool) throws {
        for commit in commits {
            try pool.write { db in try insertRows((0..<50).map { "\(commit)-\($0)" }, into: db) }
        }
    }

    @Test("while another connection writes, no checkpoint runs; once it is done, the log is copied")
    func noCheckpointBesideAnotherWrite() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/journal.sqlite"
            let (pool, checkpoints) = try await database(at: path)
            let initialSize = fileSize(path)
            let otherConnection = try CheckpointLock(societePath: path)
            let pageSize = try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
            try otherConnection.whileWriting {
                // Past the threshold and the limit: both kinds of checkpoint are asked for.
                try commitRows(0..<150, to: pool)
                #expect(fileSize(path + "-wal") > Int(checkpoints.limit) * pageSize)
                Thread.sleep(forTimeInterval: 0.3)
                #expect(fileSize(path) == initialSize, "a checkpoint ran beside the other connection's write")
            }
            #expect(checkpoints.finishedByCommits.load(ordering: .relaxed) == 0)
            try commitRows(150..<151, to: pool)
            let deadline = Date().addingTimeInterval(30)
            while fileSize(path) == initialSize, Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(fileSize(path) > initialSize + 150 * 50 * 300)
            let count = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rows") }
            #expect(count == 151 * 50)
        }
    }

    @Test("a write waits for the end of another connection's checkpoint")
    func writeWaitsForAnotherCheckpoint() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/journal.sqlite"
            let (pool, checkpoints) = try await database(at: path)
            let commits = GroupCommit(pool: pool, lock: checkpoints.lock)
            let otherConnection = try CheckpointLock(societePath: path)
            let checkpointRuns = DispatchSemaphore(value: 0)
            let checkpointEnded = Atomic<Bool>(false)
            Thread {
                otherConnection.checkpointing {
                    checkpointRuns.signal()
                    Thread.sleep(forTimeInterval: 0.3)
                    checkpointEnded.store(true, ordering: .sequentiallyConsistent)
                }
            }.start()
            checkpointRuns.wait()
            let sawCheckpointEnded = try await commits.write { db in
                try insertRows(["pendant"], into: db)
                return checkpointEnded.load(ordering: .sequentiallyConsistent)
            }
            #expect(sawCheckpointEnded)
            // And a checkpoint of the other connection does not run while this one writes.
            let ranBeside = try await commits.write { _ in otherConnection.checkpointing {} }
            #expect(!ranBeside)
            #expect(otherConnection.checkpointing {})
        }
    }
}
