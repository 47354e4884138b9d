import Testing

@testable import ComptoirCore

/// An in-memory société for the import rules: rows of every table by key, the `PAYS` and
/// `DEVISES` codes and the `PREFERENCES`. It applies each `RecordChange` as the real store would.
final class MemoryStore: RecordStore {
    typealias Row = [String: FieldValue]

    /// Rows by table, then by key (the key's values joined by `|`).
    var tables: [String: [String: Row]] = [:]
    var pays: Set<String> = ["FR", "DE"]
    var devises: Set<String> = ["EUR"]
    var preferences = Dictionary(uniqueKeysWithValues: AccountPreferences.defaults.map { ($0.code, $0.value) })
    /// Custom columns added, by table.
    var customColumns: [String: [String]] = [:]
    /// Every change written, in order.
    var changes: [RecordChange] = []

    init() {}

    /// `TIERS` rows by `PCF_CODE`.
    var tiersRows: [String: Row] {
        get { tables["TIERS"] ?? [:] }
        set { tables["TIERS"] = newValue }
    }

    /// `COMPTES` rows by `CPT_NUMERO`.
    var accountRows: [String: Row] {
        get { tables["COMPTES"] ?? [:] }
        set { tables["COMPTES"] = newValue }
    }

    static func keyString(_ key: LineValues) -> String {
        key.fields.map { $0.value.text ?? "" }.joined(separator: "|")
    }

    func row(_ table: String, _ key: String...) -> Row? {
        tables[table]?[key.joined(separator: "|")]
    }

    func tiers(code: String) throws -> ExistingTiers? {
        guard let row = tiersRows[code] else { return nil }
        guard let typeCode = row["PCF_TYPE"]?.text, let type = TiersType(rawValue: typeCode) else {
            Issue.record("TIERS row \(code) has no valid PCF_TYPE")
            return nil
        }
        let updateCount: Int
        if case .integer(let count) = row["PCF_NUMMAJ"] { updateCount = count } else { updateCount = 0 }
        return ExistingTiers(
            type: type, accountNumber: row["CPT_NUMERO"]?.text, payCode: row["PAY_CODE"]?.text,
            updateCount: updateCount)
    }

    func tiersHoldingAccount(_ number: String, other code: String) throws -> String? {
        tiersRows.keys.sorted().first { $0 != code && tiersRows[$0]?["CPT_NUMERO"]?.text == number }
    }

    func account(number: String) throws -> ExistingAccount? {
        guard let row = accountRows[number] else { return nil }
        return ExistingAccount(type: row["CPT_TYPE"]?.text ?? "", tiersCode: row["PCF_CODE"]?.text)
    }

    func paysExists(_ code: String) throws -> Bool { pays.contains(code) }

    func deviseExists(_ code: String) throws -> Bool { devises.contains(code) }

    func preference(_ code: String) throws -> String? { preferences[code] }

    func updateCount(in table: String, key: LineValues, countColumn: String) throws -> Int? {
        guard let row = tables[table]?[Self.keyString(key)] else { return nil }
        if case .integer(let count) = row[countColumn] { return count }
        return 0
    }

    func exists(in table: String, key: LineValues) throws -> Bool {
        tables[table]?[Self.keyString(key)] != nil
    }

    func addCustomColumns(_ names: [String], to table: String) throws {
        for name in names where !(customColumns[table] ?? []).contains(name) {
            customColumns[table, default: []].append(name)
        }
    }

    func customColumns(of table: String) throws -> [String] { customColumns[table] ?? [] }

    func write(_ change: RecordChange) throws {
        changes.append(change)
        let key = Self.keyString(change.key)
        var rows = tables[change.table] ?? [:]
        var row: Row
        switch change.kind {
        case .create:
            if rows[key] != nil { Issue.record("\(change.table) \(key) created twice") }
            row = Dictionary(uniqueKeysWithValues: change.key.fields.map { ($0.name, $0.value) })
        case .update:
            guard let existing = rows[key] else {
                Issue.record("\(change.table) \(key) updated before it exists")
                return
            }
            row = existing
        }
        for (name, value) in change.values.fields { row[name] = value }
        rows[key] = row
        tables[change.table] = rows
    }
}
