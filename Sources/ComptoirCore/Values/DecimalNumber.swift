/// An exact decimal number for arithmetic: an integer count of units of 10^-scale. Documents'
/// amounts are computed with it, never with binary floating point.
///
/// Its range is that of `Int128`, far beyond any amount a file can hold (`Montant` has 20
/// digits): sums of such amounts stay within it. Products may not, chained with discounts, so
/// they are reported as nil when they would leave it.
public struct DecimalNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value times 10^scale.
    public let units: Int128
    /// How many decimals the value has.
    public let scale: Int

    public init(units: Int128, scale: Int) {
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int) { self.init(units: Int128(integer), scale: 0) }

    public static let zero = DecimalNumber(0)
    public static let hundred = DecimalNumber(100)

    /// Reads a canonical decimal as `ExactDecimal` stores it (`-12.5000`), or an integer.
    public init?(_ text: String) {
        var negative = false
        var units: Int128 = 0
        var scale = 0
        var inFraction = false
        var digits = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard !inFraction else { return nil }
                inFraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 36 else { return nil }
                units = units * 10 + Int128(byte - UInt8(ascii: "0"))
                if inFraction { scale += 1 }
            default: return nil
            }
        }
        guard digits > 0 else { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    /// The value with `scale` decimals, exactly (a larger scale), or nil when it would need
    /// rounding or leave the range.
    func rescaled(to scale: Int) -> DecimalNumber? {
        guard scale >= self.scale else { return nil }
        var units = self.units
        for _ in self.scale..<scale {
            let (product, overflow) = units.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            units = product
        }
        return DecimalNumber(units: units, scale: scale)
    }

    /// Rounded to `scale` decimals, half away from zero.
    public func rounded(to scale: Int) -> DecimalNumber {
        guard scale < self.scale else { return rescaled(to: scale) ?? self }
        var divisor: Int128 = 1
        for _ in scale..<self.scale { divisor *= 10 }
        let (quotient, remainder) = units.quotientAndRemainder(dividingBy: divisor)
        let magnitude = remainder.magnitude * 2
        let roundsAway = magnitude >= divisor.magnitude
        let adjusted = roundsAway ? quotient + (units < 0 ? -1 : 1) : quotient
        return DecimalNumber(units: adjusted, scale: scale)
    }

    /// The same value without trailing zero decimals.
    var normalized: DecimalNumber {
        var units = self.units
        var scale = self.scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return DecimalNumber(units: units, scale: scale)
    }

    public static func + (lhs: DecimalNumber, rhs: DecimalNumber) -> DecimalNumber {
        let scale = max(lhs.scale, rhs.scale)
        return DecimalNumber(units: lhs.rescaled(to: scale)!.units + rhs.rescaled(to: scale)!.units, scale: scale)
    }

    public static func - (lhs: DecimalNumber, rhs: DecimalNumber) -> DecimalNumber {
        lhs + DecimalNumber(units: -rhs.units, scale: rhs.scale)
    }

    public static func += (lhs: inout DecimalNumber, rhs: DecimalNumber) { lhs = lhs + rhs }

    /// The exact product, its trailing zero decimals dropped so that chained products stay small.
    public static func * (lhs: DecimalNumber, rhs: DecimalNumber) -> DecimalNumber? {
        let (product, overflow) = lhs.units.multipliedReportingOverflow(by: rhs.units)
        return overflow ? nil : DecimalNumber(units: product, scale: lhs.scale + rhs.scale).normalized
    }

    /// `lhs / rhs` rounded to `scale` decimals, half away from zero; nil when `rhs` is zero.
    public static func divided(_ lhs: DecimalNumber, by rhs: DecimalNumber, scale: Int) -> DecimalNumber? {
        guard rhs.units != 0 else { return nil }
        // lhs.units × 10^(scale + 1 + rhs.scale − lhs.scale) / rhs.units, then one more digit rounded.
        let shift = scale + 1 + rhs.scale - lhs.scale
        var numerator = lhs.units
        var denominator = rhs.units
        if shift >= 0 {
            guard let widened = DecimalNumber(units: numerator, scale: 0).rescaled(to: shift) else { return nil }
            numerator = widened.units
        } else {
            guard let widened = DecimalNumber(units: denominator, scale: 0).rescaled(to: -shift) else { return nil }
            denominator = widened.units
        }
        let quotient = numerator / denominator
        // The truncated extra digit decides: half away from zero needs no more.
        return DecimalNumber(units: quotient, scale: scale + 1).rounded(to: scale)
    }

    public static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.rescaled(to: scale), let right = rhs.rescaled(to: scale) else {
            // Out of range once aligned: the one with more integer digits is the larger in magnitude.
            return (lhs.units < 0) != (rhs.units < 0) ? lhs.units < 0 : lhs.scale > rhs.scale
        }
        return left.units < right.units
    }

    public static func == (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
        // Of one scale, as the rates and amounts of one document mostly are: no need to normalize.
        if lhs.scale == rhs.scale { return lhs.units == rhs.units }
        let left = lhs.normalized
        let right = rhs.normalized
        return left.units == right.units && left.scale == right.scale
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.units)
        hasher.combine(value.scale)
    }

    /// How many digits its integer part has, none for less than 1.
    var integerDigitCount: Int {
        var magnitude = units.magnitude
        for _ in 0..<scale { magnitude /= 10 }
        var count = 0
        while magnitude > 0 {
            count += 1
            magnitude /= 10
        }
        return count
    }

    /// The value divided by 100, exactly: a percentage as a fraction.
    public var hundredth: DecimalNumber { DecimalNumber(units: units, scale: scale + 2) }

    public var isNegative: Bool { units < 0 }
    public var isZero: Bool { units == 0 }
    public var magnitude: DecimalNumber { DecimalNumber(units: units < 0 ? -units : units, scale: scale) }

    /// As stored: `-` when negative, the integer digits, then `.` and exactly `scale` decimals.
    /// Written digit by digit: documents store several amounts per line.
    public var description: String {
        // Most amounts fit in 64 bits, whose division is much cheaper than Int128's.
        if let small = UInt64(exactly: units.magnitude) {
            return Self.text(of: small, negative: units < 0, scale: scale)
        }
        var digits: [UInt8] = []
        var magnitude = units.magnitude
        repeat {
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
            magnitude = quotient
        } while magnitude > 0 || digits.count <= scale
        if scale > 0 { digits.insert(UInt8(ascii: "."), at: scale) }
        if units < 0 { digits.append(UInt8(ascii: "-")) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// `value` × 10^-`scale` as stored, its digits written from the end of a buffer on the stack:
    /// most amounts are short enough for a string that needs no memory of its own.
    private static func text(of value: UInt64, negative: Bool, scale: Int) -> String {
        let capacity = 22 + scale
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var position = capacity
            var value = value
            var written = 0
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                written += 1
                if written == scale {
                    position -= 1
                    buffer[position] = UInt8(ascii: ".")
                }
            } while value > 0 || written <= scale
            if negative {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[position...]), as: UTF8.self)
        }
    }

    /// As a French message writes it: a decimal comma, no trailing zero decimals (`2,5`, `10`).
    public var french: String { String(normalized.description.map { $0 == "." ? "," : $0 }) }

    /// The value stored with exactly `scale` decimals (`12.50` for 2), rounded if need be.
    public func stored(scale: Int) -> FieldValue { .text(rounded(to: scale).description) }
}
