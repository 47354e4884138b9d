/// How the read API shows a domain's records: the rows of its table that are the domain's, their
/// columns and key, and the rows of other tables that come with each one (a document's lines).
public struct RecordView: Sendable {
    /// Rows of another table that belong to a record, tied to it by columns named alike.
    public struct Child: Sendable {
        /// The member of the record that holds them: `lignes`.
        public let name: String
        public let table: TableDescription
        /// The columns of the record's key that the child rows carry.
        public let link: [String]

        public init(_ name: String, table: TableDescription, link: [String]) {
            self.name = name
            self.table = table
            self.link = link
        }

        /// What a child row shows: its columns but the ones that tie it to its record.
        public var columns: [TableDescription.Column] {
            (table.columns + table.auditColumns).filter { !link.contains($0.name) }
        }
    }

    /// The column a password's hash is kept in: never shown, whatever the request.
    public static let passwordHash = (table: "UTILISATEURS", column: "USR_MDP_HASH")

    public let table: String
    /// The columns that name a record, in order: the table's key but the scope's columns.
    public let key: [String]
    /// The columns whose value tells the domain's rows from the others of a shared table
    /// (`PCF_TYPE = 'C'` for the clients).
    public let scope: [(column: String, value: String)]
    /// What a record shows, the key's columns first, its custom fields last.
    public private(set) var columns: [TableDescription.Column]
    public let children: [Child]

    init(table: TableDescription, scope: [(column: String, value: String)], children: [Child]) {
        let scoped = Set(scope.map(\.column))
        self.table = table.name
        self.key = table.key.filter { !scoped.contains($0) }
        self.scope = scope
        self.columns = (table.columns + table.auditColumns).filter { column in
            !scoped.contains(column.name)
                && !(table.name == Self.passwordHash.table && column.name == Self.passwordHash.column)
        }
        self.children = children
    }

    /// `text`, a key part of a record's path, as the key column `name` is compared with: a
    /// number read as an import reads one (`10` and `10,000` both find `10.000`), nil when it is
    /// not a number.
    public func keyValue(_ text: String, of name: String) -> FieldValue? {
        guard let column = columns.first(where: { $0.name == name }), [.integer, .decimal].contains(column.type) else {
            return .text(text)
        }
        return try? ReadQuery.stored(text, of: column)
    }

    /// This view with the custom fields (`XXX_…`) that the société's table has: columns a file
    /// added, which each société has its own of.
    public func adding(customFields names: [String]) -> RecordView {
        var view = self
        view.columns += names.filter(Catalogue.isCustomFieldName).map { TableDescription.Column($0) }
        return view
    }

    /// The column of a record named `name`, without regard to case.
    public func column(named name: String) -> TableDescription.Column? {
        let uppercased = name.uppercased()
        return columns.first { $0.name == uppercased }
    }
}
