import Testing

@testable import ComptoirCore

/// Splitting one line into fields (contract, section 3).
@Suite struct LineSplitterTests {
    private func split(
        _ line: String, separator: Unicode.Scalar = ";", qualifier: Unicode.Scalar? = nil
    ) -> Result<[String], LineError> {
        LineSplitter(separator: separator, qualifier: qualifier).split(line)
    }

    @Test func splitsOnTheDefaultSemicolon() {
        #expect(split("C42;411C42;SPORT25") == .success(["C42", "411C42", "SPORT25"]))
    }

    @Test func splitsOnATab() {
        #expect(split("a\tb c\t d ", separator: "\t") == .success(["a", "b c", "d"]))
    }

    @Test func splitsOnAPipeAndKeepsSemicolonsLiteral() {
        #expect(split("a|b;c|d", separator: "|") == .success(["a", "b;c", "d"]))
    }

    @Test func splitsOnANonASCIISeparator() {
        #expect(split("é§ü § ß", separator: "§") == .success(["é", "ü", "ß"]))
        #expect(split("a;b§c", separator: "§") == .success(["a;b", "c"]))
    }

    @Test func nonASCIISeparatorWithQualifier() {
        #expect(split("\"a§b\"§c", separator: "§", qualifier: "\"") == .success(["a§b", "c"]))
        #expect(split("¤a§b¤§c", separator: "§", qualifier: "¤") == .success(["a§b", "c"]))
    }

    @Test func withoutQualifierQuotesAreLiteral() {
        #expect(split("\"a;b\";c") == .success(["\"a", "b\"", "c"]))
        #expect(split("l'été;\"x\"") == .success(["l'été", "\"x\""]))
        #expect(split("\"unclosed;x") == .success(["\"unclosed", "x"]))
    }

    @Test func enclosedFieldKeepsTheSeparator() {
        #expect(split("\"a;b\";c", qualifier: "\"") == .success(["a;b", "c"]))
        #expect(split("x;\"1;2;3\"", qualifier: "\"") == .success(["x", "1;2;3"]))
    }

    @Test func doubledQualifierStandsForOne() {
        #expect(split("\"il dit \"\"oui\"\"\";x", qualifier: "\"") == .success(["il dit \"oui\"", "x"]))
        #expect(split("\"\"\"\"", qualifier: "\"") == .success(["\""]))
        #expect(split("'O''Neil, Inc','x'", separator: ",", qualifier: "'") == .success(["O'Neil, Inc", "x"]))
    }

    @Test func unclosedQualifierRejectsTheLine() throws {
        #expect(split("a;\"b;c", qualifier: "\"") == .failure(.unclosedQualifier))
        #expect(split("\"abc\"\"", qualifier: "\"") == .failure(.unclosedQualifier))
        #expect(split("\"", qualifier: "\"") == .failure(.unclosedQualifier))
        let error = try #require(split("\"abc", qualifier: "\"").failureValue)
        #expect(error.message == "Identificateur de texte non fermé")
    }

    @Test func textAfterTheClosingQualifierRejectsTheLine() throws {
        #expect(split("\"a\"b;c", qualifier: "\"") == .failure(.textAfterClosingQualifier(field: 1)))
        let error = try #require(split("x;\"a\" b;c", qualifier: "\"").failureValue)
        #expect(error == .textAfterClosingQualifier(field: 2))
        #expect(error.message == "Le champ 2 comporte du texte après l'identificateur de texte fermant")
    }

    @Test func qualifierInsideAnUnenclosedFieldIsLiteral() {
        #expect(split("l\"a;b", qualifier: "\"") == .success(["l\"a", "b"]))
        #expect(split("5\" pouces;x", qualifier: "\"") == .success(["5\" pouces", "x"]))
    }

    @Test func spacesAroundFieldsAreTrimmed() {
        #expect(split("  a  ;  b c  ; ") == .success(["a", "b c", ""]))
    }

    @Test func enclosedFieldsKeepTheirSpaces() {
        #expect(split("  \"  a  \"  ;b", qualifier: "\"") == .success(["  a  ", "b"]))
        #expect(split("\" \";\"\"", qualifier: "\"") == .success([" ", ""]))
    }

    @Test func emptyFieldsAreKept() {
        #expect(split("a;;b") == .success(["a", "", "b"]))
        #expect(split(";;") == .success(["", "", ""]))
        #expect(split("") == .success([""]))
        #expect(split("\"\";x", qualifier: "\"") == .success(["", "x"]))
    }

    @Test func trailingSeparatorGivesAnEmptyLastField() {
        #expect(split("a;") == .success(["a", ""]))
        #expect(split("\"a\";", qualifier: "\"") == .success(["a", ""]))
        #expect(split("a|b|", separator: "|") == .success(["a", "b", ""]))
    }

    @Test func accentsArePreserved() {
        #expect(
            split("Société Générale;ZA Du Pâtis;Zoë Müller;œuvre;Ça")
                == .success([
                    "Société Générale", "ZA Du Pâtis", "Zoë Müller", "œuvre", "Ça",
                ])
        )
        #expect(split("\"Crème; brûlée\";à", qualifier: "\"") == .success(["Crème; brûlée", "à"]))
    }

    /// A space is a legal one-character separator: the line is split first, then values are
    /// trimmed, so two spaces in a row are an empty field between them.
    @Test func spaceSeparatorKeepsEmptyFields() {
        #expect(split("a b", separator: " ") == .success(["a", "b"]))
        #expect(split("a  b", separator: " ") == .success(["a", "", "b"]))
        #expect(split(" a", separator: " ") == .success(["", "a"]))
        #expect(split("a ", separator: " ") == .success(["a", ""]))
    }

    @Test func spaceSeparatorAfterAnEnclosedField() {
        #expect(split("\"a b\" c", separator: " ", qualifier: "\"") == .success(["a b", "c"]))
    }

    @Test("a tab or an end of line around a field is trimmed, as Delphi's Trim trims it")
    func controlCharactersAroundFieldsAreTrimmed() {
        #expect(split("LA1;411LA1;R1;Paris\r") == .success(["LA1", "411LA1", "R1", "Paris"]))
        #expect(split("NO1;R\n") == .success(["NO1", "R"]))
        #expect(split("\ta\t;\"b\"\r\n", qualifier: "\"") == .success(["a", "b"]))
        #expect(split("\"a\r\nb\"", qualifier: "\"") == .success(["a\r\nb"]))
        // A separator below U+0020 still separates.
        #expect(split("a\t\tb\r", separator: "\t") == .success(["a", "", "b"]))
    }

    @Test("a byte order mark before the first field is not part of it")
    func byteOrderMarkIsDropped() {
        #expect(split("\u{FEFF}NB1;411NB1;R") == .success(["NB1", "411NB1", "R"]))
        #expect(split("\u{FEFF}\"NB1\";R", qualifier: "\"") == .success(["NB1", "R"]))
        #expect(split("a;\u{FEFF}b") == .success(["a", "\u{FEFF}b"]))
    }

    @Test("a NUL inside a field rejects the line: the stored text would read back cut short")
    func nulRejectsTheLine() {
        #expect(split("NUL\u{0}X;411;R") == .failure(.nul(field: 1)))
        #expect(split("a;\"b\u{0}\"", qualifier: "\"") == .failure(.nul(field: 2)))
        #expect(split("a\u{0};b") == .success(["a", "b"]))
        #expect(LineError.nul(field: 1).message == "Le champ 1 contient un caractère nul (U+0000)")
    }

    @Test func theContractExampleLine() {
        #expect(
            split("C42;411C42;SPORT25;5 rue Cugnot;ZA Du Pâtis;78120;RAMBOUILLET")
                == .success([
                    "C42", "411C42", "SPORT25", "5 rue Cugnot", "ZA Du Pâtis", "78120", "RAMBOUILLET",
                ])
        )
    }
}
