import Testing

@testable import ComptoirCore

/// Reading one value by its catalogue type (contract, section 3).
@Suite struct FieldValueTests {
    private func field(_ name: String, in catalogue: Catalogue = .clients) throws -> FieldDefinition {
        try #require(catalogue.field(named: name))
    }

    private func parse(_ name: String, _ raw: String) throws -> Result<FieldValue, FieldError> {
        try field(name).parse(raw)
    }

    private func message(_ name: String, _ raw: String) throws -> String? {
        try parse(name, raw).failureValue?.message
    }

    // MARK: Texte

    @Test func textWithinItsLengthIsKept() throws {
        #expect(try parse("PCF_RS", "SPORT25") == .success(.text("SPORT25")))
        #expect(
            try parse("PCF_CODE", String(repeating: "A", count: 20))
                == .success(.text(String(repeating: "A", count: 20))))
    }

    @Test func textLengthCountsCharactersNotBytes() throws {
        let sixty = String(repeating: "é", count: 60)
        #expect(sixty.utf8.count == 120)
        #expect(try parse("PCF_RS", sixty) == .success(.text(sixty)))
        let mixed = String(repeating: "Ça", count: 30)
        #expect(try parse("PCF_RS", mixed) == .success(.text(mixed)))
    }

    @Test func textLongerThanItsLengthIsRefused() throws {
        #expect(try message("PCF_RS", String(repeating: "é", count: 61)) == "Le champ PCF_RS dépasse 60 caractères")
        #expect(try message("PCF_RS", String(repeating: "x", count: 61)) == "Le champ PCF_RS dépasse 60 caractères")
        #expect(try message("PCF_CODE", String(repeating: "C", count: 21)) == "Le champ PCF_CODE dépasse 20 caractères")
        #expect(try message("PCF_SIREN", "1234567890") == "Le champ PCF_SIREN dépasse 9 caractères")
    }

    @Test func oneIsSingular() {
        let field = FieldDefinition(name: "X", label: "", type: .text(maxLength: 1, codes: []), isRequired: false)
        #expect(field.parse("ab") == .failure(FieldError("Le champ X dépasse 1 caractère")))
        let amount = FieldDefinition(name: "M", label: "", type: .decimal(digits: 2, scale: 1), isRequired: false)
        #expect(amount.parse("12,5") == .failure(FieldError("Le champ M dépasse 1 chiffre avant la virgule : 12,5")))
        #expect(amount.parse("1,25") == .failure(FieldError("Le champ M comporte plus de 1 décimale : 1,25")))
    }

    @Test func textWithoutLengthIsUnbounded() {
        let field = FieldDefinition(name: "X", label: "", type: .text(maxLength: nil, codes: []), isRequired: false)
        let long = String(repeating: "z", count: 5000)
        #expect(field.parse(long) == .success(.text(long)))
    }

    @Test(arguments: [("DSA", "DSA"), ("DAA", "DAA"), ("dsa", "DSA"), ("Daa", "DAA")])
    func codesMatchWithoutRegardToCaseAndGiveTheCanonicalCode(raw: String, code: String) throws {
        #expect(try parse("PCF_TC_DA", raw) == .success(.text(code)))
    }

    @Test func valueOutsideTheCodesIsRefused() throws {
        #expect(
            try message("PCF_TC_DA", "XYZ")
                == "Le champ PCF_TC_DA n'accepte pas la valeur XYZ (valeurs possibles : DSA, DAA)")
        #expect(
            try message("PCF_REGBL", "X")
                == "Le champ PCF_REGBL n'accepte pas la valeur X (valeurs possibles : T, 1, C, D, M)")
        #expect(
            try message("PCF_URGENT", "a")
                == "Le champ PCF_URGENT n'accepte pas la valeur a (valeurs possibles : 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)")
    }

    @Test func codeFieldsStillCheckTheirLength() throws {
        #expect(try message("PCF_TC_DA", "DSAA") == "Le champ PCF_TC_DA dépasse 3 caractères")
        #expect(try parse("PCF_URGENT", "10").failureValue != nil)
    }

    @Test(arguments: ["0", "1", "5", "9"])
    func urgencyDigitsAreAccepted(raw: String) throws {
        #expect(try parse("PCF_URGENT", raw) == .success(.text(raw)))
    }

    @Test(arguments: [("T", "T"), ("t", "T"), ("1", "1"), ("c", "C"), ("D", "D"), ("m", "M")])
    func deliveryGroupingCodes(raw: String, code: String) throws {
        #expect(try parse("PCF_REGBL", raw) == .success(.text(code)))
    }

    @Test func emptyTextIsNull() throws {
        #expect(try parse("PCF_RS", "") == .success(.null))
        #expect(try parse("PCF_TC_DA", "") == .success(.null))
    }

    // MARK: Texte illimité

    @Test func unlimitedTextTakesAnyLength() throws {
        let memo = String(repeating: "Mémo très long. ", count: 1000)
        #expect(try parse("PCF_MEMO", memo) == .success(.text(memo)))
        #expect(try parse("PCF_MEMO", "") == .success(.null))
    }

    // MARK: Case à cocher

    @Test(arguments: [
        ("1", 1), ("0", 0), ("Oui", 1), ("Non", 0), ("OUI", 1), ("non", 0), ("oUi", 1), ("O", 1), ("o", 1),
        ("N", 0), ("n", 0), ("Vrai", 1), ("VRAI", 1), ("Faux", 0), ("faux", 0), ("true", 1), ("TRUE", 1),
        ("True", 1), ("false", 0), ("FALSE", 0),
    ])
    func checkboxValues(raw: String, stored: Int) throws {
        #expect(try parse("PCF_DORT", raw) == .success(.integer(stored)))
    }

    /// An empty value clears the checkbox like any field; the database stores a cleared checkbox as 0.
    @Test func emptyCheckboxIsNull() throws {
        #expect(try parse("PCF_DORT", "") == .success(.null))
        #expect(try parse("PCF_BLOQUE", "") == .success(.null))
    }

    @Test(arguments: ["2", "yes", "x", "-1", "Ouii", "01"])
    func badCheckboxValueIsRefused(raw: String) throws {
        #expect(
            try message("PCF_BLOQUE", raw)
                == "Le champ PCF_BLOQUE n'est pas une case à cocher valide : \(raw) (0 ou 1 attendu)")
    }

    // MARK: Date

    @Test(arguments: [
        ("10/09/2019", "2019-09-10"), ("01/02/2020", "2020-02-01"), ("1/2/2020", "2020-02-01"),
        ("29/02/2020", "2020-02-29"), ("29/02/2000", "2000-02-29"), ("31/12/1999", "1999-12-31"),
        ("2020-02-29", "2020-02-29"), ("2019-09-10", "2019-09-10"), ("31/01/2021", "2021-01-31"),
        ("30/04/2021", "2021-04-30"),
    ])
    func validDatesAreStoredAsISO(raw: String, iso: String) throws {
        #expect(try parse("PCF_DATIMM", raw) == .success(.text(iso)))
    }

    @Test(arguments: [
        "29/02/2019", "31/02/2020", "30/02/2020", "29/02/1900", "31/04/2021", "00/01/2020", "01/00/2020",
        "01/13/2020", "32/01/2020", "2019-02-29", "2020-13-01", "2020/02/01", "01-02-2020", "01/02/20",
        "01/02/02020", "abc", "01/02", "1/2/3/2020", "01/0a/2020", "+1/02/2020", "01/02/0000",
    ])
    func impossibleOrMalformedDatesAreRefused(raw: String) throws {
        #expect(try message("PCF_DATIMM", raw) == "Le champ PCF_DATIMM n'est pas une date valide : \(raw)")
    }

    @Test func theContractsImpossibleDateMessage() throws {
        #expect(try message("PCF_DATIMM", "31/02/2020") == "Le champ PCF_DATIMM n'est pas une date valide : 31/02/2020")
    }

    @Test func emptyDateIsNull() throws {
        #expect(try parse("PCF_DATCLO", "") == .success(.null))
    }

    @Test func codesCompareAndCapitaliseAsUnicodeDoes() {
        #expect("fr".caseInsensitiveEquals("FR"))
        #expect("Fr".caseInsensitiveEquals("fR"))
        #expect(!"FR".caseInsensitiveEquals("FRA"))
        #expect(!"F[".caseInsensitiveEquals("F{"))
        #expect("été".caseInsensitiveEquals("ÉTÉ"))
        // The Kelvin sign is a capital K to Unicode.
        #expect("k".caseInsensitiveEquals("\u{212A}"))
        #expect("ab-1".uppercasedCode() == "AB-1")
        #expect("AB-1".uppercasedCode() == "AB-1")
        #expect("déjà".uppercasedCode() == "DÉJÀ")
        #expect("straße".uppercasedCode() == "STRASSE")
    }

    @Test func calendarDate() throws {
        let date = try #require(CalendarDate(parsing: "5/3/0999"))
        #expect(date == CalendarDate(parsing: "0999-03-05"))
        #expect((date.year, date.month, date.day) == (999, 3, 5))
        #expect(date.iso == "0999-03-05")
    }

    // MARK: Date et heure

    @Test(arguments: [
        ("10/09/2019", "2019-09-10 00:00:00"), ("10/09/2019 14:30", "2019-09-10 14:30:00"),
        ("2019-09-10T8:05:09", "2019-09-10 08:05:09"), ("29/02/2020 23:59:59", "2020-02-29 23:59:59"),
    ])
    func dateTimesAreStoredWithTheirTime(raw: String, stored: String) throws {
        let field = try #require(Catalogue.actions.field(named: "ACT_DATE"))
        #expect(field.parse(raw) == .success(.text(stored)))
    }

    @Test(arguments: ["31/02/2020 10:00", "10/09/2019 24:00", "10/09/2019 10:60", "10/09/2019 10", "10/09/2019 ", "x"])
    func impossibleDateTimesAreRefused(raw: String) throws {
        let field = try #require(Catalogue.actions.field(named: "ACT_DATE"))
        #expect(
            field.parse(raw).failureValue?.message == "Le champ ACT_DATE n'est pas une date et heure valide : \(raw)")
    }

    // MARK: Montant and Nombre à virgule

    @Test(arguments: [
        ("1234,5", "1234.5000"), ("1234.5", "1234.5000"), ("0", "0.0000"), ("-0", "0.0000"),
        ("-0,0000", "0.0000"), ("+12", "12.0000"), ("-12.5", "-12.5000"), ("-0,0001", "-0.0001"),
        ("1 234 567,89", "1234567.8900"), ("1\u{A0}234\u{A0}567,89", "1234567.8900"),
        ("1\u{202F}234,5", "1234.5000"), ("007,5", "7.5000"), (",5", "0.5000"), (".25", "0.2500"),
        ("9999999999999999,9999", "9999999999999999.9999"), ("0000000000000000000001", "1.0000"),
        ("-1 000", "-1000.0000"), ("12,3400", "12.3400"),
    ])
    func amountsAreExactWithFourDecimals(raw: String, canonical: String) throws {
        #expect(try parse("PCF_CAPITA", raw) == .success(.text(canonical)))
    }

    @Test(arguments: [
        ("12,5", "12.500"), ("12345.678", "12345.678"), ("-3", "-3.000"), ("-0", "0.000"), ("99 999,999", "99999.999"),
    ])
    func decimalNumbersHaveThreeDecimals(raw: String, canonical: String) throws {
        #expect(try parse("PCF_REMVAL", raw) == .success(.text(canonical)))
    }

    @Test func moreDecimalsThanTheScaleAreRefused() throws {
        #expect(try message("PCF_CAPITA", "1,23456") == "Le champ PCF_CAPITA comporte plus de 4 décimales : 1,23456")
        #expect(try message("PCF_REMVAL", "1.2345") == "Le champ PCF_REMVAL comporte plus de 3 décimales : 1.2345")
        #expect(try message("PCF_REMVAL", "0,0000") == "Le champ PCF_REMVAL comporte plus de 3 décimales : 0,0000")
    }

    @Test func tooManyIntegerDigitsAreRefused() throws {
        #expect(
            try message("PCF_CAPITA", "12345678901234567")
                == "Le champ PCF_CAPITA dépasse 16 chiffres avant la virgule : 12345678901234567")
        #expect(
            try message("PCF_REMVAL", "123456") == "Le champ PCF_REMVAL dépasse 5 chiffres avant la virgule : 123456")
        #expect(try parse("PCF_REMVAL", "-99999") == .success(.text("-99999.000")))
    }

    @Test(arguments: [
        "abc", "1a", "--1", "-", "+", "1,5,6", "1.000,5", "1e5", "1 ,5", "1  234", "1,2 3", " 1", "1 ",
        "12%", "1_000", "0x10", "١٢٣", "- 1", ",",
    ])
    func junkIsNotANumber(raw: String) throws {
        #expect(try message("PCF_CAPITA", raw) == "Le champ PCF_CAPITA n'est pas un nombre valide : \(raw)")
    }

    @Test func emptyNumberIsNull() throws {
        #expect(try parse("PCF_CAPITA", "") == .success(.null))
        #expect(try parse("PCF_HAUSSE", "") == .success(.null))
    }

    @Test func exactDecimalDirectly() {
        #expect(ExactDecimal.parse("1 234,5", digits: 20, scale: 4).successValue?.text == "1234.5000")
        #expect(ExactDecimal.parse("0.1", digits: 20, scale: 4).successValue?.text == "0.1000")
        #expect(ExactDecimal.parse("42", digits: 5, scale: 0).successValue?.text == "42")
        #expect(ExactDecimal.parse("1,5", digits: 5, scale: 0) == .failure(.tooManyDecimals))
        #expect(ExactDecimal.parse("123456", digits: 8, scale: 3) == .failure(.tooManyDigits))
        #expect(ExactDecimal.parse("x", digits: 8, scale: 3) == .failure(.notANumber))
    }

    @Test func fieldValueText() {
        #expect(FieldValue.text("a").text == "a")
        #expect(FieldValue.null.text == nil)
        #expect(FieldValue.integer(1).text == nil)
    }

}

/// An empty value clears the field whatever its type, in every domain's catalogue.
@Suite struct EmptyValueTests {
    @Test func everyFieldOfEveryCatalogueParsesEmptyToNull() {
        for domaine in Domaine.all {
            for field in domaine.catalogue.fields {
                #expect(field.parse("") == .success(.null), "\(domaine) \(field.name)")
            }
            if domaine.catalogue.acceptsCustomFields {
                #expect(domaine.catalogue.field(named: "XXX_TEST")?.parse("") == .success(.null), "\(domaine)")
            }
        }
    }
}
