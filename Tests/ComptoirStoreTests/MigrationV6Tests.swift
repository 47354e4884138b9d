import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// From the data model of the tiers family (v4) to the reference tables and their seed.
@Suite("Migration to the reference tables")
struct MigrationV6Tests {
    static let v4 = "v4 : comptes sans index par tiers"

    @Test("a société of the tiers family keeps its data, gains the reference rows, and stays sound")
    func keepsDataAndGainsReferenceRows() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ANCIENNE.Gestimum")
            try makeSociete(at: path, upTo: Self.v4) { db in
                try db.execute(
                    sql: """
                        INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS, CPT_NUMERO, REG_CODE) VALUES ('C1', 'C', 'Sport', '411C1', 'CHQ');
                        INSERT INTO COMPTES (CPT_NUMERO, CPT_TYPE, PCF_CODE, CPT_LIB) VALUES ('411C1', 'C', 'C1', 'Sport');
                        INSERT INTO COMPTES (CPT_NUMERO, CPT_TYPE, CPT_LIB) VALUES ('512000', 'G', 'Ma banque');
                        UPDATE PAYS SET PAY_LIB = 'France métropolitaine' WHERE PAY_CODE = 'FR';
                        """)
            }
            let tiersBefore = try fetchRows(path, table: "TIERS")

            // The year of the migration, which its counters take: before or after it, should
            // the year change in between.
            let yearBefore = String(LocalTime.year(Date()).suffix(2))
            let societe = try SQLiteSociete.open(at: path)
            let yearAfter = String(LocalTime.year(Date()).suffix(2))

            #expect(try fetchRows(path, table: "TIERS") == tiersBefore)
            // A row the société had is left as it is; the others are added.
            let banque = try #require(try fetchRow(path, table: "COMPTES", keyColumn: "CPT_NUMERO", key: "512000"))
            #expect(banque["CPT_LIB"] as String? == "Ma banque")
            #expect(try count(path, table: "COMPTES", where: "CPT_TYPE = 'G'") == SeedData.comptesGeneraux.count)
            let france = try #require(try fetchRow(path, table: "PAYS", keyColumn: "PAY_CODE", key: "FR"))
            #expect(france["PAY_NOM"] as String? == "France métropolitaine")
            #expect(france["PAY_NATVTE"] as String? == "001")
            #expect(
                try fetchRow(path, table: "PAYS", keyColumn: "PAY_CODE", key: "DE")?["PAY_NATACH"] as String? == "002")
            #expect(
                try fetchRow(path, table: "PAYS", keyColumn: "PAY_CODE", key: "US")?["PAY_NATVTE"] as String? == "003")
            #expect(try count(path, table: "DEPOT") == 1)
            #expect(try count(path, table: "JOURNAUX") == 5)
            #expect(try count(path, table: "MODE_REG") == 6)
            #expect(try count(path, table: "NATURES", where: "NAT_TABLE = 'SOC'") == 6)
            #expect(try count(path, table: "TABLES", where: "TBL_ID = 'USR_GROUPE'") == 3)
            let counter =
                try fetchRow(path, table: "PREFERENCES", keyColumn: "PRF_CODE", key: "COMPTEUR_V_C")?["PRF_VALEUR"]
                as String?
            #expect(counter == "ARC\(yearBefore)-00001" || counter == "ARC\(yearAfter)-00001")
            // Its users could do everything: they stay administrators.
            #expect(
                try fetchRow(path, table: "UTILISATEURS", keyColumn: "USR_CODE", key: "DEMO")?["USR_GROUPE"] as String?
                    == "ADMIN")
            let integrity = try await openFile(path).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check")
            }
            #expect(integrity == ["ok"])

            // The migrated société takes the new imports, and its seeded codes on tiers lines.
            let report = try await importLines(
                .clients, into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;REG_CODE;NAT_CODE;DEP_CODE",
                lines: ["C2;Deux;411C2;VIR30;002;001"])
            #expect(report.importedCount == 1)

            // Opening it again changes nothing.
            let dump = try fetchRows(path, table: "PREFERENCES", order: "PRF_CODE")
            _ = try SQLiteSociete.open(at: path)
            #expect(try fetchRows(path, table: "PREFERENCES", order: "PRF_CODE") == dump)
        }
    }
}
