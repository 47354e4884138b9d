import Foundation
import Synchronization
import Testing

@testable import ComptoirStore

/// The sessions of users on sociétés (issue 4, "Sessions and locks"), on the `Sessions` actor
/// itself: who waits, who is refused and with which message, who is let in at once.
@Suite("Sessions: one per user and société, exclusive, deconnecter")
struct SessionsTests {
    /// A société's name as the messages give it, and the path that identifies it.
    static let name = "DEMO.Gestimum"
    static let path = "/donnees/DEMO.Gestimum"
    static let otherName = "ALPHA.Gestimum"
    static let otherPath = "/donnees/ALPHA.Gestimum"
    /// The wait of the tests where a session must open. Such a session opens either at once,
    /// or when a session closes: never at the end of the wait, which is how a wrongly waiting or
    /// unwoken opening shows. Wall-clock bounds any shorter would break when other tests keep
    /// every thread of the process busy for seconds.
    static let longWait = Duration.seconds(60)
    /// Before the end of `longWait`: the opening did not wait for it.
    static let beforeTimeout = longWait - .seconds(1)

    /// Opens a session on DEMO (or `path`), non exclusive unless asked.
    private func open(
        _ sessions: Sessions,
        user: String,
        name: String = name,
        path: String = path,
        exclusive: Bool = false,
        disconnect: Bool = false
    ) async throws(SessionRefusal) -> Session {
        try await sessions.open(societe: name, path: path, user: user, exclusive: exclusive, disconnect: disconnect)
    }

    /// The refusal `open` ends with, and how long it took; nil (and a failed expectation) when
    /// the session opened.
    private func refusal(
        _ sessions: Sessions,
        user: String,
        name: String = name,
        path: String = path,
        exclusive: Bool = false,
        disconnect: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> (message: String?, elapsed: Duration) {
        let start = ContinuousClock.now
        do {
            let session = try await open(
                sessions, user: user, name: name, path: path, exclusive: exclusive, disconnect: disconnect)
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
        PendingOpening {
            () async throws(SessionRefusal) -> Session in
            try await sessions.open(
                societe: Self.name, path: path, user: user, exclusive: exclusive, disconnect: disconnect)
        }
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
        let session = try await second.session()
        let elapsed = await second.elapsed()
        #expect(elapsed >= .milliseconds(300))
        // Woken by the close, not by the end of its 10 s.
        #expect(elapsed < Self.beforeTimeout)
        #expect(!session.isEnded)
        await sessions.close(session)
    }

    @Test("after the wait, a second session of the same user is refused with the user and société as given")
    func sameUserRefusedAfterTheWait() async throws {
        let sessions = Sessions(wait: .milliseconds(200))
        let first = try await open(sessions, user: "Demo", name: "Ma Société.Gestimum")
        let (message, elapsed) = await refusal(sessions, user: "Demo", name: "Ma Société.Gestimum")
        #expect(message == "L'utilisateur Demo est déjà connecté à la société Ma Société.Gestimum")
        #expect(elapsed >= .milliseconds(200))
        #expect(elapsed < Self.beforeTimeout)
        #expect(!first.isEnded, "waiting never ends the first session")
        await sessions.close(first)
        // Once the first is closed, the user opens at once.
        let again = try await open(sessions, user: "Demo", name: "Ma Société.Gestimum")
        await sessions.close(again)
    }

    @Test("users are matched without regard to case")
    func usersMatchWithoutCase() async throws {
        let sessions = Sessions(wait: .milliseconds(200))
        let first = try await open(sessions, user: "demo")
        let (message, _) = await refusal(sessions, user: "DeMo")
        #expect(message == "L'utilisateur DeMo est déjà connecté à la société DEMO.Gestimum")
        let (upper, _) = await refusal(sessions, user: "DEMO")
        #expect(upper == "L'utilisateur DEMO est déjà connecté à la société DEMO.Gestimum")
        await sessions.close(first)
    }

    @Test("other users open at once")
    func otherUsersDoNotWait() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO")
        let start = ContinuousClock.now
        let second = try await open(sessions, user: "ADMIN")
        let third = try await open(sessions, user: "COMPTA")
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        for session in [first, second, third] { await sessions.close(session) }
    }

    @Test("another société never waits, not even for an exclusive session of the same user")
    func otherSocieteNeverWaits() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO", exclusive: true)
        let start = ContinuousClock.now
        let sameUser = try await open(sessions, user: "DEMO", name: Self.otherName, path: Self.otherPath)
        let otherUser = try await open(sessions, user: "ADMIN", name: Self.otherName, path: Self.otherPath)
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        await sessions.close(sameUser)
        await sessions.close(otherUser)
        // An exclusive session on ALPHA while DEMO is held exclusively: at once too.
        let exclusive = try await open(
            sessions, user: "DEMO", name: Self.otherName, path: Self.otherPath, exclusive: true)
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        for session in [first, exclusive] { await sessions.close(session) }
    }

    @Test("two sociétés with the same name in the messages but different paths are different sociétés")
    func societeIsItsPath() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let first = try await open(sessions, user: "DEMO", path: "/un/DEMO.Gestimum")
        let start = ContinuousClock.now
        let second = try await open(sessions, user: "DEMO", path: "/deux/DEMO.Gestimum")
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        await sessions.close(first)
        await sessions.close(second)
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
        let third = try await other.session()
        #expect(await other.elapsed() < Self.beforeTimeout)
        await sessions.close(third)
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
        let session = try await second.session()
        #expect(!session.isEnded)
        #expect(await second.elapsed() < Self.beforeTimeout)
        await sessions.close(session)
        await sessions.close(otherUser)
    }

    @Test("deconnecter with nobody to end opens at once")
    func disconnectAlone() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let start = ContinuousClock.now
        let session = try await open(sessions, user: "DEMO", disconnect: true)
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        #expect(!session.isEnded)
        await sessions.close(session)
    }

    @Test("deconnecter ends no session of the same user on another société")
    func disconnectStaysOnItsSociete() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let elsewhere = try await open(sessions, user: "DEMO", name: Self.otherName, path: Self.otherPath)
        let session = try await open(sessions, user: "DEMO", disconnect: true)
        #expect(!elsewhere.isEnded)
        await sessions.close(session)
        await sessions.close(elsewhere)
    }

    @Test("when the ended session is not closed in time, deconnecter is refused as a second session")
    func disconnectRefusedWhenNotClosed() async throws {
        let sessions = Sessions(wait: .milliseconds(200))
        let first = try await open(sessions, user: "DEMO")
        let (message, _) = await refusal(sessions, user: "DEMO", disconnect: true)
        #expect(first.isEnded)
        #expect(message == "L'utilisateur DEMO est déjà connecté à la société DEMO.Gestimum")
        await sessions.close(first)
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
        let session = try await exclusive.session()
        #expect(await exclusive.elapsed() < Self.beforeTimeout)
        await sessions.close(session)
    }

    @Test("an exclusive session is refused after the wait while others are open")
    func exclusiveRefused() async throws {
        let sessions = Sessions(wait: .milliseconds(200))
        let first = try await open(sessions, user: "DEMO")
        let (message, elapsed) = await refusal(sessions, user: "ADMIN", exclusive: true)
        #expect(
            message
                == "La société DEMO.Gestimum est utilisée par d'autres utilisateurs : ouverture exclusive impossible")
        #expect(elapsed >= .milliseconds(200))
        #expect(!first.isEnded)
        await sessions.close(first)
    }

    @Test("an exclusive session alone on its société opens at once")
    func exclusiveAlone() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let start = ContinuousClock.now
        let session = try await open(sessions, user: "ADMIN", exclusive: true)
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        await sessions.close(session)
    }

    @Test("while an exclusive session is open, every other is refused, naming its user in upper case")
    func othersRefusedWhileExclusive() async throws {
        let sessions = Sessions(wait: .milliseconds(200))
        let exclusive = try await open(sessions, user: "Admin", exclusive: true)
        let expected = "La société DEMO.Gestimum est ouverte en mode exclusif par ADMIN"
        let (other, elapsed) = await refusal(sessions, user: "DEMO")
        #expect(other == expected)
        #expect(elapsed >= .milliseconds(200))
        let (otherExclusive, _) = await refusal(sessions, user: "COMPTA", exclusive: true)
        #expect(otherExclusive == expected)
        let (sameUser, _) = await refusal(sessions, user: "admin")
        #expect(sameUser == expected)
        await sessions.close(exclusive)
        // Closed: everybody opens at once.
        let start = ContinuousClock.now
        let demo = try await open(sessions, user: "DEMO")
        let admin = try await open(sessions, user: "ADMIN")
        #expect(ContinuousClock.now - start < Self.beforeTimeout)
        await sessions.close(demo)
        await sessions.close(admin)
    }

    @Test("while an exclusive session is open, the others wait and open when it closes")
    func othersWaitForExclusive() async throws {
        let sessions = Sessions(wait: Self.longWait)
        let exclusive = try await open(sessions, user: "ADMIN", exclusive: true)
        let waiting = [pending(sessions, user: "DEMO"), pending(sessions, user: "COMPTA")]
        try await Task.sleep(for: .milliseconds(300))
        #expect(waiting.allSatisfy { !$0.isDone })
        await sessions.close(exclusive)
        for opening in waiting {
            let session = try await opening.session()
            #expect(await opening.elapsed() < Self.beforeTimeout)
            await sessions.close(session)
        }
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
        let demo = try await waitingDemo.session()
        let demoElapsed = await waitingDemo.elapsed()
        #expect(demoElapsed >= .milliseconds(400))
        #expect(demoElapsed < Self.beforeTimeout)
        // Waking the waiters of DEMO did not let COMPTA into ALPHA, still exclusive.
        try await Task.sleep(for: .milliseconds(200))
        #expect(!waitingAlpha.isDone)
        await sessions.close(exclusive)
        let alpha = try await waitingAlpha.session()
        #expect(await waitingAlpha.elapsed() < Self.beforeTimeout)
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
