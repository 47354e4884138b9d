import Foundation
import Synchronization

/// Keeps a société's checkpoints apart from the commits of its other connections, whichever
/// process holds them: a server and the tâches run beside it each open the société. SQLite
/// before 3.51.3 can damage a database when a checkpoint overlaps another connection's commit
/// that starts the write-ahead log afresh (its "WAL-reset bug"), and the system's SQLite may be
/// older. A write holds the lock shared, and waits for a checkpoint that holds it; a checkpoint
/// takes it exclusive without waiting, and is skipped while another connection writes: it
/// loses nothing, the next commit asks for it again. The lock is an open file description
/// lock on a byte of the société's sessions file, far past its slots.
final class CheckpointLock: Sendable {
    /// Where the lock lies in the sessions file: past any slot a société will ever use.
    private static let offset = 1 << 40

    /// The sessions file, open until `close()`; -1 after.
    private let descriptor: Atomic<Int32>
    /// How many writes of this société's connections hold the lock now. Its changes, and
    /// every checkpoint, happen under this mutex: a checkpoint gives the lock back as it found it.
    private let writes = Mutex<Int>(0)

    /// The lock of the société at `societePath`; its sessions file is made when missing.
    init(societePath: String) throws {
        let opened = open(societePath + "-sessions", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        descriptor = Atomic(opened)
        guard opened >= 0 else {
            let code = errno
            let folder = (societePath as NSString).deletingLastPathComponent
            throw StorageFailure(
                access(folder, W_OK) == 0 ? .cannotOpen : .readOnly, path: societePath, code: "errno \(code)",
                detail: String(cString: strerror(code)))
        }
    }

    deinit { close() }

    /// Closes the sessions file once the société's connections are closed, rather than when the
    /// last of them is deallocated, which GRDB may do later on a queue of its own: a file left
    /// open keeps, for one, its file system from being made read-only.
    func close() {
        let opened = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if opened >= 0 { Glibc.close(opened) }
    }

    /// Runs `work`, which writes to the société, once no checkpoint of another connection runs,
    /// and keeps new ones from starting until it ends. Writes do not exclude each other here:
    /// SQLite does. A lock the system refuses is not waited for: it only narrows a rare race,
    /// and refusing the write would refuse them all.
    func whileWriting<T>(_ work: () throws -> T) rethrows -> T {
        writes.withLock { count in
            if count == 0 { _ = lock(F_RDLCK, waiting: true) }
            count += 1
        }
        defer {
            writes.withLock { count in
                count -= 1
                if count == 0 { _ = lock(F_UNLCK, waiting: false) }
            }
        }
        return try work()
    }

    /// Runs `work` once no connection of the société writes or checkpoints, and keeps them
    /// from starting until it ends: for a command that puts a new file at the société's name.
    func excludingWrites(_ work: () throws -> Void) throws {
        try writes.withLock { _ in
            _ = lock(F_WRLCK, waiting: true)
            defer { _ = lock(F_UNLCK, waiting: false) }
            try work()
        }
    }

    /// Runs `checkpoint` unless another connection writes or checkpoints. Gives whether it ran.
    @discardableResult
    func checkpointing(_ checkpoint: () -> Void) -> Bool {
        writes.withLock { count in
            guard lock(F_WRLCK, waiting: false) else { return false }
            checkpoint()
            _ = lock(count > 0 ? F_RDLCK : F_UNLCK, waiting: false)
            return true
        }
    }

    private func lock(_ type: Int32, waiting: Bool) -> Bool {
        OpenFileLock.set(
            type, on: descriptor.load(ordering: .acquiring), offset: Self.offset, length: 1, waiting: waiting)
    }
}
