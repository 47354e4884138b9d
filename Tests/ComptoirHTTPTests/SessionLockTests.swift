import ComptoirCore
import ComptoirTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Sessions and locks through the web service (issue 4): a holder's import is held by the
/// test (`SessionHold`) once its session is open, for as long as the test decides, while other
/// requests come, wait, are refused or end it.
///
/// The holders that must outlast the test are ended by a `deconnecter=Oui` request of their
/// user at the end.
@Suite("Sessions and locks through the web service", .serialized)
struct SessionLockTests {
    /// A holder's lines: few, since the test, not their number, holds the session.
    static let holderLines = clientLines("B", count: 3)

    /// A société on `backend` with the users DEMO (empty password), COMPTA ("compta") and VENTE
    /// ("vente").
    private func makeServer(_ backend: TestBackend) async throws -> TestServer {
        let server = try await TestServer(backend)
        try server.addUsers(["COMPTA", "VENTE"])
        return server
    }

    /// Ends the holder of DEMO (a request of DEMO) with a `deconnecter=Oui` request that imports
    /// nothing, and checks that the holder was answered the 409 of an ended session.
    private func endHolder(
        _ holder: Task<TimedAnswer, any Error>,
        client: any TestClientProtocol,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let ending = try await client.timedPost(
            sessionBody(deconnecter: true, tester: true, lines: clientLines("Z", count: 1)))
        #expect(ending.status == .ok, "\(ending.body)", sourceLocation: sourceLocation)
        let answer = try await holder.value
        #expect(answer.status == .conflict, sourceLocation: sourceLocation)
        #expect(
            answer.message == "Session fermée : l'utilisateur DEMO s'est reconnecté", sourceLocation: sourceLocation)
    }

    /// Starts `body` in the background and returns once `hold` holds it, its session open.
    private func startHolder(
        _ body: String,
        hold: SessionHold,
        client: any TestClientProtocol
    ) async throws -> Task<TimedAnswer, any Error> {
        let holder = Task { try await client.timedPost(body) }
        try await hold.waitUntilHolding()
        return holder
    }

    // MARK: One session per user and société

    @Test(
        "a second request of the same user waits the configured time, then gets 409", arguments: TestBackend.available)
    func sameUserGets409AfterTheWait(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            // The société as a Windows path, the user in another case: the same session.
            let second = try await client.timedPost(
                sessionBody(
                    fichier: #"C:\ProgramData\Gestimum\DEMO"#, utilisateur: "demo",
                    lines: clientLines("S", count: 2)))
            #expect(second.status == .conflict)
            #expect(second.message == "L'utilisateur demo est déjà connecté à la société DEMO.Gestimum")
            #expect(second.elapsed >= .seconds(1), "it waited for the session first")
            #expect(hold.isHolding, "the first request still runs: it was not disturbed")
            try await endHolder(holder, client: client)
            // What it writes carries the user's code as the société stores it.
            let written = try await client.timedPost(
                sessionBody(utilisateur: "demo", lines: clientLines("W", count: 1)))
            #expect(written.status == .ok)
        }
        #expect(try server.rowCount("TIERS") == 1)
        #expect(try server.rowCount("TIERS", where: "PCF_USRCRE = 'DEMO'") == 1)
    }

    @Test("a second request of the same user runs once the first is answered", arguments: TestBackend.available)
    func sameUserRunsAfterTheFirst(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(60), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            let second = Task { try await client.timedPost(sessionBody(lines: clientLines("S", count: 2))) }
            // The second waits for the session: it has not opened one while the first holds it.
            try await Task.sleep(for: .milliseconds(500))
            #expect(hold.entered == ["DEMO"])
            hold.release()
            let first = try await holder.value
            #expect(first.status == .ok)
            #expect(first.answer.statistics == statistics(imported: 3, rejected: 0))
            let answer = try await second.value
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.answer.statistics == statistics(imported: 2, rejected: 0))
            #expect(answer.end > first.end)
        }
        #expect(try server.rowCount("TIERS") == 5)
    }

    @Test("requests of other users on the same société are not refused", arguments: TestBackend.available)
    func otherUsersAreNotRefused(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            let other = Task {
                try await client.timedPost(
                    sessionBody(utilisateur: "COMPTA", motPasse: "compta", lines: clientLines("C", count: 2)))
            }
            // Its session opens at once: it is answered while the holder is still held.
            let answer = try await other.value
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.answer.statistics == statistics(imported: 2, rejected: 0))
            #expect(hold.isHolding)
            try await endHolder(holder, client: client)
        }
        #expect(try server.rowCount("TIERS") == 2)
        #expect(try server.rowCount("TIERS", where: "PCF_USRCRE = 'COMPTA'") == 2)
    }

    @Test(
        "users are one session or two as the société tells them apart, whatever the case of their names",
        arguments: TestBackend.available)
    func usersAsTheSocieteTellsThemApart(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        // SQLite compares codes without regard to the case of ASCII letters only: élise and
        // ÉLISE are two users. PostgreSQL's collation folds every letter: they are one.
        let twoUsers = backend == .sqlite
        try server.addUsers(twoUsers ? ["élise", "ÉLISE"] : ["élise"])
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(
                sessionBody(utilisateur: "élise", motPasse: "élise", lines: Self.holderLines), hold: hold,
                client: client)
            let other = try await client.timedPost(
                sessionBody(utilisateur: "ÉLISE", motPasse: "élise", lines: clientLines("E", count: 1)))
            if twoUsers {
                #expect(other.status == .ok, "\(other.body)")
            } else {
                #expect(other.status == .conflict)
                #expect(other.message == "L'utilisateur ÉLISE est déjà connecté à la société DEMO.Gestimum")
            }
            #expect(hold.isHolding)
            hold.release()
            #expect(try await holder.value.status == .ok)
        }
        #expect(try server.rowCount("TIERS") == (twoUsers ? 4 : 3))
    }

    @Test(
        "a société reached through a symbolic link of the data folder is still one société",
        arguments: TestBackend.available)
    func symbolicLinkIsTheSameSociete(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try FileManager.default.createSymbolicLink(
            atPath: server.folder + "/ALIAS.Gestimum", withDestinationPath: "DEMO.Gestimum")
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            let answer = try await client.timedPost(sessionBody(fichier: "ALIAS", lines: clientLines("S", count: 2)))
            #expect(answer.status == .conflict, "\(answer.body)")
            #expect(answer.message == "L'utilisateur DEMO est déjà connecté à la société ALIAS.Gestimum")
            #expect(hold.isHolding)
            try await endHolder(holder, client: client)
            // The journal names the société as the request found it, from its first line to its last.
            let aliased = try await client.timedPost(importBody(fichier: "ALIAS", lines: clientLines("A", count: 1)))
            let alias = server.folder + "/ALIAS.Gestimum"
            let journal = aliased.answer.journalMessages
            #expect(journal.first == "Ouverture de la société \(alias)", "\(journal)")
            #expect(journal.dropFirst().first == "Société \(alias) ouverte", "\(journal)")
            #expect(journal.last == "Fermeture de la société \(alias)", "\(journal)")
        }
        #expect(try server.rowCount("TIERS") == 1)
    }

    // MARK: deconnecter

    @Test(
        "deconnecter=Oui ends the user's running request, which stores nothing, and runs",
        arguments: TestBackend.available)
    func disconnectEndsTheRunningRequest(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(10), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            let second = try await client.timedPost(
                sessionBody(deconnecter: true, lines: clientLines("R", count: 3)))
            #expect(second.status == .ok, "\(second.body)")
            #expect(second.answer.statistics == statistics(imported: 3, rejected: 0))
            let first = try await holder.value
            #expect(first.status == .conflict)
            #expect(first.answer == Answer.error("Session fermée : l'utilisateur DEMO s'est reconnecté"))
        }
        #expect(try server.rowCount("TIERS") == 3)
        #expect(try server.rowCount("TIERS", where: "PCF_CODE LIKE 'B%'") == 0)
        #expect(try server.rowCount("COMPTES", where: "CPT_NUMERO LIKE '411B%'") == 0)
    }

    @Test(
        "on PostgreSQL, a request whose presence connection is cut is ended with a 503 and stores nothing",
        .enabled(if: TestPostgres.isAvailable, "COMPTOIR_TEST_POSTGRES is not set"))
    func aCutPresenceEndsItsSessions() async throws {
        let server = try await makeServer(.postgres)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            // Its row went with its backend: it would keep no other server out any more.
            // The sessions' table, unlike the société's, is named unquoted: in lower case.
            try server.execute("SELECT COUNT(pg_terminate_backend(pid)) FROM comptoir_sessions")
            let answer = try await holder.value
            #expect(answer.status == .serviceUnavailable, "\(answer.body)")
            #expect(
                answer.message
                    == "Impossible de tenir les sessions de la société DEMO : la connexion qui les tenait a été coupée, rien n'a été écrit"
            )
            // The next request gets a presence again.
            let next = try await client.timedPost(sessionBody(lines: clientLines("N", count: 1)))
            #expect(next.status == .ok, "\(next.body)")
        }
        #expect(try server.rowCount("TIERS") == 1)
    }

    @Test("deconnecter=Oui of another user ends nothing", arguments: TestBackend.available)
    func disconnectOfAnotherUser(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(30), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            let other = try await client.timedPost(
                sessionBody(
                    utilisateur: "COMPTA", motPasse: "compta", deconnecter: true, lines: clientLines("C", count: 2)))
            #expect(other.status == .ok, "\(other.body)")
            #expect(hold.isHolding, "DEMO's session was ended")
            hold.release()
            let first = try await holder.value
            #expect(first.status == .ok, "\(first.body)")
            #expect(first.answer.statistics == statistics(imported: 3, rejected: 0))
        }
        #expect(try server.rowCount("TIERS") == 5)
    }

    @Test("a sessions file the system refuses is a 503 that names it, not a busy société's 409")
    func sessionsFileRefused() async throws {
        let server = try await makeServer(.sqlite)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            // Removed while the server runs: the held sessions keep their descriptors, but a
            // session in a new slot cannot open the file.
            try FileManager.default.removeItem(atPath: server.folder + "/DEMO.Gestimum-sessions")
            let other = try await client.timedPost(
                sessionBody(utilisateur: "COMPTA", motPasse: "compta", lines: clientLines("C", count: 1)))
            #expect(other.status == .serviceUnavailable, "\(other.body)")
            #expect(
                other.message
                    == "Impossible de tenir les sessions de la société DEMO : No such file or directory")
            hold.release()
            #expect(try await holder.value.status == .ok)
        }
        #expect(try server.rowCount("TIERS") == 3)
    }

    // MARK: exclusif

    @Test("exclusif=Oui while another user's request runs: 409 after the wait", arguments: TestBackend.available)
    func exclusiveRefusedWhileOthersRun(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), hold: hold, client: client)
            let exclusive = try await client.timedPost(
                sessionBody(
                    utilisateur: "COMPTA", motPasse: "compta", exclusif: true, lines: clientLines("C", count: 2)))
            #expect(exclusive.status == .conflict)
            #expect(
                exclusive.answer
                    == Answer.error(
                        "La société DEMO.Gestimum est utilisée par d'autres utilisateurs : ouverture exclusive impossible"
                    ))
            #expect(exclusive.elapsed >= .seconds(1))
            #expect(hold.isHolding)
            try await endHolder(holder, client: client)
        }
        #expect(try server.rowCount("TIERS") == 0)
    }

    @Test(
        "while an exclusive request runs, the others get 409 naming its user after the wait",
        arguments: TestBackend.available)
    func othersRefusedWhileExclusive(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(1), hold: hold) { client in
            let holder = try await startHolder(
                sessionBody(exclusif: true, lines: Self.holderLines), hold: hold, client: client)
            let expected = Answer.error("La société DEMO.Gestimum est ouverte en mode exclusif")
            async let other = client.timedPost(
                sessionBody(utilisateur: "COMPTA", motPasse: "compta", lines: clientLines("C", count: 2)))
            async let otherExclusive = client.timedPost(
                sessionBody(utilisateur: "VENTE", motPasse: "vente", exclusif: true, lines: clientLines("V", count: 2)))
            for answer in try await [other, otherExclusive] {
                #expect(answer.status == .conflict)
                #expect(answer.answer == expected)
                #expect(answer.elapsed >= .seconds(1))
            }
            #expect(hold.isHolding)
            try await endHolder(holder, client: client)
        }
        #expect(try server.rowCount("TIERS") == 0)
    }

    @Test(
        "while an exclusive request runs, the others wait and run once it is answered", arguments: TestBackend.available
    )
    func othersWaitForExclusive(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try await server.run(lockWait: .seconds(60), hold: hold) { client in
            let holder = try await startHolder(
                sessionBody(exclusif: true, lines: Self.holderLines), hold: hold, client: client)
            async let other = client.timedPost(
                sessionBody(utilisateur: "COMPTA", motPasse: "compta", lines: clientLines("C", count: 2)))
            async let otherExclusive = client.timedPost(
                sessionBody(utilisateur: "VENTE", motPasse: "vente", exclusif: true, lines: clientLines("V", count: 2)))
            // Ignoring exclusif, they would open their sessions at once and be answered.
            try await Task.sleep(for: .seconds(1))
            #expect(hold.entered == ["DEMO"], "sessions opened beside an exclusive one")
            hold.release()
            let first = try await holder.value
            #expect(first.status == .ok, "\(first.body)")
            for answer in try await [other, otherExclusive] {
                #expect(answer.status == .ok, "\(answer.body)")
                #expect(answer.answer.statistics == statistics(imported: 2, rejected: 0))
                #expect(answer.end > first.end)
            }
        }
        #expect(try server.rowCount("TIERS") == 7)
    }

    // MARK: Several users, several sociétés

    @Test(
        "several users' imports on one société all complete, each on its own, every line accounted for",
        arguments: TestBackend.available)
    func severalUsersOnOneSociete(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        try server.addUsers(["U1", "U2", "U3", "U4"])
        let users = ["DEMO", "COMPTA", "VENTE", "U1", "U2", "U3"]
        // Each request: its own lines, one of them rejected (no raison sociale).
        let sizes = [1_500, 800, 400, 200, 100, 50]
        try await server.run(lockWait: .seconds(60)) { client in
            let answers = try await withThrowingTaskGroup(of: (String, TimedAnswer).self) { group in
                for (user, size) in zip(users, sizes) {
                    let lines = clientLines(user, count: size) + ["\(user)X;411\(user)X;"]
                    let body = sessionBody(
                        utilisateur: user, motPasse: user == "DEMO" ? "" : user.lowercased(), lines: lines)
                    group.addTask { (user, try await client.timedPost(body)) }
                }
                // And a test of U4, rolled back while the others are kept.
                group.addTask {
                    let body = sessionBody(
                        utilisateur: "U4", motPasse: "u4", tester: true, lines: clientLines("U4", count: 300))
                    return ("U4", try await client.timedPost(body))
                }
                var answers: [String: TimedAnswer] = [:]
                for try await (user, answer) in group { answers[user] = answer }
                return answers
            }
            for (user, size) in zip(users, sizes) {
                let answer = try #require(answers[user])
                #expect(answer.status == .ok, "\(user): \(answer.body)")
                #expect(answer.answer.statistics == statistics(imported: size, rejected: 1), "\(user)")
            }
            #expect(answers["U4"]?.answer.statistics == statistics(imported: 300, rejected: 0))
        }
        #expect(try server.rowCount("TIERS") == sizes.reduce(0, +))
        #expect(try server.rowCount("COMPTES", where: importedAccounts) == sizes.reduce(0, +))
        for (user, size) in zip(users, sizes) {
            #expect(try server.rowCount("TIERS", where: "PCF_CODE LIKE '\(user)0%'") == size, "\(user)")
            #expect(try server.rowCount("TIERS", where: "PCF_USRCRE = '\(user)'") == size, "\(user)")
        }
        #expect(try server.rowCount("TIERS", where: "PCF_CODE LIKE 'U4%'") == 0)
    }

    @Test(
        "requests on two sociétés run in parallel, even exclusive ones of the same user",
        arguments: TestBackend.available)
    func differentSocietesDoNotWait(backend: TestBackend) async throws {
        let server = try await makeServer(backend)
        let hold = SessionHold()
        try server.addUsers(["DEMO"], societe: "ALPHA")
        try await server.run(lockWait: .seconds(10), hold: hold) { client in
            let holder = try await startHolder(
                sessionBody(exclusif: true, lines: Self.holderLines), hold: hold, client: client)
            let alpha = try await client.timedPost(
                sessionBody(
                    fichier: "ALPHA.Gestimum", utilisateur: "DEMO", motPasse: "demo", exclusif: true,
                    lines: clientLines("A", count: 3)))
            // Had it waited for DEMO, it would have been refused after 10 s.
            #expect(alpha.status == .ok, "\(alpha.body)")
            #expect(alpha.answer.statistics == statistics(imported: 3, rejected: 0))
            #expect(hold.isHolding, "DEMO's import still runs")
            let admin = try await client.timedPost(
                sessionBody(
                    fichier: "ALPHA.Gestimum", utilisateur: "ADMIN", motPasse: "secret",
                    lines: clientLines("D", count: 2)))
            #expect(admin.status == .ok, "\(admin.body)")
            try await endHolder(holder, client: client)
        }
        #expect(try server.rowCount("TIERS", societe: "ALPHA") == 5)
        #expect(try server.rowCount("TIERS") == 0)
    }
}
