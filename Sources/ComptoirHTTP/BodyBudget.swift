import Metrics
import Synchronization

/// The memory all requests' bodies may take at once, across the server. A body takes its share
/// before it is read (all of its declared length, or chunk by chunk as it comes when it has no
/// length) and gives it back once its request is answered. A request that finds too little
/// waits its turn, first come first served, for a limited time. What a request holds is never
/// taken back: a later one cannot harm it.
public final class BodyBudget: Sendable {
    /// The bytes of the whole budget.
    let capacity: Int

    private struct Waiter {
        let id: UInt64
        let bytes: Int
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(capacity: Int) {
        self.capacity = capacity
        state = Mutex(State(available: capacity))
    }

    /// The metrics of the bodies that had to wait for room: all of them, and those waiting now.
    static let waitsMetric = "comptoir_body_budget_waits_total"
    static let waitingMetric = "comptoir_body_budget_waiting"

    /// The default budget: a quarter of the machine's memory, at most 2 Gio.
    public static func defaultCapacity(physicalMemory: UInt64) -> Int {
        Int(min(physicalMemory / 4, 2 << 30))
    }

    /// The bytes free now, as the tests observe them.
    var available: Int { state.withLock { $0.available } }

    /// Takes `bytes` from the budget, waiting at most `wait` for them behind the requests that
    /// came first. False when they were not free in time, or cannot ever be (more than the
    /// whole budget).
    func take(_ bytes: Int, waitingAtMost wait: Duration) async -> Bool {
        guard bytes <= capacity else { return false }
        let queued: UInt64? = state.withLock { state in
            if state.waiters.isEmpty, state.available >= bytes {
                state.available -= bytes
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id = queued else { return true }
        Counter(label: Self.waitsMetric).increment()
        let waiting = Meter(label: Self.waitingMetric)
        waiting.increment()
        defer { waiting.decrement() }
        return await withCheckedContinuation { continuation in
            state.withLock { state in
                state.waiters.append(Waiter(id: id, bytes: bytes, continuation: continuation))
                grantWaiters(&state)
            }
            Task {
                try? await Task.sleep(for: wait)
                let expired = state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    let waiter = state.waiters.remove(at: index)
                    // The first in line leaving may let the next ones in.
                    grantWaiters(&state)
                    return waiter
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }

    /// Gives `bytes` back, and lets in the waiting requests they make room for.
    func give(_ bytes: Int) {
        state.withLock { state in
            state.available += bytes
            grantWaiters(&state)
        }
    }

    /// Grants the waiters, in order, as long as the first in line fits.
    private func grantWaiters(_ state: inout State) {
        while let first = state.waiters.first, first.bytes <= state.available {
            state.available -= first.bytes
            state.waiters.removeFirst()
            first.continuation.resume(returning: true)
        }
    }
}
