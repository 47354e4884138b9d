import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirStore

/// The sessions of a PostgreSQL société, as each server keeps them in its table.
@Suite("PostgreSQL: sessions opened at once", .enabled(if: TestPostgres.isAvailable))
struct PostgresSessionsTests {
    @Test("an exclusive session and another asked at once, at a server's first sessions: one of them is refused")
    func exclusiveAtTheFirstSessions() async throws {
        try await withTemporaryFolder { folder in
            try await TestPostgres.createSociete("TEST", in: folder, user: "DEMO", password: "")
            for round in 0..<5 {
                // A server's first sessions: its presence connection is opened by them.
                let registry = try SocieteFolder(path: folder).societe(named: "TEST").sessionRegistry()
                let askers = [("A\(round)", true), ("B\(round)", false)]
                let outcomes = try await withThrowingTaskGroup(of: (any HeldSession)?.self) { group in
                    for (user, exclusive) in askers {
                        group.addTask {
                            let outcome = try await registry.openSession(
                                user: user, exclusive: exclusive, disconnect: false
                            ) { live in
                                Sessions.refusal(
                                    of: user, code: user, exclusive: exclusive, on: "TEST.Gestimum", besides: live)
                            }
                            return try? outcome.get()
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let held = outcomes.compactMap { $0 }
                #expect(held.count == 1, "round \(round): \(held.count) sessions")
                for session in held { await registry.closeSession(session) }
            }
        }
    }
}
