import Testing

@testable import ComptoirCore

/// An in-memory société for the import rules: `TIERS` and `COMPTES` rows by key, and the
/// `PAYS` and `DEVISES` codes. It applies each `RecordChange` as the real store would.
final class MemoryStore: RecordStore {
    typealias Row = [String: FieldValue]

    /// `TIERS` rows by `PCF_CODE`.
    var tiersRows: [String: Row] = [:]
    /// `COMPTES` rows by `CPT_NUMERO`.
    var accountRows: [String: Row] = [:]
    var pays: Set<String> = ["FR", "DE"]
    var devises: Set<String> = ["EUR"]
    /// Custom columns added, by table.
    var customColumns: [String: [String]] = [:]
    /// Every change written, in order.
    var changes: [RecordChange] = []

    init() {}

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

    func addCustomColumns(_ names: [String], to table: String) throws {
        for name in names where !(customColumns[table] ?? []).contains(name) {
            customColumns[table, default: []].append(name)
        }
    }

    func write(_ change: RecordChange) throws {
        changes.append(change)
        guard change.key.fields.count == 1, let keyField = change.key.fields.first, let key = keyField.value.text
        else {
            Issue.record("unexpected key \(change.key.fields)")
            return
        }
        var rows: [String: Row]
        switch change.table {
        case "TIERS": rows = tiersRows
        case "COMPTES": rows = accountRows
        default:
            Issue.record("unexpected table \(change.table)")
            return
        }
        var row: Row
        switch change.kind {
        case .create:
            if rows[key] != nil { Issue.record("\(change.table) \(key) created twice") }
            row = [keyField.name: keyField.value]
        case .update:
            guard let existing = rows[key] else {
                Issue.record("\(change.table) \(key) updated before it exists")
                return
            }
            row = existing
        }
        for (name, value) in change.values.fields { row[name] = value }
        rows[key] = row
        switch change.table {
        case "TIERS": tiersRows = rows
        default: accountRows = rows
        }
    }
}
