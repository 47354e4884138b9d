import ComptoirCore
import Foundation
import GRDB

/// The société schema, created and upgraded by migrations. Table and column names are
/// Gestimum's, so that tools and people who know Gestimum find their way.
enum Schema {
    /// Written in every société file, to tell it from any other SQLite database ("CMPT").
    static let applicationID: Int32 = 0x434D_5054

    /// The version of the data model, answered by `Outils/VersionERP`.
    static var dataModelVersion: String { String(migrator.migrations.count) }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 : tiers, comptes, pays, devises, utilisateurs") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    CREATE TABLE TIERS (
                        PCF_CODE TEXT NOT NULL PRIMARY KEY,
                        PCF_TYPE TEXT NOT NULL CHECK (PCF_TYPE IN ('C', 'F', 'P')),
                        \(columns(of: .clients, except: "PCF_CODE")),
                        PCF_DTCREE TEXT,
                        PCF_USRCRE TEXT,
                        PCF_DTMAJ TEXT,
                        PCF_USRMAJ TEXT,
                        PCF_NUMMAJ INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX TIERS_CPT_NUMERO ON TIERS (CPT_NUMERO);
                    CREATE TABLE COMPTES (
                        CPT_NUMERO TEXT NOT NULL PRIMARY KEY,
                        \(columns(of: .comptes, except: "CPT_NUMERO"))
                    );
                    CREATE INDEX COMPTES_PCF_CODE ON COMPTES (PCF_CODE);
                    CREATE TABLE PAYS (
                        PAY_CODE TEXT NOT NULL PRIMARY KEY,
                        PAY_LIB TEXT NOT NULL
                    );
                    CREATE TABLE DEVISES (
                        DEV_CODE TEXT NOT NULL PRIMARY KEY,
                        DEV_LIB TEXT NOT NULL
                    );
                    CREATE TABLE UTILISATEURS (
                        USR_CODE TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                        USR_NOM TEXT NOT NULL,
                        USR_MDP_HASH TEXT NOT NULL,
                        USR_DTCREE TEXT NOT NULL
                    );
                    """
            )
            for (code, libelle) in PaysISO.all {
                try db.execute(sql: "INSERT INTO PAYS (PAY_CODE, PAY_LIB) VALUES (?, ?)", arguments: [code, libelle])
            }
            for (code, libelle) in DevisesISO.all {
                try db.execute(
                    sql: "INSERT INTO DEVISES (DEV_CODE, DEV_LIB) VALUES (?, ?)", arguments: [code, libelle])
            }
        }
        migrator.registerMigration("v2 : contacts, adresses, banques des tiers, préférences") { db in
            try db.execute(
                sql: """
                    CREATE TABLE CONTACTS (
                        CCT_NUMERO INTEGER PRIMARY KEY AUTOINCREMENT,
                        CCT_CODE TEXT NOT NULL UNIQUE,
                        CCT_TABLE TEXT,
                        \(columns(of: .contacts, except: "CCT_CODE")),
                        CCT_DTCREE TEXT,
                        CCT_USRCRE TEXT,
                        CCT_DTMAJ TEXT,
                        CCT_USRMAJ TEXT,
                        CCT_NUMMAJ INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX CONTACTS_CCT_ORIGIN ON CONTACTS (CCT_ORIGIN);
                    CREATE TABLE ADRESSES (
                        ADR_TBL TEXT NOT NULL,
                        ADR_CODE TEXT NOT NULL,
                        ADR_NUMERO TEXT NOT NULL,
                        \(columns(of: .adressesTiers, except: "ADR_CODE", "ADR_NUMERO")),
                        PRIMARY KEY (ADR_TBL, ADR_CODE, ADR_NUMERO)
                    );
                    CREATE TABLE TIERS_RIB (
                        PCF_CODE TEXT NOT NULL,
                        RIB_ORDRE TEXT NOT NULL,
                        \(columns(of: .banquesTiers, except: "PCF_CODE", "RIB_ORDRE")),
                        PRIMARY KEY (PCF_CODE, RIB_ORDRE)
                    );
                    CREATE TABLE PREFERENCES (
                        PRF_CODE TEXT NOT NULL PRIMARY KEY,
                        PRF_VALEUR TEXT NOT NULL
                    );
                    """
            )
            for preference in AccountPreferences.defaults {
                try db.execute(
                    sql: "INSERT INTO PREFERENCES (PRF_CODE, PRF_VALEUR) VALUES (?, ?)",
                    arguments: [preference.code, preference.value]
                )
            }
            // Every tiers has its billing address 001, equal to its billing columns.
            let billing = BillingAddress.columns
            try db.execute(
                sql: """
                    INSERT INTO ADRESSES (ADR_TBL, ADR_CODE, ADR_NUMERO, \(billing.map(\.adresse).joined(separator: ", ")))
                    SELECT 'PCF', PCF_CODE, '001', \(billing.map(\.tiers).joined(separator: ", ")) FROM TIERS
                    """
            )
        }
        migrator.registerMigration("v3 : type des tiers contrôlé sans table temporaire") { db in
            // SQLite checks `IN` against three values or more through a temporary table that it
            // builds at every insert into TIERS (5 % of an import's time); `=` and `OR` check
            // the same values for nothing.
            try redefine(
                table: "TIERS", in: db,
                replacing: "CHECK (PCF_TYPE IN ('C', 'F', 'P'))",
                with: "CHECK (PCF_TYPE = 'C' OR PCF_TYPE = 'F' OR PCF_TYPE = 'P')")
        }
        migrator.registerMigration("v4 : comptes sans index par tiers") { db in
            // No statement of Comptoir looks accounts up by tiers: the index only cost every
            // account written (4 % of an import's time).
            try db.execute(sql: "DROP INDEX COMPTES_PCF_CODE")
        }
        migrator.registerMigration("v5 : le nom des pays dans PAY_NOM") { db in
            try db.execute(sql: "ALTER TABLE PAYS RENAME COLUMN PAY_LIB TO PAY_NOM")
        }
        // The table of each domain, from its description: created, or given the columns it
        // lacks. A domain described later gets its table by the migration its table names.
        var described: Set<String> = []
        for table in Domaine.all.flatMap({ [$0.table] + $0.otherTables })
        where described.insert(table.name).inserted {
            migrator.registerMigration("table \(table.name)") { db in try createOrExtend(table, in: db) }
        }
        migrator.registerMigration("v6 : groupes d'utilisateurs et données de base") { db in
            // Every user there was could do everything: they stay administrators.
            try db.execute(
                sql: "UPDATE UTILISATEURS SET USR_GROUPE = ?", arguments: [UtilisateursGroups.administrators])
            try SeedData.insert(into: db, year: LocalTime.year(Date()))
        }
        migrator.registerMigration("v7 : compteur des actions") { db in
            // Past the largest number there is, whatever rows ACTIONS already holds.
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO PREFERENCES (PRF_CODE, PRF_VALEUR)
                    SELECT 'COMPTEUR_ACTIONS', coalesce(max(CAST(ACT_NUMERO AS INTEGER)), 0) + 1 FROM ACTIONS
                    """)
        }
        migrator.registerMigration("v8 : compteur des documents") { db in try SeedData.insertPreferences(into: db) }
        migrator.registerMigration("v9 : compteur des écritures") { db in try SeedData.insertPreferences(into: db) }
        return migrator
    }

    /// Creates a described table, or adds to it the columns it lacks.
    static func createOrExtend(_ table: TableDescription, in db: Database) throws {
        if try db.tableExists(table.name) {
            try extend(table, in: db)
        } else {
            let columns = (table.columns + table.auditColumns).map { column in
                guard table.key.contains(column.name) else { return definition(of: column) }
                return "\(column.name) \(column.type == .integer ? "INTEGER" : "TEXT") NOT NULL"
            }
            let key = "PRIMARY KEY (\(table.key.joined(separator: ", ")))"
            try db.execute(sql: "CREATE TABLE \(table.name) (\n\((columns + [key]).joined(separator: ",\n")))")
        }
        for index in table.indexes {
            let name = ([table.name] + index.columns).joined(separator: "_")
            try db.execute(
                sql: """
                    CREATE \(index.unique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(name)
                    ON \(table.name) (\(index.columns.joined(separator: ", ")))
                    """)
        }
    }

    private static func extend(_ table: TableDescription, in db: Database) throws {
        let existing = Set(try db.columns(in: table.name).map { $0.name.uppercased() })
        for column in table.columns + table.auditColumns where !existing.contains(column.name) {
            try db.execute(sql: "ALTER TABLE \(table.name) ADD COLUMN \(definition(of: column))")
        }
    }

    private static func definition(of column: TableDescription.Column) -> String {
        switch column.type {
        case .text, .decimal, .date, .dateTime: "\(column.name) TEXT"
        case .integer: "\(column.name) INTEGER"
        // A cleared checkbox (NULL) becomes its default: unchecked.
        case .checkbox:
            "\(column.name) INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 0 CHECK (\(column.name) IN (0, 1))"
        }
    }

    /// Adds a group of users to the société's list, unless it holds it.
    static func addUserGroup(_ group: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO TABLES (TBL_ID, TBL_CODE, TBL_LIB) VALUES (?, ?, ?)",
            arguments: [CodeLists.groupesUtilisateurs, group, group])
    }

    /// Changes a piece of a table's definition that its stored rows do not depend on, such as a
    /// CHECK constraint, without copying the table: SQLite's own procedure for such changes
    /// (https://sqlite.org/lang_altertable.html#otheralter). Every connection reads the new
    /// definition, since the schema's version changes with it.
    private static func redefine(table: String, in db: Database, replacing old: String, with new: String) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(
            sql: "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
            arguments: [old, new, table])
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        db.clearSchemaCache()
    }

    /// The column definitions of a catalogue's fields. Exact decimals and dates are text (the
    /// canonical decimal and ISO date), checkboxes 0/1 and never empty.
    private static func columns(of catalogue: Catalogue, except keys: String...) -> String {
        catalogue.fields.filter { !keys.contains($0.name) }.map { field in
            definition(of: TableDescription.Column(field.name, TableDescription.columnType(of: field.type)))
        }.joined(separator: ",\n")
    }

    /// Quotes an identifier for SQL. Only catalogue names and checked custom names reach here.
    static func quoted(_ identifier: String) -> String {
        let quote = UInt8(ascii: "\"")
        guard identifier.utf8.contains(quote) else { return "\"\(identifier)\"" }
        return "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
            + "\""
    }
}
