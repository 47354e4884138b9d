import GRDB
import GRDBSQLite

/// What a connection tells at each commit about its write-ahead log.
protocol LogObserver: AnyObject {
    /// Called by a commit that left `pages` pages in the log; `checkpoint` runs a passive
    /// checkpoint on the committing connection.
    func logGrew(to pages: Int32, checkpoint: () -> Void)
}

extension Database {
    /// Tells `observer` of every commit of this connection, instead of SQLite checkpointing by
    /// itself. `observer` must live as long as the connection: the pool's configuration, which
    /// makes every connection, holds it.
    func observeLog(with observer: any LogObserver) {
        sqlite3_wal_hook(
            sqliteConnection,
            { context, db, name, pages in
                guard let context,
                    let observer = Unmanaged<AnyObject>.fromOpaque(context).takeUnretainedValue() as? any LogObserver
                else { return SQLITE_OK }
                observer.logGrew(to: pages) {
                    _ = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                }
                return SQLITE_OK
            },
            Unmanaged.passUnretained(observer as AnyObject).toOpaque()
        )
    }
}
