/// A table of the société as a domain describes it: the schema and the store's statements
/// follow from it.
public struct TableDescription: Sendable {
    /// How a column is stored.
    public enum ColumnType: Sendable, Equatable {
        case text
        case integer
        /// 0 or 1, never empty.
        case checkbox
        /// An exact decimal, stored as text in its canonical form (`-12.50`).
        case decimal
        /// `AAAA-MM-JJ`, stored as text.
        case date
        /// `AAAA-MM-JJ HH:MM:SS`, stored as text.
        case dateTime
    }

    public struct Column: Sendable, Equatable {
        public let name: String
        public let type: ColumnType

        public init(_ name: String, _ type: ColumnType = .text) {
            self.name = name
            self.type = type
        }
    }

    public let name: String
    /// The columns of the primary key, in order.
    public let key: [String]
    /// Every column but the audit ones, the key's first.
    public let columns: [Column]
    /// `<prefix>_DTCREE`, `_USRCRE`, `_DTMAJ`, `_USRMAJ` and `_NUMMAJ`, when the table has them.
    public let audit: AuditColumns?
    /// The indexes the table's look-ups need besides its key: their columns, and whether their
    /// values are unique.
    public let indexes: [(columns: [String], unique: Bool)]

    /// A table that no catalogue describes (the stock, the totals of documents).
    public init(
        name: String, key: [String], columns: [Column], audit: AuditColumns? = nil,
        indexes: [(columns: [String], unique: Bool)] = []
    ) {
        self.name = name
        self.key = key
        self.columns = columns
        self.audit = audit
        self.indexes = indexes
    }

    /// The table of a catalogue: a column for each field but `excluding`, then `adding`.
    public init(
        name: String, key: [String], auditPrefix: String?, catalogue: Catalogue, excluding: Set<String> = [],
        adding: [Column] = []
    ) {
        self.name = name
        self.key = key
        self.audit = auditPrefix.map { AuditColumns(prefix: $0, catalogue: catalogue) }
        let fields = catalogue.fields.filter { !excluding.contains($0.name) }.map { field in
            Column(field.name, Self.columnType(of: field.type))
        }
        let keyColumns = key.map { name in
            fields.first(where: { $0.name == name }) ?? adding.first(where: { $0.name == name }) ?? Column(name)
        }
        self.columns = keyColumns + (fields + adding).filter { !key.contains($0.name) }
        self.indexes = []
    }

    /// The columns of the audit that the catalogue does not give, with their types.
    public var auditColumns: [Column] {
        guard let audit else { return [] }
        return audit.names.filter { name in !columns.contains { $0.name == name } }.map { name in
            switch name {
            case audit.updateCount: Column(name, .integer)
            case audit.creationTime, audit.updateTime: Column(name, .dateTime)
            default: Column(name)
            }
        }
    }

    /// How a field of a catalogue is stored.
    public static func columnType(of type: FieldType) -> ColumnType {
        switch type {
        case .checkbox: .checkbox
        case .integer: .integer
        case .decimal: .decimal
        case .date: .date
        case .dateTime: .dateTime
        case .text, .unlimitedText: .text
        }
    }
}
