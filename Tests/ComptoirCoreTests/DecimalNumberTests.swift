import Testing

@testable import ComptoirCore

/// Exact decimal arithmetic (`documents.md` §7): rounding half away from zero, products,
/// divisions and the stored and French forms.
@Suite struct DecimalNumberTests {
    private func number(_ text: String) throws -> DecimalNumber { try #require(DecimalNumber(text)) }

    @Test(arguments: [
        ("53.973", 2, "53.97"), ("1.375", 2, "1.38"), ("-1.375", 2, "-1.38"), ("2.6995", 2, "2.70"),
        ("1.2504", 2, "1.25"), ("10.254", 2, "10.25"), ("1.30625", 2, "1.31"), ("0.005", 2, "0.01"),
        ("-0.005", 2, "-0.01"), ("0.004", 2, "0.00"), ("7", 2, "7.00"), ("12.5", 4, "12.5000"),
    ])
    func roundsHalfAwayFromZero(text: String, scale: Int, rounded: String) throws {
        #expect(try number(text).rounded(to: scale).description == rounded)
    }

    @Test func arithmetic() throws {
        #expect(try (number("3") * number("17.9910"))!.rounded(to: 2).description == "53.97")
        #expect(try (number("0.1") + number("0.2")) == number("0.3"))
        #expect(try (number("1") - number("2.50")).description == "-1.50")
        #expect(try DecimalNumber.divided(number("23.99"), by: number("1.2"), scale: 2)?.description == "19.99")
        #expect(try DecimalNumber.divided(number("1"), by: number("3"), scale: 4)?.description == "0.3333")
        #expect(try DecimalNumber.divided(number("2"), by: number("3"), scale: 2)?.description == "0.67")
        #expect(try DecimalNumber.divided(number("1"), by: number("0"), scale: 2) == nil)
        #expect(try number("5.5").hundredth.description == "0.055")
        #expect(try number("20.000") == number("20"))
        #expect(try Set([number("20.000"), number("20")]).count == 1)
        #expect(try number("-2") < number("1.5"))
    }

    @Test func storedAndFrenchForms() throws {
        #expect(try number("0").description == "0")
        #expect(try number("0.05").description == "0.05")
        #expect(try number("-0.0500").description == "-0.0500")
        #expect(try number("-1234567890123.4567").description == "-1234567890123.4567")
        #expect(try number("123456789012345678901234.5").description == "123456789012345678901234.5")
        #expect(try number("2.500").french == "2,5")
        #expect(try number("10.000").french == "10")
        #expect(try number("0.000").french == "0")
        #expect(try number("-3").french == "-3")
    }

    @Test func malformedTextsAreNotNumbers() {
        for text in ["", "-", "1.2.3", "a", "1e5", "--1", "1,2,3"] { #expect(DecimalNumber(text) == nil, "\(text)") }
    }

    @Test func productsOutOfRangeAreNil() throws {
        let huge = try number("99999999999999999999.9999")
        #expect((huge * huge) == nil)
    }

    @Test("the discount cascade of the grilles help")
    func discounts() throws {
        #expect(try Discount(parsing: "10")?.netPrice(number("19.99"))?.description == "17.9910")
        #expect(try Discount(parsing: "5+2")?.netPrice(number("100"))?.description == "93.1000")
        #expect(Discount(parsing: "1+2+3+4+5+6+7") == nil)
        #expect(Discount(parsing: "101") == nil)
        #expect(Discount(parsing: "-1") == nil)
        #expect(Discount(parsing: "10,555") == nil)
        #expect(Discount(parsing: "") == nil)
    }

    @Test("a grille's discount may be a surcharge, or follow the line before")
    func grilleDiscounts() {
        for valid in ["10", "10+5+4", "-2", "10+-2", "+5", " +5 ", "+10+5"] {
            #expect(Discount.isValidInGrille(valid), "\(valid)")
        }
        for invalid in ["", "+", "++5", "5+", "--2", "101", "10+abc", "1+1+1+1+1+1+1", "-2,555"] {
            #expect(!Discount.isValidInGrille(invalid), "\(invalid)")
        }
        // Documents' line discounts stay discounts.
        #expect(Discount(parsing: "+5") == nil)
    }
}
