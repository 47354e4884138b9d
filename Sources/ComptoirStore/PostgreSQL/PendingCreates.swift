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
        /// The columns that have a default (`columnsWithDefaults`).
        let defaults: Set<String>?
        var rows: [Row] = []
        /// Where each row is, by its key's values, for the key the table's creates give.
        var byKey: [[FieldValue]: Int] = [:]
        var keyColumns: [String] = []
        /// Where the rows are by the values of other columns, for the looks made by them: few,
        /// so looked through rather than hashed.
        var byColumns: [(columns: [String], index: ColumnIndex)] = []

        init(defaults: Set<String>?, capacity: Int = 0) {
            self.defaults = defaults
            rows.reserveCapacity(capacity)
            byKey.reserveCapacity(capacity)
        }
    }

    /// The rows by their values of some columns; undecided when a row leaves one of them to its
    /// default.
    private struct ColumnIndex {
        var rows: [[FieldValue]: [Int]] = [:]
        var undecided = false
    }

    /// The tables, each where `positions` says: changed in place, a table's name hashed once.
    private var tables: [Table] = []
    private var positions: [String: Int] = [:]
    private let columnsWithDefaults: [String: Set<String>]

    init(columnsWithDefaults: [String: Set<String>]) { self.columnsWithDefaults = columnsWithDefaults }

    /// How many rows wait, in all.
    private(set) var count = 0

    func isEmpty(_ table: String) -> Bool { rowCount(table) == 0 }

    func rowCount(_ table: String) -> Int { positions[table].map { tables[$0].rows.count } ?? 0 }

    /// Whether a row keyed `key` may be among the pending rows of `table` without being found
    /// by that key: the rows wait by another key.
    func mayHold(_ key: LineValues, in table: String) -> Bool {
        guard let position = positions[table], !tables[position].rows.isEmpty else { return false }
        return !Self.names(of: key, are: tables[position].keyColumns)
    }

    var tablesWithRows: [String] { positions.filter { !tables[$0.value].rows.isEmpty }.map(\.key) }

    /// Whether the names of `values`' fields are `names`, in order, made of nothing.
    private static func names(of values: LineValues, are names: [String]) -> Bool {
        guard values.fields.count == names.count else { return false }
        for (position, field) in values.fields.enumerated() where field.name != names[position] { return false }
        return true
    }

    /// Where the table `name` is, added when there is none.
    private mutating func position(of name: String) -> Int {
        if let position = positions[name] { return position }
        tables.append(Table(defaults: columnsWithDefaults[name]))
        positions[name] = tables.count - 1
        return tables.count - 1
    }

    /// Adds a created row; false when it cannot wait here (its key is already pending, or the
    /// table's creates name another key), for the store to send what waits first.
    mutating func add(_ change: RecordChange) -> Bool {
        let added = Self.add(change, to: &tables[position(of: change.table)])
        if added { count += 1 }
        return added
    }

    private static func add(_ change: RecordChange, to table: inout Table) -> Bool {
        if table.rows.isEmpty {
            table.keyColumns = change.key.fields.map(\.name)
        } else if !names(of: change.key, are: table.keyColumns) {
            return false
        }
        let keyValues = change.key.fields.map(\.value)
        // One look for the key, whether it is there or not.
        if let already = table.byKey.updateValue(table.rows.count, forKey: keyValues) {
            table.byKey[keyValues] = already
            return false
        }
        let row = Row(key: change.key, values: change.values)
        for position in table.byColumns.indices {
            index(
                row, at: table.rows.count, by: table.byColumns[position].columns, in: &table.byColumns[position].index,
                defaults: table.defaults)
        }
        table.rows.append(row)
        return true
    }

    /// Gives an update of a pending row its new values; false when the update is not of one
    /// pending row by its key.
    mutating func merge(_ change: RecordChange) -> Bool {
        guard let position = positions[change.table] else { return false }
        return Self.merge(change, into: &tables[position])
    }

    private static func merge(_ change: RecordChange, into table: inout Table) -> Bool {
        guard names(of: change.key, are: table.keyColumns), let index = table.byKey[change.key.fields.map(\.value)]
        else { return false }
        // Its values by other columns may change: those indexes are made again when needed.
        table.byColumns = []
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
        values.reserveCapacity(columns.count)
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
        guard let position = positions[table], !tables[position].rows.isEmpty else { return [] }
        return Self.rows(in: &tables[position], matching: conditions, other: other)
    }

    private static func rows(in table: inout Table, matching conditions: LineValues, other: LineValues?) -> [Row]? {
        let values = conditions.fields.map(\.value)
        if other == nil, names(of: conditions, are: table.keyColumns) {
            return table.byKey[values].map { [table.rows[$0]] } ?? []
        }
        let indexed =
            table.byColumns.firstIndex { names(of: conditions, are: $0.columns) }
            ?? addIndex(to: &table, by: conditions)
        guard !table.byColumns[indexed].index.undecided else { return nil }
        // SQL's `=`: NULL matches nothing.
        guard !values.contains(.null) else { return [] }
        var found: [Row] = []
        for position in table.byColumns[indexed].index.rows[values] ?? [] {
            let row = table.rows[position]
            if let other {
                guard let isOther = matches(row, other, defaults: table.defaults) else { return nil }
                if isOther { continue }
            }
            found.append(row)
        }
        return found
    }

    /// Indexes the rows of `table` by the columns of `conditions`; gives where the index is.
    private static func addIndex(to table: inout Table, by conditions: LineValues) -> Int {
        let columns = conditions.fields.map(\.name)
        var built = ColumnIndex()
        for (position, row) in table.rows.enumerated() {
            index(row, at: position, by: columns, in: &built, defaults: table.defaults)
        }
        table.byColumns.append((columns, built))
        return table.byColumns.count - 1
    }

    /// The values of `columns` of `row`; nil when one of them only the database knows.
    func values(of columns: [String], in row: Row, table: String) -> [FieldValue]? {
        let defaults = columnsWithDefaults[table]
        var values: [FieldValue] = []
        values.reserveCapacity(columns.count)
        for column in columns {
            guard let value = Self.value(of: column, in: row, defaults: defaults) else { return nil }
            values.append(value)
        }
        return values
    }

    /// Adds the pending rows of `table` to `sent` (without taking them), and says whether it
    /// could keep them all: it cannot keep a row whose key it already holds.
    func copyRows(of table: String, into sent: inout PendingCreates) -> Bool {
        guard let position = positions[table] else { return true }
        if sent.isEmpty(table) {
            // Shared whole, its indexes with it, until one side changes.
            sent.count += tables[position].rows.count
            sent.tables[sent.position(of: table)] = tables[position]
            return true
        }
        var keptAll = true
        for row in tables[position].rows {
            keptAll = sent.add(RecordChange(table: table, kind: .create, key: row.key, values: row.values)) && keptAll
        }
        return keptAll
    }

    /// Takes the pending rows of `table`, grouped by the columns they give, in order.
    mutating func take(_ table: String) -> [Group] {
        guard let position = positions[table] else { return [] }
        // The next rows will likely be as many: room is made for them at once.
        let pending = tables[position]
        tables[position] = Table(defaults: pending.defaults, capacity: pending.rows.count)
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
        guard let position = positions[table] else { return }
        count -= tables[position].rows.count
        tables[position] = Table(defaults: tables[position].defaults)
    }

    /// Forgets every pending row: they have reached the database, or no reads wait for them.
    mutating func discardAll() {
        tables = []
        positions = [:]
        count = 0
    }
}
