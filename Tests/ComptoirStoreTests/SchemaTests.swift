import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

@Suite("The société schema")
struct SchemaTests {
    /// Creates a société and hands the path of its file to `body`.
    private func withSocieteFile(_ body: (String) async throws -> Void) async throws {
        try await withTemporaryFolder { folder in
            let path = try SocieteFolder(path: folder).create(name: "TEST", user: "DEMO", password: "", hashCost: 4)
            try await body(path)
        }
    }

    @Test("the file is in WAL mode and carries Comptoir's application_id")
    func walAndApplicationID() async throws {
        try await withSocieteFile { path in
            let (journalMode, applicationID) = try openFile(path).read { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try Int32.fetchOne(db, sql: "PRAGMA application_id")
                )
            }
            #expect(journalMode?.lowercased() == "wal")
            #expect(applicationID == Schema.applicationID)
            #expect(Schema.applicationID == 0x434D_5054)
        }
    }

    @Test("the data model version is the number of migrations")
    func dataModelVersion() {
        #expect(DataModel.version == String(Schema.migrator.migrations.count))
    }

    @Test("TIERS has every field of the clients catalogue plus the type and the audit columns")
    func tiersColumns() async throws {
        try await withSocieteFile { path in
            let columns = try columnNames(path, table: "TIERS")
            let expected =
                Catalogue.clients.fields.map(\.name)
                + ["PCF_TYPE", "PCF_DTCREE", "PCF_USRCRE", "PCF_DTMAJ", "PCF_USRMAJ", "PCF_NUMMAJ"]
            #expect(Set(expected).subtracting(columns).isEmpty, "missing: \(Set(expected).subtracting(columns))")
            #expect(columns.count == Set(expected).count)
        }
    }

    @Test("the fournisseurs and prospects catalogues also fit in TIERS")
    func tiersHoldsEveryTiersDomain() async throws {
        try await withSocieteFile { path in
            let columns = try columnNames(path, table: "TIERS")
            for catalogue in [Catalogue.fournisseurs, Catalogue.prospects] {
                let missing = Set(catalogue.fields.map(\.name)).subtracting(columns)
                #expect(missing.isEmpty, "missing: \(missing)")
            }
        }
    }

    @Test("COMPTES has every field of the comptes catalogue")
    func comptesColumns() async throws {
        try await withSocieteFile { path in
            let columns = try columnNames(path, table: "COMPTES")
            let expected = Set(Catalogue.comptes.fields.map(\.name))
            #expect(expected.subtracting(columns).isEmpty, "missing: \(expected.subtracting(columns))")
            #expect(columns == expected)
        }
    }

    @Test("every domain's table has the columns of its description, and the audit columns")
    func describedTables() async throws {
        try await withSocieteFile { path in
            for domaine in Domaine.all {
                let table = domaine.table
                let expected = Set((table.columns + table.auditColumns).map(\.name))
                let columns = try columnNames(path, table: table.name)
                #expect(expected.subtracting(columns).isEmpty, "\(table.name): \(expected.subtracting(columns))")
            }
            #expect(try columnNames(path, table: "PAYS").contains("PAY_NOM"))
            #expect(!(try columnNames(path, table: "PAYS").contains("PAY_LIB")))
        }
    }

    @Test("PAYS holds the 249 ISO 3166 countries with their French names")
    func paysSeed() async throws {
        try await withSocieteFile { path in
            #expect(try count(path, table: "PAYS") == 249)
            let names = try openFile(path).read { db in
                try [String: String](
                    uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT PAY_CODE, PAY_NOM FROM PAYS").map {
                        ($0[0], $0[1])
                    })
            }
            #expect(names["FR"] == "France")
            #expect(names["DE"] == "Allemagne")
            #expect(names["BE"] != nil)
            #expect(names["ZZ"] == nil)
            #expect(names.keys.allSatisfy { $0.count == 2 && $0 == $0.uppercased() })
        }
    }

    @Test("DEVISES holds the ISO 4217 currencies with their French names")
    func devisesSeed() async throws {
        try await withSocieteFile { path in
            let names = try openFile(path).read { db in
                try [String: String](
                    uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT DEV_CODE, DEV_LIB FROM DEVISES").map {
                        ($0[0], $0[1])
                    })
            }
            #expect(names.count > 150)
            #expect(names["EUR"] == "Euro")
            #expect(names["USD"] != nil)
            #expect(names["CHF"] != nil)
            #expect(names.keys.allSatisfy { $0.count == 3 && $0 == $0.uppercased() })
        }
    }

    @Test("every seeded country and currency is a line its import takes: a société's export imports again")
    func seedsFitTheirCatalogues() async throws {
        try await withSocieteFile { path in
            for (table, catalogue) in [("PAYS", Catalogue.pays), ("DEVISES", .devises)] {
                let rows = try openFile(path).read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") }
                #expect(!rows.isEmpty)
                for row in rows {
                    for column in row.columnNames {
                        let stored: DatabaseValue = row[column]
                        guard let field = catalogue.field(named: column), !stored.isNull else { continue }
                        let value = String(describing: stored.storage.value!)
                        if case .failure(let error) = field.parse(value) {
                            Issue.record("\(table) \(column) « \(value) » : \(error.message)")
                        }
                    }
                }
            }
        }
    }

    @Test("every checkbox column of TIERS accepts 0 and 1, stores NULL as 0 and rejects anything else")
    func tiersCheckboxConstraints() async throws {
        try await withSocieteFile { path in
            let checkboxes = Catalogue.clients.fields.filter { $0.type == .checkbox }.map(\.name)
            #expect(checkboxes.count >= 5)
            try openFile(path).write { db in
                try db.execute(
                    sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS, CPT_NUMERO) VALUES ('C1', 'C', 'R', '411C1')")
                let defaults = try Row.fetchOne(
                    db, sql: "SELECT \(checkboxes.joined(separator: ", ")) FROM TIERS WHERE PCF_CODE = 'C1'")
                for column in checkboxes {
                    #expect((defaults?[column] as Int?) == 0, "default of \(column)")
                }
            }
            let database = try openFile(path)
            for column in checkboxes {
                for valid in [0, 1] {
                    try database.write { db in
                        try db.execute(sql: "UPDATE TIERS SET \(column) = ? WHERE PCF_CODE = 'C1'", arguments: [valid])
                    }
                }
                // A cleared checkbox (NULL) is stored unchecked.
                try database.write { db in
                    try db.execute(sql: "UPDATE TIERS SET \(column) = 1 WHERE PCF_CODE = 'C1'")
                    try db.execute(sql: "UPDATE TIERS SET \(column) = NULL WHERE PCF_CODE = 'C1'")
                    let stored = try DatabaseValue.fetchOne(
                        db, sql: "SELECT \(column) FROM TIERS WHERE PCF_CODE = 'C1'")
                    #expect(stored == 0.databaseValue, "\(column) = NULL")
                }
                for invalid: any DatabaseValueConvertible in [2, -1, "oui", "x", 0.5] {
                    let error = #expect(throws: DatabaseError.self, "\(column) = \(String(describing: invalid))") {
                        try database.write { db in
                            try db.execute(
                                sql: "UPDATE TIERS SET \(column) = ? WHERE PCF_CODE = 'C1'", arguments: [invalid])
                        }
                    }
                    #expect(error?.resultCode == .SQLITE_CONSTRAINT)
                }
            }
        }
    }

    @Test("every checkbox column of COMPTES rejects values other than 0 and 1")
    func comptesCheckboxConstraints() async throws {
        try await withSocieteFile { path in
            let checkboxes = Catalogue.comptes.fields.filter { $0.type == .checkbox }.map(\.name)
            #expect(checkboxes == ["CPT_DEVOBG", "CPT_GROUPE", "CPT_ECH", "CPT_LET"])
            for column in checkboxes {
                try openFile(path).write { db in
                    try db.execute(
                        sql: "INSERT INTO COMPTES (CPT_NUMERO, \(column)) VALUES (?, 1)", arguments: ["1-\(column)"])
                }
                #expect(throws: DatabaseError.self) {
                    try openFile(path).write { db in
                        try db.execute(
                            sql: "INSERT INTO COMPTES (CPT_NUMERO, \(column)) VALUES (?, 2)", arguments: ["2-\(column)"]
                        )
                    }
                }
            }
        }
    }

    @Test("PCF_CODE is unique across types and PCF_TYPE is C, F or P")
    func tiersKeyAndType() async throws {
        try await withSocieteFile { path in
            let database = try openFile(path)
            try database.write { db in
                try db.execute(sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS) VALUES ('A', 'C', 'R')")
            }
            #expect(throws: DatabaseError.self) {
                try database.write { db in
                    try db.execute(sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS) VALUES ('A', 'F', 'R')")
                }
            }
            #expect(throws: DatabaseError.self) {
                try database.write { db in
                    try db.execute(sql: "INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS) VALUES ('B', 'X', 'R')")
                }
            }
        }
    }

    @Test("opening a société again does not run its migrations twice")
    func reopeningIsIdempotent() async throws {
        try await withSocieteFile { path in
            _ = try SQLiteSociete.open(at: path)
            _ = try SQLiteSociete.open(at: path)
            #expect(try count(path, table: "PAYS") == 249)
            let applied = try openFile(path).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
            }
            #expect(applied == Schema.migrator.migrations.count)
        }
    }
}
