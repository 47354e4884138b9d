import ComptoirCore

/// The updates a request has made of rows already sent, waiting to be sent together: one
/// statement for the rows of a table updated by the same key columns with the same columns.
/// Two updates of one row become one, the later values over the earlier.
struct PendingUpdates {
    /// The rows of one statement.
    struct Group {
        let table: String
        let keyColumns: [String]
        let columns: [String]
        /// Each row's key values, then its values of `columns`.
        var rows: [[FieldValue]]
    }

    private struct Target: Hashable {
        let table: String
        let keyColumns: [String]
        let key: [FieldValue]
    }

    private var updates: [Target: LineValues] = [:]
    /// The targets in the order of their first update, so that the statements come in the same
    /// order from one run to the next.
    private var order: [Target] = []

    var count: Int { order.count }

    mutating func add(_ update: RecordChange) {
        let target = Target(
            table: update.table, keyColumns: update.key.fields.map(\.name), key: update.key.fields.map(\.value))
        guard var values = updates[target] else {
            updates[target] = update.values
            order.append(target)
            return
        }
        for field in update.values.fields { values.set(field.name, field.value) }
        updates[target] = values
    }

    /// Takes every update, grouped for their statements.
    mutating func take() -> [Group] {
        var groups: [Group] = []
        var groupOf: [[String]: Int] = [:]
        for target in order {
            let values = updates[target]!
            let columns = values.fields.map(\.name)
            let shape = [target.table] + target.keyColumns + [""] + columns
            let row = target.key + values.fields.map(\.value)
            if let index = groupOf[shape] {
                groups[index].rows.append(row)
            } else {
                groupOf[shape] = groups.count
                groups.append(Group(table: target.table, keyColumns: target.keyColumns, columns: columns, rows: [row]))
            }
        }
        updates = [:]
        order = []
        return groups
    }
}
