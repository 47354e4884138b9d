/// Checks of bank details. Like the identifier checks, they only warn.
public enum BankChecks {
    /// Whether a French RIB's key matches: key = 97 − ((89 × bank + 15 × branch + 3 × account)
    /// mod 97), the letters of the account mapped to digits as the RIB does (A, J → 1; B, K, S → 2…).
    public static func isValidFrenchRIB(bank: String, branch: String, account: String, key: String) -> Bool {
        guard let bankValue = ribNumber(bank), let branchValue = ribNumber(branch),
            let accountValue = ribNumber(account), key.count == 2, let keyValue = Int(key),
            key.allSatisfy(\.isASCIIDigit)
        else { return false }
        let remainder = (89 * (bankValue % 97) + 15 * (branchValue % 97) + 3 * (accountValue % 97)) % 97
        return keyValue == 97 - remainder
    }

    /// Whether an IBAN passes ISO 7064 mod 97-10: its first four characters moved to the end,
    /// letters as 10 to 35, the number mod 97 is 1.
    public static func isValidIBAN(_ iban: String) -> Bool {
        let compact = iban.uppercased().filter { $0 != " " }
        guard compact.count >= 5, compact.count <= 34 else { return false }
        var remainder = 0
        for character in compact.dropFirst(4) + compact.prefix(4) {
            guard let ascii = character.asciiValue else { return false }
            switch ascii {
            case 48...57: remainder = (remainder * 10 + Int(ascii - 48)) % 97
            case 65...90: remainder = (remainder * 100 + Int(ascii - 55)) % 97
            default: return false
            }
        }
        return remainder == 1
    }

    /// The value of a RIB part, its letters mapped to digits; nil when it holds anything else.
    private static func ribNumber(_ text: String) -> Int? {
        guard !text.isEmpty else { return nil }
        var remainder = 0
        for character in text.uppercased() {
            guard let ascii = character.asciiValue else { return nil }
            let digit: Int
            switch ascii {
            case 48...57: digit = Int(ascii - 48)
            case 65...73: digit = Int(ascii - 64)  // A–I → 1–9
            case 74...82: digit = Int(ascii - 73)  // J–R → 1–9
            case 83...90: digit = Int(ascii - 81)  // S–Z → 2–9
            default: return nil
            }
            remainder = (remainder * 10 + digit) % 97
        }
        return remainder
    }
}
