#ifndef CSQLITESETTINGS_H
#define CSQLITESETTINGS_H

/// Turns off SQLite's memory statistics, which Comptoir never reads: with them on, every
/// allocation and every free inside SQLite takes a process-wide mutex. It only takes effect
/// before SQLite is first used in the process; it returns SQLite's result code
/// (SQLITE_MISUSE when SQLite is already in use).
///
/// `sqlite3_config` takes variable arguments, which Swift cannot call: hence this C function.
int comptoir_sqlite_disable_memory_statistics(void);

/// Keeps the sub-journal (where SQLite saves a page before a statement or a savepoint first
/// changes it, to undo them) in memory up to `bytes`, rather than SQLite's 64 Kio, past which
/// it becomes a temporary file. Same rules and result as above.
int comptoir_sqlite_set_subjournal_spill(int bytes);

#endif
