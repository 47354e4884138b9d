import ComptoirCore
import Metrics
import Synchronization

/// A request that may not open its session on a société: the French message of its 409.
public struct SessionRefusal: FrenchError, Equatable, Sendable {
    public let message: String
}

/// An open session: one request of one user on one société, from its opening to its answer.
public final class Session: Sendable {
    let societe: SessionFiles
    let held: SessionFiles.Held
    private let ended = StopFlag()

    init(societe: SessionFiles, held: SessionFiles.Held) {
        self.societe = societe
        self.held = held
    }

    /// Whether a later request of the same user, in this process or another, ended this session
    /// (`deconnecter=Oui`): its request must stop and roll back.
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
/// exclusive session only alone, `deconnecter` ending the user's other session. The sessions are
/// files beside the société (`SessionFiles`), so that the rules hold across every process that
/// opens it: servers and tâches. A request that cannot open its session waits, up to `wait`,
/// then is refused. Sociétés never wait for each other.
public actor Sessions {
    /// How often a waiting request, or an open session, looks at the other processes' sessions.
    static let pollInterval = Duration.milliseconds(50)
    /// The metric of the requests waiting for their session, in this process.
    static let waitingMetric = "comptoir_sessions_waiting"

    private let wait: Duration
    private var societes: [String: SessionFiles] = [:]
    private var waiters: [Int: (resume: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]
    /// The sessions open in this process, which one task watches while there are any.
    private var openSessions: [ObjectIdentifier: Session] = [:]
    private var watching = false
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
        let files = try sessionFiles(of: path)
        // Counted among the requests waiting for a session from its first wait to its end.
        var waiting: Meter?
        defer { waiting?.decrement() }
        while true {
            let outcome: Result<Session, SessionRefusal> = files.withGate {
                let sessions = files.liveSessions()
                if disconnect {
                    for session in sessions where session.user == userKey { files.requestEnd(of: session) }
                }
                if let holder = sessions.first(where: \.exclusive) {
                    return .failure(
                        SessionRefusal(message: "La société \(name) est ouverte en mode exclusif par \(holder.user)"))
                } else if sessions.contains(where: { $0.user == userKey }) {
                    return .failure(
                        SessionRefusal(message: "L'utilisateur \(user) est déjà connecté à la société \(name)"))
                } else if exclusive, !sessions.isEmpty {
                    return .failure(
                        SessionRefusal(
                            message:
                                "La société \(name) est utilisée par d'autres utilisateurs : ouverture exclusive impossible"
                        ))
                }
                return Result { () throws(SessionRefusal) in
                    Session(
                        societe: files, held: try files.create(user: userKey, exclusive: exclusive, besides: sessions))
                }
            }
            switch outcome {
            case .success(let session):
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

    /// Closes a session and lets the requests waiting for one look again.
    public func close(_ session: Session) {
        openSessions[ObjectIdentifier(session)] = nil
        session.societe.withGate { session.societe.remove(session.held) }
        for waiter in waiters.values {
            waiter.timer.cancel()
            waiter.resume.resume()
        }
        waiters.removeAll()
    }

    /// Ends, while any session of this process is open, those that another request asked to end.
    private func watchForEnds() async {
        while !openSessions.isEmpty {
            for session in openSessions.values where !session.isEnded && session.held.isEndRequested { session.end() }
            try? await Task.sleep(for: Self.pollInterval)
        }
        watching = false
    }

    /// The session files of the société at `path`, opened once.
    private func sessionFiles(of path: String) throws(SessionRefusal) -> SessionFiles {
        if let files = societes[path] { return files }
        let files = try SessionFiles(societePath: path)
        societes[path] = files
        return files
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
