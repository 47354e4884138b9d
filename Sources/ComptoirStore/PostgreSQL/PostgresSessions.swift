import ComptoirCore
import Foundation
import PostgresNIO
import Synchronization

/// The sessions of a PostgreSQL société, in its table `COMPTOIR_SESSIONS`, which every server
/// that shares the société reads. Each server holds one connection to the société, its
/// presence, for as long as it has sessions there: a session row names that connection's
/// backend, and a row whose backend is gone (its server stopped, crashed or was killed) is no
/// session any more, and is deleted when a server next connects. Opening takes turns through
/// a transaction-level advisory lock. Sessions die with their server: their rows need no sync
/// to disk, so their connections commit without waiting for it.
final class PostgresSessions: SessionRegistry {
    static let table = "COMPTOIR_SESSIONS"
    /// How often a server looks whether another asked one of its sessions to end.
    static let pollInterval = Duration.milliseconds(50)

    private let link: PostgresLink
    private let state = Mutex<State>(State())

    /// The presence connection, with its backend's process and start.
    private typealias Presence = (connection: PostgresConnection, pid: Int, start: String)

    private struct State {
        var presence: Presence?
        /// The presence being opened, which every session asked meanwhile waits for: two
        /// opened at once would each close the other's, and the rows naming it.
        var opening: Task<Presence, any Error>?
        var held: [Int: Held] = [:]
        var watching = false
    }

    final class Held: HeldSession {
        let id: Int
        /// The presence connection that its row names.
        let presence: ObjectIdentifier
        private let ending = Mutex<SessionEnd?>(nil)

        init(id: Int, presence: ObjectIdentifier) {
            self.id = id
            self.presence = presence
        }

        var endRequested: SessionEnd? { ending.withLock { $0 } }

        func requestEnd(_ reason: SessionEnd) { ending.withLock { $0 = $0 ?? reason } }
    }

    init(connection: ConnectionFile, path: String) throws(SocieteError) {
        self.link = try PostgresLink(connection: connection, path: path, durableCommits: false)
    }

    deinit { close() }

    /// The statements that make the table, with the schema's others.
    static let creation = [
        """
        CREATE TABLE \(table) (ID bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, UTILISATEUR text NOT NULL,
        EXCLUSIF integer NOT NULL, PID integer NOT NULL, DEBUT timestamptz NOT NULL, FIN integer NOT NULL DEFAULT 0)
        """
    ]

    /// A look at the live sessions: rows whose backend is still there. PostgreSQL hides the
    /// start of another role's backends (unless the role reads all statistics): a server that
    /// connects as another role sees its process only, and takes its sessions as live.
    private static let live = """
        EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.PID
        AND (a.backend_start = s.DEBUT OR a.backend_start IS NULL))
        """

    func openSession(
        user: String, exclusive: Bool, disconnect: Bool, refusal: ([LiveSession]) -> SessionRefusal?
    ) async throws(SessionRefusal) -> Result<any HeldSession, SessionRefusal> {
        do {
            let presence = try await presence()
            let outcome: Result<Int, SessionRefusal> = try await link.withConnection { connection in
                do {
                    // The statements are given together, and so are the two at the end.
                    var statements: [(sql: String, values: [FieldValue])] = [
                        ("BEGIN", []),
                        ("SELECT pg_advisory_xact_lock(hashtext($1))", [.text(link.connection.schema + " sessions")]),
                    ]
                    if disconnect {
                        statements.append(("UPDATE \(Self.table) SET FIN = 1 WHERE UTILISATEUR = $1", [.text(user)]))
                    }
                    statements.append(("SELECT UTILISATEUR, EXCLUSIF FROM \(Self.table)", []))
                    var sessions = Self.sessions(try await connection.rows(of: statements).last!)
                    // Fewer rows never refuse where more do not: which rows are of live backends
                    // is looked at, a look at every backend of the database, only when the rows
                    // would refuse.
                    if refusal(sessions) != nil {
                        sessions = Self.sessions(
                            try await connection.rows(
                                "SELECT UTILISATEUR, EXCLUSIF FROM \(Self.table) s WHERE \(Self.live)"))
                    }
                    if let refused = refusal(sessions) {
                        _ = try await connection.rows("COMMIT")
                        return .failure(refused)
                    }
                    let results = await connection.results(of: [
                        (
                            "INSERT INTO \(Self.table) (UTILISATEUR, EXCLUSIF, PID, DEBUT) VALUES ($1, $2, $3, $4) RETURNING ID",
                            [.text(user), .integer(exclusive ? 1 : 0), .integer(presence.pid), .text(presence.start)]
                        ),
                        ("COMMIT", []),
                    ])
                    let id = (try? results[0].get())?.first?.first?.integer
                    do {
                        _ = try results[1].get()
                    } catch {
                        // The commit may have reached the database without its answer coming
                        // back: its row would hold the user out for as long as this server runs.
                        if let id { await removeRow(id) }
                        throw error
                    }
                    // A refused INSERT made the COMMIT a rollback, which the database answers
                    // without an error: no row holds the session.
                    guard let id else {
                        _ = try results[0].get()
                        throw StorageFailure(
                            .database, path: link.path, code: "PostgreSQL", detail: "la session n'a pas été enregistrée"
                        )
                    }
                    return .success(id)
                } catch {
                    _ = try? await connection.rows("ROLLBACK")
                    throw error
                }
            }
            switch outcome {
            case .failure(let refused): return .failure(refused)
            case .success(let id):
                let held = Held(id: id, presence: ObjectIdentifier(presence.connection))
                let startWatching = state.withLock { state in
                    state.held[id] = held
                    // Cut, or replaced, since the row was written: the row went with it.
                    if presence.connection.isClosed || state.presence?.connection !== presence.connection {
                        held.requestEnd(.lost(lostFailure))
                    }
                    defer { state.watching = true }
                    return !state.watching
                }
                if startWatching { Task { await watchForEnds() } }
                return .success(held)
            }
        } catch {
            let failure = link.failure(error)
            throw SessionRefusal(
                message: "Impossible de tenir les sessions de la société \(SocieteName.societe(ofFile: link.path)) : "
                    + ((failure as? FrenchError)?.message ?? "\(failure)"),
                storage: failure as? StorageFailure)
        }
    }

    func closeSession(_ held: any HeldSession) async {
        guard let held = held as? Held else { return }
        state.withLock { _ = $0.held.removeValue(forKey: held.id) }
        await removeRow(held.id)
    }

    /// Removes a session's row, on the presence connection that the row names. Should that
    /// fail, the connection is broken, and a row whose backend is gone is no session any more;
    /// on a connection of the pool, a failure would leave the row holding its user out.
    private func removeRow(_ id: Int) async {
        guard let presence = state.withLock({ $0.presence }) else { return }
        _ = try? await presence.connection.rows("DELETE FROM \(Self.table) WHERE ID = $1", [.integer(id)])
    }

    /// The sessions of rows of `UTILISATEUR` and `EXCLUSIF`.
    private static func sessions(_ rows: [[FieldValue]]) -> [LiveSession] {
        rows.map { LiveSession(user: $0[0].text ?? "", exclusive: $0[1].integer == 1) }
    }

    /// The presence connection, opened at the first session, and again once it closed.
    private func presence() async throws -> Presence {
        enum Known {
            case open(Presence)
            case opening(Task<Presence, any Error>)
        }
        let known: Known = state.withLock { state in
            if let presence = state.presence, !presence.connection.isClosed { return .open(presence) }
            if let opening = state.opening { return .opening(opening) }
            let opening = Task { [link] in try await Self.openPresence(link) }
            state.opening = opening
            return .opening(opening)
        }
        let opening: Task<Presence, any Error>
        switch known {
        case .open(let presence): return presence
        case .opening(let task): opening = task
        }
        let opened = await opening.result
        let previous: Presence? = state.withLock { state in
            guard state.opening == opening else { return nil }
            state.opening = nil
            guard case .success(let presence) = opened else { return nil }
            defer { state.presence = presence }
            return state.presence
        }
        if let previous {
            loseSessions(of: previous)
            previous.connection.closeSoon()
        }
        return try opened.get()
    }

    /// Why a session ended with its presence connection.
    private var lostFailure: StorageFailure {
        StorageFailure(
            .sessions, path: link.path, code: "PostgreSQL",
            detail: "la connexion qui les tenait a été coupée, rien n'a été écrit")
    }

    /// Ends the sessions whose rows name `presence`, a connection that closed: their rows went
    /// with it, and they keep no other server out any more.
    private func loseSessions(of presence: Presence) {
        let failure = lostFailure
        let connection = ObjectIdentifier(presence.connection)
        state.withLock { state in
            for held in state.held.values where held.presence == connection { held.requestEnd(.lost(failure)) }
        }
    }

    /// A new presence connection. The rows of servers gone since, which no look counts, go now.
    private static func openPresence(_ link: PostgresLink) async throws -> Presence {
        let connection = try await link.connect()
        do {
            let row = try await connection.rows(of: [
                ("DELETE FROM \(table) s WHERE NOT \(live)", []),
                ("SELECT pid, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()", []),
            ])[1].first
            return (connection, row?[0].integer ?? 0, row?[1].text ?? "")
        } catch {
            connection.closeSoon()
            throw error
        }
    }

    /// Marks, while this server holds sessions, those that another request asked to end.
    private func watchForEnds() async {
        while true {
            let (ids, presence) = state.withLock { state in
                if state.held.isEmpty { state.watching = false }
                return (Array(state.held.keys), state.presence)
            }
            guard !ids.isEmpty, let presence else { return }
            if presence.connection.isClosed { loseSessions(of: presence) }
            if let ended = try? await presence.connection.rows(
                "SELECT ID FROM \(Self.table) WHERE FIN = 1 AND PID = $1", [.integer(presence.pid)])
            {
                let endedIDs = Set(ended.compactMap { $0.first?.integer })
                state.withLock { state in
                    for (id, held) in state.held where endedIDs.contains(id) { held.requestEnd(.reconnected) }
                }
            }
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    /// Lets the presence go: this server's sessions there end with it.
    func close() {
        let presence = state.withLock { state in
            defer { state.presence = nil }
            return state.presence
        }
        presence?.connection.closeSoon()
        link.close()
    }
}
