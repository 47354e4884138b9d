import Dispatch
import GRDB
import Synchronization

/// Copies a société's write-ahead log into its file after the commits, so that they do not wait
/// for it. Left to itself, SQLite checkpoints inside the commit that takes the log past 1000
/// pages, and every request sharing that commit waits for the copy and its sync to disk. Here
/// that commit only asks for a passive checkpoint, which the writer runs once the commit is
/// answered, between two transactions; readers are never blocked. It runs on the writer, never
/// on a connection beside it, and under the société's `CheckpointLock`, which keeps it apart
/// from other processes' commits. Under a steady flow of commits the log is never copied
/// to its very end, and SQLite only starts it afresh once it is: past `limit` pages, the commit
/// finishes the copy itself — a short one, the background having done the rest — or, when the
/// background copy is still running, one of the commits that follow does. A commit that
/// wrote more than `limit` pages by itself (a large import) leaves its copy to the background:
/// its request would otherwise wait for a copy of its whole size.
final class Checkpoints: LogObserver, Sendable {
    /// The log size, in pages, past which a background checkpoint starts. Larger than SQLite's
    /// 1000: pages that every commit changes are copied once for more commits.
    let threshold: Int32
    /// The log size, in pages, past which the commit finishes the checkpoint itself: about
    /// 64 Mio of log at most between large imports.
    let limit: Int32
    /// Keeps every checkpoint apart from other connections' commits.
    let lock: CheckpointLock

    private let queue = DispatchQueue(label: "comptoir.checkpoints")
    private let running = Atomic<Bool>(false)
    /// Runs a passive checkpoint on the writer (`checkpoint(on:)`).
    private let writer = Mutex<(@Sendable () -> Void)?>(nil)
    /// The log size the last commit left, to tell how much the next one wrote.
    private let pagesAfterLastCommit = Atomic<Int32>(0)
    /// How many checkpoints commits finished themselves, as the tests observe them.
    let finishedByCommits = Atomic<Int>(0)

    init(lock: CheckpointLock, threshold: Int32 = 4000, limit: Int32 = 16000) {
        self.lock = lock
        self.threshold = threshold
        self.limit = limit
    }

    /// Makes `db`'s commits hand their checkpoints over to this object instead of running them.
    func install(on db: Database) { db.observeLog(with: self) }

    /// Runs the checkpoints that commits ask for on `pool`'s writer, once `pool` is open.
    func checkpoint(on pool: DatabasePool) {
        writer.withLock { writer in
            writer = { [weak pool, lock] in
                _ = pool?.writeWithoutTransaction { db in lock.checkpointing { _ = try? db.checkpoint(.passive) } }
            }
        }
    }

    /// Called by a commit that left `pages` pages in the log.
    func logGrew(to pages: Int32, checkpoint: () -> Void) {
        let before = pagesAfterLastCommit.exchange(pages, ordering: .relaxed)
        // A log smaller than before was started afresh by this commit, which wrote all of it.
        let written = pages >= before ? pages - before : pages
        if pages >= limit, written < limit {
            if lock.checkpointing(checkpoint) { finishedByCommits.add(1, ordering: .relaxed) }
        } else if pages >= threshold {
            start()
        }
    }

    /// Asks the writer for a checkpoint, after the commit that calls it, unless one is waiting
    /// or running.
    private func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        queue.async { [self] in
            defer { running.store(false, ordering: .releasing) }
            // A failed checkpoint loses nothing: the log keeps every commit, and the next
            // commit past the threshold tries again.
            guard let checkpoint = writer.withLock({ $0 }) else { return }
            checkpoint()
        }
    }

    /// Starts no other checkpoint: the société's file was replaced, and its pool is closing.
    func close() {
        writer.withLock { $0 = nil }
    }
}
