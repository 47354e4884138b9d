import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// The write-ahead log is copied into the société file in the background, and never grows
/// without bound, however many commits follow each other.
@Suite("Checkpoints in the background")
struct CheckpointTests {
    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    @Test("many commits in a row: the log stays bounded, the file receives the rows, nothing is lost")
    func logStaysBounded() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let initialSize = fileSize(societe.path)
            // Eight writers without pause: commits follow each other, as under a steady load.
            let writers = 8
            let commitsPerWriter = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for commit in 0..<commitsPerWriter {
                            let prefix = "C\(writer)-\(commit)-"
                            let lines = (0..<100).map {
                                "\(prefix)\($0);Client \(prefix)\($0) au nom assez long;411\(prefix)\($0)"
                            }
                            let report = try await importTiers(
                                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: lines)
                            #expect(report.importedCount == 100)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let pageSize = try await societe.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
            // The limit, plus what one shared commit of eight such requests may add past it.
            let bound = Int(Checkpoints.limit + 2000) * (pageSize + 24)
            #expect(fileSize(societe.path + "-wal") <= bound)
            #expect(fileSize(societe.path) > initialSize + 100 * pageSize, "nothing was checkpointed into the file")
            #expect(try count(societe.path, table: "TIERS") == writers * commitsPerWriter * 100)
        }
    }
}
