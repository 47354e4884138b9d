import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirStore

/// A société made by a server of data model 2, opened by this one: the check of the tiers' type
/// is written anew, in place, and checks the same values.
@Suite("Migration v3 of a société at v2")
struct MigrationV3Tests {
    static let v2 = "v2 : contacts, adresses, banques des tiers, préférences"

    @Test("the tiers stay as they were, and a new société has the same definition of TIERS")
    func tiersKeptAndDefinitionAsNew() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ANCIENNE.Gestimum")
            try makeSociete(at: path, upTo: Self.v2) { db in
                try db.execute(sql: "ALTER TABLE TIERS ADD COLUMN XXX_SECTEUR TEXT")
                for (code, type) in [("C1", "C"), ("F1", "F"), ("P1", "P")] {
                    try db.execute(
                        sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS, XXX_SECTEUR) VALUES (?, ?, ?, 'Sport')",
                        arguments: [code, type, "Tiers \(code)"])
                }
            }
            let before = try definition(path, of: "TIERS")
            #expect(before?.contains("PCF_TYPE IN ('C', 'F', 'P')") == true)
            let tiersBefore = try fetchRows(path, table: "TIERS", order: "PCF_CODE")

            _ = try SQLiteSociete.open(at: path)

            #expect(try fetchRows(path, table: "TIERS", order: "PCF_CODE") == tiersBefore)
            let after = try #require(try definition(path, of: "TIERS"))
            #expect(!after.contains("PCF_TYPE IN"))
            // Only the check changed: the custom column added by an import is still declared.
            #expect(
                after
                    == before?.replacingOccurrences(
                        of: "CHECK (PCF_TYPE IN ('C', 'F', 'P'))",
                        with: "CHECK (PCF_TYPE = 'C' OR PCF_TYPE = 'F' OR PCF_TYPE = 'P')"))
            let integrity = try await openFile(path).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check")
            }
            #expect(integrity == ["ok"])

            let fresh = try SocieteFolder(path: folder).create(
                name: "NOUVELLE", user: "DEMO", password: "", hashCost: 4)
            let freshDefinition = try #require(try definition(fresh, of: "TIERS"))
            #expect(after.replacingOccurrences(of: ", XXX_SECTEUR TEXT", with: "") == freshDefinition)
        }
    }

    @Test("the check still refuses any type but C, F and P", arguments: ["X", "c", "", "CF"])
    func checkStillRefuses(type: String) async throws {
        try await withTemporaryFolder { folder in
            let path = try SocieteFolder(path: folder).create(name: "TEST", user: "DEMO", password: "", hashCost: 4)
            let queue = try openFile(path)
            let error = try await #require(throws: DatabaseError.self) {
                try await queue.write { db in
                    try db.execute(
                        sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS) VALUES ('T1', ?, 'Tiers')",
                        arguments: [type])
                }
            }
            #expect(error.resultCode == .SQLITE_CONSTRAINT)
            try await queue.write { db in
                for (code, type) in [("C1", "C"), ("F1", "F"), ("P1", "P")] {
                    try db.execute(
                        sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS) VALUES (?, ?, 'Tiers')",
                        arguments: [code, type])
                }
            }
            #expect(try count(path, table: "TIERS") == 3)
        }
    }
}
