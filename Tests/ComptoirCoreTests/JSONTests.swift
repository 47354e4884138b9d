import Testing

@testable import ComptoirCore

/// The JSON reader of request bodies.
@Suite struct JSONParseTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    private func invalid(_ problem: String, byte: Int) -> JSONError {
        JSONError(message: "Le corps de la requête n'est pas un JSON valide : \(problem) (octet \(byte))")
    }

    @Test func objectsKeepTheirKeyOrder() throws {
        let value = try parse(#"{"z": 1, "a": "x", "m": [true, false, null], "é": {}}"#)
        #expect(
            value
                == .object([
                    ("z", .number("1")), ("a", .string("x")), ("m", .array([.bool(true), .bool(false), .null])),
                    ("é", .object([])),
                ]))
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m", "é"])
    }

    @Test func keyOrderMattersForEquality() {
        let ab = JSONValue.object([("a", .null), ("b", .null)])
        let ba = JSONValue.object([("b", .null), ("a", .null)])
        #expect(ab != ba)
    }

    @Test func duplicateKeysAreRefused() {
        #expect(throws: JSONError(message: "La clé a est présente deux fois dans un même objet")) {
            try parse(#"{"a": 1, "b": 2, "a": 3}"#)
        }
        #expect(throws: JSONError(message: "La clé journal est présente deux fois dans un même objet")) {
            try parse(#"{"x": {"journal": "Oui", "journal": "Non"}}"#)
        }
    }

    @Test func sameKeyInDifferentObjectsIsFine() throws {
        #expect(
            try parse(#"[{"a": 1}, {"a": 2}]"#)
                == .array([.object([("a", .number("1"))]), .object([("a", .number("2"))])]))
    }

    @Test func byteOrderMarkIsAccepted() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": "é"}"#.utf8)) == .object([("a", .string("é"))]))
    }

    /// The refusal names the first bad byte, counted from 1, so that a Windows-1252 file can be found.
    @Test func invalidUTF8IsRefused() {
        func refusal(at offset: Int) -> JSONError {
            JSONError(message: "Le corps de la requête n'est pas un texte UTF-8 valide (octet \(offset))")
        }
        #expect(throws: refusal(at: 2)) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: refusal(at: 2)) { try JSONValue.parse([0x22, 0xC3, 0x22]) }
        #expect(throws: refusal(at: 2)) { try JSONValue.parse([0x22, 0xC0, 0xAF, 0x22]) }
        #expect(throws: refusal(at: 2)) { try JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
        #expect(throws: refusal(at: 10)) {
            try JSONValue.parse(Array(#"{"a": "\n"#.utf8) + [0xE9] + Array(#""}"#.utf8))
        }
        #expect(throws: refusal(at: 3)) { try JSONValue.parse([0x7B, 0x22, 0xE9, 0x22, 0x3A, 0x31, 0x7D]) }
        // Counted in bytes: `é` before it takes two.
        #expect(throws: refusal(at: 5)) { try JSONValue.parse(Array(#"["é"#.utf8) + [0xFF] + Array(#""]"#.utf8)) }
        // In an array of strings kept compacted, as the web service reads an import's lines.
        for bad: [UInt8] in [[0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            let document = Array(#"["a", "b"#.utf8) + bad + Array(#""]"#.utf8)
            #expect(throws: refusal(at: 9)) { try JSONValue.parse(document, compactingStringArrays: true) }
        }
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""\u00e9\u00C9""#) == .string("éÉ"))
        #expect(try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{8}e\u{C}f\ng\rh\ti"))
        #expect(try parse(#""\ud83d\ude00!""#) == .string("😀!"))
        #expect(try parse(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try parse(#""Soci\u00e9t\u00e9 \u20ac""#) == .string("Société €"))
        #expect(try parse("\"déjà\"") == .string("déjà"))
    }

    @Test func loneSurrogatesAreRefused() {
        #expect(throws: invalid("demi-caractère UTF-16 isolé", byte: 8)) { try parse(#""\ud800""#) }
        #expect(throws: invalid("demi-caractère UTF-16 isolé", byte: 8)) { try parse(#""\udc00""#) }
        #expect(throws: invalid("demi-caractère UTF-16 isolé", byte: 14)) { try parse(#""\ud800\u0041""#) }
        #expect(throws: JSONError.self) { try parse(#""\ud800x""#) }
    }

    @Test func badEscapesAreRefused() {
        #expect(throws: invalid("séquence d'échappement inconnue", byte: 5)) { try parse(#""a\x""#) }
        #expect(throws: JSONError.self) { try parse(#""\u12""#) }
        #expect(throws: JSONError.self) { try parse(#""\u12G4""#) }
    }

    @Test func controlCharactersInStringsAreRefused() {
        #expect(throws: invalid("caractère de contrôle dans une chaîne", byte: 3)) { try parse("\"a\nb\"") }
        #expect(throws: JSONError.self) { try parse("\"a\\n\tb\"") }
    }

    @Test func nestingUpToSixtyFourIsAccepted() throws {
        let depth = 64
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try parse(text)
        var levels = 0
        while case .array(let elements) = value {
            levels += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(levels == depth)
        let objects = String(repeating: #"{"a":"#, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        _ = try parse(objects)
    }

    @Test func nestingDeeperThanSixtyFourIsRefused() {
        #expect(throws: invalid("imbrication trop profonde", byte: 65)) {
            try parse(String(repeating: "[", count: 65) + String(repeating: "]", count: 65))
        }
        #expect(throws: JSONError.self) {
            try parse(String(repeating: #"{"a":"#, count: 64) + "{}" + String(repeating: "}", count: 64))
        }
        #expect(throws: JSONError.self) { try parse(String(repeating: "[", count: 100_000)) }
    }

    @Test func trailingGarbageIsRefused() {
        #expect(throws: invalid("contenu inattendu après le document", byte: 4)) { try parse("{} x") }
        #expect(throws: JSONError.self) { try parse("{}{}") }
        #expect(throws: JSONError.self) { try parse("01") }
        #expect(throws: JSONError.self) { try parse(#"{"a":1},"#) }
    }

    @Test func trailingWhitespaceIsFine() throws {
        #expect(try parse(" \t\r\n{}\r\n ") == .object([]))
    }

    @Test func emptyBodyIsRefused() {
        let empty = JSONError(message: "Le corps de la requête est vide")
        #expect(throws: empty) { try parse("") }
        #expect(throws: empty) { try parse("  \n\t ") }
        #expect(throws: empty) { try JSONValue.parse([0xEF, 0xBB, 0xBF]) }
    }

    @Test func malformedDocumentsAreRefused() {
        #expect(throws: invalid("valeur attendue", byte: 1)) { try JSONValue.parse([0xFF]) }
        #expect(throws: invalid("clé attendue", byte: 2)) { try parse("{a:1}") }
        #expect(throws: invalid("« : » attendu", byte: 6)) { try parse(#"{"a" 1}"#) }
        #expect(throws: invalid("« , » ou « } » attendu", byte: 9)) { try parse(#"{"a": 1 "b": 2}"#) }
        #expect(throws: invalid("« , » ou « ] » attendu", byte: 4)) { try parse("[1 2]") }
        #expect(throws: invalid("fin inattendue", byte: 3)) { try parse("[1") }
        #expect(throws: invalid("chaîne non fermée", byte: 5)) { try parse(#""abc"#) }
        #expect(throws: JSONError.self) { try parse("[1,]") }
        #expect(throws: JSONError.self) { try parse(#"{"a":1,}"#) }
        #expect(throws: JSONError.self) { try parse("tru") }
        #expect(throws: JSONError.self) { try parse("nul") }
        #expect(throws: JSONError.self) { try parse("'a'") }
        #expect(throws: JSONError.self) { try parse("-") }
        #expect(throws: JSONError.self) { try parse("1.") }
        #expect(throws: JSONError.self) { try parse("1e") }
        #expect(throws: JSONError.self) { try parse(".5") }
        #expect(throws: JSONError.self) { try parse("+1") }
    }

    @Test func numbersAreKeptAsText() throws {
        #expect(try parse("-1.5e+3") == .number("-1.5e+3"))
        #expect(try parse("0") == .number("0"))
        #expect(try parse("12345678901234567890.123456789") == .number("12345678901234567890.123456789"))
        #expect(try parse("[1E5, -0, 2e-2]") == .array([.number("1E5"), .number("-0"), .number("2e-2")]))
    }

    @Test func scalarDocuments() throws {
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("null") == .null)
        #expect(try parse(#""x""#) == .string("x"))
    }

    @Test func compactsArraysOfStringsOnlyWhenAsked() throws {
        let bytes = Array(#"{"a": ["x", "\u00e9;\"q\"", ""], "b": [1, "x"], "c": [["y"]], "d": []}"#.utf8)
        let plain = try JSONValue.parse(bytes)
        let compact = try JSONValue.parse(bytes, compactingStringArrays: true)
        #expect(compact == plain)
        #expect(compact.asciiText == plain.asciiText)
        guard case .object(let members) = compact, case .strings(let strings) = members[0].value else {
            Issue.record("the array of strings was not compacted: \(compact)")
            return
        }
        #expect(Array(strings) == ["x", "é;\"q\"", ""])
        #expect(members[1].value == .array([.number("1"), .string("x")]))
        guard case .array(let nested) = members[2].value, case .strings = nested.first else {
            Issue.record("a nested array of strings was not compacted: \(compact)")
            return
        }
        #expect(members[3].value == .array([]))
        guard case .object(let plainMembers) = plain, case .array = plainMembers[0].value else {
            Issue.record("an array was compacted without being asked: \(plain)")
            return
        }
    }

    @Test func stringListsHoldTheirStrings() {
        let strings = ["", "a;b", "é\u{0}\"\\/\n", String(repeating: "z", count: 1_000)]
        #expect(Array(StringList(strings)) == strings)
        #expect(StringList(strings) == StringList(strings))
        #expect(StringList(strings) != StringList(strings.dropLast()))
        #expect(([] as StringList).isEmpty)
    }
}

/// The layout of answers: compact ASCII, as DataSnap writes it.
@Suite struct JSONASCIITextTests {
    @Test func layoutOfNestedValues() {
        let value = JSONValue.object([
            ("a", .string("x")),
            ("b", .array([.number("1"), .bool(true), .bool(false), .null])),
            ("c", .object([("d", .string("é"))])),
            ("e", .array([])),
            ("f", .object([])),
        ])
        #expect(value.asciiText == #"{"a":"x","b":[1,true,false,null],"c":{"d":"\u00E9"},"e":[],"f":{}}"#)
    }

    @Test func scalarsAndEmptyContainers() {
        #expect(JSONValue.string("a").asciiText == #""a""#)
        #expect(JSONValue.array([]).asciiText == "[]")
        #expect(JSONValue.object([]).asciiText == "{}")
    }

    @Test func stringEscaping() {
        #expect(JSONValue.string(#"C:\ProgramData\Gestimum"#).asciiText == #""C:\\ProgramData\\Gestimum""#)
        #expect(JSONValue.string("a\"b").asciiText == #""a\"b""#)
        #expect(JSONValue.string("a/b").asciiText == #""a\/b""#)
        #expect(JSONValue.string("l1\nl2\r\tx\u{8}\u{C}").asciiText == #""l1\nl2\r\tx\b\f""#)
        #expect(JSONValue.string("\u{1}\u{1F}\u{7F}").asciiText == #""\u0001\u001F\u007F""#)
    }

    /// Above U+007F, UTF-16 code units in upper-case hex, with surrogate pairs beyond the BMP.
    @Test func everyNonASCIICharacterIsEscaped() {
        let text = JSONValue.string("succès, Société, € 😀").asciiText
        #expect(text == #""succ\u00E8s, Soci\u00E9t\u00E9, \u20AC \uD83D\uDE00""#)
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
    }

    @Test func keysAreEscapedToo() {
        #expect(JSONValue.object([("a\"\\é", .null)]).asciiText == #"{"a\"\\\u00E9":null}"#)
    }

    @Test func printThenParseGivesTheSameValue() throws {
        let value = JSONValue.object([
            ("texte", .string("é \" \\ / \n \u{1} 😀")), ("liste", .array([.number("-1.5"), .null, .object([])])),
        ])
        #expect(try JSONValue.parse(Array(value.asciiText.utf8)) == value)
    }

    /// The contract's example answer, parsed then printed, is the file byte for byte.
    @Test
    func contractExampleAnswerRoundTrips() throws {
        let bytes = try Examples.bytes("clients-importer.retour.json")
        let value = try JSONValue.parse(bytes)
        #expect(Array(value.asciiText.utf8) == bytes)
    }
}
