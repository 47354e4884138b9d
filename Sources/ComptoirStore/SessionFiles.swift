import Foundation

/// The sessions of one société as files beside it, `<société>-sessions/`, so that every process
/// that opens the société (servers, tâches) sees them. Each session is a file its process keeps
/// locked (`flock`) while it lives: the system frees the lock when the process ends, however it
/// ends, and the next look finds that session gone. A short-held `verrou` file serialises the
/// looks and changes of every process.
final class SessionFiles: @unchecked Sendable {
    /// A session's file, as another process reads it.
    struct Entry {
        let file: String
        let user: String
        let exclusive: Bool
    }

    /// A session of this process: its file, locked as long as it is open.
    final class Held: @unchecked Sendable {
        let file: String
        fileprivate let descriptor: Int32

        fileprivate init(file: String, descriptor: Int32) {
            self.file = file
            self.descriptor = descriptor
        }

        /// Whether another process (or request) asked this session to end (`deconnecter`).
        var isEndRequested: Bool {
            var state: UInt8 = 0
            return pread(descriptor, &state, 1, 0) == 1 && state == SessionFiles.endedState
        }
    }

    static let activeState = UInt8(ascii: "A")
    static let endedState = UInt8(ascii: "F")

    let folder: String
    /// The `verrou` file; its lock is taken by one `Sessions` actor call at a time in this
    /// process, since `flock` does not exclude the same descriptor's other users.
    private let gate: Int32

    /// The sessions of the société at `societePath`. The folder is made when missing.
    init(societePath: String) throws(SessionRefusal) {
        folder = societePath + "-sessions"
        let name = (societePath as NSString).lastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        } catch CocoaError.fileWriteFileExists {
        } catch {
            throw SessionRefusal(
                message: "Impossible de tenir les sessions de la société \(name) : \(error.localizedDescription)")
        }
        gate = open(folder + "/verrou", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard gate >= 0 else {
            throw SessionRefusal(
                message: "Impossible de tenir les sessions de la société \(name) : \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(gate) }

    /// Runs `work` with every process's sessions of the société held still.
    func withGate<T>(_ work: () throws -> T) rethrows -> T {
        while flock(gate, LOCK_EX) != 0, errno == EINTR {}
        defer { flock(gate, LOCK_UN) }
        return try work()
    }

    /// The live sessions; those of ended processes are removed. Under the gate.
    func liveSessions() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".session") }.compactMap { name in
            let file = folder + "/" + name
            let descriptor = open(file, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                // Nobody holds it: its process ended without closing it.
                unlink(file)
                return nil
            }
            var bytes = [UInt8](repeating: 0, count: 512)
            let count = pread(descriptor, &bytes, bytes.count, 0)
            guard count >= 2 else { return nil }
            return Entry(
                file: file, user: String(decoding: bytes[2..<count], as: UTF8.self),
                exclusive: bytes[1] == UInt8(ascii: "X"))
        }
    }

    /// Creates and locks the file of a new session of `user`. Under the gate.
    func create(user: String, exclusive: Bool) throws(SessionRefusal) -> Held {
        let file = folder + "/\(UUID().uuidString).session"
        let descriptor = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SessionRefusal(message: "Impossible d'ouvrir une session : \(String(cString: strerror(errno)))")
        }
        flock(descriptor, LOCK_EX | LOCK_NB)
        let content = [Self.activeState, UInt8(ascii: exclusive ? "X" : "P")] + Array(user.utf8)
        _ = content.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return Held(file: file, descriptor: descriptor)
    }

    /// Asks the session of `entry` to end: its process sees it and rolls back. Under the gate.
    func requestEnd(of entry: Entry) {
        let descriptor = open(entry.file, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        var state = Self.endedState
        _ = pwrite(descriptor, &state, 1, 0)
        close(descriptor)
    }

    /// Removes a session of this process. Under the gate, so that no look takes its file for
    /// an ended process's.
    func remove(_ held: Held) {
        unlink(held.file)
        close(held.descriptor)
    }
}
