import CSQLiteSettings
import Foundation

/// Settings of the SQLite library itself, for the whole process.
enum SQLiteLibrary {
    /// Made once, before the process opens its first société. SQLite accepts them only before
    /// it is first used; later, it refuses them and keeps working as before, only slower.
    static let configured: Void = {
        // Memory statistics take a process-wide mutex on every allocation and every free.
        _ = comptoir_sqlite_disable_memory_statistics()
        _ = comptoir_sqlite_set_subjournal_spill(subjournalSpill)
    }()

    /// Every statement that may fail after writing part of its rows (a multi-row `INSERT`, a
    /// row and its index) first saves each page it changes to the sub-journal, and so does a
    /// request's savepoint. Past SQLite's 64 Kio the sub-journal becomes a file for the rest of
    /// the transaction, and every statement of a large import then writes its pages to it.
    /// SQLite writes its memory to that file in one write per chunk, a chunk being as large as
    /// this threshold, and its unix layer writes at most 128 Kio at once: past that, the file
    /// would be left short and the import fail as if the disk were full.
    static let subjournalSpill: Int32 = 124 << 10

    /// The folder where SQLite writes its temporary files (a spilled sub-journal, a large
    /// sort), chosen as its unix layer chooses it: the first of these that can be written.
    static let temporaryFolder: String? = {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["SQLITE_TMPDIR"], environment["TMPDIR"], "/var/tmp", "/usr/tmp", "/tmp", "."]
        return candidates.compactMap { $0 }.first { folder in
            var status = stat()
            return stat(folder, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
                && access(folder, W_OK | X_OK) == 0
        }
    }()
}
