import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirStore

/// A société made by a server of data model 3, opened by this one: the index of accounts by
/// tiers, which no statement used, is gone, and the accounts stay as they were.
@Suite("Migration v4 of a société at v3")
struct MigrationV4Tests {
    static let v3 = "v3 : type des tiers contrôlé sans table temporaire"

    /// The names of the indexes of `table` that the schema declares (not SQLite's own).
    private func declaredIndexes(_ path: String, of table: String) throws -> [String] {
        try openFile(path).read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                arguments: [table])
        }
    }

    @Test("the accounts stay as they were, and the indexes are those of a new société")
    func accountsKeptAndIndexesAsNew() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ANCIENNE.Gestimum")
            try makeSociete(at: path, upTo: Self.v3) { db in
                try db.execute(
                    sql:
                        "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS, CPT_NUMERO) VALUES ('C1', 'C', 'Sport', '411C1')"
                )
                try db.execute(
                    sql: """
                        INSERT INTO COMPTES (CPT_NUMERO, CPT_TYPE, PCF_CODE, CPT_LIB, CPT_COLLEC)
                        VALUES ('411C1', 'C', 'C1', 'Sport', '411000'), ('512000', 'G', NULL, 'Banque', NULL)
                        """)
            }
            #expect(try declaredIndexes(path, of: "COMPTES") == ["COMPTES_PCF_CODE"])
            let accountsBefore = try fetchRows(
                path, table: "COMPTES", where: "CPT_NUMERO IN ('411C1', '512000')", order: "CPT_NUMERO")

            _ = try SQLiteSociete.open(at: path)

            #expect(try declaredIndexes(path, of: "COMPTES").isEmpty)
            #expect(
                try fetchRows(path, table: "COMPTES", where: "CPT_NUMERO IN ('411C1', '512000')", order: "CPT_NUMERO")
                    == accountsBefore)
            let integrity = try await openFile(path).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check")
            }
            #expect(integrity == ["ok"])

            let fresh = try SocieteFolder(path: folder).create(
                name: "NOUVELLE", user: "DEMO", password: "", hashCost: 4)
            for table in ["TIERS", "COMPTES", "ADRESSES", "CONTACTS", "TIERS_RIB"] {
                #expect(try declaredIndexes(path, of: table) == declaredIndexes(fresh, of: table), "\(table)")
            }
        }
    }
}
