import ComptoirCore

/// A connection that reads a société, and nothing else, in snapshots: the read API's, on every
/// store.
protocol ReadingConnection: AnyObject {
    associatedtype Statement: ReadingStatement
    /// How the store's SQL differs.
    static var dialect: SQLDialect { get }
    /// Runs `body` in one read transaction: everything it reads sees the société as it was when
    /// it first read, whatever is written meanwhile.
    func inTransaction<T>(_ body: () throws -> T) throws -> T
    /// Prepares one of Comptoir's own statements, whose parameters are `?`.
    func prepare(_ sql: String) throws -> Statement
    /// Prepares a statement whose rows may be many (a page of up to a million records): they
    /// are read as they are stepped, never all held at once.
    func prepareMany(_ sql: String) throws -> Statement
    /// The columns `table` has, upper-cased: the custom fields a file added among them.
    func columns(of table: String) throws -> [String]
}

/// A statement of a `ReadingConnection`: bound, stepped row by row, read as text.
protocol ReadingStatement: AnyObject {
    /// Binds `values` to the parameters, in order, and starts over.
    func bind(_ values: [FieldValue]) throws
    /// Moves to the next row: false once there is none.
    func step() throws -> Bool
    /// The current row's values, as text; NULL as nil.
    func texts() -> [String?]
}

/// Where the SQL of the stores differs.
enum SQLDialect {
    case sqlite
    case postgres
}

/// The read API's reading of a société: on one connection, in one read transaction that
/// `Societe.reading` holds, so that what it reads never sees part of an import.
public protocol RecordReader {
    /// `domaine`'s records as this société holds them: with the custom fields its table has.
    func view(of domaine: Domaine) throws -> RecordView

    /// Reads a page of `view`'s records, as `query` asks. Gives each record to `record` as it is
    /// read. With `lookAhead`, first gives `start` the key of the page's last record when another
    /// page follows (nil otherwise), before any record: what a page whose head goes out first
    /// needs. Returns that same key, found as the page is read.
    func read(
        _ view: RecordView, query: ReadQuery, lookAhead: Bool, start: ([FieldValue]?) throws -> Void,
        record: (ReadRecord) throws -> Void
    ) throws -> [FieldValue]?

    /// The record of `view` whose key is `key` (its values as text, in the key's order), if
    /// there is one.
    func readRecord(_ view: RecordView, key: [String]) throws -> ReadRecord?
}

/// The read API's reading, the same on every store: on `connection`.
struct ConnectionReader<Connection: ReadingConnection>: RecordReader {
    let connection: Connection

    /// Runs `body` with a reader of `connection`, in one read transaction.
    static func reading<T>(on connection: Connection, _ body: (any RecordReader) throws -> T) throws -> T {
        try connection.inTransaction { try body(ConnectionReader(connection: connection)) }
    }

    func view(of domaine: Domaine) throws -> RecordView {
        guard domaine.catalogue.acceptsCustomFields else { return domaine.reading }
        return domaine.reading.adding(customFields: try connection.columns(of: domaine.reading.table))
    }

    func read(
        _ view: RecordView, query: ReadQuery, lookAhead: Bool, start: ([FieldValue]?) throws -> Void,
        record: (ReadRecord) throws -> Void
    ) throws -> [FieldValue]? {
        let page = RecordQuery(view: view, query: query, dialect: Connection.dialect)
        let children = try ChildQueries(view: view, connection: connection)
        let statement = try connection.prepareMany(page.sql(columns: view.columns.map(\.name), limit: "?"))
        if lookAhead {
            let keys = try connection.prepare(page.sql(columns: view.key, limit: "2 OFFSET ?"))
            try keys.bind(page.arguments + [.integer(query.limit - 1)])
            // The page's last record, then the first of the next page, if there are.
            let last = try keys.step() ? page.key(of: keys.texts(), at: Array(view.key.indices)) : nil
            try start(last != nil && keys.step() ? last : nil)
        } else {
            try start(nil)
        }
        try statement.bind(page.arguments + [.integer(query.limit + 1)])
        var count = 0
        var last: [String?] = []
        while try statement.step() {
            // A record past the page: the page's last one is where the next starts.
            if count == query.limit { return page.key(of: last, at: page.keyIndexes) }
            last = statement.texts()
            try record(ReadRecord(values: last, children: try children.rows(of: last)))
            count += 1
        }
        return nil
    }

    func readRecord(_ view: RecordView, key: [String]) throws -> ReadRecord? {
        var values: [FieldValue] = []
        for (name, text) in zip(view.key, key) {
            guard let value = view.keyValue(text, of: name) else { return nil }
            values.append(value)
        }
        let query = RecordQuery(view: view, query: ReadQuery(limit: 1), dialect: Connection.dialect, key: values)
        let statement = try connection.prepare(query.sql(columns: view.columns.map(\.name), limit: "1"))
        try statement.bind(query.arguments)
        guard try statement.step() else { return nil }
        let found = statement.texts()
        return ReadRecord(
            values: found, children: try ChildQueries(view: view, connection: connection).rows(of: found))
    }
}

/// The SQL of a page of records: the view's scope, the query's filters and cursor, in the key's
/// order; or of the one record whose key is `key`.
private struct RecordQuery {
    let view: RecordView
    let query: ReadQuery
    /// Where each column of the key is among the view's columns.
    let keyIndexes: [Int]
    private(set) var conditions: [String] = []
    private(set) var arguments: [FieldValue] = []

    let dialect: SQLDialect

    init(view: RecordView, query: ReadQuery, dialect: SQLDialect, key: [FieldValue]? = nil) {
        self.view = view
        self.query = query
        self.dialect = dialect
        keyIndexes = view.key.map { name in view.columns.firstIndex { $0.name == name }! }
        for (column, value) in view.scope {
            conditions.append("\(Schema.quoted(column)) = ?")
            arguments.append(.text(value))
        }
        if let key {
            conditions += keyIndexes.map { condition(on: view.columns[$0], "=") }
            arguments += key
        }
        for filter in query.filters { add(filter) }
        if let after = query.after {
            let key = view.key.map(ordered)
            let comparison = query.order == .ascending ? ">" : "<"
            let placeholders = view.key.map { view.ordersByNumber($0) ? "CAST(? AS NUMERIC)" : "?" }
            conditions.append(
                key.count == 1
                    ? "\(key[0]) \(comparison) ?"
                    : "(\(key.joined(separator: ", "))) \(comparison) (\(placeholders.joined(separator: ", ")))")
            arguments += after
        }
    }

    private mutating func add(_ filter: ReadQuery.Filter) {
        let column = quoted(filter.column.name)
        switch filter.kind {
        case .equal where filter.value == .null:
            // An empty value finds the empty fields, however they are kept: a few are empty
            // texts rather than NULL (the société's own natures' `NAT_ORIGIN`, a key column).
            conditions.append(
                filter.column.type == .text ? "(\(column) IS NULL OR \(column) = '')" : "\(column) IS NULL")
            return
        case .equal: conditions.append(condition(on: filter.column, "="))
        case .minimum: conditions.append(condition(on: filter.column, ">="))
        case .maximum: conditions.append(condition(on: filter.column, "<="))
        case .prefix where dialect == .postgres:
            // In the bytes, as SQLite's GLOB: a column compared without case (users' codes) would refuse it.
            conditions.append("starts_with(\(column) COLLATE \"C\", ?)")
        case .prefix:
            // GLOB tells case apart, and SQLite reads a prefix of it with the key's index.
            conditions.append("\(column) GLOB ?")
            arguments.append(.text(Self.globEscaped(filter.value.text ?? "") + "*"))
            return
        }
        arguments.append(filter.value)
    }

    /// `column` compared with a parameter by `comparison`. Decimals are stored as text: they
    /// compare as exact numbers (`10` finds `10.000`), never as binary floats, which cannot
    /// tell 9007199254740993 from 9007199254740992.
    private func condition(on column: TableDescription.Column, _ comparison: String) -> String {
        let name = quoted(column.name)
        return switch (column.type, dialect) {
        case (.decimal, .postgres): "CAST(\(name) AS NUMERIC) \(comparison) CAST(? AS NUMERIC)"
        case (.decimal, .sqlite): "\(ReadOnlyConnection.decimalComparison)(\(name), ?) \(comparison) 0"
        default: "\(name) \(comparison) ?"
        }
    }

    /// The SQL of the page, reading `columns`, its `LIMIT` clause given.
    func sql(columns: [String], limit: String) -> String {
        let direction = query.order == .ascending ? "" : " DESC"
        let order = view.key.map { ordered($0) + direction }.joined(separator: ", ")
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return
            "SELECT \(columns.map(quoted).joined(separator: ", ")) FROM \(Schema.quoted(view.table))\(filter) ORDER BY \(order) LIMIT \(limit)"
    }

    /// The SQL of the view's column `name`: the table's column that holds it, or the lookup of
    /// another table's.
    private func quoted(_ name: String) -> String {
        switch view.source(of: name) {
        case .column(let column): Schema.quoted(column)
        case .lookup(let table, let column, let link):
            "(SELECT \(Schema.quoted(column)) FROM \(Schema.quoted(table)) WHERE \(Schema.quoted(table)).\(Schema.quoted(link)) = \(Schema.quoted(view.table)).\(Schema.quoted(link)))"
        }
    }

    /// The key's column `name` as records are ordered by it: a number kept as text by its
    /// number, so that 5 comes before 10.
    private func ordered(_ name: String) -> String {
        view.ordersByNumber(name) ? "CAST(\(quoted(name)) AS NUMERIC)" : quoted(name)
    }

    /// The key of a row whose key columns are at `indexes`, each value as its column stores it.
    func key(of values: [String?], at indexes: [Int]) -> [FieldValue] {
        zip(view.key, indexes).map { name, index in
            guard let text = values[index] else { return .null }
            // A stored decimal stays as written: the cursor compares keys as they are stored.
            guard view.column(named: name)?.type != .decimal else { return .text(text) }
            return view.keyValue(text, of: name) ?? .text(text)
        }
    }

    /// `text` matched literally by GLOB: its wildcards in brackets.
    private static func globEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "*", "?", "[": escaped += "[\(character)]"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The statements that read each child's rows of a record, prepared once for a whole page.
private struct ChildQueries<Connection: ReadingConnection> {
    let view: RecordView
    let statements: [Connection.Statement]
    /// Where each child's link columns are among the record's columns.
    let linkIndexes: [[Int?]]

    init(view: RecordView, connection: Connection) throws {
        self.view = view
        linkIndexes = view.children.map { child in
            child.link.map { name in view.columns.firstIndex { $0.name == name } }
        }
        statements = try view.children.map { child in
            let columns = child.columns.map { "child.\(Schema.quoted($0.name))" }.joined(separator: ", ")
            let link = child.link.map { "child.\(Schema.quoted($0)) = ?" }.joined(separator: " AND ")
            let order = child.table.key.map { "child.\(Schema.quoted($0))" }.joined(separator: ", ")
            let table = Schema.quoted(child.table.name)
            return try connection.prepare(
                "SELECT \(columns) FROM \(table) AS child WHERE \(link)"
                    + (child.oneRowPer.map { Self.firstOfEach($0, of: child.table) } ?? "") + " ORDER BY \(order)")
        }
    }

    /// The condition that keeps, of the rows `child` of `table` that share a value of `column`,
    /// the first in the key's order: no row of the same record and value comes before it. The
    /// key's last column orders the rows of one record.
    private static func firstOfEach(_ column: String, of table: TableDescription) -> String {
        let record = table.key.dropLast().map { "earlier.\(Schema.quoted($0)) = child.\(Schema.quoted($0))" }
        let order = Schema.quoted(table.key.last ?? column)
        return " AND NOT EXISTS (SELECT 1 FROM \(Schema.quoted(table.name)) AS earlier WHERE "
            + (record + [
                "earlier.\(Schema.quoted(column)) = child.\(Schema.quoted(column))",
                "earlier.\(order) < child.\(order)",
            ]).joined(separator: " AND ") + ")"
    }

    /// The rows of each child of the record whose values are `values`.
    func rows(of values: [String?]) throws -> [[[String?]]] {
        try zip(linkIndexes, statements).map { indexes, statement in
            let link = indexes.map { index -> FieldValue in index.flatMap { values[$0] }.map(FieldValue.text) ?? .null }
            try statement.bind(link)
            var rows: [[String?]] = []
            while try statement.step() { rows.append(statement.texts()) }
            return rows
        }
    }
}
