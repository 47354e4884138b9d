import Testing

@testable import ComptoirCore

/// The counters of `PREFERENCES` that number documents, pièces and articles.
@Suite struct CounterTests {
    @Test(arguments: [
        ("ARC17-00051", "ARC17-00052"),
        ("BCF17-00009", "BCF17-00010"),
        ("ENT17-00099", "ENT17-00100"),
        ("99999", "100000"),
        ("A9", "A10"),
        ("ART", "ART1"),
        ("", "1"),
        ("Pièce-7", "Pièce-8"),
        ("É9", "É10"),
    ])
    func incrementsTheTrailingNumberKeepingItsWidth(value: String, next: String) {
        #expect(Counter.incremented(value) == next)
    }
}
