/// An exact decimal number, kept as text so that no binary floating point ever touches it.
///
/// Read from `Montant` and `Nombre à virgule` values: an optional sign, `.` or `,` as decimal
/// separator, and spaces (also non-breaking ones, as French formatting uses) between digit groups.
public struct ExactDecimal: Equatable, Sendable {
    /// The canonical form: `-` when negative, the integer digits without leading zeros, `.`,
    /// then exactly `scale` decimals. `1 234,5` with scale 4 is `1234.5000`.
    public let text: String

    public enum ParseError: Error, Equatable {
        case notANumber
        case tooManyDecimals
        case tooManyDigits
    }

    /// Parses `raw` as a decimal of at most `digits` digits, `scale` of them after the separator.
    /// Read and written as bytes: every amount and quantity of every line goes through here.
    public static func parse(_ raw: String, digits: Int, scale: Int) -> Result<ExactDecimal, ParseError> {
        var scalars = Substring(raw).unicodeScalars[...]
        var negative = false
        if let sign = scalars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            scalars = scalars.dropFirst()
        }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var inFraction = false
        var previousWasDigit = false
        var pendingGroupSpace = false
        for scalar in scalars {
            switch scalar {
            case "0"..."9":
                if inFraction {
                    fractionDigits.append(UInt8(scalar.value))
                } else {
                    integerDigits.append(UInt8(scalar.value))
                }
                previousWasDigit = true
                pendingGroupSpace = false
            case " ", "\u{A0}", "\u{202F}":
                // A space only between two digits of the integer part.
                guard !inFraction, previousWasDigit else { return .failure(.notANumber) }
                previousWasDigit = false
                pendingGroupSpace = true
            case ".", ",":
                guard !inFraction, previousWasDigit || integerDigits.isEmpty, !pendingGroupSpace else {
                    return .failure(.notANumber)
                }
                inFraction = true
                previousWasDigit = false
            default:
                return .failure(.notANumber)
            }
        }
        if pendingGroupSpace || (integerDigits.isEmpty && fractionDigits.isEmpty)
            || (inFraction && fractionDigits.isEmpty)
        {
            return .failure(.notANumber)
        }
        if fractionDigits.count > scale { return .failure(.tooManyDecimals) }
        let zero = UInt8(ascii: "0")
        let significant = integerDigits.drop(while: { $0 == zero })
        if significant.count > digits - scale { return .failure(.tooManyDigits) }
        let isZero = significant.isEmpty && fractionDigits.allSatisfy { $0 == zero }
        var text: [UInt8] = []
        text.reserveCapacity(significant.count + scale + 3)
        if negative && !isZero { text.append(UInt8(ascii: "-")) }
        if significant.isEmpty { text.append(zero) } else { text += significant }
        if scale > 0 {
            text.append(UInt8(ascii: "."))
            text += fractionDigits
            text += repeatElement(zero, count: scale - fractionDigits.count)
        }
        return .success(ExactDecimal(text: String(decoding: text, as: UTF8.self)))
    }
}
