import ComptoirCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Sessions and locks through the web service (issue 4): a long import holds its session while
/// other requests come, wait, are refused or end it. A holder is a large import started first;
/// the others are sent once it writes into the société, so once its session is open.
///
/// The holders that must outlast the test are ended by a `deconnecter=Oui` request of their
/// user at the end, so that the test does not depend on how fast the machine imports.
@Suite("Sessions and locks through the web service", .serialized)
struct SessionLockTests {
    /// Lines that take far longer to import than any test here waits (about a minute, even
    /// while other tests keep the test's own threads busy), so that their request holds its
    /// session until ended. Only their decoding is paid in full.
    static let holderLines = clientLines("B", count: 300_000)

    /// A société with the users DEMO (empty password), COMPTA ("compta") and VENTE ("vente").
    private func makeServer() throws -> TestServer {
        let server = try TestServer()
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

    /// Starts `body` in the background and returns once its request writes into `societe`.
    /// The société is opened first by a test request, so that only the import can be writing.
    private func startHolder(
        _ body: String,
        server: TestServer,
        client: any TestClientProtocol,
        societe: String = "DEMO"
    ) async throws -> Task<TimedAnswer, any Error> {
        let warmUp = try await client.timedPost(sessionBody(tester: true, lines: clientLines("W", count: 1)))
        try #require(warmUp.status == .ok, "\(warmUp.body)")
        try #require(try !server.isWriting(societe: societe))
        let holder = Task { try await client.timedPost(body) }
        try await server.waitUntilWriting(societe: societe)
        return holder
    }

    // MARK: One session per user and société

    @Test("a second request of the same user waits the configured time, then gets 409")
    func sameUserGets409AfterTheWait() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(1)) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), server: server, client: client)
            // The société as a Windows path, the user in another case: the same session.
            let second = try await client.timedPost(
                sessionBody(
                    fichier: #"C:\ProgramData\Gestimum\DEMO"#, utilisateur: "demo",
                    lines: clientLines("S", count: 2)))
            #expect(second.status == .conflict)
            #expect(second.message == "L'utilisateur demo est déjà connecté à la société DEMO.Gestimum")
            #expect(second.elapsed >= .seconds(1), "it waited for the session first")
            #expect(try server.isWriting(), "the first request still runs: it was not disturbed")
            try await endHolder(holder, client: client)
        }
        #expect(try server.rowCount("TIERS") == 0)
    }

    @Test("a second request of the same user runs once the first is answered")
    func sameUserRunsAfterTheFirst() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(60)) { client in
            let holder = try await startHolder(
                sessionBody(lines: clientLines("B", count: 10_000)), server: server, client: client)
            let second = try await client.timedPost(sessionBody(lines: clientLines("S", count: 2)))
            let first = try await holder.value
            #expect(first.status == .ok)
            #expect(first.answer.statistics == statistics(imported: 10_000, rejected: 0))
            #expect(second.status == .ok, "\(second.body)")
            #expect(second.answer.statistics == statistics(imported: 2, rejected: 0))
            // (Whether it waited for the session or for the writer cannot be told here: the
            // 409 tests above tell it. This one shows that the wait ends in a success.)
        }
        #expect(try server.rowCount("TIERS") == 10_002)
    }

    @Test("requests of other users on the same société are not refused")
    func otherUsersAreNotRefused() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(1)) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), server: server, client: client)
            let other = Task {
                try await client.timedPost(
                    sessionBody(utilisateur: "COMPTA", motPasse: "compta", lines: clientLines("C", count: 2)))
            }
            // Its session is open at once: well past the wait, it is still running, not refused.
            try await Task.sleep(for: .seconds(2))
            try await endHolder(holder, client: client)
            let answer = try await other.value
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(answer.answer.statistics == statistics(imported: 2, rejected: 0))
        }
        #expect(try server.rowCount("TIERS") == 2)
        #expect(try server.rowCount("TIERS", where: "PCF_USRCRE = 'COMPTA'") == 2)
    }

    @Test("a société reached through a symbolic link of the data folder is still one société")
    func symbolicLinkIsTheSameSociete() async throws {
        let server = try makeServer()
        try FileManager.default.createSymbolicLink(
            atPath: server.folder + "/ALIAS.Gestimum", withDestinationPath: "DEMO.Gestimum")
        try await server.run(lockWait: .seconds(1)) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), server: server, client: client)
            let second = Task {
                try await client.timedPost(sessionBody(fichier: "ALIAS", lines: clientLines("S", count: 2)))
            }
            // Bounded either way: the holder is ended after 3 s.
            try await Task.sleep(for: .seconds(3))
            try await endHolder(holder, client: client)
            let answer = try await second.value
            #expect(answer.status == .conflict, "\(answer.body)")
            #expect(answer.message == "L'utilisateur DEMO est déjà connecté à la société ALIAS.Gestimum")
        }
        #expect(try server.rowCount("TIERS") == 0)
    }

    // MARK: deconnecter

    @Test("deconnecter=Oui ends the user's running request, which stores nothing, and runs")
    func disconnectEndsTheRunningRequest() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(10)) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), server: server, client: client)
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

    @Test("deconnecter=Oui of another user ends nothing")
    func disconnectOfAnotherUser() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(30)) { client in
            let holder = try await startHolder(
                sessionBody(lines: clientLines("B", count: 3_000)), server: server, client: client)
            let other = try await client.timedPost(
                sessionBody(
                    utilisateur: "COMPTA", motPasse: "compta", deconnecter: true, lines: clientLines("C", count: 2)))
            #expect(other.status == .ok, "\(other.body)")
            let first = try await holder.value
            #expect(first.status == .ok, "\(first.body)")
            #expect(first.answer.statistics == statistics(imported: 3_000, rejected: 0))
        }
        #expect(try server.rowCount("TIERS") == 3_002)
    }

    // MARK: exclusif

    @Test("exclusif=Oui while another user's request runs: 409 after the wait")
    func exclusiveRefusedWhileOthersRun() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(1)) { client in
            let holder = try await startHolder(sessionBody(lines: Self.holderLines), server: server, client: client)
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
            #expect(try server.isWriting())
            try await endHolder(holder, client: client)
        }
        #expect(try server.rowCount("TIERS") == 0)
    }

    @Test("while an exclusive request runs, the others get 409 naming its user after the wait")
    func othersRefusedWhileExclusive() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(1)) { client in
            let holder = try await startHolder(
                sessionBody(exclusif: true, lines: Self.holderLines), server: server, client: client)
            let expected = Answer.error("La société DEMO.Gestimum est ouverte en mode exclusif par DEMO")
            async let other = client.timedPost(
                sessionBody(utilisateur: "COMPTA", motPasse: "compta", lines: clientLines("C", count: 2)))
            async let otherExclusive = client.timedPost(
                sessionBody(utilisateur: "VENTE", motPasse: "vente", exclusif: true, lines: clientLines("V", count: 2)))
            for answer in try await [other, otherExclusive] {
                #expect(answer.status == .conflict)
                #expect(answer.answer == expected)
                #expect(answer.elapsed >= .seconds(1))
            }
            #expect(try server.isWriting())
            try await endHolder(holder, client: client)
        }
        #expect(try server.rowCount("TIERS") == 0)
    }

    @Test("while an exclusive request runs, the others wait and run once it is answered")
    func othersWaitForExclusive() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(60)) { client in
            let holder = try await startHolder(
                sessionBody(exclusif: true, lines: clientLines("B", count: 10_000)), server: server, client: client)
            async let other = client.timedPost(
                sessionBody(utilisateur: "COMPTA", motPasse: "compta", lines: clientLines("C", count: 2)))
            async let otherExclusive = client.timedPost(
                sessionBody(utilisateur: "VENTE", motPasse: "vente", exclusif: true, lines: clientLines("V", count: 2)))
            let first = try await holder.value
            #expect(first.status == .ok, "\(first.body)")
            for answer in try await [other, otherExclusive] {
                #expect(answer.status == .ok, "\(answer.body)")
                #expect(answer.answer.statistics == statistics(imported: 2, rejected: 0))
            }
        }
        #expect(try server.rowCount("TIERS") == 10_004)
    }

    // MARK: Several users, several sociétés

    @Test("several users' imports on one société all complete, each on its own, every line accounted for")
    func severalUsersOnOneSociete() async throws {
        let server = try makeServer()
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
        #expect(try server.rowCount("COMPTES") == sizes.reduce(0, +))
        for (user, size) in zip(users, sizes) {
            #expect(try server.rowCount("TIERS", where: "PCF_CODE LIKE '\(user)0%'") == size, "\(user)")
            #expect(try server.rowCount("TIERS", where: "PCF_USRCRE = '\(user)'") == size, "\(user)")
        }
        #expect(try server.rowCount("TIERS", where: "PCF_CODE LIKE 'U4%'") == 0)
    }

    @Test("requests on two sociétés run in parallel, even exclusive ones of the same user")
    func differentSocietesDoNotWait() async throws {
        let server = try makeServer()
        try server.addUsers(["DEMO"], societe: "ALPHA")
        try await server.run(lockWait: .seconds(10)) { client in
            let holder = try await startHolder(
                sessionBody(exclusif: true, lines: Self.holderLines), server: server, client: client)
            let alpha = try await client.timedPost(
                sessionBody(
                    fichier: "ALPHA.Gestimum", utilisateur: "DEMO", motPasse: "demo", exclusif: true,
                    lines: clientLines("A", count: 3)))
            // Had it waited for DEMO, it would have been refused after 10 s.
            #expect(alpha.status == .ok, "\(alpha.body)")
            #expect(alpha.answer.statistics == statistics(imported: 3, rejected: 0))
            #expect(try server.isWriting(), "DEMO's import still runs")
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
