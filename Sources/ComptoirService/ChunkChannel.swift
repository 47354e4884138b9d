import Dispatch
import Synchronization

/// Bytes handed from a thread that reads a société to the task that writes them to a client,
/// a few chunks at most in between: when the client reads slowly, the thread waits, so that
/// memory stays the same whatever the number of rows. A thread that finds no room for `stall`
/// gives up, as does one whose client has gone.
final class ChunkChannel: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var ended = false
        var failure: (any Error)?
        var cancelled = false
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
    }

    private let state = Mutex(State())
    private let room: DispatchSemaphore
    private let stall: Duration

    init(capacity: Int, stall: Duration) {
        // Made from zero, then given its room: libdispatch stops the process when a semaphore
        // goes with less than the value it was made with, as this one does when its client
        // leaves with chunks still queued.
        room = DispatchSemaphore(value: 0)
        for _ in 0..<capacity { room.signal() }
        self.stall = stall
    }

    /// Hands `chunk` over, waiting for room: false when the client is gone or stalled, and the
    /// thread should stop reading.
    func send(_ chunk: [UInt8]) -> Bool {
        let seconds = Double(stall.components.seconds) + Double(stall.components.attoseconds) / 1e18
        guard room.wait(timeout: .now() + seconds) == .success else {
            cancel()
            return false
        }
        enum Handed {
            case refused
            case queued
            case taken(by: CheckedContinuation<[UInt8]?, any Error>)
        }
        let handed: Handed = state.withLock { state in
            guard !state.cancelled else { return .refused }
            guard let waiter = state.waiter else {
                state.chunks.append(chunk)
                return .queued
            }
            state.waiter = nil
            return .taken(by: waiter)
        }
        switch handed {
        case .refused: return false
        case .queued: return true
        case .taken(let waiter):
            // Taken at once: its room is free again.
            room.signal()
            waiter.resume(returning: chunk)
            return true
        }
    }

    /// No more chunks: the reading is over, or failed with `failure`.
    func end(failure: (any Error)? = nil) {
        let waiter: CheckedContinuation<[UInt8]?, any Error>? = state.withLock { state in
            state.ended = true
            state.failure = failure
            defer { state.waiter = nil }
            return state.waiter
        }
        if let failure { waiter?.resume(throwing: failure) } else { waiter?.resume(returning: nil) }
    }

    /// The next chunk, nil once the reading is over.
    func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<[UInt8]?, any Error>? = state.withLock { state in
                if !state.chunks.isEmpty { return .success(state.chunks.removeFirst()) }
                if state.ended { return state.failure.map { .failure($0) } ?? .success(nil) }
                state.waiter = continuation
                return nil
            }
            guard let ready else { return }
            if case .success(.some) = ready { room.signal() }
            continuation.resume(with: ready)
        }
    }

    /// The client is gone: the thread stops at its next chunk.
    func cancel() {
        state.withLock { $0.cancelled = true }
        room.signal()
    }
}
