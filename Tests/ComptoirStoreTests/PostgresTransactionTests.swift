import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// A request on a PostgreSQL société is one transaction, whose statements follow the société's
/// lock without waiting for it, and whose commit follows its last writes.
@Suite("PostgreSQL: one transaction per request", .enabled(if: TestPostgres.isAvailable))
struct PostgresTransactionTests {
    private static func tiers(_ code: String) -> RecordChange {
        RecordChange(
            table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text(code))]),
            values: LineValues([("PCF_TYPE", .text("C")), ("PCF_RS", .text("Tiers \(code)"))]))
    }

    private static func account(_ number: String) -> RecordChange {
        RecordChange(
            table: "COMPTES", kind: .create, key: LineValues([("CPT_NUMERO", .text(number))]),
            values: LineValues([("CPT_TYPE", .text("C"))]))
    }

    /// The row that goes with the refused one: another tiers, sent with it by `COPY`, or an
    /// account, sent with it in one statement of two `INSERT`s.
    @Test(
        "a write the database refuses at the commit fails its request, which keeps nothing",
        arguments: [tiers("Y"), account("411Y")])
    func refusedWrite(with other: RecordChange) async throws {
        try await withTemporaryFolder { folder in
            try await TestPostgres.createSociete("TEST", in: folder, user: "DEMO", password: "")
            let societe = try SocieteFolder(path: folder).societe(named: "TEST")
            try await societe.write(rollback: false) { store in try store.write(Self.tiers("X")) }
            // The other row waits with X, sent together at the end: X is already there.
            await #expect {
                try await societe.write(rollback: false) { store in
                    try store.write(other)
                    try store.write(Self.tiers("X"))
                }
            } throws: { error in
                (error as? StorageFailure).map { $0.cause == .database && $0.code == "PostgreSQL 23505" } ?? false
            }
            let kept = try await societe.write(rollback: true) { store in
                (
                    try store.exists(in: "TIERS", key: LineValues([("PCF_CODE", .text("X"))])),
                    try store.exists(in: other.table, key: other.key)
                )
            }
            #expect(kept.0 && !kept.1)
            // The société takes the next request as before.
            try await societe.write(rollback: false) { store in try store.write(Self.tiers("Z")) }
        }
    }
}
