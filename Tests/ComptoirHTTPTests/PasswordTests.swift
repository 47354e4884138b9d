import ComptoirCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ComptoirStore

/// Passwords through the web service (issue 4, "Hostile and broken input"): repeated failures
/// slow the user down, an unknown user cannot be told from a wrong password, and no password
/// or hash ever appears in the log or an answer.
@Suite("Passwords: throttling, same refusal, never logged", .serialized)
struct PasswordTests {
    static let refusal = Answer.error("Utilisateur ou mot de passe incorrect")

    /// A request of `utilisateur` on DEMO (or `fichier`) that changes nothing when it gets in.
    private func attempt(
        _ client: any TestClientProtocol,
        user: String = "DEMO",
        password: String,
        fichier: String = "DEMO.Gestimum"
    ) async throws -> TimedAnswer {
        try await client.timedPost(
            sessionBody(
                fichier: fichier, utilisateur: user, motPasse: password, tester: true,
                lines: clientLines("P", count: 1)))
    }

    /// An attempt and how much longer it took than a control request sent with it: a success
    /// of TEMOIN, a user never slowed down. The difference is the slowing down, whatever the
    /// load of the machine, which the attempt and its control share.
    private func attemptBeside(
        _ client: any TestClientProtocol,
        user: String = "DEMO",
        password: String,
        fichier: String = "DEMO.Gestimum"
    ) async throws -> (answer: TimedAnswer, extra: Duration) {
        async let control = attempt(client, user: "TEMOIN", password: "temoin")
        let answer = try await attempt(client, user: user, password: password, fichier: fichier)
        let controlAnswer = try await control
        #expect(controlAnswer.status == .ok, "\(controlAnswer.body)")
        return (answer, answer.elapsed - controlAnswer.elapsed)
    }

    /// A server whose DEMO société has the control user TEMOIN ("temoin").
    private func makeServer() throws -> TestServer {
        let server = try TestServer()
        try server.addUsers(["TEMOIN"])
        return server
    }

    /// Fails the test unless `answer` is the 401 of a refused sign-in.
    private func expectRefused(_ answer: TimedAnswer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == .unauthorized, sourceLocation: sourceLocation)
        #expect(answer.answer == Self.refusal, sourceLocation: sourceLocation)
    }

    // MARK: Throttling

    @Test("after 5 wrong passwords in a row, the next attempts wait 1 s, then 2 s; the right password still works")
    func failuresSlowTheUserDown() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(5)) { client in
            // A first success opens the société, so that no attempt below pays for it.
            #expect(try await attempt(client, password: "").status == .ok)
            var free: [Duration] = []
            for _ in 1...5 {
                let (answer, extra) = try await attemptBeside(client, password: "faux")
                expectRefused(answer)
                free.append(extra)
            }
            // Not slowed down (that would be 1 s more than the control): the 5th included.
            #expect(free.allSatisfy { $0 < .milliseconds(700) }, "the first 5 failures are not slowed down: \(free)")

            let sixth = try await attempt(client, password: "faux")
            expectRefused(sixth)
            #expect(sixth.elapsed >= .milliseconds(950), "6th attempt: \(sixth.elapsed)")
            let seventh = try await attempt(client, password: "faux")
            expectRefused(seventh)
            #expect(seventh.elapsed >= .milliseconds(1950), "7th attempt: \(seventh.elapsed)")

            // The right password, slowed down like any attempt, still gets in…
            let right = try await attempt(client, password: "")
            #expect(right.status == .ok, "\(right.body)")
            #expect(right.elapsed >= .milliseconds(950))
            // …and starts the count again: the next failures are not slowed down (they would
            // wait 4 s, then 8 s, without it).
            for _ in 1...2 {
                let (again, extra) = try await attemptBeside(client, password: "faux")
                expectRefused(again)
                #expect(extra < .milliseconds(700), "after a success: \(extra) more than the control")
            }
        }
    }

    @Test("wrong attempts sent together count as failures while they are checked: past 5, they wait too")
    func aBurstIsSlowedDown() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(5)) { client in
            #expect(try await attempt(client, password: "").status == .ok)
            let answers = try await withThrowingTaskGroup(of: TimedAnswer.self) { group in
                for _ in 1...8 { group.addTask { try await attempt(client, user: "PIRATE", password: "x") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for answer in answers { expectRefused(answer) }
            // The 6th, 7th and 8th waited 1, then 2, then 4 s more, one after the other. (The
            // first five are not counted: five bcrypt checks at once on a slow machine may take
            // a second too.)
            let elapsed = answers.map(\.elapsed).sorted()
            #expect(elapsed[5] >= .milliseconds(950), "\(elapsed)")
            #expect(elapsed[6] >= .milliseconds(2900), "\(elapsed)")
            #expect(elapsed[7] >= .milliseconds(6900), "\(elapsed)")
        }
    }

    @Test("a success after 5 failures resets the count")
    func successResetsTheCount() async throws {
        let server = try makeServer()
        try await server.run(lockWait: .seconds(5)) { client in
            for _ in 1...5 { expectRefused(try await attempt(client, password: "faux")) }
            let right = try await attempt(client, password: "")
            #expect(right.status == .ok, "\(right.body)")
            #expect(right.elapsed >= .milliseconds(950), "the 6th attempt waits even with the right password")
            // 4 more free failures: without the reset they would wait 1, 2, 4 and 8 s.
            var extras: [Duration] = []
            for _ in 1...4 {
                let (wrong, extra) = try await attemptBeside(client, password: "faux")
                expectRefused(wrong)
                extras.append(extra)
            }
            #expect(extras.allSatisfy { $0 < .milliseconds(700) }, "\(extras)")
            let (again, extra) = try await attemptBeside(client, password: "")
            #expect(again.status == .ok)
            #expect(extra < .milliseconds(700))
        }
    }

    @Test("the slowing down is for that user of that société only")
    func throttlingIsPerUserAndSociete() async throws {
        let server = try makeServer()
        try server.addUsers(["COMPTA"])
        try server.addUsers(["DEMO"], societe: "ALPHA")
        try await server.run(lockWait: .seconds(5)) { client in
            for _ in 1...6 { expectRefused(try await attempt(client, password: "faux")) }
            // DEMO is slowed down on DEMO (the user matched without regard to case)…
            let slowed = try await attempt(client, user: "demo", password: "faux")
            expectRefused(slowed)
            #expect(slowed.elapsed >= .milliseconds(1950))
            // …but not COMPTA on DEMO, nor DEMO on ALPHA: counted with DEMO's failures, they
            // would wait 4 s and more.
            let (other, otherExtra) = try await attemptBeside(client, user: "COMPTA", password: "compta")
            #expect(other.status == .ok, "\(other.body)")
            #expect(otherExtra < .milliseconds(700))
            let (otherWrong, otherWrongExtra) = try await attemptBeside(client, user: "COMPTA", password: "faux")
            expectRefused(otherWrong)
            #expect(otherWrongExtra < .milliseconds(700))
            let (alpha, alphaExtra) = try await attemptBeside(client, password: "demo", fichier: "ALPHA.Gestimum")
            #expect(alpha.status == .ok, "\(alpha.body)")
            #expect(alphaExtra < .milliseconds(700))
        }
    }

    @Test("guessing user names is slowed down too", arguments: TestBackend.available)
    func unknownUsersAreThrottled(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(lockWait: .seconds(5)) { client in
            for _ in 1...5 { expectRefused(try await attempt(client, user: "PIRATE", password: "x")) }
            let sixth = try await attempt(client, user: "PIRATE", password: "x")
            expectRefused(sixth)
            #expect(sixth.elapsed >= .milliseconds(950))
        }
    }

    // MARK: Unknown user or wrong password

    @Test("an unknown user and a wrong password get the same 401, to the byte", arguments: TestBackend.available)
    func sameAnswerForUnknownUserAndWrongPassword(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run(lockWait: .seconds(5)) { client in
            let wrong = try await attempt(client, user: "ADMIN", password: "faux", fichier: "ALPHA.Gestimum")
            let unknown = try await attempt(client, user: "INCONNU", password: "secret", fichier: "ALPHA.Gestimum")
            let empty = try await attempt(client, user: "ADMIN", password: "", fichier: "ALPHA.Gestimum")
            for answer in [wrong, unknown, empty] { expectRefused(answer) }
            #expect(wrong.body == unknown.body)
            #expect(wrong.body == empty.body)
            #expect(wrong.body == #"{"error":"Utilisateur ou mot de passe incorrect"}"#)
            // Nothing was imported by any of them.
            #expect(try server.rowCount("TIERS", societe: "ALPHA") == 0)
        }
    }

    @Test(
        "a NUL in the user or the password, or a password past bcrypt's 72 bytes, never opens a session",
        arguments: TestBackend.available)
    func whatBcryptAndTheDatabaseWouldCutShort(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let societe = try SocieteFolder(path: server.folder).societe(named: "ALPHA")
        let long = String(repeating: "a", count: Passwords.maximumBytes)
        try societe.addUser(code: "LONG", name: "LONG", password: long, group: "DEFAUT", hashCost: 4)
        #expect(throws: UserError(message: "Le mot de passe dépasse 72 octets, au-delà desquels bcrypt ne le lit plus"))
        {
            try societe.addUser(code: "TROP", name: "TROP", password: long + "b", group: "DEFAUT", hashCost: 4)
        }
        #expect(throws: UserError(message: "Le mot de passe contient un caractère nul (U+0000)")) {
            try societe.setPassword(user: "LONG", password: "a\u{0}b", hashCost: 4)
        }
        try await server.run(lockWait: .seconds(5)) { client in
            for (user, password) in [("ADMIN\u{0}<x>", "secret"), ("ADMIN", "secret\u{0}x"), ("LONG", long + "x")] {
                expectRefused(try await attempt(client, user: user, password: password, fichier: "ALPHA.Gestimum"))
            }
            #expect(try await attempt(client, user: "LONG", password: long, fichier: "ALPHA.Gestimum").status == .ok)
        }
        #expect(try server.rowCount("TIERS", societe: "ALPHA") == 0)
    }

    /// Without the decoy hash, an unknown user would be refused one bcrypt check sooner than a
    /// wrong password: the medians of 20 refusals each must differ by far less than that.
    @Test("an unknown user takes as long to refuse as a wrong password")
    func sameTimeForUnknownUserAndWrongPassword() async throws {
        let server = try TestServer()
        // A user hashed at the production cost, as `comptoir utilisateur creer` makes them.
        try SocieteFolder(path: server.folder).sqliteSociete(named: "DEMO")
            .addUser(code: "LENT", name: "LENT", password: "le-bon", group: "DEFAUT")
        let hash = Passwords.hash("le-bon", cost: Passwords.defaultCost)
        var checks: [Duration] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            _ = await Passwords.verify("le-mauvais", hash: hash)
            checks.append(ContinuousClock.now - start)
        }
        let bcrypt = median(checks)
        try await server.run(lockWait: .seconds(5)) { client in
            var wrong: [Duration] = []
            var unknown: [Duration] = []
            for round in 1...20 {
                // Sent together, so that both meet the same load of the machine.
                async let failureAnswer = attempt(client, user: "LENT", password: "le-mauvais")
                let nobody = try await attempt(client, user: "INCONNU\(round)", password: "le-mauvais")
                let failure = try await failureAnswer
                expectRefused(failure)
                expectRefused(nobody)
                wrong.append(failure.elapsed)
                unknown.append(nobody.elapsed)
                // A success between failures, so that the slowing down never starts.
                #expect(try await attempt(client, user: "LENT", password: "le-bon").status == .ok)
            }
            let difference = max(median(wrong) - median(unknown), median(unknown) - median(wrong))
            #expect(
                difference < bcrypt / 2,
                "medians differ by \(difference), one bcrypt check takes \(bcrypt); wrong password: \(wrong), unknown user: \(unknown)"
            )
        }
    }

    private func median(_ durations: [Duration]) -> Duration { durations.sorted()[durations.count / 2] }

    // MARK: Never in the log, never in an answer

    @Test("no password and no hash appears in a log line or an answer")
    func passwordsNeverShown() async throws {
        let server = try TestServer()
        let password = "Pa55-Confidentiel!"
        let wrongPassword = "Mauvais-Pa55-Devine"
        try SocieteFolder(path: server.folder).sqliteSociete(named: "DEMO")
            .addUser(code: "JDUPONT", name: "Jeanne Dupont", password: password, group: "DEFAUT", hashCost: 4)
        // A file that is no société: its request fails with a 500, logged with its details.
        try "pas une base".write(toFile: server.folder + "/BAD.Gestimum", atomically: true, encoding: .utf8)
        let hashes = try server.records("UTILISATEURS").map { row -> String in row["USR_MDP_HASH"] }
        #expect(hashes.count == 2)
        let log = LogRecorder()
        let bodies = [
            // Right password, wrong one, unknown user, with and without deconnecter or exclusif.
            sessionBody(utilisateur: "JDUPONT", motPasse: password, lines: clientLines("J", count: 2)),
            sessionBody(utilisateur: "JDUPONT", motPasse: wrongPassword, lines: clientLines("J", count: 2)),
            sessionBody(utilisateur: "INCONNU", motPasse: password, lines: clientLines("J", count: 2)),
            sessionBody(
                utilisateur: "JDUPONT", motPasse: password, deconnecter: true, exclusif: true, tester: true,
                lines: clientLines("J", count: 2)),
            // An unknown société, a broken file, a refused request, a body that is no JSON.
            sessionBody(
                fichier: "AUCUNE", utilisateur: "JDUPONT", motPasse: password, lines: clientLines("J", count: 2)),
            sessionBody(fichier: "BAD", utilisateur: "JDUPONT", motPasse: password, lines: clientLines("J", count: 2)),
            sessionBody(utilisateur: "JDUPONT", motPasse: password, lines: ["PCF_CODE;PCF_CODE", "J1;J1"]),
            #"{"importer_clients": {"societe": {"fichier": "DEMO", "utilisateur": "JDUPONT", "mot_passe": "\#(password)", "#,
            #"{"importer_clients": {"societe": {"fichier": "DEMO", "utilisateur": "JDUPONT", "mot_passe": "\#(password)"}, "parametres": 12}}"#,
            #"{"importer_clients": {"societe": {"fichier": "DEMO", "utilisateur": "JDUPONT", "mot_passe": ["\#(password)"]}, "parametres": {}}}"#,
        ]
        try await server.run(lockWait: .seconds(5), log: log) { client in
            var answers: [TimedAnswer] = []
            for body in bodies { answers.append(try await client.timedPost(body)) }
            #expect(answers.map(\.status.code) == [200, 401, 401, 200, 404, 500, 400, 400, 400, 400])
            let logText = log.text
            // The log was really captured: a line per request at least, and the 500's error.
            #expect(log.lines.count >= bodies.count, "\(logText)")
            #expect(log.lines.contains { $0.level == .error })
            for secret in [password, wrongPassword] + hashes + hashes.map({ String($0.suffix(31)) }) {
                #expect(!logText.contains(secret), "in the log: \(secret)")
                for answer in answers {
                    #expect(!answer.body.contains(secret), "in the answer \(answer.body): \(secret)")
                }
            }
        }
    }
}
