import CSQLiteSettings

/// Settings of the SQLite library itself, for the whole process.
enum SQLiteLibrary {
    /// Made once, before the process opens its first société. SQLite accepts them only before
    /// it is first used; later, it refuses them and keeps working as before, only slower.
    static let configured: Void = {
        // Memory statistics take a process-wide mutex on every allocation and every free.
        _ = comptoir_sqlite_disable_memory_statistics()
    }()
}
