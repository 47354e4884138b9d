import Foundation

/// The sessions of one société in a file beside it, `<société>-sessions`, so that every process
/// that opens the société (servers, tâches) sees them. Each session is a slot of the file,
/// which holds its user, and which its process keeps locked while the session lives: the
/// locks are Linux's open file description locks, which the system frees when the process
/// ends, however it ends, so the next look finds that session gone. The file's first bytes are
/// locked for the instant of each look or change, by one process at a time. Far past the
/// slots, one byte is the société's `CheckpointLock`.
final class SessionFiles: @unchecked Sendable {
    /// A live session, as another request reads it.
    struct Entry {
        let slot: Int
        let user: String
        let exclusive: Bool
    }

    /// A session of this process: its slot, locked through a descriptor of the slot's own as
    /// long as it is open (locks of one descriptor never exclude each other).
    final class Held: HeldSession, @unchecked Sendable {
        let slot: Int
        fileprivate let descriptor: Int32

        fileprivate init(slot: Int, descriptor: Int32) {
            self.slot = slot
            self.descriptor = descriptor
        }

        /// `reconnected` once another request, of this process or another, asked this session
        /// to end (`deconnecter`).
        var endRequested: SessionEnd? {
            var state: UInt8 = 0
            let asked =
                pread(descriptor, &state, 1, off_t(SessionFiles.offset(of: slot))) == 1
                && state == SessionFiles.endedState
            return asked ? .reconnected : nil
        }
    }

    /// A slot: its state (`A` live, `F` asked to end, 0 free), `X` or `P` (exclusive or not), the
    /// user's length, then the user.
    static let slotSize = 128
    static let activeState = UInt8(ascii: "A")
    static let endedState = UInt8(ascii: "F")

    /// The slots come after the gate's bytes.
    static func offset(of slot: Int) -> Int { (slot + 1) * slotSize }

    let path: String
    private let societePath: String
    /// The descriptor of the looks and changes: one thread at a time in this process uses it
    /// (`withGate`), and the others below.
    private let gate: Int32
    /// A descriptor per slot this process has used, kept for its next session there: opening
    /// the file for each request would cost more than its lock.
    private var slotDescriptors: [Int: Int32] = [:]
    private let inProcess = NSLock()

    /// The sessions of the société at `societePath`. The file is made when missing.
    init(societePath: String) throws(SessionRefusal) {
        path = societePath + "-sessions"
        self.societePath = societePath
        gate = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard gate >= 0 else { throw Self.failure(societePath) }
    }

    deinit {
        close(gate)
        for descriptor in slotDescriptors.values { close(descriptor) }
    }

    /// Runs `work` with every process's sessions of the société held still. Locks of one
    /// descriptor never exclude each other: the threads of this process take turns first.
    func withGate<T, Failure: Error>(_ work: () throws(Failure) -> T) throws(Failure) -> T {
        inProcess.lock()
        defer { inProcess.unlock() }
        _ = OpenFileLock.set(F_WRLCK, on: gate, offset: 0, length: Self.slotSize, waiting: true)
        defer { _ = OpenFileLock.set(F_UNLCK, on: gate, offset: 0, length: Self.slotSize, waiting: false) }
        return try work()
    }

    /// The live sessions; the slots of ended processes are freed. Under the gate.
    func liveSessions() -> [Entry] {
        let bytes = contents()
        var sessions: [Entry] = []
        for slot in 0..<max(0, bytes.count / Self.slotSize - 1) {
            let start = Self.offset(of: slot)
            guard bytes[start] != 0 else { continue }
            guard isLocked(slot) else {
                // Nobody holds it: its process ended without closing it.
                write([0], at: start)
                continue
            }
            let length = min(Int(bytes[start + 2]), Self.slotSize - 3)
            sessions.append(
                Entry(
                    slot: slot, user: String(decoding: bytes[(start + 3)..<(start + 3 + length)], as: UTF8.self),
                    exclusive: bytes[start + 1] == UInt8(ascii: "X")))
        }
        return sessions
    }

    /// Takes a free slot for a new session of `user`, and locks it: the first that none of
    /// `live` holds, since `liveSessions`, which gave them, freed the slots of ended processes.
    /// Under the gate, after that look.
    func create(user: String, exclusive: Bool, besides live: [Entry]) throws(SessionRefusal) -> Held {
        let taken = Set(live.map(\.slot))
        let slot = (0...).first { !taken.contains($0) }!
        let descriptor = slotDescriptors[slot] ?? open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(societePath) }
        slotDescriptors[slot] = descriptor
        guard
            OpenFileLock.set(
                F_WRLCK, on: descriptor, offset: Self.offset(of: slot), length: Self.slotSize, waiting: false)
        else { throw Self.failure(societePath) }
        let userBytes = Array(user.utf8.prefix(Self.slotSize - 3))
        write(
            [Self.activeState, UInt8(ascii: exclusive ? "X" : "P"), UInt8(userBytes.count)] + userBytes
                + [UInt8](repeating: 0, count: Self.slotSize - 3 - userBytes.count),
            at: Self.offset(of: slot))
        return Held(slot: slot, descriptor: descriptor)
    }

    /// Asks the session of `entry` to end: its process sees it and rolls back. Under the gate.
    func requestEnd(of entry: Entry) {
        write([Self.endedState], at: Self.offset(of: entry.slot))
    }

    /// Frees the slot of a session of this process. Under the gate, so that no look takes it for
    /// an ended process's.
    func remove(_ held: Held) {
        write([0], at: Self.offset(of: held.slot))
        _ = OpenFileLock.set(
            F_UNLCK, on: held.descriptor, offset: Self.offset(of: held.slot), length: Self.slotSize, waiting: false)
    }

    private func contents() -> [UInt8] {
        var status = stat()
        guard fstat(gate, &status) == 0, status.st_size > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        let count = bytes.withUnsafeMutableBytes { pread(gate, $0.baseAddress, $0.count, 0) }
        // Whole slots only.
        return Array(bytes.prefix(max(0, count) / Self.slotSize * Self.slotSize))
    }

    private func write(_ bytes: [UInt8], at offset: Int) {
        _ = bytes.withUnsafeBytes { pwrite(gate, $0.baseAddress, $0.count, off_t(offset)) }
    }

    /// Whether a descriptor (of any process but through this one) holds the lock of `slot`.
    private func isLocked(_ slot: Int) -> Bool {
        OpenFileLock.isHeld(F_WRLCK, through: gate, offset: Self.offset(of: slot), length: Self.slotSize)
    }

    /// A sessions file the system refuses: the société is out of reach, not busy (503, as
    /// PostgreSQL's sessions table that cannot be read).
    private static func failure(_ societePath: String) -> SessionRefusal {
        let code = errno
        let failure = StorageFailure(
            .sessions, path: societePath, code: "errno \(code)", detail: String(cString: strerror(code)))
        return SessionRefusal(message: failure.message, storage: failure)
    }
}

extension SessionFiles: SessionRegistry {
    func openSession(
        user: String, exclusive: Bool, disconnect: Bool, refusal: ([LiveSession]) -> SessionRefusal?
    ) async throws(SessionRefusal) -> Result<any HeldSession, SessionRefusal> {
        try withGate { () throws(SessionRefusal) in
            let sessions = liveSessions()
            if disconnect {
                for session in sessions where session.user == user { requestEnd(of: session) }
            }
            if let refused = refusal(sessions.map { LiveSession(user: $0.user, exclusive: $0.exclusive) }) {
                return .failure(refused)
            }
            return .success(try create(user: user, exclusive: exclusive, besides: sessions))
        }
    }

    func closeSession(_ held: any HeldSession) async {
        guard let held = held as? Held else { return }
        withGate { remove(held) }
    }
}
