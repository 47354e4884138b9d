import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirCore

// A bounded fuzz run of the core (issue 4, "Hostile and broken input"): the line splitter, the
// value parsers, the JSON reader and the request decoder get thousands of random and mutated
// inputs from a fixed seed, then the adversarial ones the issue names. Nothing may crash or
// hang, and every refusal must be a French message.

/// Checks that `message` reads as one of Comptoir's French messages, not as a Swift or
/// Foundation error description that leaked through.
private func expectFrench(
    _ message: String, _ context: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let shown = message.count > 300 ? String(message.prefix(300)) + "…" : message
    #expect(!message.isEmpty, "empty message \(context())", sourceLocation: sourceLocation)
    for leak in [
        "Error Domain", "The operation", "couldn", "could not", "Error(", "error", "Swift.", "Optional(", "nil",
        "Fatal", "unexpected", "expected", "failed", "cannot", "Unicode.Scalar", "invalid ", "JSONError", "Refusal",
    ] {
        #expect(!message.contains(leak), "« \(leak) » in « \(shown) » \(context())", sourceLocation: sourceLocation)
    }
    let first = message.unicodeScalars.first.map { Character($0) }
    #expect(
        first?.isUppercase == true, "« \(shown) » does not start with a capital \(context())",
        sourceLocation: sourceLocation)
    let words = message.lowercased().split(whereSeparator: { !$0.isLetter })
    #expect(
        words.contains { frenchWords.contains(String($0)) }, "« \(shown) » is not French \(context())",
        sourceLocation: sourceLocation)
}

/// Words of which every Comptoir message holds at least one.
private let frenchWords: Set<String> = [
    "le", "la", "les", "de", "du", "des", "est", "pas", "doit", "un", "une", "dans", "sans", "trop", "attendu",
    "attendue",
    "inconnu", "inconnue", "manquant", "manquante", "invalide", "champ", "clé", "paramètre", "ligne", "caractères",
    "identificateur", "requête", "corps", "valeur", "nombre", "date", "fermé", "aucun", "dépasse", "valide", "société",
]

/// The scalars of a string: Swift's `==` on strings is canonical equivalence, too lenient to
/// tell a precomposed `é` from `e` + combining accent.
private func scalarsOf(_ text: some StringProtocol) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

private func scalarLists(_ texts: [String]) -> [[Unicode.Scalar]] { texts.map { Array($0.unicodeScalars) } }

/// A short description of an input for a failure message.
private func shown(_ text: String) -> String {
    let escaped = text.unicodeScalars.map {
        $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}"
    }
    .joined()
    return escaped.count > 200 ? String(escaped.prefix(200)) + "…(\(text.utf8.count) octets)" : escaped
}

// MARK: - Line splitter

@Suite("Fuzz: the line splitter")
struct LineSplitterFuzzTests {
    static let separators: [Unicode.Scalar] = [
        ";", ",", "\t", " ", "|", "§", "é", "€", "😀", "\u{A0}", "\u{301}", "\u{0}", "\"", "'", "x", "\u{FEFF}",
    ]
    static let qualifiers: [Unicode.Scalar?] = [nil, "\"", "'", "«", "😀", "é", ";", "\u{301}", "|", "\u{0}", "x"]
    /// What random lines are made of, beside the separator and the qualifier.
    static let alphabet: [String] = [
        " ", " ", "a", "Z", "0", "9", "é", "e\u{301}", "€", "😀", "\u{FFFD}", "\t", "\"", "'", "\u{A0}", ";", ",", "«",
        "»", "\u{0}", "\u{7F}", "\u{10FFFF}", "ß", "İ", "\r", "\n",
    ]

    /// A pair the request decoder lets through: a separator, and a different qualifier or none.
    private static func configuration(_ random: inout SplitMix64) -> (Unicode.Scalar, Unicode.Scalar?) {
        while true {
            let separator = random.pick(separators)
            let qualifier = random.pick(qualifiers)
            if qualifier != separator { return (separator, qualifier) }
        }
    }

    private static func randomText(
        _ random: inout SplitMix64, length: Int, extra: [Unicode.Scalar?]
    ) -> String {
        let pieces = alphabet + extra.compactMap { $0.map { String($0) } }
        var text = ""
        for _ in 0..<length { text += random.pick(pieces) }
        return text
    }

    /// `scalars` without the spaces around them: any scalar up to U+0020 but the separator.
    private static func trimmingSpaces(_ scalars: [Unicode.Scalar], separator: Unicode.Scalar) -> [Unicode.Scalar] {
        let isBlank = { (scalar: Unicode.Scalar) in scalar.value <= 0x20 && scalar != separator }
        var slice = scalars[...]
        while let first = slice.first, isBlank(first) { slice = slice.dropFirst() }
        while let last = slice.last, isBlank(last) { slice = slice.dropLast() }
        return Array(slice)
    }

    @Test("random lines: no crash, French refusals, fields cut only on the separator")
    func randomLines() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0001)
        for iteration in 0..<6_000 {
            let (separator, qualifier) = Self.configuration(&random)
            let line = Self.randomText(
                &random, length: random.below(random.oneIn(20) ? 400 : 40),
                extra: [separator, separator, qualifier, qualifier])
            let context = "iteration \(iteration), separator \(shown(String(separator))), line \(shown(line))"
            let result = LineSplitter(separator: separator, qualifier: qualifier).split(line)
            // The oracle: split on the separator's scalar after a byte order mark, trim spaces.
            var scalars = Array(line.unicodeScalars)
            if separator != "\u{FEFF}", scalars.first == "\u{FEFF}" { scalars.removeFirst() }
            let expected = scalars.split(separator: separator, omittingEmptySubsequences: false)
                .map { Self.trimmingSpaces(Array($0), separator: separator) }
            let firstNul = expected.firstIndex { $0.contains("\u{0}") }
            switch result {
            case .failure(let error):
                if qualifier == nil {
                    #expect(firstNul.map { LineError.nul(field: $0 + 1) } == error, "\(context)")
                }
                expectFrench(error.message, context)
            case .success(let fields):
                #expect(!fields.isEmpty, "\(context)")
                if !line.unicodeScalars.contains("\u{FFFD}") {
                    #expect(
                        !fields.contains { $0.unicodeScalars.contains("\u{FFFD}") }, "a character was cut: \(context)")
                }
                if qualifier == nil {
                    #expect(firstNul == nil, "a NUL was kept: \(context)")
                    #expect(scalarLists(fields) == expected, "\(context)")
                }
            }
        }
    }

    @Test("enclosing any fields in the qualifier, doubled inside, gives them back exactly")
    func qualifiedRoundTrip() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0002)
        var checked = 0
        while checked < 3_000 {
            let (separator, qualifier) = Self.configuration(&random)
            // A doubled NUL qualifier stands for a NUL, which no field may hold.
            guard let qualifier, qualifier != "\u{0}" else { continue }
            checked += 1
            let fields = (0..<(1 + random.below(8))).map { _ in
                var field = Self.randomText(
                    &random, length: random.below(12), extra: [separator, qualifier, qualifier])
                field.unicodeScalars.removeAll { $0 == "\u{0}" }
                return field
            }
            let q = String(qualifier)
            let padding = separator == " " ? "" : String(repeating: " ", count: random.below(3))
            let line = fields.map { field in
                var doubled = String.UnicodeScalarView()
                for scalar in field.unicodeScalars {
                    doubled.append(scalar)
                    if scalar == qualifier { doubled.append(scalar) }
                }
                return padding + q + String(doubled) + q + padding
            }
            .joined(separator: String(separator))
            let context = "separator \(shown(String(separator))), qualifier \(shown(q)), line \(shown(line))"
            guard case .success(let split) = LineSplitter(separator: separator, qualifier: qualifier).split(line) else {
                Issue.record("refused: \(context)")
                continue
            }
            #expect(scalarLists(split) == scalarLists(fields), "\(context)")
        }
    }

    @Test("plain fields joined by the separator come back as they were")
    func plainRoundTrip() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0003)
        for _ in 0..<3_000 {
            let (separator, qualifier) = Self.configuration(&random)
            let fields = (0..<(1 + random.below(8))).map { _ in
                var field = Self.randomText(&random, length: random.below(10), extra: [])
                // NUL is refused in a field.
                field.unicodeScalars.removeAll { $0 == separator || $0 == qualifier || $0 == "\u{0}" }
                return String(
                    String.UnicodeScalarView(Self.trimmingSpaces(Array(field.unicodeScalars), separator: separator)))
            }
            let line = fields.joined(separator: String(separator))
            let result = LineSplitter(separator: separator, qualifier: qualifier).split(line)
            #expect(
                result.map(scalarLists) == .success(scalarLists(fields)),
                "separator \(shown(String(separator))), line \(shown(line))")
        }
    }

    @Test("mutated qualified lines: no crash, French refusals")
    func mutatedLines() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0004)
        for _ in 0..<4_000 {
            let (separator, qualifier) = Self.configuration(&random)
            let q = qualifier.map { String($0) } ?? "\""
            var line = (0..<(1 + random.below(6))).map { _ in
                q + Self.randomText(&random, length: random.below(8), extra: []) + q
            }
            .joined(separator: String(separator))
            var units = Array(line.unicodeScalars)
            for _ in 0..<(1 + random.below(3)) {
                let position = random.below(units.count + 1)
                switch random.below(3) {
                case 0 where position < units.count: units.remove(at: position)
                case 1: units.insert(random.pick([separator, qualifier ?? "\"", " ", "x", "\u{FFFD}"]), at: position)
                default: units.insert(contentsOf: q.unicodeScalars, at: position)
                }
            }
            line = String(String.UnicodeScalarView(units))
            if case .failure(let error) = LineSplitter(separator: separator, qualifier: qualifier).split(line) {
                expectFrench(error.message, "line \(shown(line))")
            }
        }
    }

    @Test("a qualifier left open rejects the line with the contract's message")
    func qualifierLeftOpen() {
        let splitter = LineSplitter(separator: ";", qualifier: "\"")
        for line in [
            "\"", "\"abc", "a;\"b", "\"a\"\";b", "  \"a;b;c", "\"\"\"",
            "a;b;\"" + String(repeating: "x", count: 100_000),
        ] {
            let result = splitter.split(line)
            #expect(result == .failure(.unclosedQualifier), "\(shown(line))")
            if case .failure(let error) = result { #expect(error.message == "Identificateur de texte non fermé") }
        }
        let emoji = LineSplitter(separator: "é", qualifier: "😀")
        #expect(emoji.split("a é😀bé") == .failure(.unclosedQualifier))
        #expect(splitter.split("\"a\"b;c") == .failure(.textAfterClosingQualifier(field: 1)))
        expectFrench(LineError.textAfterClosingQualifier(field: 1).message)
    }

    @Test("100 000 fields on a line are all split, and the reader rejects the line in French")
    func hundredThousandFields() throws {
        let count = 100_000
        let plain = Array(repeating: "x", count: count).joined(separator: ";")
        let fields = try LineSplitter(separator: ";", qualifier: nil).split(plain).get()
        #expect(fields.count == count)
        #expect(fields.allSatisfy { $0 == "x" })

        let enclosed = Array(repeating: "\"a;\"\"b\"", count: count).joined(separator: ";")
        let enclosedFields = try LineSplitter(separator: ";", qualifier: "\"").split(enclosed).get()
        #expect(enclosedFields.count == count)
        #expect(enclosedFields.allSatisfy { $0 == "a;\"b" })

        let empty = String(repeating: ";", count: count - 1)
        #expect(try LineSplitter(separator: ";", qualifier: "\"").split(empty).get().count == count)

        // Through the reader of a Clients import: too many fields is a line rejection, in French.
        let layout = try FieldLayout(
            parametres: Self.parametres(nomsChamps: "PCF_CODE;CPT_NUMERO;PCF_RS"), catalogue: .clients)
        let reader = LineReader(layout: layout, separator: ";", qualifier: nil)
        guard case .failure(let rejection) = reader.read(plain) else {
            Issue.record("a line of 100 000 fields was read")
            return
        }
        #expect(rejection.reasons == ["La ligne comporte 100000 champs alors que 3 sont attendus"])
        // Extra empty fields are ignored.
        #expect(reader.read("C1;411C1;Alpha" + empty).map(\.fields.count) == .success(3))

        // 100 000 distinct unknown names in a header: each is a notice, nothing fails.
        let header = (0..<count).map { "INCONNU\($0)" }.joined(separator: ";")
        let wide = try FieldLayout(parametres: Self.parametres(entete: true, lines: [header]), catalogue: .clients)
        #expect(wide.columns.count == count)
        #expect(wide.notices.count == count)
        #expect(wide.notices.first == "Le champ INCONNU0 est inconnu : colonne ignorée")
        // The same name 100 000 times refuses the request, in French.
        do {
            _ = try FieldLayout(
                parametres: Self.parametres(
                    entete: true, lines: [Array(repeating: "pcf_rs", count: count).joined(separator: ";")]),
                catalogue: .clients)
            Issue.record("a header repeating a name was accepted")
        } catch {
            #expect(error.message == "Le champ PCF_RS est présent deux fois dans les noms de champs")
        }
    }

    @Test("a 10 MB line is split, enclosed or not, without a character cut")
    func tenMegabyteLine() throws {
        let size = 10 * 1024 * 1024
        let plain = String(repeating: "é", count: size / 2)
        let one = try LineSplitter(separator: ";", qualifier: "\"").split(plain).get()
        #expect(one.count == 1)
        #expect(one.first?.utf8.count == size)

        let chunk = String(repeating: "€", count: 1000)
        let separated = Array(repeating: chunk, count: size / 3000).joined(separator: "😀")
        let parts = try LineSplitter(separator: "😀", qualifier: nil).split(separated).get()
        #expect(parts.count == size / 3000)
        #expect(parts.allSatisfy { $0 == chunk })

        let quoted = "\"" + String(repeating: "a\"\";", count: size / 4) + "\""
        let unquoted = try LineSplitter(separator: ";", qualifier: "\"").split(quoted).get()
        #expect(unquoted.count == 1)
        #expect(unquoted.first?.utf8.count == size / 4 * 3)

        let open = "\"" + String(repeating: "b", count: size)
        #expect(LineSplitter(separator: ";", qualifier: "\"").split(open) == .failure(.unclosedQualifier))
    }

    @Test("lines made from invalid UTF-8 (repaired to U+FFFD) split like any other")
    func repairedInvalidUTF8() throws {
        let invalid: [[UInt8]] = [
            [0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80],
        ]
        for bytes in invalid {
            let line = String(
                decoding: Array("a;".utf8) + bytes + Array(";\"".utf8) + bytes + Array("\";c".utf8), as: UTF8.self)
            let fields = try LineSplitter(separator: ";", qualifier: "\"").split(line).get()
            #expect(fields.count == 4)
            #expect(fields.first == "a" && fields.last == "c")
        }
    }

    static func parametres(nomsChamps: String = "", entete: Bool = false, lines: [String] = []) -> ImportParameters {
        ImportParameters(
            journal: false, statistiques: false, entete: entete, nomsChamps: nomsChamps, separator: ";", qualifier: nil,
            lines: StringList(lines), tester: false, calculerCodeTiers: false, calculerNumeroCompte: false)
    }
}

// MARK: - Value parsers

@Suite("Fuzz: the value parsers")
struct ValueParserFuzzTests {
    /// A random raw value, aimed at every type's edges.
    private static func randomRaw(_ random: inout SplitMix64) -> String {
        switch random.below(9) {
        case 0:  // digits and number signs
            return String((0..<random.below(25)).map { _ in random.pick(Array("0123456789 ,.-+\u{A0}\u{202F}eE٣")) })
        case 1:  // date-like
            let parts = (0..<random.below(5)).map { _ in
                String((0..<random.below(6)).map { _ in random.pick(Array("0123456789")) })
            }
            return parts.joined(separator: random.pick(["/", "-", ".", " ", "/"]))
        case 2:  // checkbox-like, in any case
            let word = random.pick([
                "1", "0", "oui", "non", "o", "n", "vrai", "faux", "true", "false", "2", "yes", "ouii", "İ",
            ])
            return String(word.map { random.oneIn(2) ? Character($0.uppercased()) : $0 })
        case 3:  // long text
            return String(repeating: random.pick(["a", "é", "e\u{301}", "😀", "\u{0}"]), count: random.below(300))
        case 4:  // a code of the catalogue's lists, or nearly
            return random.pick(["DSA", "dsa", "DAA", "T", "1", "GEN", "gen ", " GEN", "HT", "TTC", "C", "F", "P", "ÉÉ"])
        case 5:  // a big decimal
            return (random.oneIn(2) ? "-" : "")
                + String((0..<random.below(40)).map { _ in random.pick(Array("0123456789")) })
                + (random.oneIn(2)
                    ? "," + String((0..<random.below(8)).map { _ in random.pick(Array("0123456789")) }) : "")
        case 6:  // arbitrary scalars
            return String(
                String.UnicodeScalarView(
                    (0..<random.below(20)).compactMap { _ in Unicode.Scalar(UInt32(random.below(0x11_0000))) }))
        case 7:  // spaces only
            return String(repeating: random.pick([" ", "\u{A0}", "\t"]), count: 1 + random.below(4))
        default:
            return ""
        }
    }

    @Test("every field of every catalogue: typed values or a French reason naming the field")
    func everyFieldOfEveryCatalogue() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0010)
        let decimalPattern = /-?(0|[1-9][0-9]*)(\.[0-9]+)?/
        let isoPattern = /[0-9]{4}-[0-9]{2}-[0-9]{2}/
        let dateTimePattern = /[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/
        for domaine in Domaine.all {
            let rounds = domaine == .clients ? 100 : 25
            for field in domaine.catalogue.fields {
                for _ in 0..<rounds {
                    let raw = Self.randomRaw(&random)
                    let context = "\(domaine) \(field.name) « \(shown(raw)) »"
                    switch field.parse(raw) {
                    case .failure(let error):
                        #expect(error.message.contains(field.name), "\(context): \(error.message)")
                        expectFrench(error.message, context)
                    case .success(let value):
                        if raw.isEmpty {
                            #expect(value == .null, "\(context)")
                            continue
                        }
                        switch field.type {
                        case .unlimitedText:
                            #expect(value.text.map(scalarsOf) == scalarsOf(raw), "\(context)")
                        case .text(let maxLength, let codes):
                            guard let text = value.text else {
                                Issue.record("not text: \(context)")
                                continue
                            }
                            if codes.isEmpty {
                                #expect(scalarsOf(text) == scalarsOf(raw), "\(context)")
                                if let maxLength { #expect(text.count <= maxLength, "\(context)") }
                            } else {
                                #expect(codes.contains(text), "\(context)")
                                #expect(text.lowercased() == raw.lowercased(), "\(context)")
                            }
                        case .checkbox:
                            #expect(value == .integer(0) || value == .integer(1), "\(context)")
                        case .integer:
                            #expect(value.integer == Int(raw.trimmingPrefix("+")), "\(context)")
                        case .date:
                            guard let iso = value.text, iso.wholeMatch(of: isoPattern) != nil else {
                                Issue.record("not an ISO date: \(context) → \(value)")
                                continue
                            }
                            #expect(CalendarDate(parsing: iso)?.iso == iso, "\(context)")
                        case .dateTime:
                            guard let stored = value.text, stored.wholeMatch(of: dateTimePattern) != nil else {
                                Issue.record("not a stored date and time: \(context) → \(value)")
                                continue
                            }
                            #expect(CalendarDate(parsing: String(stored.prefix(10))) != nil, "\(context)")
                        case .decimal(let digits, let scale):
                            guard let text = value.text, text.wholeMatch(of: decimalPattern) != nil else {
                                Issue.record("not a canonical decimal: \(context) → \(value)")
                                continue
                            }
                            let integer = text.drop(while: { $0 == "-" }).prefix(while: { $0 != "." })
                            #expect(integer == "0" || integer.count <= digits - scale, "\(context)")
                            #expect(text.split(separator: ".").dropFirst().first?.count ?? 0 == scale, "\(context)")
                            #expect(
                                ExactDecimal.parse(text, digits: digits, scale: scale).map(\.text) == .success(text),
                                "\(context)")
                        }
                    }
                }
            }
        }
    }

    /// The decimal an independent reading of the contract expects: an optional sign, ASCII digit
    /// groups separated by one space (also non-breaking), `.` or `,`, then decimals.
    private static func expectedDecimal(_ raw: String, digits: Int, scale: Int) -> Result<
        String, ExactDecimal.ParseError
    > {
        guard let match = raw.wholeMatch(of: /([+-]?)((?:[0-9]+(?:[ \u{A0}\u{202F}][0-9]+)*)?)(?:[.,]([0-9]+))?/) else {
            return .failure(.notANumber)
        }
        let integer = match.2.filter { $0.isASCII && $0.isNumber }
        let fraction = match.3.map(String.init) ?? ""
        if integer.isEmpty && fraction.isEmpty { return .failure(.notANumber) }
        if fraction.count > scale { return .failure(.tooManyDecimals) }
        let significant = integer.drop(while: { $0 == "0" })
        if significant.count > digits - scale { return .failure(.tooManyDigits) }
        let padded = fraction + String(repeating: "0", count: scale - fraction.count)
        let zero = significant.isEmpty && padded.allSatisfy { $0 == "0" }
        let sign = match.1 == "-" && !zero ? "-" : ""
        return .success(sign + (significant.isEmpty ? "0" : String(significant)) + (scale > 0 ? "." + padded : ""))
    }

    @Test("ExactDecimal agrees with an independent reading on random and well-formed inputs")
    func exactDecimal() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0011)
        let alphabet = Array("0123456789 ,.-+\u{A0}\u{202F}e٣\u{2212}")
        for iteration in 0..<8_000 {
            let raw: String
            if iteration.isMultiple(of: 2) {
                raw = String((0..<random.below(14)).map { _ in random.pick(alphabet) })
            } else {
                var text = random.pick(["", "", "-", "+"])
                let groups = random.below(4)
                for group in 0..<groups {
                    if group > 0 { text += random.pick([" ", "\u{A0}", "\u{202F}"]) }
                    text += String((0..<(1 + random.below(4))).map { _ in random.pick(Array("0123456789")) })
                }
                if random.oneIn(2) || groups == 0 {
                    text +=
                        random.pick([",", "."])
                        + String((0..<(1 + random.below(6))).map { _ in random.pick(Array("0123456789")) })
                }
                raw = text
            }
            for (digits, scale) in [(20, 4), (8, 3), (5, 0)] {
                let actual = ExactDecimal.parse(raw, digits: digits, scale: scale).map(\.text)
                #expect(
                    actual == Self.expectedDecimal(raw, digits: digits, scale: scale),
                    "« \(shown(raw)) » (\(digits), \(scale))")
            }
        }
        #expect(
            ExactDecimal.parse(String(repeating: "9", count: 1_000_000), digits: 20, scale: 4)
                == .failure(.tooManyDigits))
        #expect(
            ExactDecimal.parse("0," + String(repeating: "0", count: 1_000_000), digits: 20, scale: 4)
                == .failure(.tooManyDecimals))
    }

    @Test("CalendarDate agrees with the proleptic Gregorian calendar on random day, month and year texts")
    func calendarDates() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0012)
        func digits(_ random: inout SplitMix64, count: Int) -> String {
            String((0..<count).map { _ in random.pick(Array("0123456789")) })
        }
        func daysIn(_ month: Int, _ year: Int) -> Int {
            let leap = year % 400 == 0 || (year % 4 == 0 && year % 100 != 0)
            return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        }
        for _ in 0..<15_000 {
            let day = random.oneIn(3) ? String(1 + random.below(31)) : digits(&random, count: random.below(4))
            let month = random.oneIn(3) ? String(1 + random.below(12)) : digits(&random, count: random.below(4))
            let year = random.oneIn(2) ? String(1890 + random.below(250)) : digits(&random, count: random.below(6))
            let french = random.oneIn(2)
            let separator = random.oneIn(10) ? random.pick([".", " ", "/", "-", "٫"]) : (french ? "/" : "-")
            var text =
                french
                ? [day, month, year].joined(separator: separator) : [year, month, day].joined(separator: separator)
            if random.oneIn(20) { text = random.pick([" ", "x", "-", "\u{0}"]) + text }
            if random.oneIn(20) { text += random.pick([" ", "/", "-", "9", "T00:00"]) }

            var expected: String?
            let forms: [(Regex<(Substring, Substring, Substring, Substring)>, Bool)] = [
                (/([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})/, true), (/([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/, false),
            ]
            for (pattern, dayFirst) in forms {
                guard let match = text.wholeMatch(of: pattern) else { continue }
                let (d, m, y) = dayFirst ? (match.1, match.2, match.3) : (match.3, match.2, match.1)
                if let y = Int(y), let m = Int(m), let d = Int(d), y >= 1, (1...12).contains(m), d >= 1,
                    d <= daysIn(m, y)
                {
                    func padded(_ value: Int, _ width: Int) -> String {
                        String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
                    }
                    expected = "\(padded(y, 4))-\(padded(m, 2))-\(padded(d, 2))"
                }
            }
            #expect(CalendarDate(parsing: text)?.iso == expected, "« \(shown(text)) »")
        }
    }
}

// MARK: - JSON and request decoding

@Suite("Fuzz: the JSON reader and the request decoder")
struct RequestDecodingFuzzTests {
    /// The document read both ways the server reads one, which must agree; the web service's
    /// way (arrays of strings compacted) is returned.
    private static func parse(_ bytes: [UInt8]) -> Result<JSONValue, JSONError> {
        func parse(compacting: Bool) -> Result<JSONValue, JSONError> {
            do { return .success(try JSONValue.parse(bytes, compactingStringArrays: compacting)) } catch {
                return .failure(error)
            }
        }
        let compact = parse(compacting: true)
        #expect(compact == parse(compacting: false), "\(bytes.prefix(120))")
        return compact
    }

    private static func decode(_ body: JSONValue, _ domaine: Domaine) -> Result<ImportRequest, RequestRefusal> {
        do { return .success(try ImportRequest.decode(body: body, domaine: domaine)) } catch { return .failure(error) }
    }

    /// A random JSON number's text, valid per RFC 8259.
    private static func randomNumber(_ random: inout SplitMix64) -> String {
        var text = random.oneIn(3) ? "-" : ""
        text +=
            random.oneIn(4)
            ? "0"
            : String(1 + random.below(9)) + String((0..<random.below(25)).map { _ in random.pick(Array("0123456789")) })
        if random.oneIn(3) {
            text += "." + String((0..<(1 + random.below(5))).map { _ in random.pick(Array("0123456789")) })
        }
        if random.oneIn(4) {
            text += random.pick(["e", "E"]) + random.pick(["", "+", "-"]) + String(random.below(99999))
        }
        return text
    }

    private static func randomString(_ random: inout SplitMix64) -> String {
        let pieces = [
            "a", "é", "e\u{301}", "😀", "\"", "\\", "/", "\n", "\u{0}", "\u{1F}", "\u{7F}", "\u{FEFF}", "\u{10FFFF}",
            " ", "𝄞", "\u{2028}",
        ]
        return (0..<random.below(12)).map { _ in random.pick(pieces) }.joined()
    }

    private static func randomValue(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch random.below(depth > 5 ? 4 : 6) {
        case 0: return .string(randomString(&random))
        case 1: return .number(randomNumber(&random))
        case 2: return random.oneIn(2) ? .bool(random.oneIn(2)) : .null
        case 3: return .string("")
        case 4: return .array((0..<random.below(5)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var keys = Set<String>()
            var members: [(key: String, value: JSONValue)] = []
            for _ in 0..<random.below(5) {
                let key = randomString(&random)
                if keys.insert(key).inserted { members.append((key, randomValue(&random, depth: depth + 1))) }
            }
            return .object(members)
        }
    }

    /// A compact serialization that escapes at random: `\uXXXX` (surrogate pairs beyond the
    /// BMP), `\/`, short escapes, or the raw character; random whitespace between tokens.
    private static func write(_ value: JSONValue, _ random: inout SplitMix64, into output: inout String) {
        func space(_ random: inout SplitMix64) -> String {
            random.oneIn(4) ? random.pick([" ", "\n", "\t", "\r\n  "]) : ""
        }
        func string(_ text: String, _ random: inout SplitMix64, into output: inout String) {
            output += "\""
            for scalar in text.unicodeScalars {
                let escapeAnyway = random.oneIn(6)
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "/" where escapeAnyway: output += "\\/"
                case "\n" where !escapeAnyway: output += "\\n"
                case "\u{0}"..."\u{1F}",
                    _ where escapeAnyway:
                    var units: [UInt16] = []
                    units.append(contentsOf: String(scalar).utf16)
                    for unit in units {
                        let hex = String(unit, radix: 16, uppercase: random.oneIn(2))
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                default: output.unicodeScalars.append(scalar)
                }
            }
            output += "\""
        }
        output += space(&random)
        switch value {
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                output += space(&random)
                string(member.key, &random, into: &output)
                output += space(&random) + ":"
                write(member.value, &random, into: &output)
            }
            output += space(&random) + "}"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, &random, into: &output)
            }
            output += space(&random) + "]"
        case .strings(let strings): write(.array(strings.map(JSONValue.string)), &random, into: &output)
        case .string(let text): string(text, &random, into: &output)
        case .number(let text): output += text
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        }
        output += space(&random)
    }

    /// Strict equality: the scalars of the pretty form (Swift's string `==` would be canonical
    /// equivalence).
    private static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        a.asciiText.unicodeScalars.elementsEqual(b.asciiText.unicodeScalars)
    }

    @Test("random documents, written any valid way, read back exactly")
    func roundTrip() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0020)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&random)
            var compact = ""
            Self.write(value, &random, into: &compact)
            for text in [compact, value.asciiText] {
                let bytes = (random.oneIn(5) ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
                switch Self.parse(bytes) {
                case .success(let parsed): #expect(Self.same(parsed, value), "\(shown(text))")
                case .failure(let error): Issue.record("\(error.message) for \(shown(text))")
                }
            }
        }
    }

    @Test("mutated documents: no crash; refused in French, or read consistently")
    func mutatedDocuments() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0021)
        let tokens: [[UInt8]] =
            [
                "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\uD800", "\\uDC00", "-", "0", "e", "null", "tru",
                "\u{FEFF}",
            ]
            .map { Array($0.utf8) } + [
                [0xFF], [0xC3], [0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x00], [0xF4, 0x90, 0x80, 0x80],
            ]
        var refused = 0
        for _ in 0..<6_000 {
            var compact = ""
            Self.write(Self.randomValue(&random), &random, into: &compact)
            var bytes = Array(compact.utf8)
            for _ in 0..<(1 + random.below(3)) {
                let position = random.below(bytes.count + 1)
                switch random.below(5) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1 where position < bytes.count: bytes[position] = random.byte()
                case 2: bytes.insert(contentsOf: random.pick(tokens), at: position)
                case 3: bytes = Array(bytes.prefix(position))
                default:
                    let end = min(bytes.count, position + random.below(8))
                    bytes.insert(contentsOf: bytes[position..<end], at: position)
                }
            }
            switch Self.parse(bytes) {
            case .failure(let error):
                refused += 1
                expectFrench(error.message, "bytes \(bytes.prefix(120))")
            case .success(let value):
                // Whatever is accepted is a document that reads back as itself.
                #expect(Self.parse(Array(value.asciiText.utf8)).map { Self.same($0, value) } == .success(true))
            }
        }
        #expect(refused > 1_000, "the mutations should mostly break the documents")
    }

    @Test("documents RFC 8259 refuses are refused in French; those it allows are read")
    func knownDocuments() {
        let invalid = [
            "", " ", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "[01]", "[1.]", "[.1]", "[1e]", "[-]", "[+1]", "[\"\\x\"]",
            "[\"\\u12\"]", "[\"\\uD800\"]", "[\"\\uDC00\"]", "[\"\\uD800\\u0041\"]", "[tru]", "[nul]", "[\"a\nb\"]",
            "[NaN]",
            "[Infinity]", "{\"a\" 1}", "{1:1}", "{\"a\":1 \"b\":2}", "[1 2]", "'a'", "[\"a\"", "[", "{", "]", "}", "\"",
            "[\u{0}]",
            "123abc", "[1]x", "\u{FEFF}\u{FEFF}[]", " \u{FEFF}[]", "[]\u{FEFF}", "{\"a\":1}{}", "[\"\\", "[\"\\u",
            "//[]",
            "/* */[]", "[1,,2]", "{\"a\"}", "{\"a\":}", "[\u{A0}]", "[0x10]", "[1_000]", "[True]", "[\"\\U0041\"]",
        ]
        for text in invalid {
            switch Self.parse(Array(text.utf8)) {
            case .success(let value): Issue.record("accepted « \(shown(text)) » as \(value)")
            case .failure(let error): expectFrench(error.message, "« \(shown(text)) »")
            }
        }
        let valid = [
            "[]", "{}", "0", "-0", "1E+2", "-1.5e-3", "\"\\uD83D\\uDE00\"", "\"\\u0000\"", " [ ] ", "\u{FEFF}{}",
            "\"é\"",
            "1e999999", "true", "null", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ]
        for text in valid {
            if case .failure(let error) = Self.parse(Array(text.utf8)) {
                Issue.record("« \(shown(text)) »: \(error.message)")
            }
        }
        // Byte order marks of other encodings are not UTF-8 JSON.
        for bytes: [UInt8] in [
            [0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00], [0xFE, 0xFF, 0x00, 0x5B, 0x00, 0x5D], [0xEF, 0xBB],
        ] {
            if case .failure(let error) = Self.parse(bytes) {
                expectFrench(error.message)
            } else {
                Issue.record("accepted \(bytes)")
            }
        }
    }

    @Test(
        "invalid UTF-8 anywhere is refused in French",
        arguments: [
            [0xFF], [0xFE], [0xC3], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
            [0xED, 0xBF, 0xBF],
            [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xBF], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ] as [[UInt8]])
    func invalidUTF8(sequence: [UInt8]) {
        let places: [[UInt8]] = [
            Array("{\"importer_clients\": \"".utf8) + sequence + Array("\"}".utf8),
            Array("{\"".utf8) + sequence + Array("\": 1}".utf8),
            Array("[\"a\\n".utf8) + sequence + Array("\"]".utf8),
            sequence + Array("{}".utf8), Array("{}".utf8) + sequence, Array("[1".utf8) + sequence + Array("]".utf8),
        ]
        for bytes in places {
            switch Self.parse(bytes) {
            case .success(let value): Issue.record("accepted \(bytes) as \(value)")
            case .failure(let error): expectFrench(error.message, "\(bytes)")
            }
        }
        #expect(
            Self.parse(places[0]).failureMessage?.hasPrefix(
                "Le corps de la requête n'est pas un texte UTF-8 valide (octet ")
                == true)
    }

    @Test("nesting 100 000 deep, and deeper, is refused in French without overflowing the stack")
    func deepNesting() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")] {
            for depth in [100_000, 400_000] {
                let text = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
                let result = Self.parse(Array(text.utf8))
                #expect(result.failureMessage?.contains("imbrication trop profonde") == true, "\(open) × \(depth)")
                if let message = result.failureMessage { expectFrench(message) }
                // Left open: refused the same way, not read to the end.
                #expect(
                    Self.parse(Array(String(repeating: open, count: depth).utf8)).failureMessage?.contains(
                        "imbrication") == true)
            }
        }
        // Inside a real request, in place of the lines.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let body = "{\"importer_clients\": {\"societe\": {}, \"parametres\": {\"fichier_clients\": \(deep)}}}"
        #expect(Self.parse(Array(body.utf8)).failureMessage?.contains("imbrication trop profonde") == true)
        // A reasonable nesting is read.
        let twenty = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect((try? JSONValue.parse(Array(twenty.utf8))) != nil)
    }

    /// A request body the decoder accepts, to break piece by piece.
    static func validBody(_ domaine: Domaine = .clients) -> [(key: String, value: JSONValue)] {
        let societe: JSONValue = .object([
            ("fichier", .string("DEMO")), ("utilisateur", .string("DEMO")), ("mot_passe", .string("")),
            ("deconnecter", .string("Non")), ("exclusif", .string("Non")),
        ])
        var parametres: [(key: String, value: JSONValue)] = [
            ("journal", .string("Oui")), ("statistiques", .string("oui")), ("entete", .string("Oui")),
            ("noms_champs", .string("")), ("separateur_champs", .string(";")), ("identificateur_texte", .string("\"")),
            (domaine.linesKey, .array([.string("PCF_CODE;PCF_RS"), .string("C1;Alpha")])),
        ]
        if domaine.acceptsTester { parametres.append(("tester", .string("Non"))) }
        return [(domaine.rootKey, .object([("societe", societe), ("parametres", .object(parametres))]))]
    }

    @Test("numbers, null, booleans, arrays and objects where strings belong: a French 400 message naming the key")
    func wrongKinds() throws {
        let kinds: [(JSONValue, String)] = [
            (.number("12"), "un nombre"), (.null, "null"), (.bool(true), "un booléen"),
            (.array([.string("Oui")]), "un tableau"),
            (.object([("a", .string("Oui"))]), "un objet"),
        ]
        let stringKeys: [(section: String, key: String)] =
            ["fichier", "utilisateur", "mot_passe", "deconnecter", "exclusif"].map { ("societe", $0) }
            + [
                "journal", "statistiques", "entete", "noms_champs", "separateur_champs", "identificateur_texte",
                "tester",
            ].map {
                ("parametres", $0)
            }
        for (section, key) in stringKeys {
            for (value, kind) in kinds {
                let body = Self.replacing(section: section, key: key, with: value)
                let message = Self.decode(body, .clients).failureMessage
                #expect(
                    message == "Le paramètre \(key) doit être une chaîne, pas \(kind)", "\(section).\(key) = \(kind)")
                if let message { expectFrench(message) }
            }
        }
        for (value, kind) in kinds {
            #expect(
                Self.decode(
                    Self.replacing(
                        section: "parametres", key: "fichier_clients", with: .array([.string("PCF_CODE"), value])),
                    .clients
                )
                .failureMessage == "Le paramètre fichier_clients doit être un tableau de chaînes : il contient \(kind)")
            for section in ["societe", "parametres"] where kind != "un objet" {
                #expect(
                    Self.decode(Self.replacing(section: section, with: value), .clients).failureMessage
                        == "Le paramètre \(section) doit être un objet, pas \(kind)")
            }
            if kind != "un objet" {
                #expect(
                    Self.decode(.object([("importer_clients", value)]), .clients).failureMessage
                        == "Le paramètre importer_clients doit être un objet, pas \(kind)")
                #expect(
                    Self.decode(value, .clients).failureMessage
                        == "Le corps de la requête doit être un objet JSON avec la clé importer_clients")
            }
        }
        for value: JSONValue in [.string("PCF_CODE;PCF_RS"), .number("1"), .null, .object([])] {
            #expect(
                Self.decode(Self.replacing(section: "parametres", key: "fichier_clients", with: value), .clients)
                    .failureMessage
                    == "Le paramètre fichier_clients doit être un tableau de chaînes")
        }
    }

    @Test("a key given twice, at any level, is refused in French")
    func duplicateKeys() {
        let bodies = [
            #"{"importer_clients": {}, "importer_clients": {}}"#,
            #"{"importer_clients": {"societe": {}, "societe": {}, "parametres": {}}}"#,
            #"{"importer_clients": {"societe": {"fichier": "DEMO", "utilisateur": "DEMO", "fichier": "../x"}, "parametres": {}}}"#,
            #"{"importer_clients": {"societe": {}, "parametres": {"fichier_clients": [], "fichier_clients": ["a"]}}}"#,
            #"{"importer_clients": {"societe": {}, "parametres": {"x": {"journal": 1, "journal": 2}}}}"#,
            #"{"importer_clients": {"societe": {}, "parametres": {"\u0065ntete": "Oui", "entete": "Non"}}}"#,
        ]
        for body in bodies {
            let message = Self.parse(Array(body.utf8)).failureMessage
            #expect(
                message?.hasPrefix("La clé ") == true
                    && message?.hasSuffix(" est présente deux fois dans un même objet") == true, "\(body)")
            if let message { expectFrench(message) }
        }
        // Keys that differ only by normalisation: read as two keys or refused as one given twice, in French.
        let nfd = #"{"a": {"entête": "x", "ente\u0302te": "y"}}"#
        if let message = Self.parse(Array(nfd.utf8)).failureMessage { expectFrench(message) }
    }

    @Test("a byte order mark: one at the start is allowed, any other is refused in French")
    func byteOrderMarks() throws {
        let body = Array(JSONValue.object(Self.validBody()).asciiText.utf8)
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let withBOM = try JSONValue.parse(bom + body)
        #expect(Self.same(withBOM, try JSONValue.parse(body)))
        #expect(Self.decode(withBOM, .clients).failureMessage == nil)
        for bytes in [
            bom + bom + body, Array(" ".utf8) + bom + body, body + bom, Array(body.prefix(1)) + bom + body.dropFirst(),
        ] {
            let message = Self.parse(bytes).failureMessage
            #expect(message != nil)
            if let message { expectFrench(message) }
        }
        // A BOM inside a value is an ordinary character: a société name holding one is refused later, in French.
        let named = Self.replacing(section: "societe", key: "fichier", with: .string("\u{FEFF}DEMO"))
        let request = try ImportRequest.decode(body: named, domaine: .clients)
        do {
            _ = try SocieteName.fileName(for: request.societe.fichier)
            Issue.record("a name with a BOM was accepted")
        } catch { expectFrench(error.message) }
    }

    /// The valid body with `section`'s `key` set to `value` (added when missing), or the whole
    /// section replaced when `key` is nil.
    static func replacing(section: String, key: String? = nil, with value: JSONValue) -> JSONValue {
        guard case .object(let request) = validBody()[0].value else { return .null }
        let members = request.map { member -> (key: String, value: JSONValue) in
            guard member.key == section else { return member }
            guard let key else { return (section, value) }
            guard case .object(var inner) = member.value else { return member }
            if let index = inner.firstIndex(where: { $0.key == key }) {
                inner[index].value = value
            } else {
                inner.append((key, value))
            }
            return (section, .object(inner))
        }
        return .object([("importer_clients", .object(members))])
    }

    @Test("random request trees, for every domain: decoded or refused in French, never anything else")
    func randomRequests() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0022)
        let keys = [
            "fichier", "utilisateur", "mot_passe", "deconnecter", "exclusif", "journal", "statistiques", "entete",
            "noms_champs", "separateur_champs", "identificateur_texte", "tester", "calculer_code_tiers",
            "calculer_numero_compte", "societe", "parametres",
        ]
        let values: [JSONValue] = [
            .string("Oui"), .string("NON"), .string("oUi"), .string(""), .string(";"), .string(";;"), .string("\""),
            .string("e\u{301}"), .string("😀"), .string("DEMO"), .string("../x"), .null, .number("1"), .bool(false),
            .array([]), .object([]),
        ]
        var decoded = 0
        for iteration in 0..<2_500 {
            let domaine = random.pick(Domaine.all)
            var body = Self.validBody(domaine)
            func mutate(_ value: JSONValue, _ random: inout SplitMix64, depth: Int) -> JSONValue {
                switch value {
                case .object(var members):
                    if random.oneIn(12), !members.isEmpty { members.remove(at: random.below(members.count)) }
                    if random.oneIn(6) {
                        let key = random.pick(keys + Domaine.all.map(\.linesKey))
                        if !members.contains(where: { $0.key == key }) { members.append((key, random.pick(values))) }
                    }
                    return .object(
                        members.map {
                            (
                                $0.key,
                                random.oneIn(15) ? random.pick(values) : mutate($0.value, &random, depth: depth + 1)
                            )
                        })
                case .array(var elements):
                    if random.oneIn(3) {
                        elements.append(
                            random.oneIn(3) ? random.pick(values) : .string(random.pick(["", ";", "\"a", "x;y;z"])))
                    }
                    return .array(elements)
                default:
                    return random.oneIn(10) ? Self.randomValue(&random, depth: 4) : value
                }
            }
            body = body.map { ($0.key, mutate($0.value, &random, depth: 0)) }
            if random.oneIn(30) {
                let other = random.pick(Domaine.all.filter { $0 != domaine })
                body.append((other.rootKey, .object([])))
            }
            let json = JSONValue.object(body)
            // Through the bytes too, as the web service reads it.
            guard case .success(let parsed) = Self.parse(Array(json.asciiText.utf8)) else {
                Issue.record("a written tree was not read back (iteration \(iteration))")
                continue
            }
            switch Self.decode(parsed, domaine) {
            case .failure(let refusal): expectFrench(refusal.message, "iteration \(iteration)")
            case .success(let request):
                decoded += 1
                #expect(request.parametres.qualifier != request.parametres.separator)
                do {
                    let layout = try FieldLayout(parametres: request.parametres, catalogue: domaine.catalogue)
                    let reader = LineReader(
                        layout: layout, separator: request.parametres.separator, qualifier: request.parametres.qualifier
                    )
                    for line in request.parametres.lines {
                        if case .failure(let rejection) = reader.read(line) {
                            for reason in rejection.reasons { expectFrench(reason, "line \(shown(line))") }
                        }
                    }
                } catch { expectFrench(error.message, "iteration \(iteration)") }
            }
        }
        #expect(decoded > 250, "too few random requests were valid to exercise the layout and the reader")
    }

    @Test("random société names: refused in French, or a plain file name of the data folder")
    func societeNames() {
        var random = SplitMix64(seed: 0x0C0F_FEE0_0023)
        let pieces = [
            "a", "Z", "0", " ", "_", ".", "-", "/", "\\", "..", "\u{0}", "é", "e\u{301}", ":", "*", "?", "~",
            ".Gestimum", ".gestimum", "😀", "\u{FEFF}", "C:",
        ]
        let fileName = /[A-Za-z0-9 _.\-]+\.Gestimum/
        for _ in 0..<4_000 {
            let name = (0..<random.below(random.oneIn(50) ? 300 : 12)).map { _ in random.pick(pieces) }.joined()
            do {
                let file = try SocieteName.fileName(for: name)
                #expect(file.wholeMatch(of: fileName) != nil, "« \(shown(name)) » → « \(shown(file)) »")
                #expect(!file.hasPrefix("."), "« \(shown(name)) » → « \(shown(file)) »")
                #expect(file.count <= 200 + ".Gestimum".count, "« \(shown(name)) »")
                let lastPart =
                    name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(
                        String.init) ?? ""
                #expect(
                    lastPart.lowercased().hasPrefix(file.dropLast(".Gestimum".count).lowercased()), "« \(shown(name)) »"
                )
            } catch {
                expectFrench(error.message, "« \(shown(name)) »")
            }
        }
    }
}

extension Result {
    fileprivate var failureMessage: String? {
        guard case .failure(let error) = self else { return nil }
        switch error {
        case let error as JSONError: return error.message
        case let error as RequestRefusal: return error.message
        default: return "\(error)"
        }
    }
}
