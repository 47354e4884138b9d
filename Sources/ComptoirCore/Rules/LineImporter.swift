/// Who changes a record and when, for the audit columns.
public struct AuditStamp: Sendable, Equatable {
    public let user: String
    /// Local time as `AAAA-MM-JJ HH:MM:SS`.
    public let time: String

    public init(user: String, time: String) {
        self.user = user
        self.time = time
    }
}

/// What became of one data line.
public enum LineOutcome: Sendable, Equatable {
    case imported(warnings: [LineWarning])
    case rejected(LineRejection)
}

/// A warning of an imported line. The journal writes most of them under the line's heading
/// (`La ligne N comporte les avertissements suivants :`); a few stand alone, as Gestimum
/// writes its bank-details warnings. A string literal is a warning under the heading.
public struct LineWarning: Sendable, Equatable, ExpressibleByStringInterpolation {
    public let message: String
    /// Written on a journal line of its own, with no heading before it.
    public let standsAlone: Bool

    public init(_ message: String, standsAlone: Bool = false) {
        self.message = message
        self.standsAlone = standsAlone
    }

    public init(stringLiteral message: String) { self.init(message) }

    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(String(stringInterpolation: stringInterpolation))
    }
}

/// The import rules of a domain, whatever their kind.
public protocol DomainRules: Sendable {
    /// The table the domain's custom fields go to.
    var table: String { get }
}

/// The import rules of one domain, in two steps. `prepare` needs nothing of the société's rows,
/// so it runs ahead, on the thread that reads the lines; `apply` reads and writes the société,
/// inside the request's transaction, one line after the other.
public protocol LineImporter: DomainRules {
    /// A line as `prepare` leaves it for `apply`.
    associatedtype PreparedLine: Sendable
    /// These rules with what they take from the société's settings, read once per request
    /// before any line: an import does not change them.
    func settled(in store: some RecordStore) throws -> Self
    /// The checks and values of a line that need no row of the société: the line ready for
    /// `apply`, or the reasons it is rejected.
    func prepare(_ line: LineValues) -> Result<PreparedLine, LineRejection>
    /// Takes the prepared line over: its values can then be completed in place.
    func apply(_ line: consuming PreparedLine, to store: some RecordStore) throws -> LineOutcome
    /// The reads `apply` will make of `line`, when they can be told before: the store is told
    /// them for a chunk of lines at once (`RecordStore.prepare(for:then:)`).
    func plannedReads(of line: borrowing PreparedLine) -> [PlannedRead]
}

extension LineImporter {
    public func settled(in store: some RecordStore) throws -> Self { self }

    public func plannedReads(of line: borrowing PreparedLine) -> [PlannedRead] { [] }

    /// One line through every step, on the calling thread.
    public func importLine(_ line: LineValues, into store: some RecordStore) throws -> LineOutcome {
        let rules = try settled(in: store)
        switch rules.prepare(line) {
        case .success(let prepared): return try rules.apply(prepared, to: store)
        case .failure(let rejection): return .rejected(rejection)
        }
    }
}

extension LineImporter where PreparedLine == LineValues {
    /// Rules whose every check reads the société take the line as it is read.
    public func prepare(_ line: LineValues) -> Result<LineValues, LineRejection> { .success(line) }
}
