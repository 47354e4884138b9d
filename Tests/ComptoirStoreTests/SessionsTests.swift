import ComptoirTestSupport
import Foundation
import Synchronization
import Testing

@testable import ComptoirStore

/// The sessions of users on sociétés (issue 4, "Sessions and locks"), on the `Sessions` actor
/// itself: who waits, who is refused and with which message, who is let in at once.
@Suite("Sessions: one per user and société, exclusive, deconnecter")
struct SessionsTests {
    /// A société's name as the messages give it, and the path that identifies it, within the
    /// test's own folder: the sessions are files beside the société.
    static let name = "DEMO.Gestimum"
    static let path = "DEMO.Gestimum"
    static let otherName = "ALPHA.Gestimum"
    static let otherPath = "ALPHA.Gestimum"
    /// The test's folder, with two subfolders for sociétés of the same name.
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
        for subfolder in ["un", "deux"] {
            try FileManager.default.createDirectory(
                atPath: folder.path + "/" + subfolder, withIntermediateDirectories: false)
        }
    }
    /// The sessions of each société path, kept as a société keeps its own.
    private let registries = Registries()

    private final class Registries: Sendable {
        let byPath = Mutex<[String: SessionFiles]>([:])
    }

    private func registry(_ path: String) throws(SessionRefusal) -> SessionFiles {
        try registries.byPath.withLock { registries throws(SessionRefusal) in
            if let known = registries[path] { return known }
            let files = try SessionFiles(societePath: path)
            registries[path] = files
            return files
        }
    }

    /// The wait of the tests where a session must open. Such a session opens either at once,
    /// or when a session closes: never at the end of the wait, which is how a wrongly waiting or
    /// unwoken opening shows. Wall-clock bounds any shorter would break when other tests keep
    /// every thread of the process busy for seconds.
    static let longWait = Duration.seconds(60)
    /// Before the end of `longWait`: the opening did not wait for it.
    static let beforeTimeout = longWait - .seconds(1)

    /// The code a user named `user` has in the sociétés of these tests, which store their users
    /// in capitals: what the service finds with `Societe.user(named:)`.
    static func stored(_ user: String) -> String { user.uppercased() }

    /// Opens a session on DEMO (or `path`), non exclusive unless asked.
    private func open(
        _ sessions: Sessions,
        user: String,
        code: String? = nil,
        name: String = name,
        path: String = path,
        exclusive: Bool = false,
        disconnect: Bool = false
    ) async throws(SessionRefusal) -> Session {
        try await sessions.open(
            societe: name, registry: try registry(folder.path + "/" + path), user: user,
            code: code ?? Self.stored(user), exclusive: exclusive, disconnect: disconnect)
    }

    /// The refusal `open` ends with, and how long it took; nil (and a failed expectation) when
    /// the session opened.
    private func refusal(
        _ sessions: Sessions,
        user: String,
        code: String? = nil,
        name: String = name,
        path: String = path,
        exclusive: Bool = false,
        disconnect: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> (message: String?, elapsed: Duration) {
        let start = ContinuousClock.now
        do {
            let session = try await open(
                sessions, user: user, code: code, name: name, path: path, exclusive: exclusive,
                disconnect: disconnect)
            Issue.record("the session of \(user) opened", sourceLocation: sourceLocation)
            await sessions.close(session)
            return (nil, ContinuousClock.now - start)
        } catch {
            return (error.message, ContinuousClock.now - start)
        }
    }

    /// When something ended, once it has.
    private final class EndMark: Sendable {
        let instant = Mutex<ContinuousClock.Instant?>(nil)
    }

    /// An opening started in the background, to see whether it waits and when it ends.
    private final class PendingOpening: Sendable {
        let task: Task<Result<Session, SessionRefusal>, Never>
        let start = ContinuousClock.now
        private let end = EndMark()

        init(_ open: @escaping @Sendable () async throws(SessionRefusal) -> Session) {
            let end = self.end
            task = Task {
                let result: Result<Session, SessionRefusal>
                do throws(SessionRefusal) {
                    result = .success(try await open())
                } catch {
                    result = .failure(error)
                }
                end.instant.withLock { $0 = ContinuousClock.now }
                return result
            }
        }

        /// Whether the opening has ended, with a session or a refusal.
        var isDone: Bool { end.instant.withLock { $0 != nil } }

        /// The session, once opened (fails the test when refused).
        func session(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Session {
            switch await task.value {
            case .success(let session): return session
            case .failure(let refusal):
                Issue.record("refused: \(refusal.message)", sourceLocation: sourceLocation)
                throw refusal
            }
        }

        /// How long the opening took, once ended.
        func elapsed() async -> Duration {
            _ = await task.value
            return end.instant.withLock { $0! } - start
        }
    }

    /// Whether `session` is ended before `beforeTimeout`, once a request asked for it.
    private func ended(_ session: Session) async throws -> Bool {
        let deadline = ContinuousClock.now + Self.beforeTimeout
        while !session.isEnded, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return session.isEnded
    }

    private func pending(
        _ sessions: Sessions,
        user: String,
        path: String = path,
        exclusive: Bool = false,
        disconnect: Bool = false
    ) -> PendingOpening {
        let path = folder.path + "/" + path
        return PendingOpening {
            () async throws(SessionRefusal) -> Session in
            try await sessions.open(
                societe: Self.name, registry: try registry(path), user: user, code: Self.stored(user),
                exclusive: exclusive, disconnect: disconnect)
        }
    }

    /// The session `opening` waited for, once a close woke it: it must open before the end of
    /// its wait.
    private func wokenSession(_ opening: PendingOpening, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> Session
    {
        let session = try await opening.session(sourceLocation: sourceLocation)
        #expect(await opening.elapsed() < Self.beforeTimeout, sourceLocation: sourceLocation)
        return session
    }

    /// Who asks for a session, on which société, and how: a case of the tables below.
    struct Asker: Sendable {
        var user: String
        /// The user's code as the société stores it, when it is not `user` in capitals.
        var code: String? = nil
        var name = SessionsTests.name
        var path = SessionsTests.path
        var exclusive = false
        var disconnect = false

        /// `user` on ALPHA.
        static func onAlpha(_ user: String, exclusive: Bool = false) -> Asker {
            Asker(user: user, name: otherName, path: otherPath, exclusive: exclusive)
        }
    }

    private func open(_ sessions: Sessions, _ asker: Asker) async throws(SessionRefusal) -> Session {
        try await open(
            sessions, user: asker.user, code: asker.code, name: asker.name, path: asker.path,
            exclusive: asker.exclusive, disconnect: asker.disconnect)
    }

    private func refusal(_ sessions: Sessions, _ asker: Asker) async -> (message: String?, elapsed: Duration) {
        await refusal(
            sessions, user: asker.user, code: asker.code, name: asker.name, path: asker.path,
            exclusive: asker.exclusive, disconnect: asker.disconnect)
    }

    // MARK: One session per user and société

    @Test("a second session of the same user waits until the first closes, then opens")
    func sameUserWaitsForTheFirst() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO")
        let second = pending(sessions, user: "DEMO")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!second.isDone, "the second session must wait while the first is open")
        await sessions.close(first)
        let session = try await wokenSession(second)
        #expect(await second.elapsed() >= .milliseconds(300))
        #expect(!session.isEnded)
        await sessions.close(session)
    }

    @Test("of several requests of one user waiting, only one opens when the session closes")
    func onlyOneWaiterOpens() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO")
        let waiting = [pending(sessions, user: "DEMO"), pending(sessions, user: "demo")]
        try await Task.sleep(for: .milliseconds(200))
        #expect(waiting.allSatisfy { !$0.isDone })
        await sessions.close(first)
        let deadline = ContinuousClock.now + Self.beforeTimeout
        while !waiting.contains(where: \.isDone), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // Give the other one every chance to open too, if it wrongly could.
        try await Task.sleep(for: .milliseconds(300))
        let opened = waiting.filter(\.isDone)
        try #require(opened.count == 1, "\(opened.count) sessions of DEMO open at once")
        let second = try await opened[0].session()
        let other = try #require(waiting.first { !$0.isDone })
        await sessions.close(second)
        let third = try await wokenSession(other)
        await sessions.close(third)
    }

    // MARK: Who opens at once

    /// A session asked for while `held` are open, which must open at once, ending none of them.
    struct AtOnce: Sendable, CustomTestStringConvertible {
        let what: String
        let held: [Asker]
        let asker: Asker

        var testDescription: String { what }
    }

    static let atOnce: [AtOnce] = [
        AtOnce(what: "another user", held: [Asker(user: "DEMO")], asker: Asker(user: "ADMIN")),
        AtOnce(what: "a third user", held: [Asker(user: "DEMO"), Asker(user: "ADMIN")], asker: Asker(user: "COMPTA")),
        AtOnce(
            what: "the same user on another société, while holding DEMO exclusively",
            held: [Asker(user: "DEMO", exclusive: true)], asker: .onAlpha("DEMO")),
        AtOnce(
            what: "another user on another société",
            held: [Asker(user: "DEMO", exclusive: true), .onAlpha("DEMO")], asker: .onAlpha("ADMIN")),
        AtOnce(
            what: "an exclusive session on another société",
            held: [Asker(user: "DEMO", exclusive: true)], asker: .onAlpha("DEMO", exclusive: true)),
        // The société is its path, not the name the messages give it.
        AtOnce(
            what: "the same user on a société of the same name at another path",
            held: [Asker(user: "DEMO", path: "un/DEMO.Gestimum")],
            asker: Asker(user: "DEMO", path: "deux/DEMO.Gestimum")
        ),
        // Users are told apart as the société tells them apart, however alike their names.
        AtOnce(
            what: "another user whose code differs only by the case of a letter that is not ASCII",
            held: [Asker(user: "élise", code: "élise")], asker: Asker(user: "ÉLISE", code: "ÉLISE")),
        AtOnce(what: "deconnecter with nobody to end", held: [], asker: Asker(user: "DEMO", disconnect: true)),
        AtOnce(
            what: "deconnecter, the same user being only on another société",
            held: [.onAlpha("DEMO")], asker: Asker(user: "DEMO", disconnect: true)),
        AtOnce(
            what: "an exclusive session alone on its société", held: [], asker: Asker(user: "ADMIN", exclusive: true)),
    ]

    @Test("a session that has nobody to wait for opens at once and ends no other session", arguments: atOnce)
    func opensAtOnce(_ atOnce: AtOnce) async throws {
        let sessions = Sessions(wait: Self.longWait)
        var held: [Session] = []
        for asker in atOnce.held { held.append(try await open(sessions, asker)) }
        let start = ContinuousClock.now
        let opened = try await open(sessions, atOnce.asker)
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        #expect(!opened.isEnded)
        #expect(held.allSatisfy { !$0.isEnded })
        for session in held + [opened] { await sessions.close(session) }
    }

    // MARK: Refusals after the wait

    /// A session asked for while `holder` is open, which must be refused with `message` at the
    /// end of the wait.
    struct Refused: Sendable, CustomTestStringConvertible {
        let what: String
        let holder: Asker
        let asker: Asker
        let message: String
        /// Only deconnecter ends the holder, even when it is refused.
        var endsHolder = false

        var testDescription: String { what }
    }

    static let refusals: [Refused] = [
        Refused(
            what: "a second session of the same user, with the user and société as given",
            holder: Asker(user: "Demo", name: "Ma Société.Gestimum"),
            asker: Asker(user: "Demo", name: "Ma Société.Gestimum"),
            message: "L'utilisateur Demo est déjà connecté à la société Ma Société.Gestimum"),
        // The service gives a user named in any case the code the société stores.
        Refused(
            what: "the same user in other case", holder: Asker(user: "demo"), asker: Asker(user: "DeMo"),
            message: "L'utilisateur DeMo est déjà connecté à la société DEMO.Gestimum"),
        Refused(
            what: "the same user in upper case", holder: Asker(user: "demo"), asker: Asker(user: "DEMO"),
            message: "L'utilisateur DEMO est déjà connecté à la société DEMO.Gestimum"),
        Refused(
            what: "deconnecter when the ended session is not closed in time, as a second session",
            holder: Asker(user: "DEMO"), asker: Asker(user: "DEMO", disconnect: true),
            message: "L'utilisateur DEMO est déjà connecté à la société DEMO.Gestimum", endsHolder: true),
        Refused(
            what: "an exclusive session while others are open",
            holder: Asker(user: "DEMO"), asker: Asker(user: "ADMIN", exclusive: true),
            message: "La société DEMO.Gestimum est utilisée par d'autres utilisateurs : ouverture exclusive impossible"),
        // While an exclusive session is open, every other is refused, naming its user in upper case.
        Refused(
            what: "another user while an exclusive session is open",
            holder: Asker(user: "Admin", exclusive: true), asker: Asker(user: "DEMO"),
            message: "La société DEMO.Gestimum est ouverte en mode exclusif"),
        Refused(
            what: "another exclusive session while an exclusive session is open",
            holder: Asker(user: "Admin", exclusive: true), asker: Asker(user: "COMPTA", exclusive: true),
            message: "La société DEMO.Gestimum est ouverte en mode exclusif"),
        Refused(
            what: "the exclusive session's own user",
            holder: Asker(user: "Admin", exclusive: true), asker: Asker(user: "admin"),
            message: "La société DEMO.Gestimum est ouverte en mode exclusif"),
    ]

    @Test(
        "a session that must wait is refused at the end of the wait, and opens once the holder is closed",
        arguments: refusals)
    func refusedAfterTheWait(_ refused: Refused) async throws {
        let sessions = Sessions(wait: .milliseconds(200))
        let holder = try await open(sessions, refused.holder)
        let (message, elapsed) = await refusal(sessions, refused.asker)
        #expect(message == refused.message)
        #expect(elapsed >= .milliseconds(200))
        #expect(elapsed < Self.beforeTimeout)
        // Waiting never ends the holder; deconnecter asks it to end (seen at its next look).
        #expect(try await (refused.endsHolder ? ended(holder) : holder.isEnded) == refused.endsHolder)
        await sessions.close(holder)
        // Once the holder is closed, the same request opens.
        let again = try await open(sessions, refused.asker)
        await sessions.close(again)
    }

    // MARK: deconnecter

    @Test("deconnecter ends the other session of the same user and opens once it is closed")
    func disconnectEndsTheOtherSession() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO")
        let otherUser = try await open(sessions, user: "ADMIN")
        let second = pending(sessions, user: "demo", disconnect: true)
        #expect(try await ended(first), "the other session of DEMO is told to stop")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!otherUser.isEnded, "the sessions of other users go on")
        #expect(!second.isDone, "the new session waits until the ended one is closed")
        await sessions.close(first)
        let session = try await wokenSession(second)
        #expect(!session.isEnded)
        await sessions.close(session)
        await sessions.close(otherUser)
    }

    // MARK: exclusif

    @Test("an exclusive session waits for the others to close, then opens")
    func exclusiveWaitsForOthers() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO")
        let second = try await open(sessions, user: "COMPTA")
        let exclusive = pending(sessions, user: "ADMIN", exclusive: true)
        try await Task.sleep(for: .milliseconds(200))
        #expect(!exclusive.isDone)
        await sessions.close(first)
        try await Task.sleep(for: .milliseconds(200))
        #expect(!exclusive.isDone, "one other session is still open")
        await sessions.close(second)
        let session = try await wokenSession(exclusive)
        await sessions.close(session)
    }

    @Test("while an exclusive session is open, the others wait and open when it closes")
    func othersWaitForExclusive() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let exclusive = try await open(sessions, user: "ADMIN", exclusive: true)
        let waiting = [pending(sessions, user: "DEMO"), pending(sessions, user: "COMPTA")]
        try await Task.sleep(for: .milliseconds(300))
        #expect(waiting.allSatisfy { !$0.isDone })
        await sessions.close(exclusive)
        for opening in waiting { await sessions.close(try await wokenSession(opening)) }
    }

    @Test("deconnecter with exclusif ends the user's own session and opens alone once it is closed")
    func disconnectExclusive() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO")
        let exclusive = pending(sessions, user: "DEMO", exclusive: true, disconnect: true)
        #expect(try await ended(first))
        try await Task.sleep(for: .milliseconds(200))
        #expect(!exclusive.isDone)
        await sessions.close(first)
        let session = try await exclusive.session()
        // Exclusive: another user now waits for it.
        let other = pending(sessions, user: "ADMIN")
        try await Task.sleep(for: .milliseconds(300))
        #expect(!other.isDone)
        await sessions.close(session)
        await sessions.close(try await other.session())
    }

    // MARK: Waking

    @Test("a waiting request wakes when a session closes, not at the end of its wait")
    func waitersWakeOnClose() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO")
        let exclusive = try await open(
            sessions, user: "ADMIN", name: Self.otherName, path: Self.otherPath, exclusive: true)
        let waitingDemo = pending(sessions, user: "DEMO")
        let waitingAlpha = pending(sessions, user: "COMPTA", path: Self.otherPath)
        try await Task.sleep(for: .milliseconds(400))
        await sessions.close(first)
        let demo = try await wokenSession(waitingDemo)
        #expect(await waitingDemo.elapsed() >= .milliseconds(400))
        // Waking the waiters of DEMO did not let COMPTA into ALPHA, still exclusive.
        try await Task.sleep(for: .milliseconds(200))
        #expect(!waitingAlpha.isDone)
        await sessions.close(exclusive)
        let alpha = try await wokenSession(waitingAlpha)
        await sessions.close(demo)
        await sessions.close(alpha)
    }

    @Test("a refused request keeps no place: the user opens at once afterwards")
    func refusalLeavesNothing() async throws {
        let sessions = Sessions(wait: .milliseconds(100))
        let exclusive = try await open(sessions, user: "ADMIN", exclusive: true)
        for _ in 0..<3 { _ = await refusal(sessions, user: "DEMO") }
        await sessions.close(exclusive)
        let start = ContinuousClock.now
        let demo = try await open(sessions, user: "DEMO", exclusive: true)
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        await sessions.close(demo)
    }
}
