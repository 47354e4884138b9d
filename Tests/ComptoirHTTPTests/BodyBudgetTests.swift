import ComptoirCore
import ComptoirTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ComptoirHTTP

/// The memory all bodies may take at once (`--memoire-requetes`): a body that does not fit now
/// waits (`--attente-memoire`), then gets 503 with `Retry-After`; one larger than the whole
/// budget gets 413 at once; a request already accepted is never harmed.
@Suite struct BodyBudgetTests {
    static func clients(_ prefix: String, _ count: Int) -> [String] {
        ["PCF_CODE;CPT_NUMERO;PCF_RS"] + (0..<count).map { "\(prefix)\($0);411\(prefix)\($0);Client \($0)" }
    }

    /// Posts `body` and gives the status, the `Retry-After` header and the answer.
    private func post(_ body: String, client: any TestClientProtocol) async throws -> (
        HTTPResponse.Status, String?, JSONValue?
    ) {
        try await client.execute(uri: clientsPath, method: .post, body: ByteBuffer(string: body)) { response in
            (
                response.status, response.headers[.retryAfter],
                try? JSONValue.parse(Array(response.body.readableBytesView))
            )
        }
    }

    @Test func aBodyOverTheWholeBudgetGets413AtOnce() async throws {
        let server = try TestServer()
        try await server.run(bodyBudget: 16 << 10) { client in
            let large = importBody(.clients, lines: Self.clients("L", 1_000))
            #expect(large.utf8.count > 16 << 10)
            let (status, retryAfter, answer) = try await post(large, client: client)
            #expect(status == .contentTooLarge)
            #expect(retryAfter == nil)
            #expect(
                answer == Answer.error("Requête trop volumineuse pour la mémoire des requêtes du serveur (16 Kio)"))
            let (smallStatus, _, _) = try await post(importBody(.clients, lines: Self.clients("S", 1)), client: client)
            #expect(smallStatus == .ok)
        }
        #expect(try server.count("SELECT count(*) FROM TIERS") == 1)
    }

    /// Runs `test` while an import of 200 lines holds its session, its body in a budget that
    /// has room for it and half the second body (100 lines): the test gets the client, the
    /// hold, the held import's answer to come and the second body. Both imports end stored.
    private func withHeldBody(
        wait: Duration,
        _ test:
            @Sendable (any TestClientProtocol, SessionHold, Task<TimedAnswer, any Error>, String) async throws
            -> Void
    ) async throws {
        let server = try TestServer()
        let hold = SessionHold()
        let holderBody = importBody(.clients, lines: Self.clients("A", 200))
        let secondBody = importBody(.clients, lines: Self.clients("B", 100))
        let budget = holderBody.utf8.count + secondBody.utf8.count / 2
        try await server.run(bodyBudget: budget, bodyBudgetWait: wait, hold: hold) { client in
            let holder = Task { try await client.timedPost(holderBody) }
            try await hold.waitUntilHolding()
            try await test(client, hold, holder, secondBody)
        }
        #expect(try server.count("SELECT count(*) FROM TIERS") == 300)
    }

    @Test func aBodyThatFindsNoRoomWaitsThenGets503AndTheAcceptedRequestIsUnharmed() async throws {
        try await withHeldBody(wait: .seconds(1)) { client, hold, holder, secondBody in
            let start = ContinuousClock.now
            let (status, retryAfter, answer) = try await post(secondBody, client: client)
            #expect(ContinuousClock.now - start >= .seconds(1))
            #expect(status == .serviceUnavailable)
            #expect(retryAfter == "5")
            #expect(
                answer
                    == Answer.error(
                        "Mémoire des requêtes occupée : pas de place pour ce corps en 1 s, réessayez plus tard"))

            hold.release()
            let held = try await holder.value
            #expect(held.status == .ok)
            #expect(held.answer.statistics == statistics(imported: 200, rejected: 0))
            // Its room given back, the refused body now fits.
            let (again, _, _) = try await post(secondBody, client: client)
            #expect(again == .ok)
        }
    }

    @Test func aWaitingBodyGetsInAsSoonAsRoomIsGivenBack() async throws {
        try await withHeldBody(wait: .seconds(30)) { client, hold, holder, secondBody in
            let second = Task { try await post(secondBody, client: client) }
            try await Task.sleep(for: .milliseconds(200))
            hold.release()
            #expect(try await holder.value.status == .ok)
            #expect(try await second.value.0 == .ok)
        }
    }

    @Test func theDefaultBudgetIsAQuarterOfMemoryAtMost2Gio() {
        #expect(BodyBudget.defaultCapacity(physicalMemory: 4 << 30) == 1 << 30)
        #expect(BodyBudget.defaultCapacity(physicalMemory: 64 << 30) == 2 << 30)
        #expect(ServerSettings(folder: "/tmp", bodyLimit: 256 << 20, bodyBudget: 1 << 20).largestBody == 1 << 20)
    }
}
