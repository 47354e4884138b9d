import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies a société's write-ahead log into its file in the background, so that commits do not
/// wait for it. Left to itself, SQLite checkpoints inside the commit that takes the log past
/// 1000 pages, and every request sharing that commit waits for the copy and its sync to disk.
/// Here that commit only starts a passive checkpoint on a connection of its own, which never
/// blocks the writer nor the readers. Under a steady flow of commits the log is never copied
/// to its very end, and SQLite only starts it afresh once it is: past 4000 pages, the commit
/// finishes the copy itself — a short one, the background having done the rest.
final class Checkpoints: Sendable {
    /// The log size, in pages, past which a background checkpoint starts: SQLite's own.
    static let threshold: Int32 = 1000
    /// The log size, in pages, past which the commit finishes the checkpoint itself.
    static let limit: Int32 = 4000

    private let path: String
    private let queue = DispatchQueue(label: "comptoir.checkpoints")
    private let running = Atomic<Bool>(false)
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String) { self.path = path }

    /// Makes `db`'s commits hand their checkpoints over to this object instead of running them.
    func install(on db: Database) {
        sqlite3_wal_hook(
            db.sqliteConnection,
            { context, db, name, pages in
                if pages >= Checkpoints.limit {
                    _ = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                } else if pages >= Checkpoints.threshold, let context {
                    Unmanaged<Checkpoints>.fromOpaque(context).takeUnretainedValue().start()
                }
                return SQLITE_OK
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }

    /// Starts a checkpoint unless one is running.
    private func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        queue.async { [self] in
            defer { running.store(false, ordering: .releasing) }
            // A failed checkpoint loses nothing: the log keeps every commit, and the next
            // commit past the threshold tries again.
            try? connection.withLock { connection in
                if connection == nil { connection = try DatabaseQueue(path: path) }
                try connection?.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            }
        }
    }
}
