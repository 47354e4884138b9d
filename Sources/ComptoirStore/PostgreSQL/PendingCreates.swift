import ComptoirCore

/// The rows a request has created and not yet sent, by table: sent later, many to a statement,
/// and meanwhile answered from here, so that a line's reads need not wait for the previous
/// lines' writes. A value a pending row was not given is NULL, unless its column has a default
/// (`columnsWithDefaults`): then only the database knows it, and a look that needs it is
/// undecided (nil), for the store to send the rows first.
struct PendingCreates {
    struct Row {
        let key: LineValues
        var values: LineValues

        func value(of column: String) -> FieldValue? { key[column] ?? values[column] }

        /// The names of its key's columns, then of its other values'.
        var columns: [String] { key.fields.map(\.name) + values.fields.map(\.name) }

        /// Whether it gives `columns`, in that order: `self.columns == columns`, made of nothing.
        func gives(_ columns: [String]) -> Bool {
            guard key.fields.count + values.fields.count == columns.count else { return false }
            for (position, field) in key.fields.enumerated() where field.name != columns[position] { return false }
            let start = key.fields.count
            for (position, field) in values.fields.enumerated() where field.name != columns[start + position] {
                return false
            }
            return true
        }
    }

    /// Rows of one table that give the same columns.
    struct Group {
        let columns: [String]
        var rows: [Row]
    }

    private struct Table {
        var rows: [Row] = []
        /// Where each row is, by its key's values, for the key the table's creates give.
        var byKey: [[FieldValue]: Int] = [:]
        var keyColumns: [String] = []
        /// Where the rows are by the values of other columns, for the looks made by them.
        var byColumns: [[String]: ColumnIndex] = [:]
    }

    /// The rows by their values of some columns; undecided when a row leaves one of them to its
    /// default.
    private struct ColumnIndex {
        var rows: [[FieldValue]: [Int]] = [:]
        var undecided = false
    }

    private var tables: [String: Table] = [:]
    let columnsWithDefaults: [String: Set<String>]

    init(columnsWithDefaults: [String: Set<String>]) { self.columnsWithDefaults = columnsWithDefaults }

    /// How many rows wait, in all.
    private(set) var count = 0

    func isEmpty(_ table: String) -> Bool { tables[table]?.rows.isEmpty ?? true }

    /// Whether a row keyed `key` may be among the pending rows of `table` without being found
    /// by that key: the rows wait by another key.
    func mayHold(_ key: LineValues, in table: String) -> Bool {
        guard let pending = tables[table], !pending.rows.isEmpty else { return false }
        return pending.keyColumns != key.fields.map(\.name)
    }

    func rowCount(_ table: String) -> Int { tables[table]?.rows.count ?? 0 }

    var tablesWithRows: [String] { tables.filter { !$0.value.rows.isEmpty }.map(\.key) }

    /// Adds a created row; false when it cannot wait here (its key is already pending, or the
    /// table's creates name another key), for the store to send what waits first.
    /// Runs `body` on the pending rows of `name`, changed in place: taken out of the tables
    /// meanwhile, so that no change copies them.
    private mutating func withTable<Result>(_ name: String, _ body: (inout Table) -> Result) -> Result {
        var table = tables.removeValue(forKey: name) ?? Table()
        defer { tables[name] = table }
        return body(&table)
    }

    mutating func add(_ change: RecordChange) -> Bool {
        let defaults = columnsWithDefaults[change.table]
        let added = withTable(change.table) { table in Self.add(change, to: &table, defaults: defaults) }
        if added { count += 1 }
        return added
    }

    private static func add(_ change: RecordChange, to table: inout Table, defaults: Set<String>?) -> Bool {
        let keyColumns = change.key.fields.map(\.name)
        let keyValues = change.key.fields.map(\.value)
        if table.rows.isEmpty { table.keyColumns = keyColumns }
        guard table.keyColumns == keyColumns, table.byKey[keyValues] == nil else { return false }
        table.byKey[keyValues] = table.rows.count
        let row = Row(key: change.key, values: change.values)
        // The keys apart, so that no index is copied as it grows.
        for columns in Array(table.byColumns.keys) {
            index(row, at: table.rows.count, by: columns, in: &table.byColumns[columns]!, defaults: defaults)
        }
        table.rows.append(row)
        return true
    }

    /// Gives an update of a pending row its new values; false when the update is not of one
    /// pending row by its key.
    mutating func merge(_ change: RecordChange) -> Bool {
        guard tables[change.table] != nil else { return false }
        return withTable(change.table) { table in Self.merge(change, into: &table) }
    }

    private static func merge(_ change: RecordChange, into table: inout Table) -> Bool {
        guard table.keyColumns == change.key.fields.map(\.name), let index = table.byKey[change.key.fields.map(\.value)]
        else { return false }
        // Its values by other columns may change: those indexes are made again when needed.
        table.byColumns = [:]
        for field in change.values.fields { table.rows[index].values.set(field.name, field.value) }
        return true
    }

    /// The value of `column` in `row` as the database will hold it; nil when only the
    /// database knows it (one of the table's `defaults`).
    private static func value(of column: String, in row: Row, defaults: Set<String>?) -> FieldValue? {
        if let value = row.value(of: column) { return value }
        return defaults?.contains(column) == true ? nil : .null
    }

    /// Whether `row` holds the values of `conditions`; nil when undecided.
    private static func matches(_ row: Row, _ conditions: LineValues, defaults: Set<String>?) -> Bool? {
        for field in conditions.fields {
            guard let value = value(of: field.name, in: row, defaults: defaults) else { return nil }
            // SQL's `=`: NULL matches nothing.
            if value == .null || value != field.value { return false }
        }
        return true
    }

    /// Files `row` (at `position`) in `index` by its values of `columns`.
    private static func index(
        _ row: Row, at position: Int, by columns: [String], in index: inout ColumnIndex, defaults: Set<String>?
    ) {
        var values: [FieldValue] = []
        for column in columns {
            guard let value = value(of: column, in: row, defaults: defaults) else {
                index.undecided = true
                return
            }
            values.append(value)
        }
        index.rows[values, default: []].append(position)
    }

    /// The pending rows of `table` that hold the values of `conditions` and not all of
    /// `other`'s, in the order they were created; nil when undecided.
    mutating func rows(in table: String, matching conditions: LineValues, other: LineValues? = nil) -> [Row]? {
        guard let pending = tables[table], !pending.rows.isEmpty else { return [] }
        let names = conditions.fields.map(\.name)
        let values = conditions.fields.map(\.value)
        if other == nil, pending.keyColumns == names {
            return pending.byKey[values].map { [pending.rows[$0]] } ?? []
        }
        let defaults = columnsWithDefaults[table]
        if pending.byColumns[names] == nil {
            withTable(table) { pending in
                var built = ColumnIndex()
                for (position, row) in pending.rows.enumerated() {
                    Self.index(row, at: position, by: names, in: &built, defaults: defaults)
                }
                pending.byColumns[names] = built
            }
        }
        let columnIndex = tables[table]!.byColumns[names]!
        guard !columnIndex.undecided else { return nil }
        // SQL's `=`: NULL matches nothing.
        guard !values.contains(.null) else { return [] }
        var found: [Row] = []
        for position in columnIndex.rows[values] ?? [] {
            let row = tables[table]!.rows[position]
            if let other {
                guard let isOther = Self.matches(row, other, defaults: defaults) else { return nil }
                if isOther { continue }
            }
            found.append(row)
        }
        return found
    }

    /// The values of `columns` of `row`; nil when one of them only the database knows.
    func values(of columns: [String], in row: Row, table: String) -> [FieldValue]? {
        var values: [FieldValue] = []
        for column in columns {
            guard let value = Self.value(of: column, in: row, defaults: columnsWithDefaults[table]) else { return nil }
            values.append(value)
        }
        return values
    }

    /// Adds the pending rows of `table` to `sent` (without taking them), and says whether it
    /// could keep them all: it cannot keep a row whose key it already holds.
    func copyRows(of table: String, into sent: inout PendingCreates) -> Bool {
        var keptAll = true
        for row in tables[table]?.rows ?? [] {
            keptAll = sent.add(RecordChange(table: table, kind: .create, key: row.key, values: row.values)) && keptAll
        }
        return keptAll
    }

    /// Takes the pending rows of `table`, grouped by the columns they give, in order.
    mutating func take(_ table: String) -> [Group] {
        guard let pending = tables.removeValue(forKey: table) else { return [] }
        count -= pending.rows.count
        var groups: [Group] = []
        var groupOf: [[String]: Int] = [:]
        // The group of the row before: most rows of a table give the same columns.
        var last = -1
        for row in pending.rows {
            if last < 0 || !row.gives(groups[last].columns) {
                let columns = row.columns
                if let index = groupOf[columns] {
                    last = index
                } else {
                    last = groups.count
                    groupOf[columns] = last
                    groups.append(Group(columns: columns, rows: []))
                }
            }
            groups[last].rows.append(row)
        }
        return groups
    }

    /// Forgets the rows of `table`.
    mutating func discard(_ table: String) {
        count -= tables.removeValue(forKey: table)?.rows.count ?? 0
    }

    /// Forgets every pending row: their savepoint was undone.
    mutating func discardAll() {
        tables = [:]
        count = 0
    }
}
