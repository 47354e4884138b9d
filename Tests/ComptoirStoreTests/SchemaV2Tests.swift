import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// The tables of migration v2: contacts, addresses and bank details of tiers, and preferences.
@Suite("The société schema, v2")
struct SchemaV2Tests {
    private func withSocieteFile(_ body: (String) async throws -> Void) async throws {
        try await withTemporaryFolder { folder in
            let path = try SocieteFolder(path: folder).create(name: "TEST", user: "DEMO", password: "", hashCost: 4)
            try await body(path)
        }
    }

    private func columns(_ path: String, _ table: String) throws -> [String: ColumnInfo] {
        try openFile(path).read { db in
            Dictionary(uniqueKeysWithValues: try db.columns(in: table).map { ($0.name, $0) })
        }
    }

    private func primaryKey(_ path: String, _ table: String) throws -> [String] {
        try openFile(path).read { db in try db.primaryKey(table).columns }
    }

    /// Checks that each field of `catalogue` but `keys` has a column of its type: a checkbox is
    /// `INTEGER NOT NULL DEFAULT 0`, anything else `TEXT`.
    private func expectCatalogueColumns(
        _ columns: [String: ColumnInfo],
        _ catalogue: Catalogue,
        except keys: Set<String>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for field in catalogue.fields where !keys.contains(field.name) {
            guard let column = columns[field.name] else {
                Issue.record("no column \(field.name)", sourceLocation: sourceLocation)
                continue
            }
            if field.type == .checkbox {
                #expect(column.type == "INTEGER", "\(field.name)", sourceLocation: sourceLocation)
                #expect(column.isNotNull, "\(field.name)", sourceLocation: sourceLocation)
                #expect(column.defaultValueSQL == "0", "\(field.name)", sourceLocation: sourceLocation)
            } else {
                #expect(column.type == "TEXT", "\(field.name)", sourceLocation: sourceLocation)
                #expect(!column.isNotNull, "\(field.name)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a new société has the v2 tables, empty but for PREFERENCES")
    func tablesOfANewSociete() async throws {
        try await withSocieteFile { path in
            let tables = try openFile(path).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            for table in ["CONTACTS", "ADRESSES", "TIERS_RIB", "PREFERENCES"] {
                #expect(tables.contains(table), "\(table)")
            }
            #expect(try count(path, table: "CONTACTS") == 0)
            #expect(try count(path, table: "ADRESSES") == 0)
            #expect(try count(path, table: "TIERS_RIB") == 0)
            #expect(
                try count(path, table: "PREFERENCES", where: "PRF_CODE LIKE 'RACINE_%' OR PRF_CODE LIKE 'COLLECTIF_%'")
                    == 4)
            let applied = try openFile(path).read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
            }
            #expect(
                applied.prefix(4) == [
                    "v1 : tiers, comptes, pays, devises, utilisateurs",
                    "v2 : contacts, adresses, banques des tiers, préférences",
                    "v3 : type des tiers contrôlé sans table temporaire",
                    "v4 : comptes sans index par tiers",
                ])
        }
    }

    @Test("CONTACTS: CCT_NUMERO, CCT_CODE, CCT_TABLE, every field of the catalogue and the audit columns")
    func contactsColumns() async throws {
        try await withSocieteFile { path in
            let columns = try columns(path, "CONTACTS")
            let expected =
                Catalogue.contacts.fields.map(\.name)
                + ["CCT_NUMERO", "CCT_TABLE", "CCT_DTCREE", "CCT_USRCRE", "CCT_DTMAJ", "CCT_USRMAJ", "CCT_NUMMAJ"]
            #expect(Set(columns.keys) == Set(expected))
            #expect(columns.count == expected.count)
            expectCatalogueColumns(columns, .contacts, except: ["CCT_CODE"])
            #expect(columns["CCT_NUMERO"]?.type == "INTEGER")
            #expect(columns["CCT_CODE"]?.type == "TEXT")
            #expect(columns["CCT_CODE"]?.isNotNull == true)
            #expect(columns["CCT_TABLE"]?.type == "TEXT")
            for audit in ["CCT_DTCREE", "CCT_USRCRE", "CCT_DTMAJ", "CCT_USRMAJ"] {
                #expect(columns[audit]?.type == "TEXT", "\(audit)")
            }
            #expect(columns["CCT_NUMMAJ"]?.type == "INTEGER")
            #expect(columns["CCT_NUMMAJ"]?.isNotNull == true)
            #expect(columns["CCT_NUMMAJ"]?.defaultValueSQL == "0")
            #expect(try primaryKey(path, "CONTACTS") == ["CCT_NUMERO"])
            let sql = try definition(path, of: "CONTACTS")
            #expect(sql?.contains("CCT_NUMERO INTEGER PRIMARY KEY AUTOINCREMENT") == true)
        }
    }

    @Test("CCT_NUMERO is given by SQLite, increasing, never reused; CCT_CODE is unique and required")
    func contactsNumbersAndCodes() async throws {
        try await withSocieteFile { path in
            let database = try openFile(path)
            let numbers = try database.write { db in
                for code in ["A", "B"] {
                    try db.execute(sql: "INSERT INTO CONTACTS (CCT_CODE, CCT_NOM) VALUES (?, 'Nom')", arguments: [code])
                }
                try db.execute(sql: "DELETE FROM CONTACTS WHERE CCT_CODE = 'B'")
                try db.execute(sql: "INSERT INTO CONTACTS (CCT_CODE, CCT_NOM) VALUES ('C', 'Nom')")
                return try [String: Int](
                    uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT CCT_CODE, CCT_NUMERO FROM CONTACTS").map {
                        ($0[0], $0[1])
                    })
            }
            // AUTOINCREMENT: the number of a deleted contact is not given again.
            #expect(numbers == ["A": 1, "C": 3])
            for (code, reason) in [("A", "duplicate"), (nil, "missing")] as [(String?, String)] {
                let error = #expect(throws: DatabaseError.self, "\(reason) CCT_CODE") {
                    try database.write { db in
                        try db.execute(
                            sql: "INSERT INTO CONTACTS (CCT_CODE, CCT_NOM) VALUES (?, 'X')", arguments: [code])
                    }
                }
                #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            }
            #expect(try count(path, table: "CONTACTS") == 2)
        }
    }

    @Test("ADRESSES is keyed (ADR_TBL, ADR_CODE, ADR_NUMERO) and has every field of the catalogue")
    func adressesColumns() async throws {
        try await withSocieteFile { path in
            let columns = try columns(path, "ADRESSES")
            let expected = Set(Catalogue.adressesTiers.fields.map(\.name) + ["ADR_TBL"])
            #expect(Set(columns.keys) == expected)
            expectCatalogueColumns(columns, .adressesTiers, except: ["ADR_CODE", "ADR_NUMERO"])
            for key in ["ADR_TBL", "ADR_CODE", "ADR_NUMERO"] {
                #expect(columns[key]?.type == "TEXT", "\(key)")
                #expect(columns[key]?.isNotNull == true, "\(key)")
            }
            #expect(try primaryKey(path, "ADRESSES") == ["ADR_TBL", "ADR_CODE", "ADR_NUMERO"])
            #expect(columns["ADR_NPAI"]?.type == "INTEGER")
            #expect(columns["ADR_MEMO"]?.type == "TEXT")

            let database = try openFile(path)
            try database.write { db in
                try db.execute(sql: "INSERT INTO ADRESSES (ADR_TBL, ADR_CODE, ADR_NUMERO) VALUES ('PCF', 'C1', '001')")
                try db.execute(sql: "INSERT INTO ADRESSES (ADR_TBL, ADR_CODE, ADR_NUMERO) VALUES ('PCF', 'C1', '002')")
                try db.execute(sql: "INSERT INTO ADRESSES (ADR_TBL, ADR_CODE, ADR_NUMERO) VALUES ('PCF', 'C2', '001')")
            }
            let error = #expect(throws: DatabaseError.self) {
                try database.write { db in
                    try db.execute(
                        sql: "INSERT INTO ADRESSES (ADR_TBL, ADR_CODE, ADR_NUMERO) VALUES ('PCF', 'C1', '002')")
                }
            }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            #expect(try count(path, table: "ADRESSES") == 3)
        }
    }

    @Test("ADR_NPAI: NULL is stored as 0, values other than 0 and 1 are rejected")
    func adressesCheckbox() async throws {
        try await withSocieteFile { path in
            let database = try openFile(path)
            try database.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO ADRESSES (ADR_TBL, ADR_CODE, ADR_NUMERO, ADR_NPAI) VALUES ('PCF', 'C1', '001', NULL)"
                )
                #expect(try DatabaseValue.fetchOne(db, sql: "SELECT ADR_NPAI FROM ADRESSES") == 0.databaseValue)
                try db.execute(sql: "UPDATE ADRESSES SET ADR_NPAI = 1")
                #expect(try DatabaseValue.fetchOne(db, sql: "SELECT ADR_NPAI FROM ADRESSES") == 1.databaseValue)
                try db.execute(sql: "UPDATE ADRESSES SET ADR_NPAI = NULL")
                #expect(try DatabaseValue.fetchOne(db, sql: "SELECT ADR_NPAI FROM ADRESSES") == 0.databaseValue)
            }
            for invalid: any DatabaseValueConvertible in [2, -1, "x", "oui"] {
                let error = #expect(throws: DatabaseError.self, "ADR_NPAI = \(invalid)") {
                    try database.write { db in
                        try db.execute(sql: "UPDATE ADRESSES SET ADR_NPAI = ?", arguments: [invalid])
                    }
                }
                #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            }
        }
    }

    @Test("TIERS_RIB is keyed (PCF_CODE, RIB_ORDRE) and has every field of the catalogue")
    func tiersRibColumns() async throws {
        try await withSocieteFile { path in
            let columns = try columns(path, "TIERS_RIB")
            #expect(Set(columns.keys) == Set(Catalogue.banquesTiers.fields.map(\.name)))
            #expect(columns.count == Catalogue.banquesTiers.fields.count)
            expectCatalogueColumns(columns, .banquesTiers, except: ["PCF_CODE", "RIB_ORDRE"])
            #expect(try primaryKey(path, "TIERS_RIB") == ["PCF_CODE", "RIB_ORDRE"])
            for key in ["PCF_CODE", "RIB_ORDRE"] {
                #expect(columns[key]?.isNotNull == true, "\(key)")
            }
            let database = try openFile(path)
            try database.write { db in
                try db.execute(sql: "INSERT INTO TIERS_RIB (PCF_CODE, RIB_ORDRE) VALUES ('C1', '01')")
                try db.execute(sql: "INSERT INTO TIERS_RIB (PCF_CODE, RIB_ORDRE) VALUES ('C1', '02')")
                try db.execute(sql: "INSERT INTO TIERS_RIB (PCF_CODE, RIB_ORDRE) VALUES ('C2', '01')")
            }
            #expect(throws: DatabaseError.self) {
                try database.write { db in
                    try db.execute(sql: "INSERT INTO TIERS_RIB (PCF_CODE, RIB_ORDRE) VALUES ('C1', '01')")
                }
            }
        }
    }

    @Test("PREFERENCES holds the account roots and collective accounts")
    func preferences() async throws {
        try await withSocieteFile { path in
            #expect(try columnNames(path, table: "PREFERENCES") == ["PRF_CODE", "PRF_VALEUR"])
            #expect(try primaryKey(path, "PREFERENCES") == ["PRF_CODE"])
            let values = try openFile(path).read { db in
                try [String: String](
                    uniqueKeysWithValues: Row.fetchAll(
                        db,
                        sql: """
                            SELECT PRF_CODE, PRF_VALEUR FROM PREFERENCES
                            WHERE PRF_CODE LIKE 'RACINE_%' OR PRF_CODE LIKE 'COLLECTIF_%'
                            """
                    ).map {
                        ($0[0], $0[1])
                    })
            }
            #expect(
                values == [
                    "RACINE_CLIENT": "411", "RACINE_FOURNISSEUR": "401",
                    "COLLECTIF_CLIENT": "411000", "COLLECTIF_FOURNISSEUR": "401000",
                ])
        }
    }

    @Test("the checkbox columns of COMPTES store NULL as 0")
    func checkboxNullIsUnchecked() async throws {
        try await withSocieteFile { path in
            try openFile(path).write { db in
                try db.execute(
                    sql: """
                        INSERT INTO COMPTES (CPT_NUMERO, CPT_DEVOBG, CPT_GROUPE, CPT_ECH, CPT_LET)
                        VALUES ('512100', NULL, NULL, 1, NULL)
                        """)
                let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM COMPTES WHERE CPT_NUMERO = '512100'"))
                #expect(row["CPT_DEVOBG"] as DatabaseValue == 0.databaseValue)
                #expect(row["CPT_GROUPE"] as DatabaseValue == 0.databaseValue)
                #expect(row["CPT_ECH"] as DatabaseValue == 1.databaseValue)
                #expect(row["CPT_LET"] as DatabaseValue == 0.databaseValue)
            }
        }
    }
}
