/// A field's value as it is stored: text (also exact decimals and ISO dates), 0/1, or nothing.
public enum FieldValue: Sendable, Equatable, Hashable {
    case null
    case text(String)
    case integer(Int)

    public var text: String? {
        if case .text(let text) = self { text } else { nil }
    }

    public var integer: Int? {
        if case .integer(let integer) = self { integer } else { nil }
    }
}

extension FieldDefinition {
    /// The stored value of `raw` (already split and trimmed), or the French reason it is refused.
    /// An empty value clears the field (a cleared checkbox is stored unchecked).
    public func parse(_ raw: String) -> Result<FieldValue, FieldError> {
        if raw.isEmpty { return .success(.null) }
        switch type {
        case .unlimitedText:
            return .success(.text(raw))
        case .text(let maxLength, let codes):
            // Characters never outnumber UTF-8 bytes: only a long text needs counting.
            if let maxLength, raw.utf8.count > maxLength, raw.count > maxLength {
                return .failure(FieldError("Le champ \(name) dépasse \(counted(maxLength, "caractère"))"))
            }
            guard !codes.isEmpty else { return .success(.text(raw)) }
            if let code = codes.first(where: { $0.caseInsensitiveEquals(raw) }) { return .success(.text(code)) }
            return .failure(
                FieldError(
                    "Le champ \(name) n'accepte pas la valeur \(raw) (valeurs possibles : \(codes.joined(separator: ", ")))"
                )
            )
        case .checkbox:
            if let checked = Self.checkboxValue(raw) { return .success(.integer(checked ? 1 : 0)) }
            return .failure(FieldError("Le champ \(name) n'est pas une case à cocher valide : \(raw) (0 ou 1 attendu)"))
        case .integer:
            if let integer = Self.integerValue(raw) { return .success(.integer(integer)) }
            return .failure(FieldError("Le champ \(name) n'est pas un nombre entier valide : \(raw)"))
        case .date:
            if let date = CalendarDate(parsing: raw) { return .success(.text(date.iso)) }
            return .failure(FieldError("Le champ \(name) n'est pas une date valide : \(raw)"))
        case .dateTime:
            if let stored = Self.dateTimeValue(raw) { return .success(.text(stored)) }
            return .failure(FieldError("Le champ \(name) n'est pas une date et heure valide : \(raw)"))
        case .decimal(let digits, let scale):
            switch ExactDecimal.parse(raw, digits: digits, scale: scale) {
            case .success(let decimal): return .success(.text(decimal.text))
            case .failure(.notANumber):
                return .failure(FieldError("Le champ \(name) n'est pas un nombre valide : \(raw)"))
            case .failure(.tooManyDecimals):
                return .failure(FieldError("Le champ \(name) comporte plus de \(counted(scale, "décimale")) : \(raw)"))
            case .failure(.tooManyDigits):
                return .failure(
                    FieldError(
                        "Le champ \(name) dépasse \(counted(digits - scale, "chiffre")) avant la virgule : \(raw)"))
            }
        }
    }

    /// An optional sign, then ASCII digits, within `Int`.
    private static func integerValue(_ raw: String) -> Int? {
        let digits = raw.first == "-" || raw.first == "+" ? raw.dropFirst() : Substring(raw)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(raw.first == "+" ? String(digits) : raw)
    }

    /// `JJ/MM/AAAA` or `AAAA-MM-JJ`, then optionally a space or `T` and `HH:MM[:SS]`, as
    /// `AAAA-MM-JJ HH:MM:SS`; nil for a day or a time that does not exist.
    private static func dateTimeValue(_ raw: String) -> String? {
        let parts = raw.split(maxSplits: 1, omittingEmptySubsequences: false) { $0 == " " || $0 == "T" }
        guard let date = CalendarDate(parsing: String(parts[0])) else { return nil }
        guard parts.count == 2 else { return date.iso + " 00:00:00" }
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        let limits = [23, 59, 59]
        guard (2...3).contains(time.count) else { return nil }
        var stored: [String] = []
        for (part, limit) in zip(time, limits) {
            guard (1...2).contains(part.count), part.allSatisfy(\.isASCIIDigit), let value = Int(part), value <= limit
            else { return nil }
            stored.append(value < 10 ? "0\(value)" : "\(value)")
        }
        if stored.count == 2 { stored.append("00") }
        return date.iso + " " + stored.joined(separator: ":")
    }

    private static func checkboxValue(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "1", "oui", "o", "vrai", "true": true
        case "0", "non", "n", "faux", "false": false
        default: nil
        }
    }
}

/// `count` and `noun`, plural from two on, as French writes it (`1 caractère`, `0 décimale`).
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count > 1 ? "s" : "")" }

/// Why a value is refused, in French, naming the field.
public struct FieldError: Error, Equatable, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}

extension String {
    /// Whether the two texts are the same but for case. Codes are most often written as they
    /// are listed, or in ASCII: both are told without making lower-case copies.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        if self == other { return true }
        let (mine, theirs) = (utf8, other.utf8)
        guard mine.allSatisfy({ $0 < 0x80 }), theirs.allSatisfy({ $0 < 0x80 }) else {
            return lowercased() == other.lowercased()
        }
        func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
        return mine.count == theirs.count && zip(mine, theirs).allSatisfy { lower($0) == lower($1) }
    }

    /// `uppercased()`, as a code is compared: an ASCII text without a lower-case letter, as
    /// codes mostly are, is itself, found without Unicode's case mapping.
    func uppercasedCode() -> String {
        utf8.allSatisfy({ $0 < 0x80 && !(97...122).contains($0) }) ? self : uppercased()
    }
}

/// A day of the Gregorian calendar, read from `JJ/MM/AAAA` or `AAAA-MM-JJ`.
public struct CalendarDate: Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless `text` is one of the two forms and names a day that exists.
    public init?(parsing text: String) {
        let slash = UInt8(ascii: "/")
        let separator = text.utf8.contains(slash) ? slash : UInt8(ascii: "-")
        var bytes = text.utf8.makeIterator()
        guard let first = Self.number(&bytes, until: separator), !first.atEnd,
            let second = Self.number(&bytes, until: separator), !second.atEnd,
            let third = Self.number(&bytes, until: separator), third.atEnd
        else { return nil }
        let (day, month, year) = separator == slash ? (first, second, third) : (third, second, first)
        guard year.width == 4, (1...2).contains(month.width), (1...2).contains(day.width),
            year.value >= 1, (1...12).contains(month.value), day.value >= 1,
            day.value <= Self.daysIn(month: month.value, year: year.value)
        else { return nil }
        (self.year, self.month, self.day) = (year.value, month.value, day.value)
    }

    /// The ASCII digits up to the next `separator` (read too) or the end of the text: their value,
    /// how many they are, and whether the text ends there. Nil for any other character, or for
    /// more digits than a date part has.
    private static func number(
        _ bytes: inout String.UTF8View.Iterator,
        until separator: UInt8
    ) -> (value: Int, width: Int, atEnd: Bool)? {
        var value = 0
        var width = 0
        while let byte = bytes.next() {
            if byte == separator { return (value, width, false) }
            guard (48...57).contains(byte), width < 4 else { return nil }
            value = value * 10 + Int(byte - 48)
            width += 1
        }
        return (value, width, true)
    }

    /// `AAAA-MM-JJ`, as dates are stored; written as bytes, since every date of every line is.
    public var iso: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        func append(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        append(year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        append(month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        append(day, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { (48...57).contains($0) } ?? false }
}
