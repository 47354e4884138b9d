/// Checks of French company identifiers and contact details. They only warn: Gestimum imports
/// the line all the same (contract, section 4).
public enum IdentifierChecks {
    /// A SIREN: 9 digits passing the Luhn check.
    public static func isValidSIREN(_ siren: String) -> Bool {
        guard let digits = digits(of: siren), digits.count == 9 else { return false }
        return luhnSum(digits) % 10 == 0
    }

    /// A SIRET: 14 digits passing the Luhn check, or, for La Poste's establishments (SIREN
    /// 356000000), whose numbers cannot all pass it, a sum of digits divisible by 5.
    public static func isValidSIRET(_ siret: String) -> Bool {
        guard let digits = digits(of: siret), digits.count == 14 else { return false }
        if luhnSum(digits) % 10 == 0 { return true }
        return siret.hasPrefix("356000000") && digits.reduce(0, +) % 5 == 0
    }

    /// The SIREN inside a French intra-community VAT number `FR` + key + SIREN, when its key is
    /// right: key = (12 + 3 × (SIREN mod 97)) mod 97. Nil when it is not such a number.
    public static func frenchVATSIREN(_ vat: String) -> (siren: String, keyMatches: Bool)? {
        let compact = vat.uppercased().filter { $0 != " " }
        guard compact.hasPrefix("FR"), compact.count == 13 else { return nil }
        let key = compact.dropFirst(2).prefix(2)
        let siren = String(compact.suffix(9))
        guard let sirenValue = Int(siren), siren.allSatisfy(\.isASCIIDigit) else { return nil }
        let expected = (12 + 3 * (sirenValue % 97)) % 97
        return (siren, key.allSatisfy(\.isASCIIDigit) && Int(key) == expected)
    }

    /// An e-mail address of the form `x@y.z`, without spaces: one `@` with something before it,
    /// and after it dot-separated labels, at least two and none empty.
    public static func isValidEmail(_ email: String) -> Bool {
        let at = UInt8(ascii: "@")
        let dot = UInt8(ascii: ".")
        guard !email.utf8.contains(UInt8(ascii: " ")), let atIndex = email.utf8.firstIndex(of: at),
            atIndex != email.utf8.startIndex
        else { return false }
        let domain = email.utf8[email.utf8.index(after: atIndex)...]
        var previous = dot
        var dots = 0
        for byte in domain {
            if byte == at || (byte == dot && previous == dot) { return false }
            if byte == dot { dots += 1 }
            previous = byte
        }
        return dots > 0 && previous != dot
    }

    /// A French postal code: exactly 5 digits.
    public static func isValidFrenchPostalCode(_ code: String) -> Bool {
        code.count == 5 && code.allSatisfy(\.isASCIIDigit)
    }

    private static func digits(of text: String) -> [Int]? {
        var digits: [Int] = []
        digits.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard (48...57).contains(byte) else { return nil }
            digits.append(Int(byte - 48))
        }
        return digits
    }

    /// The Luhn sum: from the right, every second digit doubled (minus 9 above 9).
    private static func luhnSum(_ digits: [Int]) -> Int {
        digits.reversed().enumerated().reduce(0) { sum, element in
            let (index, digit) = element
            guard index % 2 == 1 else { return sum + digit }
            let doubled = digit * 2
            return sum + (doubled > 9 ? doubled - 9 : doubled)
        }
    }
}
