import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirStore

/// The counter of actions, which v7 adds to every société.
@Suite("Migration v7: the counter of actions")
struct MigrationV7Tests {
    static let v6 = "v6 : groupes d'utilisateurs et données de base"

    @Test("a société's counter of actions is past the largest number its actions hold")
    func counterPastExistingActions() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ANCIENNE.Gestimum")
            try makeSociete(at: path, upTo: Self.v6) { db in
                for number in ["7", "12", "9"] {
                    try db.execute(
                        sql: "INSERT INTO ACTIONS (ACT_NUMERO, ACT_TYPE) VALUES (?, 'APPEL')", arguments: [number])
                }
            }
            _ = try SQLiteSociete.open(at: path)
            #expect(
                try fetchRow(path, table: "PREFERENCES", keyColumn: "PRF_CODE", key: "COMPTEUR_ACTIONS")?["PRF_VALEUR"]
                    as String? == "13")
        }
    }

    @Test("a new société numbers its first action 1")
    func newSociete() async throws {
        try await withTemporaryFolder { folder in
            let path = try SocieteFolder(path: folder).create(name: "TEST", user: "DEMO", password: "", hashCost: 4)
            #expect(
                try fetchRow(path, table: "PREFERENCES", keyColumn: "PRF_CODE", key: "COMPTEUR_ACTIONS")?["PRF_VALEUR"]
                    as String? == "1")
        }
    }
}
