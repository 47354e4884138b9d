import ComptoirCore
import GRDB

/// The import rules' view of a société, inside the request's transaction. Statements are
/// prepared once per request and reused for every line.
struct SQLiteRecordStore: RecordStore {
    let db: Database

    func tiers(code: String) throws -> ExistingTiers? {
        let statement = try db.cachedStatement(
            sql: "SELECT PCF_TYPE, CPT_NUMERO, PAY_CODE, PCF_NUMMAJ FROM TIERS WHERE PCF_CODE = ?"
        )
        guard let row = try Row.fetchOne(statement, arguments: [code]),
            let type = TiersType(rawValue: row[0])
        else { return nil }
        return ExistingTiers(type: type, accountNumber: row[1], payCode: row[2], updateCount: row[3])
    }

    func tiersHoldingAccount(_ number: String, other code: String) throws -> String? {
        let statement = try db.cachedStatement(
            sql: "SELECT PCF_CODE FROM TIERS WHERE CPT_NUMERO = ? AND PCF_CODE <> ? LIMIT 1"
        )
        return try String.fetchOne(statement, arguments: [number, code])
    }

    func account(number: String) throws -> ExistingAccount? {
        let statement = try db.cachedStatement(sql: "SELECT CPT_TYPE, PCF_CODE FROM COMPTES WHERE CPT_NUMERO = ?")
        guard let row = try Row.fetchOne(statement, arguments: [number]) else { return nil }
        return ExistingAccount(type: row[0], tiersCode: row[1])
    }

    func paysExists(_ code: String) throws -> Bool {
        try exists(sql: "SELECT 1 FROM PAYS WHERE PAY_CODE = ?", code)
    }

    func deviseExists(_ code: String) throws -> Bool {
        try exists(sql: "SELECT 1 FROM DEVISES WHERE DEV_CODE = ?", code)
    }

    private func exists(sql: String, _ code: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: [code]) != nil
    }

    func addCustomColumns(_ names: [String], to table: String) throws {
        guard !names.isEmpty else { return }
        let existing = Set(try db.columns(in: table).map { $0.name.uppercased() })
        for name in names where !existing.contains(name) {
            try db.execute(sql: "ALTER TABLE \(Schema.quoted(table)) ADD COLUMN \(Schema.quoted(name)) TEXT")
        }
    }

    func write(_ change: RecordChange) throws {
        let table = Schema.quoted(change.table)
        let sql: String
        let values: [FieldValue]
        switch change.kind {
        case .create:
            let fields = change.key.fields + change.values.fields
            let columns = fields.map { Schema.quoted($0.name) }.joined(separator: ", ")
            let placeholders = Array(repeating: "?", count: fields.count).joined(separator: ", ")
            sql = "INSERT INTO \(table) (\(columns)) VALUES (\(placeholders))"
            values = fields.map(\.value)
        case .update:
            let assignments = change.values.fields.map { "\(Schema.quoted($0.name)) = ?" }.joined(separator: ", ")
            let key = change.key.fields.map { "\(Schema.quoted($0.name)) = ?" }.joined(separator: " AND ")
            sql = "UPDATE \(table) SET \(assignments) WHERE \(key)"
            values = (change.values.fields + change.key.fields).map(\.value)
        }
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(values.map(\.databaseValue)))
    }
}

extension FieldValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .text(let text): text.databaseValue
        case .integer(let integer): integer.databaseValue
        }
    }
}
