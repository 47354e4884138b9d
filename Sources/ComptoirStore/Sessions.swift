import ComptoirCore
import Metrics
import Synchronization

/// A request that may not open its session on a société: the French message of its 409.
public struct SessionRefusal: FrenchError, Equatable, Sendable {
    public let message: String
    /// The database's failure, when the sessions could not be read or written at all: the
    /// société is out of reach rather than busy.
    public var storage: StorageFailure? = nil
}

/// Why a session ended before its request was answered.
public enum SessionEnd: Sendable, Equatable {
    /// A later request of the same user, in this process or another, asked it (`deconnecter=Oui`).
    case reconnected
    /// What held it for every server was lost (a PostgreSQL société's presence connection cut):
    /// it kept nobody out any more.
    case lost(StorageFailure)
}

/// An open session: one request of one user on one société, from its opening to its answer.
public final class Session: Sendable {
    let registry: any SessionRegistry
    let held: any HeldSession
    private let ended = StopFlag()
    private let reason = Mutex<SessionEnd?>(nil)

    init(registry: any SessionRegistry, held: any HeldSession) {
        self.registry = registry
        self.held = held
    }

    /// Whether the session ended before its answer: its request must stop and roll back.
    public var isEnded: Bool { ended.isSet }

    /// Why the session ended, once it has.
    public var ending: SessionEnd? { reason.withLock { $0 } }

    func end(_ ending: SessionEnd) {
        reason.withLock { $0 = ending }
        ended.set()
    }
}

/// A flag raised once and read from any thread: how a request tells its import, running on
/// the société's writer, to stop.
public final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public var isSet: Bool { raised.load(ordering: .relaxed) }

    public func set() { raised.store(true, ordering: .relaxed) }
}

/// A live session as every process that shares the société sees it.
public struct LiveSession: Sendable, Equatable {
    /// Its user's code, as the société stores it.
    public let user: String
    public let exclusive: Bool
}

/// A session that this process holds in a `SessionRegistry`.
public protocol HeldSession: AnyObject, Sendable {
    /// Why the session must end, once another request (`deconnecter`) or the registry asked it.
    var endRequested: SessionEnd? { get }
}

/// Where one société's sessions are kept, so that the rules hold across every process that
/// opens it: beside an SQLite société (`SessionFiles`), in a PostgreSQL société's schema
/// (`PostgresSessions`). A process that ends, however it ends, holds none any more.
public protocol SessionRegistry: Sendable {
    /// With every process's sessions of the société held still: asks `user`'s live sessions to
    /// end when `disconnect`, then opens a session of `user` unless `refusal`, given the live
    /// sessions, finds a reason not to. Throws when the sessions cannot be read or written.
    func openSession(
        user: String, exclusive: Bool, disconnect: Bool, refusal: ([LiveSession]) -> SessionRefusal?
    ) async throws(SessionRefusal) -> Result<any HeldSession, SessionRefusal>

    /// Ends a session of this process.
    func closeSession(_ held: any HeldSession) async
}

/// Who is using which société, with Gestimum's rules: one session per user and société, an
/// exclusive session only alone, `deconnecter` ending the user's other session. The sessions
/// are kept by the société (`SessionRegistry`), so that the rules hold across every process that
/// opens it: servers and tâches. A request that cannot open its session waits, up to `wait`,
/// then is refused. Sociétés never wait for each other.
public actor Sessions {
    /// How often a waiting request, or an open session, looks at the other processes' sessions.
    static let pollInterval = Duration.milliseconds(50)
    /// The metric of the requests waiting for their session, in this process.
    public static let waitingMetric = "comptoir_sessions_waiting"

    private let wait: Duration
    private var waiters: [Int: (resume: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]
    /// The sessions open in this process, which one task watches while there are any.
    private var openSessions: [ObjectIdentifier: Session] = [:]
    private var watching = false
    private var lastWaiter = 0

    public init(wait: Duration) { self.wait = wait }

    /// Opens a session of `user` on the société `name`, whose sessions `registry` keeps,
    /// waiting as long as the rules forbid it, up to the configured time. `user` is as the
    /// request names it, for what it is told; `code` is the user's code as the société stores
    /// it, which tells users apart as the société does.
    public func open(
        societe name: String,
        registry: any SessionRegistry,
        user: String,
        code: String,
        exclusive: Bool,
        disconnect: Bool
    ) async throws(SessionRefusal) -> Session {
        let deadline = ContinuousClock.now + wait
        // Counted among the requests waiting for a session from its first wait to its end.
        var waiting: Meter?
        defer { waiting?.decrement() }
        while true {
            let outcome = try await registry.openSession(user: code, exclusive: exclusive, disconnect: disconnect) {
                live in
                Self.refusal(of: user, code: code, exclusive: exclusive, on: name, besides: live)
            }
            switch outcome {
            case .success(let held):
                let session = Session(registry: registry, held: held)
                openSessions[ObjectIdentifier(session)] = session
                if !watching {
                    watching = true
                    Task { await watchForEnds() }
                }
                return session
            case .failure(let refusal):
                let now = ContinuousClock.now
                guard now < deadline else { throw refusal }
                if waiting == nil {
                    waiting = Meter(label: Self.waitingMetric)
                    waiting?.increment()
                }
                // Woken at once by a session of this process that closes; another process's is
                // seen at the next look.
                await waitForChange(until: min(deadline, now + Self.pollInterval))
            }
        }
    }

    /// Gestimum's rules: why `user`, stored as `code`, may not open a session on `name` beside
    /// the `live` ones.
    static func refusal(of user: String, code: String, exclusive: Bool, on name: String, besides live: [LiveSession])
        -> SessionRefusal?
    {
        if live.contains(where: \.exclusive) {
            return SessionRefusal(message: "La société \(name) est ouverte en mode exclusif")
        } else if live.contains(where: { $0.user == code }) {
            return SessionRefusal(message: "L'utilisateur \(user) est déjà connecté à la société \(name)")
        } else if exclusive, !live.isEmpty {
            return SessionRefusal(
                message: "La société \(name) est utilisée par d'autres utilisateurs : ouverture exclusive impossible")
        }
        return nil
    }

    /// Closes a session and lets the requests waiting for one look again.
    public func close(_ session: Session) async {
        openSessions[ObjectIdentifier(session)] = nil
        await session.registry.closeSession(session.held)
        for waiter in waiters.values {
            waiter.timer.cancel()
            waiter.resume.resume()
        }
        waiters.removeAll()
    }

    /// Ends, while any session of this process is open, those that another request asked to end.
    private func watchForEnds() async {
        while !openSessions.isEmpty {
            for session in openSessions.values where !session.isEnded {
                if let ending = session.held.endRequested { session.end(ending) }
            }
            try? await Task.sleep(for: Self.pollInterval)
        }
        watching = false
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
