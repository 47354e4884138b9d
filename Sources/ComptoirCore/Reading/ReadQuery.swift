/// What a list of the read API asks for: a page of at most `limit` records, after a cursor, in
/// the key's order or its reverse, among the records that match every filter.
public struct ReadQuery: Sendable, Equatable {
    public enum Order: Sendable, Equatable {
        case ascending
        case descending
    }

    /// A condition on a column: `CHAMP=v`, `CHAMP.debut=v`, `CHAMP.min=v` or `CHAMP.max=v`.
    public struct Filter: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case equal = ""
            case prefix = "debut"
            case minimum = "min"
            case maximum = "max"

            /// Whether a filter of this kind applies to a column of `type`: a prefix to texts and
            /// dates, bounds to numbers and dates, equality to all.
            public func applies(to type: TableDescription.ColumnType) -> Bool {
                switch self {
                case .equal: true
                case .prefix: [.text, .date, .dateTime].contains(type)
                case .minimum, .maximum: [.integer, .decimal, .date, .dateTime].contains(type)
                }
            }
        }

        public let column: TableDescription.Column
        public let kind: Kind
        /// The value as the column stores it.
        public let value: FieldValue
    }

    public static let defaultLimit = 100
    public static let maximumLimit = 1_000_000

    public let limit: Int
    /// The key of the last record of the previous page.
    public let after: [FieldValue]?
    public let order: Order
    public let filters: [Filter]

    public init(
        limit: Int = defaultLimit, after: [FieldValue]? = nil, order: Order = .ascending, filters: [Filter] = []
    ) {
        self.limit = limit
        self.after = after
        self.order = order
        self.filters = filters
    }

    /// The query of a list's URL parameters, each checked against `view`'s columns.
    public init(parameters: [(name: String, value: String)], view: RecordView) throws(ReadRefusal) {
        var limit = Self.defaultLimit
        var after: [FieldValue]?
        var order = Order.ascending
        var filters: [Filter] = []
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard seen.insert(name.lowercased()).inserted else {
                throw ReadRefusal("Le paramètre \(name) est donné plusieurs fois")
            }
            switch name.lowercased() {
            case "limite":
                guard let number = Int(value), (1...Self.maximumLimit).contains(number) else {
                    throw ReadRefusal("Le paramètre limite doit être un nombre entier de 1 à \(Self.maximumLimit)")
                }
                limit = number
            case "apres":
                after = try Self.key(fromCursor: value, view: view)
            case "ordre":
                switch value.lowercased() {
                case "croissant": order = .ascending
                case "decroissant", "décroissant": order = .descending
                default: throw ReadRefusal("Le paramètre ordre vaut croissant ou decroissant, pas \(value)")
                }
            default:
                try Self.checkFilterValue(value, of: name)
                filters += try Self.filters(name: name, value: value, view: view)
            }
        }
        self.init(limit: limit, after: after, order: order, filters: filters)
    }

    /// The longest filter value: SQLite refuses a longer `LIKE` pattern than 50,000 bytes, and
    /// no field a filter compares holds anything near this.
    public static let maximumFilterLength = 10_000

    /// Refuses a value no stored field can equal or start with: too long, or holding a NUL,
    /// which SQLite's text parameters end at, so that `C42\0x` would find `C42`.
    public static func checkFilterValue(_ value: String, of name: String) throws(ReadRefusal) {
        if value.utf8.count > maximumFilterLength {
            throw ReadRefusal("La valeur de \(name) dépasse \(maximumFilterLength) caractères")
        }
        if value.utf8.contains(0) { throw ReadRefusal("La valeur de \(name) contient un caractère nul") }
    }

    /// The filter `name=value` asks for: one, or two bounds for a day asked of a date-time.
    private static func filters(name: String, value: String, view: RecordView) throws(ReadRefusal) -> [Filter] {
        let parts = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fieldName = String(parts[0])
        let suffix = parts.count == 2 ? String(parts[1]).lowercased() : ""
        guard let column = view.column(named: fieldName) else {
            throw ReadRefusal(
                "Paramètre inconnu : \(name) (ni limite, ni apres, ni ordre, ni un champ des enregistrements)")
        }
        guard let kind = Filter.Kind(rawValue: suffix), parts.count == 1 || kind != .equal else {
            throw ReadRefusal("Filtre inconnu : \(name) (CHAMP, CHAMP.debut, CHAMP.min ou CHAMP.max)")
        }
        switch kind {
        case .equal:
            let stored = try view.stored(value, of: column)
            // A day asked of a date-time finds the whole day, as its bounds do.
            if let day = wholeDay(value, stored, of: column) {
                return [
                    Filter(column: column, kind: .minimum, value: stored),
                    Filter(column: column, kind: .maximum, value: day),
                ]
            }
            return [Filter(column: column, kind: kind, value: stored)]
        case .prefix:
            guard kind.applies(to: column.type) else {
                throw ReadRefusal("Le filtre \(name) ne s'applique qu'aux champs texte et aux dates")
            }
            guard !value.isEmpty else { throw ReadRefusal("Le filtre \(name) demande une valeur") }
            return [Filter(column: column, kind: kind, value: .text(value))]
        case .minimum, .maximum:
            guard kind.applies(to: column.type) else {
                throw ReadRefusal("Le filtre \(name) ne s'applique qu'aux dates, aux montants et aux nombres")
            }
            guard !value.isEmpty else { throw ReadRefusal("Le filtre \(name) demande une valeur") }
            let bound = try view.stored(value, of: column)
            // A day given as the upper bound of a date-time takes the whole day.
            if kind == .maximum, let day = wholeDay(value, bound, of: column) {
                return [Filter(column: column, kind: kind, value: day)]
            }
            return [Filter(column: column, kind: kind, value: bound)]
        }
    }

    /// The last second of the day `raw` names, when it names a day without a time for a
    /// date-time column (`stored`, its midnight); nil otherwise.
    private static func wholeDay(_ raw: String, _ stored: FieldValue, of column: TableDescription.Column)
        -> FieldValue?
    {
        guard column.type == .dateTime, case .text(let text) = stored, text.hasSuffix(" 00:00:00"), !raw.contains(":")
        else { return nil }
        return .text(String(text.dropLast(8)) + "23:59:59")
    }
}

/// A read that cannot be honoured as asked: the French message of its 400.
public struct ReadRefusal: FrenchError, Equatable, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }
}

extension ReadQuery {
    /// The cursor a page gives for the next one: its last record's key, as an opaque token
    /// (the key's values as a JSON array, in base64url).
    public static func cursor(ofKey key: [FieldValue]) -> String {
        let values = key.map { value -> JSONValue in
            switch value {
            case .null: .null
            case .integer(let integer): .number(String(integer))
            case .text(let text): .string(text)
            }
        }
        return Base64URL.encode(Array(JSONValue.array(values).utf8Text.utf8))
    }

    /// The key a cursor holds, checked against `view`'s key.
    static func key(fromCursor cursor: String, view: RecordView) throws(ReadRefusal) -> [FieldValue] {
        let invalid = ReadRefusal("Le paramètre apres n'est pas un curseur donné par une page précédente")
        guard let bytes = Base64URL.decode(cursor), case .array(let values)? = try? JSONValue.parse(bytes),
            values.count == view.key.count
        else { throw invalid }
        var key: [FieldValue] = []
        for value in values {
            switch value {
            // No page gives a NUL, which PostgreSQL refuses in a text and SQLite would compare cut.
            case .string(let text) where text.utf8.contains(0): throw invalid
            case .string(let text): key.append(.text(text))
            case .number(let text):
                guard let integer = Int(text) else { throw invalid }
                key.append(.integer(integer))
            case .null: key.append(.null)
            default: throw invalid
            }
        }
        return key
    }
}

/// Base64 with the URL's alphabet and no padding (RFC 4648 §5): a token that travels in a query
/// string as it is.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var bits = 0
            for byte in chunk { bits = bits << 8 | Int(byte) }
            bits <<= 8 * (3 - chunk.count)
            for position in 0...chunk.count { output.append(alphabet[(bits >> (18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var bits = 0
        var count = 0
        for character in text.utf8 {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            bits = bits << 6 | value
            count += 6
            if count >= 8 {
                count -= 8
                output.append(UInt8((bits >> count) & 0xFF))
            }
            bits &= (1 << count) - 1
        }
        // What is left is the padding of the last byte: fewer than 6 bits, all zero.
        return count < 6 && bits == 0 ? output : nil
    }
}
