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
        /// When set, only the first row, in the table's key order, of each value of this column:
        /// a stock line's own movement, not the movements it causes (a transfer's arrival, an
        /// assemblage's components), so that a document shows its lines as its import gave them.
        public let oneRowPer: String?

        public init(_ name: String, table: TableDescription, link: [String], oneRowPer: String? = nil) {
            self.name = name
            self.table = table
            self.link = link
            self.oneRowPer = oneRowPer
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
    /// The list of codes a column accepts, by column: an import stores each in the list's own
    /// case (`P` for `p`).
    private var codeLists: [String: [String]] = [:]
    /// Where a record's column is read from, when it is not the table's column of its name.
    public enum Source: Sendable {
        /// The table's column of another name (`USR_CODE` for `USR_NAME`).
        case column(String)
        /// The column of the row of another table whose `link` column is the record's (a grille
        /// line's `TAR_LIB`, kept once for its grille in `TARIFS`).
        case lookup(table: String, column: String, link: String)
    }

    /// The source of each catalogue field that the table does not keep under its name.
    private let sources: [String: Source]
    /// The key's text columns that hold the numbers the server gives (`ECR_NUMERO`).
    private let numberedKey: Set<String>

    /// `sources` names, by catalogue field, where the fields that the table does not keep
    /// under their name are read from: a record shows every field its import takes, under
    /// the field's name, so that it imports again.
    /// `numberedKey` names the key's text columns that hold the numbers the server gives, in
    /// digits: records are ordered by their number, 2 before 10.
    init(
        table: TableDescription, scope: [(column: String, value: String)], children: [Child],
        sources: [String: Source] = [:], numberedKey: Set<String> = []
    ) {
        let scoped = Set(scope.map(\.column))
        var shownNames: [String: String] = [:]
        var lookups: [TableDescription.Column] = []
        for (name, source) in sources {
            switch source {
            case .column(let stored): shownNames[stored] = name
            case .lookup: lookups.append(TableDescription.Column(name))
            }
        }
        let shown = { (name: String) in shownNames[name] ?? name }
        self.table = table.name
        self.key = table.key.filter { !scoped.contains($0) }.map(shown)
        self.scope = scope
        self.columns =
            (table.columns + table.auditColumns).compactMap { column in
                guard
                    !scoped.contains(column.name)
                        && !(table.name == Self.passwordHash.table && column.name == Self.passwordHash.column)
                else { return nil }
                return TableDescription.Column(shown(column.name), column.type)
            } + lookups.sorted { $0.name < $1.name }
        self.children = children
        self.sources = sources
        self.numberedKey = numberedKey
    }

    /// Whether records are ordered by the number the key's column `name` holds: a decimal (a
    /// grille's `TAR_BORNE`), or a number the server gives; both are kept as text.
    public func ordersByNumber(_ name: String) -> Bool {
        numberedKey.contains(name) || column(named: name)?.type == .decimal
    }

    /// Where the record's column `name` is read from.
    public func source(of name: String) -> Source { sources[name] ?? .column(name) }

    /// `text`, a key part of a record's path, as the key column `name` is compared with: as an
    /// import writes it (`10` and `10,000` both find `10.000`, `eur` finds `EUR`), nil when no
    /// import writes it (not a number).
    public func keyValue(_ text: String, of name: String) -> FieldValue? {
        guard let column = columns.first(where: { $0.name == name }), [.integer, .decimal].contains(column.type) else {
            return .text(written(text, in: name))
        }
        return try? stored(text, of: column)
    }

    /// `raw` as an import stores it in `column`, read as its type reads it: what a filter
    /// compares, so that it finds what an import of the same text wrote. A code that no import
    /// of the column accepts is refused.
    func stored(_ raw: String, of column: TableDescription.Column) throws(ReadRefusal) -> FieldValue {
        let type: FieldType =
            switch column.type {
            case .text: .text(maxLength: nil, codes: codeLists[column.name] ?? [])
            case .integer: .integer
            case .checkbox: .checkbox
            case .decimal: .montant
            case .date: .date
            case .dateTime: .dateTime
            }
        let definition = FieldDefinition(name: column.name, label: column.name, type: type, isRequired: false)
        switch definition.parse(column.type == .text ? written(raw, in: column.name) : raw) {
        case .success(let value): return value
        case .failure(let error): throw ReadRefusal(error.message)
        }
    }

    /// `text` as an import writes it in the text column `name`: a code of a list in the list's
    /// case, a code that the rules write in capitals in capitals, any other text as it is.
    private func written(_ text: String, in name: String) -> String {
        if Reference.capitalizedColumns.contains(name) { return text.uppercased() }
        return codeLists[name]?.first { $0.caseInsensitiveEquals(text) } ?? text
    }

    /// This view with the lists of codes that `catalogue` gives its text columns.
    func accepting(codesOf catalogue: Catalogue) -> RecordView {
        var view = self
        for field in catalogue.fields {
            guard case .text(_, let codes) = field.type, !codes.isEmpty,
                columns.contains(where: { $0.name == field.name && $0.type == .text })
            else { continue }
            view.codeLists[field.name] = codes
        }
        return view
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
