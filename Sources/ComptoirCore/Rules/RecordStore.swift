/// A row to write: created, or updated on its key with only the given columns.
public struct RecordChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case create
        case update
    }

    public let table: String
    public let kind: Kind
    public let key: LineValues
    public let values: LineValues

    public init(table: String, kind: Kind, key: LineValues, values: LineValues) {
        self.table = table
        self.kind = kind
        self.key = key
        self.values = values
    }
}

/// A tiers as the import rules need to see it before changing it.
public struct ExistingTiers: Sendable, Equatable {
    public let type: TiersType
    public let accountNumber: String?
    public let payCode: String?
    public let updateCount: Int

    public init(type: TiersType, accountNumber: String?, payCode: String?, updateCount: Int) {
        self.type = type
        self.accountNumber = accountNumber
        self.payCode = payCode
        self.updateCount = updateCount
    }
}

/// An account of `COMPTES` as the import rules need to see it.
public struct ExistingAccount: Sendable, Equatable {
    public let type: String
    public let tiersCode: String?

    public init(type: String, tiersCode: String?) {
        self.type = type
        self.tiersCode = tiersCode
    }
}

/// What a tiers line that gives its account number reads of the société, in one look.
public struct TiersAndAccount: Sendable, Equatable {
    /// The tiers of the line's code.
    public let tiers: ExistingTiers?
    /// The account of the line's number.
    public let account: ExistingAccount?
    /// The code of a tiers other than the line's whose `CPT_NUMERO` is the line's number.
    public let otherHolder: String?

    public init(tiers: ExistingTiers?, account: ExistingAccount?, otherHolder: String?) {
        self.tiers = tiers
        self.account = account
        self.otherHolder = otherHolder
    }
}

/// A read a line will make, told to the store for a chunk of lines before they are applied, so
/// that a store whose every look costs a round trip makes them all at once.
public enum PlannedRead: Sendable, Hashable {
    case tiersAndAccount(code: String, accountNumber: String)
    /// `exists(in: table, key:)`, for the key of these columns and values.
    case exists(table: String, columns: [String], values: [FieldValue])

    public static func exists(in table: String, key: LineValues) -> PlannedRead {
        .exists(table: table, columns: key.fields.map(\.name), values: key.fields.map(\.value))
    }
}

/// What the import rules read from and write to a société, inside the request's transaction:
/// the port every store implements (SQLite, the tests' memory), generic over tables. The typed
/// reads the rules use sit on top of it, below. Errors thrown are unexpected failures that
/// abort the whole request.
public protocol RecordStore {
    /// The values of `columns` in the row of `table` keyed `key`, or nil when there is no such
    /// row. A table the société does not have holds no row.
    func row(in table: String, key: LineValues, columns: [String]) throws -> [FieldValue]?
    /// Whether `table` has a row keyed `key`.
    func exists(in table: String, key: LineValues) throws -> Bool
    /// The values of `columns` in a row of `table` whose columns hold the values of `matching`,
    /// other than the row keyed `other`: a look-up on columns that are not the key.
    func firstRow(in table: String, matching: LineValues, other: LineValues, columns: [String]) throws -> [FieldValue]?
    /// The values of `columns` in every row of `table` whose columns hold the values of
    /// `matching`, in the order of `columns`' values.
    func rows(in table: String, matching: LineValues, columns: [String]) throws -> [[FieldValue]]
    /// The first text of `column`, in the column's order, from `lowest` through `highest` and
    /// as long as `lowest`, among the rows of `table` whose columns hold the values of
    /// `matching`: which numbers of a counter, of one width, are free, in one look rather than
    /// one per number.
    func firstValue(
        of column: String, in table: String, matching: LineValues, from lowest: String, through highest: String
    ) throws -> String?
    func write(_ change: RecordChange) throws
    /// Writes `changes` in order, as `write` does each: a store may write several rows of one
    /// table at once.
    func write(contentsOf changes: [RecordChange]) throws
    /// The value of the counter `PREFERENCES.<counter>`, which is then left incremented
    /// (`Counter.incremented`); nil when the société has no such counter.
    func nextNumber(of counter: String) throws -> String?
    /// A value of the société's `PREFERENCES`.
    func preference(_ code: String) throws -> String?
    /// Makes sure `table` has a text column for each custom field.
    func addCustomColumns(_ names: [String], to table: String) throws
    /// The custom `XXX_` columns `table` has.
    func customColumns(of table: String) throws -> [String]
    /// `tiers(code:)`, `account(number:)` and `tiersHoldingAccount(_:other:)` at once: a store
    /// may answer it in one look, since a tiers line with its account asks it of every line.
    func tiersAndAccount(code: String, accountNumber number: String) throws -> TiersAndAccount
    /// Before a chunk of lines is applied: the reads its lines will make, and those of the chunk
    /// after it, when known. A store may make them all at once and answer them later from what
    /// it read, as long as nothing written since changed the answer; it may ask the next
    /// chunk's now, so that their answers travel while this chunk is applied. `reads` are then
    /// those given as `next` the time before.
    func prepare(for reads: [PlannedRead], then next: [PlannedRead]?) throws
    /// Whether `prepare(for:then:)` does anything: if not, the lines' reads are not even listed.
    var wantsPlannedReads: Bool { get }
}

extension RecordStore {
    /// A store whose reads are cheap makes them when they come.
    public func prepare(for reads: [PlannedRead], then next: [PlannedRead]?) throws {}

    public var wantsPlannedReads: Bool { false }

    public func write(contentsOf changes: [RecordChange]) throws {
        for change in changes { try write(change) }
    }

    public func tiersAndAccount(code: String, accountNumber number: String) throws -> TiersAndAccount {
        TiersAndAccount(
            tiers: try tiers(code: code), account: try account(number: number),
            otherHolder: try tiersHoldingAccount(number, other: code))
    }

    /// `addCustomColumns`, refused with a French message, before any is added, when `table`
    /// would hold more than `Catalogue.maximumCustomFields`: the database's own limit would
    /// fail the request unexplained, and the fields a request adds stay for the next.
    public func addCustomFields(_ names: [String], to table: String) throws {
        guard !names.isEmpty else { return }
        let count = Set(try customColumns(of: table)).union(names).count
        guard count <= Catalogue.maximumCustomFields else {
            throw RequestRefusal(
                "Trop de champs personnalisés pour la table \(table) : elle en aurait \(count), "
                    + "pour \(Catalogue.maximumCustomFields) au plus")
        }
        try addCustomColumns(names, to: table)
    }

    /// The columns `tiers(code:)` reads, in the order `ExistingTiers(row:)` takes them.
    public static var tiersColumns: [String] { ["PCF_TYPE", "CPT_NUMERO", "PAY_CODE", "PCF_NUMMAJ"] }
    /// The columns `account(number:)` reads, in the order `ExistingAccount(row:)` takes them.
    public static var accountColumns: [String] { ["CPT_TYPE", "PCF_CODE"] }

    public func tiers(code: String) throws -> ExistingTiers? {
        try row(in: "TIERS", key: LineValues([("PCF_CODE", .text(code))]), columns: Self.tiersColumns)
            .flatMap(ExistingTiers.init(row:))
    }

    public func account(number: String) throws -> ExistingAccount? {
        try row(in: "COMPTES", key: LineValues([("CPT_NUMERO", .text(number))]), columns: Self.accountColumns)
            .map(ExistingAccount.init(row:))
    }

    /// The family of sous-famille `code`, when it exists and has one.
    public func family(ofSousFamille code: String) throws -> String? {
        try row(in: "ART_SFAM", key: LineValues([("SFA_CODE", .text(code))]), columns: ["FAR_CODE"])?[0].text
    }

    /// The type of analytic section `code` (`G`, or `R` for a regroupement; `G` when unsaid),
    /// nil when the société has no such section.
    public func sectionType(code: String) throws -> String? {
        try row(in: "ANALYTIQUES", key: LineValues([("ANA_CODE", .text(code))]), columns: ["ANA_TYPE"])
            .map { $0[0].text ?? "G" }
    }

    /// The code of a tiers other than `code` whose `CPT_NUMERO` is `number`, if any.
    public func tiersHoldingAccount(_ number: String, other code: String) throws -> String? {
        try firstRow(
            in: "TIERS", matching: LineValues([("CPT_NUMERO", .text(number))]),
            other: LineValues([("PCF_CODE", .text(code))]), columns: ["PCF_CODE"]
        )?.first?.text
    }

    /// The update count (`<PREFIX>_NUMMAJ` in `countColumn`) of the row of `table` keyed `key`,
    /// or nil when there is no such row.
    public func updateCount(in table: String, key: LineValues, countColumn: String) throws -> Int? {
        try row(in: table, key: key, columns: [countColumn]).map { $0[0].integer ?? 0 }
    }
}

extension ExistingTiers {
    /// A tiers from the values of `RecordStore.tiersColumns`; nil without a valid type.
    public init?(row: [FieldValue]) {
        guard let type = row[0].text.flatMap(TiersType.init(rawValue:)) else { return nil }
        self.init(type: type, accountNumber: row[1].text, payCode: row[2].text, updateCount: row[3].integer ?? 0)
    }
}

extension ExistingAccount {
    /// An account from the values of `RecordStore.accountColumns`.
    public init(row: [FieldValue]) {
        self.init(type: row[0].text ?? "", tiersCode: row[1].text)
    }
}
