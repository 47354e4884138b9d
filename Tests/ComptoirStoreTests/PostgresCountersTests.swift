import ComptoirTestSupport
import Foundation
import Synchronization
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// Two servers on one PostgreSQL société, as two folders opening the same connection file
/// would: the counters of documents and articles never give a number twice, and each request
/// is one transaction.
@Suite("PostgreSQL: counters shared by servers", .enabled(if: TestPostgres.isAvailable))
struct PostgresCountersTests {
    @Test("requests of two servers taking numbers at once never get the same one")
    func countersAcrossServers() async throws {
        try await withTemporaryFolder { folder in
            try await TestPostgres.createSociete("TEST", in: folder, user: "DEMO", password: "")
            // Two servers: two folders' sociétés, each with connections of its own.
            let servers = try [SocieteFolder(path: folder), SocieteFolder(path: folder)].map {
                try $0.societe(named: "TEST")
            }
            #expect(servers[0] !== servers[1])
            let numbers = TakenNumbers()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, societe) in servers.enumerated() {
                    for _ in 0..<10 {
                        group.addTask {
                            let taken = try await societe.write(rollback: false) { store in
                                try (0..<5).map { _ in try store.nextNumber(of: "COMPTEUR_DOCUMENTS")! }
                            }
                            numbers.list.withLock { $0 += taken }
                            // A request rolled back gives its numbers back, whichever server.
                            _ = try await servers[1 - index].write(rollback: true) { store in
                                try store.nextNumber(of: "COMPTEUR_ARTICLES")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let taken = numbers.list.withLock { $0 }
            #expect(taken.count == 100)
            #expect(Set(taken).count == 100)
            let next = try await servers[0].write(rollback: true) { store in
                (try store.preference("COMPTEUR_DOCUMENTS"), try store.preference("COMPTEUR_ARTICLES"))
            }
            #expect(next.0 == Counter.incremented(taken.max()!))
            #expect(next.1 == "ART000001")
        }
    }
}

/// The numbers the requests took, from any task.
private final class TakenNumbers: Sendable {
    let list = Mutex<[String]>([])
}
