import ComptoirTestSupport
import Foundation
import Synchronization
import Testing

@testable import ComptoirStore

/// The `comptoir utilisateur` commands of two servers, or two operators, on one PostgreSQL
/// société: their checks hold as on SQLite, where writes take turns.
@Suite("PostgreSQL: users changed from two servers at once", .enabled(if: TestPostgres.isAvailable))
struct PostgresUsersTests {
    @Test("two removals of the last two administrators at once leave one of them")
    func lastAdministratorAcrossServers() async throws {
        try await withTemporaryFolder { folder in
            try await TestPostgres.createSociete("TEST", in: folder, user: "DEMO", password: "")
            let servers = try [SocieteFolder(path: folder), SocieteFolder(path: folder)].map {
                try $0.societe(named: "TEST")
            }
            // A user outside the group, so that only the last administrator's rule is at stake.
            try servers[0].addUser(code: "AUTRE", name: "AUTRE", password: "", group: "DEFAUT", hashCost: 4)
            var survivor = "DEMO"
            for round in 0..<10 {
                let codes = ["A\(round)", "B\(round)"]
                for code in codes {
                    try servers[0].addUser(code: code, name: code, password: "", group: "ADMIN", hashCost: 4)
                }
                try servers[1].removeUser(code: survivor)

                let refusals = Mutex<[String]>([])
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let group = DispatchGroup()
                    for (societe, code) in zip(servers, codes) {
                        // The commands wait on their thread, as the command line does.
                        DispatchQueue.global().async(group: group) {
                            do {
                                try societe.removeUser(code: code)
                            } catch {
                                refusals.withLock { $0.append((error as? UserError)?.message ?? "\(error)") }
                            }
                        }
                    }
                    group.notify(queue: .global()) { done.resume() }
                }

                let administrators = try servers[0].users().filter { $0.group == "ADMIN" }.map(\.code)
                try #require(administrators.count == 1, "round \(round): \(administrators)")
                survivor = administrators[0]
                #expect(
                    refusals.withLock { $0 }
                        == ["L'utilisateur \(survivor) est le dernier du groupe ADMIN : il ne peut pas être supprimé"])
            }
        }
    }
}
