import ComptoirCore
import Synchronization

/// A request that may not open its session on a société: the French message of its 409.
public struct SessionRefusal: FrenchError, Equatable, Sendable {
    public let message: String
}

/// An open session: one request of one user on one société, from its opening to its answer.
public final class Session: Sendable {
    let user: String
    let exclusive: Bool
    let societe: String
    private let ended = StopFlag()

    init(user: String, exclusive: Bool, societe: String) {
        self.user = user
        self.exclusive = exclusive
        self.societe = societe
    }

    /// Whether a later request of the same user ended this session (`deconnecter=Oui`): its
    /// request must stop and roll back.
    public var isEnded: Bool { ended.isSet }

    func end() { ended.set() }
}

/// A flag raised once and read from any thread: how a request tells its import, running on
/// the société's writer, to stop.
public final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public var isSet: Bool { raised.load(ordering: .relaxed) }

    public func set() { raised.store(true, ordering: .relaxed) }
}

/// Who is using which société, with Gestimum's rules: one session per user and société, an
/// exclusive session only alone, `deconnecter` ending the user's other session. A request that
/// cannot open its session waits, up to `wait`, then is refused. Sociétés never wait for each other.
public actor Sessions {
    private let wait: Duration
    private var open: [String: [Session]] = [:]
    private var waiters: [Int: (resume: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]
    private var lastWaiter = 0

    public init(wait: Duration) { self.wait = wait }

    /// Opens a session of `user` on the société `name` (at `path`), waiting as long as the
    /// rules forbid it, up to the configured time.
    public func open(
        societe name: String,
        path: String,
        user: String,
        exclusive: Bool,
        disconnect: Bool
    ) async throws(SessionRefusal) -> Session {
        let deadline = ContinuousClock.now + wait
        let userKey = user.uppercased()
        if disconnect {
            for session in open[path, default: []] where session.user == userKey { session.end() }
        }
        while true {
            let sessions = open[path, default: []]
            let refusal: String
            if let holder = sessions.first(where: \.exclusive) {
                refusal = "La société \(name) est ouverte en mode exclusif par \(holder.user)"
            } else if sessions.contains(where: { $0.user == userKey }) {
                refusal = "L'utilisateur \(user) est déjà connecté à la société \(name)"
            } else if exclusive, !sessions.isEmpty {
                refusal = "La société \(name) est utilisée par d'autres utilisateurs : ouverture exclusive impossible"
            } else {
                let session = Session(user: userKey, exclusive: exclusive, societe: path)
                open[path, default: []].append(session)
                return session
            }
            guard ContinuousClock.now < deadline else { throw SessionRefusal(message: refusal) }
            await waitForChange(until: deadline)
        }
    }

    /// Closes a session and lets the requests waiting for one look again.
    public func close(_ session: Session) {
        open[session.societe]?.removeAll { $0 === session }
        if open[session.societe]?.isEmpty == true { open[session.societe] = nil }
        for waiter in waiters.values {
            waiter.timer.cancel()
            waiter.resume.resume()
        }
        waiters.removeAll()
    }

    private func waitForChange(until deadline: ContinuousClock.Instant) async {
        lastWaiter += 1
        let id = lastWaiter
        await withCheckedContinuation { continuation in
            let timer = Task {
                try? await Task.sleep(until: deadline)
                if !Task.isCancelled { self.wake(id) }
            }
            waiters[id] = (continuation, timer)
        }
    }

    private func wake(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume.resume()
    }
}
