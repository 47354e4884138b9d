import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// A société made by a server of data model 1, opened by this one.
@Suite("Migration v2 of a société at v1")
struct MigrationV2Tests {
    static let v1 = "v1 : tiers, comptes, pays, devises, utilisateurs"

    private func tables(_ path: String) throws -> [String] {
        try openFile(path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
    }

    @Test("each existing tiers gets its address 001, equal to its billing columns")
    func existingTiersGetTheirBillingAddress() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ANCIENNE.Gestimum")
            try makeSociete(at: path, upTo: Self.v1) { db in
                try db.execute(
                    sql: """
                        INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS, CPT_NUMERO, PCF_RUE, PCF_COMP, PCF_ETAT, PCF_REG,
                            PCF_CP, PCF_VILLE, PAY_CODE, PCF_TEL1, PCF_TEL2, PCF_FAX, PCF_TELEX, PCF_EMAIL, PCF_URL,
                            PCF_ADRMEM, PCF_NPAI, PCF_CBARAD, PCF_NUMMAJ)
                        VALUES ('C1', 'C', 'Sport 25', '411C1', '5 rue Cugnot', 'ZA du Pâtis', 'Yvelines',
                            'Île-de-France', '78120', 'Rambouillet', 'FR', '01 02 03 04 05', '06 07 08 09 10',
                            '01 02 03 04 06', '12345', 'contact@sport25.fr', 'https://sport25.fr',
                            'Sonner deux fois', 1, '3012345678901', 4)
                        """)
                try db.execute(
                    sql:
                        "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS, PCF_VILLE) VALUES ('F1', 'F', 'Fourni', 'Lyon')"
                )
                try db.execute(sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS) VALUES ('P1', 'P', 'Prospect')")
            }
            #expect(!(try tables(path).contains("ADRESSES")))
            let tiersBefore = try fetchRows(path, table: "TIERS")

            let societe = try SQLiteSociete.open(at: path)

            let applied = try await openFile(path).read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
            }
            #expect(applied == Schema.migrator.migrations)
            for table in ["CONTACTS", "ADRESSES", "TIERS_RIB", "PREFERENCES"] {
                #expect(try tables(path).contains(table), "\(table)")
            }
            // The tiers themselves are as they were.
            #expect(try fetchRows(path, table: "TIERS") == tiersBefore)

            let addresses = try fetchRows(path, table: "ADRESSES", order: "ADR_CODE")
            #expect(addresses.map { $0["ADR_CODE"] as String? } == ["C1", "F1", "P1"])
            #expect(addresses.allSatisfy { $0["ADR_TBL"] as String? == "PCF" && $0["ADR_NUMERO"] as String? == "001" })
            for code in ["C1", "F1", "P1"] {
                #expect(try billingDisagreements(path, tiers: code) == [], "\(code)")
            }
            let c1 = addresses[0]
            #expect(c1["ADR_RUE"] as String? == "5 rue Cugnot")
            #expect(c1["ADR_COMP"] as String? == "ZA du Pâtis")
            #expect(c1["ADR_ETAT"] as String? == "Yvelines")
            #expect(c1["ADR_REG"] as String? == "Île-de-France")
            #expect(c1["ADR_CP"] as String? == "78120")
            #expect(c1["ADR_VILLE"] as String? == "Rambouillet")
            #expect(c1["PAY_CODE"] as String? == "FR")
            #expect(c1["ADR_TEL1"] as String? == "01 02 03 04 05")
            #expect(c1["ADR_TEL2"] as String? == "06 07 08 09 10")
            #expect(c1["ADR_FAX"] as String? == "01 02 03 04 06")
            #expect(c1["ADR_TELEX"] as String? == "12345")
            #expect(c1["ADR_EMAIL"] as String? == "contact@sport25.fr")
            #expect(c1["ADR_URL"] as String? == "https://sport25.fr")
            #expect(c1["ADR_MEMO"] as String? == "Sonner deux fois")
            #expect(c1["ADR_NPAI"] as DatabaseValue == 1.databaseValue)
            #expect(c1["ADR_CBAR"] as String? == "3012345678901")
            // The address's own names are not billing columns: left empty.
            for own in ["ADR_TITLE", "ADR_RS", "ADR_RS2", "ADR_SIRET"] {
                #expect((c1[own] as DatabaseValue).isNull, "\(own)")
            }
            let f1 = addresses[1]
            #expect(f1["ADR_VILLE"] as String? == "Lyon")
            #expect((f1["ADR_RUE"] as DatabaseValue).isNull)
            #expect(f1["ADR_NPAI"] as DatabaseValue == 0.databaseValue)

            #expect(try count(path, table: "PREFERENCES", where: accountPreferences) == 4)
            #expect(try count(path, table: "CONTACTS") == 0)
            #expect(try count(path, table: "TIERS_RIB") == 0)

            // The migrated société works with the new imports: address 001 of C1 replaced.
            let report = try await importLines(
                .adressesTiers, into: societe, nomsChamps: "ADR_CODE;ADR_NUMERO;ADR_VILLE", lines: ["C1;001;Chartres"])
            #expect(report.importedCount == 1)
            #expect(try billingDisagreements(path, tiers: "C1") == [])
            let tiers = try #require(try fetchRow(path, table: "TIERS", keyColumn: "PCF_CODE", key: "C1"))
            #expect(tiers["PCF_VILLE"] as String? == "Chartres")
            #expect((tiers["PCF_RUE"] as DatabaseValue).isNull)
            #expect(tiers["PCF_NUMMAJ"] as Int? == 5)
            #expect(try await societe.authenticate(user: "DEMO", password: ""))
        }
    }

    @Test("a v1 société without tiers gets no address, and opening it again changes nothing")
    func emptySocieteAndReopening() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("VIDE.Gestimum")
            try makeSociete(at: path, upTo: Self.v1) { _ in }
            _ = try SQLiteSociete.open(at: path)
            #expect(try count(path, table: "ADRESSES") == 0)
            #expect(try count(path, table: "PREFERENCES", where: accountPreferences) == 4)
            try openFile(path).write { db in
                try db.execute(sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS) VALUES ('C1', 'C', 'Nouveau')")
            }
            // v2 ran once: reopening does not give the tiers added since an address again.
            _ = try SQLiteSociete.open(at: path)
            #expect(try count(path, table: "ADRESSES") == 0)
            #expect(try count(path, table: "PREFERENCES", where: accountPreferences) == 4)
        }
    }
}

/// The preferences of v2: the account roots and collective accounts.
private let accountPreferences = "PRF_CODE LIKE 'RACINE_%' OR PRF_CODE LIKE 'COLLECTIF_%'"
