import Testing

@testable import ComptoirCore

/// Checks of French identifiers and contact details (contract, section 4).
@Suite struct IdentifierChecksTests {
    // Real identifiers: 732829320 (L'Oréal), 552032534 (Danone), 442293775, 356000000 (La Poste).

    @Test(arguments: ["732829320", "552032534", "442293775", "356000000"])
    func validSIREN(siren: String) {
        #expect(IdentifierChecks.isValidSIREN(siren))
    }

    @Test(arguments: ["732829321", "123456789", "73282932", "7328293200", "", "73282932A", " 732829320", "732 829 320"])
    func invalidSIREN(siren: String) {
        #expect(!IdentifierChecks.isValidSIREN(siren))
    }

    @Test(arguments: ["73282932000074", "55203253400646", "44229377500031"])
    func validSIRET(siret: String) {
        #expect(IdentifierChecks.isValidSIRET(siret))
    }

    @Test(arguments: [
        "73282932000075", "55203253400647", "12345678901234", "7328293200007", "732829320000744", "7328293200007A", "",
    ])
    func invalidSIRET(siret: String) {
        #expect(!IdentifierChecks.isValidSIRET(siret))
    }

    /// La Poste's head office: its SIRET passes the Luhn check, the only check the contract names.
    @Test func laPosteHeadOfficeSIRETIsValid() {
        #expect(IdentifierChecks.isValidSIRET("35600000000048"))
    }

    /// La Poste's other establishments fail the Luhn check but have a digit sum divisible by 5.
    @Test func laPosteEstablishments() {
        #expect(IdentifierChecks.isValidSIRET("35600000049837"))
        #expect(IdentifierChecks.isValidSIRET("35600000009075"))
        #expect(!IdentifierChecks.isValidSIRET("35600000009076"))
    }

    @Test func frenchVATKey() throws {
        // key = (12 + 3 × (732829320 mod 97)) mod 97 = 44
        let valid = try #require(IdentifierChecks.frenchVATSIREN("FR44732829320"))
        #expect(valid.siren == "732829320")
        #expect(valid.keyMatches)
        #expect(IdentifierChecks.frenchVATSIREN("FR27552032534")?.keyMatches == true)
        #expect(IdentifierChecks.frenchVATSIREN("FR04442293775")?.keyMatches == true)
        #expect(IdentifierChecks.frenchVATSIREN("FR39356000000")?.keyMatches == true)
        #expect(IdentifierChecks.frenchVATSIREN("fr 44 732 829 320")?.keyMatches == true)
    }

    @Test func frenchVATWithAWrongKey() throws {
        let wrong = try #require(IdentifierChecks.frenchVATSIREN("FR00732829320"))
        #expect(wrong.siren == "732829320")
        #expect(!wrong.keyMatches)
        #expect(IdentifierChecks.frenchVATSIREN("FR45732829320")?.keyMatches == false)
        #expect(IdentifierChecks.frenchVATSIREN("FRAB732829320")?.keyMatches == false)
    }

    @Test func notAFrenchVATNumber() {
        #expect(IdentifierChecks.frenchVATSIREN("DE123456789") == nil)
        #expect(IdentifierChecks.frenchVATSIREN("BE0123456789") == nil)
        #expect(IdentifierChecks.frenchVATSIREN("FR4473282932") == nil)
        #expect(IdentifierChecks.frenchVATSIREN("FR447328293200") == nil)
        #expect(IdentifierChecks.frenchVATSIREN("FR44ABCDEFGHI") == nil)
        #expect(IdentifierChecks.frenchVATSIREN("") == nil)
    }

    @Test(arguments: ["a@b.c", "contact@sport25.fr", "jean.dupont+devis@mail.example.com", "é@exemple.fr"])
    func validEmail(email: String) {
        #expect(IdentifierChecks.isValidEmail(email))
    }

    @Test(arguments: [
        "", "a", "a@b", "@b.c", "a@.c", "a@b.", "a@b..c", "a@@b.c", "a@b@c.d", "a b@c.d", "a@b c.d",
        "contact.sport25.fr",
    ])
    func invalidEmail(email: String) {
        #expect(!IdentifierChecks.isValidEmail(email))
    }

    @Test(arguments: ["78120", "75001", "01000", "97400", "20000"])
    func validFrenchPostalCode(code: String) {
        #expect(IdentifierChecks.isValidFrenchPostalCode(code))
    }

    @Test(arguments: ["7812", "781200", "7812A", "2A004", "78 120", "", "F-78120"])
    func invalidFrenchPostalCode(code: String) {
        #expect(!IdentifierChecks.isValidFrenchPostalCode(code))
    }
}
