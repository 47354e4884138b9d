import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirStore

@Suite("Every commit is synced to disk")
struct DurabilityTests {
    /// Read on the connection that writes, inside `Societe.write`: a reader's settings say
    /// nothing of the commits.
    @Test("the writer connection runs in WAL with synchronous=FULL")
    func writerIsSynchronous() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let (journal, synchronous) = try await societe.write(rollback: true) { store in
                let db = try #require(store as? SQLiteRecordStore).db
                return (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous")
                )
            }
            #expect(journal == "wal")
            #expect(
                synchronous == SQLiteSociete.synchronousFull, "PRAGMA synchronous is \(String(describing: synchronous))"
            )
        }
    }
}
