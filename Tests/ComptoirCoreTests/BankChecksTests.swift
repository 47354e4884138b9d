import Testing

@testable import ComptoirCore

/// The French RIB key and the IBAN check (issue 3, BanquesTiers).
@Suite struct BankChecksTests {
    // MARK: French RIB

    @Test func validFrenchRIBWithALetterInTheAccount() {
        // 97 − ((89 × 20041 + 15 × 1005 + 3 × 05000134026) mod 97) = 6, M counting as 4.
        #expect(BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013M026", key: "06"))
        #expect(BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "05000134026", key: "06"))
        #expect(BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013m026", key: "06"))
        #expect(BankChecks.isValidFrenchRIB(bank: "30002", branch: "00550", account: "0000157845Z", key: "02"))
    }

    /// A–I are 1–9, J–R are 1–9, S–Z are 2–9, as the RIB maps them.
    @Test(arguments: [
        ("A", "1"), ("E", "5"), ("I", "9"), ("J", "1"), ("M", "4"), ("R", "9"), ("S", "2"), ("W", "6"), ("Z", "9"),
    ])
    func lettersCountAsTheirDigits(letter: String, digit: String) {
        for key in 1...97 {
            let text = key < 10 ? "0\(key)" : "\(key)"
            #expect(
                BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013\(letter)026", key: text)
                    == BankChecks.isValidFrenchRIB(
                        bank: "20041", branch: "01005", account: "0500013\(digit)026", key: text),
                "\(letter) \(text)")
        }
    }

    /// A remainder of 0 gives the key 97, the highest one.
    @Test func keyOf97() {
        #expect(BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "00000000047", key: "97"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "00000000047", key: "00"))
    }

    @Test(arguments: ["07", "05", "00", "60", "97", "99"])
    func wrongKeyIsInvalid(key: String) {
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013M026", key: key))
    }

    @Test func keyMustBeTwoDigits() {
        for key in ["6", "006", "", "0A", "-6", "+6", " 6", "６６"] {
            #expect(
                !BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013M026", key: key), "\(key)"
            )
        }
    }

    @Test func partsHoldingOtherCharactersAreInvalid() {
        #expect(!BankChecks.isValidFrenchRIB(bank: "2004-1", branch: "01005", account: "0500013M026", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "010 05", account: "0500013M026", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013É026", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013M02.", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "", branch: "01005", account: "0500013M026", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "", account: "0500013M026", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "", key: "06"))
    }

    @Test func aChangedDigitOfTheAccountIsCaught() {
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "01005", account: "0500013M027", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20042", branch: "01005", account: "0500013M026", key: "06"))
        #expect(!BankChecks.isValidFrenchRIB(bank: "20041", branch: "01006", account: "0500013M026", key: "06"))
    }

    // MARK: IBAN, ISO 7064 mod 97-10

    @Test(arguments: [
        "FR1420041010050500013M02606", "FR7630006000011234567890189", "FR7030002005500000157845Z02",
        "DE89370400440532013000", "GB82WEST12345698765432",
    ])
    func validIBAN(iban: String) {
        #expect(BankChecks.isValidIBAN(iban))
    }

    @Test(arguments: [
        "FR1420041010050500013M02607", "FR1520041010050500013M02606", "FR1420041010050500013M02616",
        "FR1420041010050500014M02606", "DE88370400440532013000",
    ])
    func aChangedCharacterIsInvalid(iban: String) {
        #expect(!BankChecks.isValidIBAN(iban))
    }

    @Test func lowerCaseAndSpacesAreAccepted() {
        #expect(BankChecks.isValidIBAN("fr1420041010050500013m02606"))
        #expect(BankChecks.isValidIBAN("FR14 2004 1010 0505 0001 3M02 606"))
        #expect(BankChecks.isValidIBAN("fr14 2004 1010 0505 0001 3m02 606"))
        #expect(!BankChecks.isValidIBAN("fr14 2004 1010 0505 0001 3m02 607"))
    }

    @Test(arguments: [
        "", "FR14", "FR1", "FR14-2004-1010-0505-0001-3M02-606", "FR14_20041010050500013M02606",
        "FR1420041010050500013É02606", "FR14\t20041010050500013M02606", "FR14200410100505000ＭM02606",
        "FR14" + String(repeating: "0", count: 31),
    ])
    func junkIsRefused(iban: String) {
        #expect(!BankChecks.isValidIBAN(iban))
    }
}
