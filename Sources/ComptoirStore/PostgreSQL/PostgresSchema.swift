import ComptoirCore
import Foundation
import GRDB

/// A société's schema and reference rows in PostgreSQL's dialect. They are those of a new SQLite
/// société, which the migrations build from the domains' descriptions (`Schema`): that model is
/// built in memory and each of its tables written again for PostgreSQL, so the two stores can
/// never drift apart. Text compares byte by byte (`COLLATE "C"`) as in SQLite, and users' codes
/// without regard to case; a checkbox given no value becomes 0 as SQLite's `ON CONFLICT REPLACE`
/// makes it. SQLite's `CHECK`s are not carried: the rules check every value before writing it.
struct PostgresSchema {
    /// The statements that create the schema's tables, in order.
    let statements: [String]
    /// Each table's rows: the reference data every société starts with.
    let rows: [(table: String, columns: [String], values: [[FieldValue]])]

    /// What the store needs to know of a société's schema, read at its first request.
    struct Facts: Sendable {
        /// Its tables: a domain may name the table of a domain to come.
        let tables: Set<String>
        /// The columns with a default, by table: a row created without them gets theirs.
        let columnsWithDefaults: [String: Set<String>]
        /// The `bigint` columns, by table; the others are texts.
        let integerColumns: [String: Set<String>]
        /// The columns that compare without regard to case (`noCase`), by table: users' codes.
        let caseInsensitiveColumns: [String: Set<String>]

        /// Whether `key` finds rows of `table` whose values differ from its own by case, which
        /// the rows waiting in the store, compared byte by byte, would not show.
        func ignoresCase(of key: LineValues, in table: String) -> Bool {
            guard let columns = caseInsensitiveColumns[table] else { return false }
            return key.fields.contains { columns.contains($0.name) }
        }

        /// The type of an array of values of `column` of `table`.
        func arrayType(of column: String, in table: String) -> String {
            integerColumns[table]?.contains(column) == true ? "bigint[]" : "text[]"
        }
    }

    /// The table that says which version of the data model the schema is at.
    static let versionTable = "COMPTOIR_MODELE"
    /// A collation that compares without regard to case, as SQLite's `NOCASE` does.
    static let noCase = "comptoir_sans_casse"

    /// The schema of a new société, `schema`.
    static func new(schema: String) throws -> PostgresSchema {
        let model = try DatabaseQueue()
        try Schema.migrator.migrate(model)
        return try model.read { db in try PostgresSchema(model: db, schema: schema) }
    }

    private init(model db: Database, schema: String) throws {
        let name = PostgresLink.quoted(schema)
        var statements = [
            "CREATE SCHEMA \(name)",
            "SET LOCAL search_path TO \(name)",
            """
            CREATE COLLATION \(Self.noCase) (provider = icu, locale = 'und-u-ks-level2', deterministic = false)
            """,
            "CREATE TABLE \(Self.versionTable) (VERSION text NOT NULL)",
            "INSERT INTO \(Self.versionTable) VALUES ('\(Schema.dataModelVersion)')",
        ]
        var rows: [(String, [String], [[FieldValue]])] = []
        let tables = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table'
                AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name
                """)
        for table in tables {
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table])!
            statements += try Self.statements(creating: table, from: sql, in: db)
            let columns = try db.columns(in: table).map(\.name)
            let values = try Row.fetchAll(db, sql: "SELECT * FROM \(Schema.quoted(table))").map { row in
                Array(row.databaseValues.map(FieldValue.init(databaseValue:)))
            }
            if !values.isEmpty { rows.append((table, columns, values)) }
        }
        self.statements = statements + PostgresSessions.creation
        self.rows = rows
    }

    /// `CREATE TABLE`, its indexes, and the trigger of its checkboxes, for the SQLite table
    /// `table` defined by `sql`.
    private static func statements(creating table: String, from sql: String, in db: Database) throws -> [String] {
        let declarations = columnDeclarations(sql)
        let columns = try db.columns(in: table)
        let key = try db.primaryKey(table)
        let quotedTable = PostgresLink.quoted(table)
        var checkboxes: [String] = []
        var definitions: [String] = columns.map { column in
            let declaration = declarations[column.name.uppercased()] ?? ""
            let name = PostgresLink.quoted(column.name)
            if key.rowIDColumn == column.name, declaration.contains("AUTOINCREMENT") {
                return "\(name) bigint GENERATED BY DEFAULT AS IDENTITY"
            }
            var definition = name
            if column.type.uppercased() == "INTEGER" {
                definition += " bigint"
            } else {
                definition += declaration.contains("COLLATE NOCASE") ? " text COLLATE \(noCase)" : " text COLLATE \"C\""
            }
            if column.isNotNull || key.columns.contains(column.name) { definition += " NOT NULL" }
            if let value = column.defaultValueSQL { definition += " DEFAULT \(value)" }
            if declaration.contains("ON CONFLICT REPLACE") { checkboxes.append(column.name) }
            return definition
        }
        definitions.append("PRIMARY KEY (\(key.columns.map(PostgresLink.quoted).joined(separator: ", ")))")
        var statements = ["CREATE TABLE \(quotedTable) (\(definitions.joined(separator: ", ")))"]
        for index in try db.indexes(on: table) where index.columns != key.columns {
            let name = PostgresLink.quoted(([table] + index.columns).joined(separator: "_"))
            statements.append(
                """
                CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(name) ON \(quotedTable) \
                (\(index.columns.map(PostgresLink.quoted).joined(separator: ", ")))
                """)
        }
        if !checkboxes.isEmpty {
            let function = PostgresLink.quoted(table + "_CASES")
            let assignments = checkboxes.map {
                "NEW.\(PostgresLink.quoted($0)) := coalesce(NEW.\(PostgresLink.quoted($0)), 0);"
            }
            statements += [
                """
                CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN \(assignments.joined(separator: " ")) RETURN NEW; END $$
                """,
                """
                CREATE TRIGGER \(function) BEFORE INSERT OR UPDATE ON \(quotedTable)
                FOR EACH ROW EXECUTE FUNCTION \(function)()
                """,
            ]
        }
        return statements
    }

    /// Each column's declaration in a `CREATE TABLE` statement, by the column's name in capitals:
    /// the text between the commas outside parentheses.
    private static func columnDeclarations(_ sql: String) -> [String: String] {
        guard let open = sql.firstIndex(of: "("), let close = sql.lastIndex(of: ")") else { return [:] }
        var declarations: [String: String] = [:]
        var depth = 0
        var current = ""
        func finish() {
            let declaration = current.trimmingCharacters(in: .whitespacesAndNewlines)
            let name = declaration.prefix { !$0.isWhitespace }.trimmingCharacters(
                in: CharacterSet(charactersIn: "\"`[]"))
            if !name.isEmpty { declarations[name.uppercased()] = declaration.uppercased() }
            current = ""
        }
        for character in sql[sql.index(after: open)..<close] {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                finish()
                continue
            default: break
            }
            current.append(character)
        }
        finish()
        return declarations
    }
}

extension FieldValue {
    init(databaseValue: DatabaseValue) {
        switch databaseValue.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(Int(integer))
        case .double(let double): self = .text(String(double))
        case .string(let text): self = .text(text)
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }
}
