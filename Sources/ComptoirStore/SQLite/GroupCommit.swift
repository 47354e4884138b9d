import GRDB
import Metrics
import Synchronization

/// Writes requests' work in shared transactions: every piece of work runs in its own savepoint,
/// kept or rolled back on its own, and the work that arrives while a transaction is being
/// written goes into the next one. One commit — one sync to disk — thus acknowledges many
/// requests, which stay as separate and atomic as if each had had its own transaction.
public final class GroupCommit: Sendable {
    /// Answers a request once the fate of its transaction is known (nil: committed).
    private typealias Answer = @Sendable (_ commitError: (any Error)?) -> Void

    /// A piece of work: run in its savepoint (which tells whether it threw), or failed without
    /// running. It may run more than once: only its answer is final.
    private struct Job: Sendable {
        let run: @Sendable (Database) -> (answer: Answer, threw: Bool)
        let fail: @Sendable (any Error) -> Void
    }

    /// The metric of how many pieces of work each commit acknowledged together.
    public static let batchSizeMetric = "comptoir_group_commit_batch_size"

    private let pool: DatabasePool
    /// Held through each transaction, apart from other connections' checkpoints.
    private let lock: CheckpointLock
    private let state = Mutex<(pending: [Job], writing: Bool)>(([], false))

    init(pool: DatabasePool, lock: CheckpointLock) {
        self.pool = pool
        self.lock = lock
    }

    /// Runs `work` in a savepoint of the next transaction, and returns its result once that
    /// transaction is on disk. When `keeps` refuses its result, or when `work` throws, nothing
    /// of it is kept.
    func write<T: Sendable>(
        keeping keeps: @escaping @Sendable (T) -> Bool = { _ in true },
        _ work: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let run: @Sendable (Database) -> (answer: Answer, threw: Bool) = { db in
                let outcome: Result<T, any Error>
                do {
                    outcome = .success(try Self.inSavepoint(db, keeping: keeps) { try work(db) })
                } catch {
                    outcome = .failure(error)
                }
                let answer: Answer = { commitError in
                    // Work that threw is answered with its own error, the cause of any failure
                    // of the commit it was part of.
                    if let commitError, case .success = outcome {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome)
                    }
                }
                if case .failure = outcome { return (answer, true) }
                return (answer, false)
            }
            enqueue(Job(run: run, fail: { continuation.resume(throwing: $0) }))
        }
    }

    /// Runs `work` in a savepoint of the batch's transaction: kept when it returns, rolled back
    /// when it throws or `keeps` refuses its result. Its statements are prepared once per connection, where
    /// GRDB's `inSavepoint` would prepare them again for every request.
    private static func inSavepoint<T>(_ db: Database, keeping keeps: (T) -> Bool, _ work: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT request").execute()
        let result: T
        do {
            result = try work()
        } catch {
            // The error that matters is the work's: a failed rollback here means SQLite already
            // ended the transaction, which the batch's commit then reports.
            try? undoSavepoint(db)
            throw error
        }
        if keeps(result) {
            try db.cachedStatement(sql: "RELEASE SAVEPOINT request").execute()
        } else {
            try undoSavepoint(db)
        }
        return result
    }

    private static func undoSavepoint(_ db: Database) throws {
        try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT request").execute()
        try db.cachedStatement(sql: "RELEASE SAVEPOINT request").execute()
    }

    /// How many pieces of work wait for the next transaction.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    private func enqueue(_ job: Job) {
        let startWriting = state.withLock { state in
            state.pending.append(job)
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if startWriting { Task { await writeBatches() } }
    }

    /// Writes the pending work, one transaction per batch, until none is left.
    private func writeBatches() async {
        while true {
            let batch = state.withLock { state in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            let written = await write(batch)
            if written.failure == nil, written.unanswered.isEmpty {
                Recorder(label: Self.batchSizeMetric).record(written.answers.count)
            }
            for answer in written.answers { answer(written.failure) }
            if let failure = written.failure {
                for job in written.unanswered { job.fail(failure) }
            } else if !written.unanswered.isEmpty {
                state.withLock { $0.pending.insert(contentsOf: written.unanswered, at: 0) }
            }
        }
    }

    /// What became of a batch: the answers of the jobs that ran, the error that kept the
    /// transaction from committing (then nothing of the batch is stored), and the jobs left
    /// to answer: failed with that error, or run again in the next transaction when there is none.
    private struct Written {
        var answers: [Answer] = []
        var failure: (any Error)?
        var unanswered: [Job] = []
    }

    /// Runs a batch in one transaction. When a job's error made SQLite roll the whole
    /// transaction back (a full disk does), that job is answered with its error, and the
    /// others, whose work went with the transaction, are left to run again.
    private func write(_ batch: [Job]) async -> Written {
        do {
            return try await pool.writeWithoutTransaction { [lock] db in
                try lock.whileWriting { try Self.write(batch, in: db) }
            }
        } catch {
            return Written(failure: error, unanswered: batch)
        }
    }

    /// Runs a batch in the transaction it begins on `db`.
    private static func write(_ batch: [Job], in db: Database) throws -> Written {
        try db.beginTransaction()
        var written = Written()
        for (index, job) in batch.enumerated() {
            let (answer, threw) = job.run(db)
            guard db.isInsideTransaction else {
                // Work that did not throw yet lost its transaction cannot be kept.
                let aborted =
                    threw ? nil : DatabaseError(resultCode: .SQLITE_ABORT, message: "transaction annulée")
                return Written(
                    answers: [{ _ in answer(aborted) }],
                    unanswered: Array(batch[..<index] + batch[(index + 1)...]))
            }
            written.answers.append(answer)
        }
        do {
            try db.commit()
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            written.failure = error
        }
        return written
    }
}
