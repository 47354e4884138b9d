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

/// What the import rules read from and write to a société, inside the request's transaction.
/// The store implements it; the rules stay free of I/O. Errors thrown are unexpected failures
/// that abort the whole request.
public protocol RecordStore {
    func tiers(code: String) throws -> ExistingTiers?
    /// The code of a tiers other than `code` whose `CPT_NUMERO` is `number`, if any.
    func tiersHoldingAccount(_ number: String, other code: String) throws -> String?
    func account(number: String) throws -> ExistingAccount?
    /// `tiers(code:)`, `account(number:)` and `tiersHoldingAccount(_:other:)` at once.
    func tiersAndAccount(code: String, accountNumber number: String) throws -> TiersAndAccount
    func paysExists(_ code: String) throws -> Bool
    func deviseExists(_ code: String) throws -> Bool
    /// A value of the société's `PREFERENCES`.
    func preference(_ code: String) throws -> String?
    /// The update count (`<PREFIX>_NUMMAJ` in `countColumn`) of the row of `table` keyed `key`,
    /// or nil when there is no such row.
    func updateCount(in table: String, key: LineValues, countColumn: String) throws -> Int?
    /// Whether `table` has a row keyed `key`.
    func exists(in table: String, key: LineValues) throws -> Bool
    /// Makes sure `table` has a text column for each custom field.
    func addCustomColumns(_ names: [String], to table: String) throws
    /// The custom `XXX_` columns `table` has.
    func customColumns(of table: String) throws -> [String]
    func write(_ change: RecordChange) throws
}

extension RecordStore {
    public func tiersAndAccount(code: String, accountNumber number: String) throws -> TiersAndAccount {
        TiersAndAccount(
            tiers: try tiers(code: code), account: try account(number: number),
            otherHolder: try tiersHoldingAccount(number, other: code))
    }
}
