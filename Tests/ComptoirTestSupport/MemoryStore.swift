import ComptoirCore

/// A société in memory, the store of the rules' tests: rows of every table by key, and the
/// `PREFERENCES`. It answers the store port as the SQLite store does; the conformance suite
/// holds both to the same answers.
public final class MemoryStore: RecordStore {
    public typealias Row = [String: FieldValue]

    /// Rows by table, then by key (the key's values joined by `|`).
    public var tables: [String: [String: Row]] = [
        "PAYS": ["FR": ["PAY_CODE": .text("FR")], "DE": ["PAY_CODE": .text("DE")]],
        "DEVISES": ["EUR": ["DEV_CODE": .text("EUR")]],
        "PREFERENCES": Dictionary(
            uniqueKeysWithValues: AccountPreferences.defaults.map {
                ($0.code, ["PRF_CODE": .text($0.code), "PRF_VALEUR": .text($0.value)])
            }),
    ]
    /// Custom columns added, by table.
    public var customColumns: [String: [String]] = [:]
    /// Every change written, in order.
    public var changes: [RecordChange] = []

    public init() {}

    /// `TIERS` rows by `PCF_CODE`.
    public var tiersRows: [String: Row] {
        get { tables["TIERS"] ?? [:] }
        set { tables["TIERS"] = newValue }
    }

    /// The values of `PREFERENCES`, by code.
    public var preferences: [String: String] {
        get { (tables["PREFERENCES"] ?? [:]).compactMapValues { $0["PRF_VALEUR"]?.text } }
        set {
            tables["PREFERENCES"] = newValue.mapValues { ["PRF_VALEUR": .text($0)] }
            for code in newValue.keys { tables["PREFERENCES"]?[code]?["PRF_CODE"] = .text(code) }
        }
    }

    /// `COMPTES` rows by `CPT_NUMERO`.
    public var accountRows: [String: Row] {
        get { tables["COMPTES"] ?? [:] }
        set { tables["COMPTES"] = newValue }
    }

    static func keyString(_ key: LineValues) -> String {
        key.fields.map { $0.value.text ?? $0.value.integer.map(String.init) ?? "" }.joined(separator: "|")
    }

    public func row(_ table: String, _ key: String...) -> Row? {
        tables[table]?[key.joined(separator: "|")]
    }

    /// Puts a tiers in `TIERS` as an earlier import would have left it, without its address.
    public func addTiers(_ code: String, _ type: TiersType, account: String? = nil, updateCount: Int = 1) {
        var row: Row = ["PCF_CODE": .text(code), "PCF_TYPE": .text(type.rawValue), "PCF_NUMMAJ": .integer(updateCount)]
        if let account { row["CPT_NUMERO"] = .text(account) }
        tiersRows[code] = row
    }

    public func row(in table: String, key: LineValues, columns: [String]) throws -> [FieldValue]? {
        guard let row = tables[table]?[Self.keyString(key)] else { return nil }
        return columns.map { row[$0] ?? .null }
    }

    public func exists(in table: String, key: LineValues) throws -> Bool {
        tables[table]?[Self.keyString(key)] != nil
    }

    public func firstRow(in table: String, matching: LineValues, other: LineValues, columns: [String]) throws
        -> [FieldValue]?
    {
        let otherKey = Self.keyString(other)
        let found = (tables[table] ?? [:]).sorted { $0.key < $1.key }.first { key, row in
            key != otherKey && matching.fields.allSatisfy { row[$0.name] == $0.value }
        }
        return found.map { _, row in columns.map { row[$0] ?? .null } }
    }

    public func rows(in table: String, matching: LineValues, columns: [String]) throws -> [[FieldValue]] {
        let rows = (tables[table] ?? [:]).values.filter { row in matching.fields.allSatisfy { row[$0.name] == $0.value }
        }
        return rows.map { row in columns.map { row[$0] ?? .null } }.sorted {
            $0.map(Self.sortText).lexicographicallyPrecedes($1.map(Self.sortText))
        }
    }

    public func firstValue(
        of column: String, in table: String, matching: LineValues, from lowest: String, through highest: String
    ) throws -> String? {
        (tables[table] ?? [:]).values.compactMap { row -> String? in
            guard matching.fields.allSatisfy({ row[$0.name] == $0.value }), let value = row[column]?.text,
                value >= lowest, value <= highest, value.unicodeScalars.count == lowest.unicodeScalars.count
            else { return nil }
            return value
        }.min()
    }

    /// How `rows` orders a value, as SQLite orders texts and integers in these tests.
    private static func sortText(_ value: FieldValue) -> String {
        switch value {
        case .null: ""
        case .integer(let integer): String(integer)
        case .text(let text): text
        }
    }

    public func preference(_ code: String) throws -> String? { preferences[code] }

    public func nextNumber(of counter: String) throws -> String? {
        guard let value = preferences[counter] else { return nil }
        preferences[counter] = Counter.incremented(value)
        return value
    }

    public func addCustomColumns(_ names: [String], to table: String) throws {
        for name in names where !(customColumns[table] ?? []).contains(name) {
            customColumns[table, default: []].append(name)
        }
    }

    public func customColumns(of table: String) throws -> [String] { customColumns[table] ?? [] }

    /// A change the real store would refuse: its row exists already, or does not exist yet.
    public struct InvalidChange: Error, Equatable {
        public let message: String
    }

    public func write(_ change: RecordChange) throws {
        let key = Self.keyString(change.key)
        var rows = tables[change.table] ?? [:]
        var row: Row
        switch change.kind {
        case .create:
            guard rows[key] == nil else { throw InvalidChange(message: "\(change.table) \(key) créé deux fois") }
            row = Dictionary(uniqueKeysWithValues: change.key.fields.map { ($0.name, $0.value) })
        case .update:
            guard let existing = rows[key] else {
                throw InvalidChange(message: "\(change.table) \(key) modifié avant d'exister")
            }
            row = existing
        }
        changes.append(change)
        for (name, value) in change.values.fields { row[name] = value }
        rows[key] = row
        tables[change.table] = rows
    }
}
