import GRDB
import Synchronization

/// Writes requests' work in shared transactions: every piece of work runs in its own savepoint,
/// kept or rolled back on its own, and the work that arrives while a transaction is being
/// written goes into the next one. One commit — one sync to disk — thus acknowledges many
/// requests, which stay as separate and atomic as if each had had its own transaction.
final class GroupCommit: Sendable {
    /// Answers a request once the fate of its transaction is known (nil: committed).
    private typealias Answer = @Sendable (_ commitError: (any Error)?) -> Void

    /// A piece of work: run in its savepoint, or failed without running.
    private struct Job: Sendable {
        let run: @Sendable (Database) -> Answer
        let fail: @Sendable (any Error) -> Void
    }

    private let pool: DatabasePool
    private let state = Mutex<(pending: [Job], writing: Bool)>(([], false))

    init(pool: DatabasePool) { self.pool = pool }

    /// Runs `work` in a savepoint of the next transaction, and returns its result once that
    /// transaction is on disk. With `rollback`, or when `work` throws, nothing of it is kept.
    func write<T: Sendable>(rollback: Bool, _ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let run: @Sendable (Database) -> Answer = { db in
                let outcome: Result<T, any Error>
                do {
                    outcome = .success(try Self.inSavepoint(db, rollback: rollback) { try work(db) })
                } catch {
                    outcome = .failure(error)
                }
                return { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome)
                    }
                }
            }
            enqueue(Job(run: run, fail: { continuation.resume(throwing: $0) }))
        }
    }

    /// Runs `work` in a savepoint of the batch's transaction: kept when it returns, rolled back
    /// when it throws or with `rollback`. Its statements are prepared once per connection, where
    /// GRDB's `inSavepoint` would prepare them again for every request.
    private static func inSavepoint<T>(_ db: Database, rollback: Bool, _ work: () throws -> T) throws -> T {
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
        if rollback {
            try undoSavepoint(db)
        } else {
            try db.cachedStatement(sql: "RELEASE SAVEPOINT request").execute()
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
            let (answers, failure) = await written(batch)
            for answer in answers { answer(failure) }
            if let failure {
                for job in batch.dropFirst(answers.count) { job.fail(failure) }
            }
        }
    }

    /// Runs a batch in one transaction: the answers of the jobs that ran, and the error that
    /// kept the transaction from committing, if any (then nothing of the batch is stored).
    private func written(_ batch: [Job]) async -> ([Answer], (any Error)?) {
        do {
            return try await pool.writeWithoutTransaction { db in
                var answers: [Answer] = []
                do {
                    try db.inTransaction {
                        answers = batch.map { $0.run(db) }
                        return .commit
                    }
                    return (answers, nil)
                } catch {
                    return (answers, error)
                }
            }
        } catch {
            return ([], error)
        }
    }
}
