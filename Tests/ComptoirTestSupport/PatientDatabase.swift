import GRDB

extension Configuration {
    /// A test's own connection to a société the server may be writing to: it waits for a
    /// checkpoint or a commit to end rather than failing at once with "database is locked".
    public static var patient: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }
}

/// A test's own write lock on a société: while it is held, the server's writes wait, so that a
/// request is held in the middle of its import for as long as the test decides.
public final class WriteLock {
    private let queue: DatabaseQueue

    /// Takes the lock (`BEGIN IMMEDIATE`) on the file at `path`.
    public init(path: String) throws {
        var configuration = Configuration.patient
        configuration.allowsUnsafeTransactions = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    }

    /// Lets the server's writes go on.
    public func release() throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        try queue.close()
    }
}
