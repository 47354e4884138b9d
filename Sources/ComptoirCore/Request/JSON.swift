/// A parsed JSON document. Objects keep their keys in order and never hold a key twice:
/// a request body is refused when it repeats a key rather than silently keeping one value.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// An array holding only strings, as `parse(_:compactingStringArrays:)` reads it.
    case strings(StringList)
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.strings(let a), .strings(let b)): a == b
        case (.strings(let strings), .array(let elements)), (.array(let elements), .strings(let strings)):
            elements.elementsEqual(strings) { $0 == .string($1) }
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// How a message names this kind of value.
    var kindName: String {
        switch self {
        case .object: "un objet"
        case .array, .strings: "un tableau"
        case .string: "une chaîne"
        case .number: "un nombre"
        case .bool: "un booléen"
        case .null: "null"
        }
    }
}

/// Why a body is not a JSON document we accept, in French.
public struct JSONError: Error, Equatable, Sendable {
    public let message: String
}

extension JSONValue {
    /// Nesting deeper than this is refused: no request needs it, and it bounds the recursion.
    static let maximumDepth = 64

    /// Parses a whole JSON document (RFC 8259), allowing one leading UTF-8 byte order mark.
    /// With `compactingStringArrays`, an array of strings is read as `.strings`, which keeps
    /// them inside `document` rather than as separate strings.
    public static func parse(_ document: [UInt8], compactingStringArrays: Bool = false) throws(JSONError) -> JSONValue {
        do {
            return try document.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(bytes: buffer, compactingInto: compactingStringArrays ? document : nil)
                return try parser.parseDocument()
            }
        } catch let error as JSONError {
            throw error
        } catch {
            fatalError("JSONValue.parse throws only JSONError")
        }
    }

    /// The one JSON string `text` holds, quotes included.
    static func parseString(_ text: UnsafeRawBufferPointer) throws(JSONError) -> String {
        var parser = JSONParser(bytes: text.bindMemory(to: UInt8.self), compactingInto: nil)
        return try parser.parseString()
    }

    /// The string whose JSON text, without its quotes, is `escaped` (what `asciiEscaped`
    /// wrote), or nil when it is not one.
    public static func unescaped(_ escaped: [UInt8]) -> String? {
        let quoted = [UInt8(ascii: "\"")] + escaped + [UInt8(ascii: "\"")]
        return quoted.withUnsafeBytes { bytes in try? parseString(bytes) }
    }
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The document `bytes` views, when arrays of strings are to be kept in it (`.strings`).
    let compactingDocument: [UInt8]?
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, compactingInto document: [UInt8]?) {
        self.bytes = bytes
        self.compactingDocument = document
        if bytes.starts(with: TextEncoding.utf8ByteOrderMark) { position = TextEncoding.utf8ByteOrderMark.count }
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        if TextEncoding.startsWithUTF16ByteOrderMark(bytes) {
            throw JSONError(
                message:
                    "Le corps de la requête est en UTF-16 : il doit être en UTF-8, ou en Windows-1252 déclaré par son Content-Type"
            )
        }
        skipWhitespace()
        if position == bytes.count { throw JSONError(message: "Le corps de la requête est vide") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position != bytes.count { throw invalid("contenu inattendu après le document") }
        return value
    }

    private func invalid(_ problem: String) -> JSONError {
        JSONError(message: "Le corps de la requête n'est pas un JSON valide : \(problem) (octet \(position + 1))")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard position < bytes.count else { throw invalid("fin inattendue") }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return try parseContainer(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw invalid("valeur attendue")
        }
    }

    private mutating func parseLiteral(_ literal: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes.count - position >= text.count,
            bytes[position..<position + text.count].elementsEqual(text)
        else { throw invalid("valeur attendue") }
        position += text.count
        return value
    }

    /// Reads an object or an array from its opening bracket: the same walk over elements
    /// separated by commas, an object's elements being `"key": value` with keys never repeated.
    private mutating func parseContainer(depth: Int) throws(JSONError) -> JSONValue {
        if depth > JSONValue.maximumDepth { throw invalid("imbrication trop profonde") }
        let isObject = bytes[position] == UInt8(ascii: "{")
        let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var keys = Set<String>()
        var elements: [JSONValue] = []
        // Where the array's strings are, while it holds nothing else and the strings are kept.
        var stringSpans: [Range<Int>]? = isObject ? nil : compactingDocument.map { _ in [Range<Int>]() }
        skipWhitespace()
        var done = position < bytes.count && bytes[position] == closing
        if done { position += 1 }
        while !done {
            skipWhitespace()
            if isObject {
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw invalid("clé attendue")
                }
                let key = try parseString()
                guard keys.insert(key).inserted else {
                    throw JSONError(message: "La clé \(key) est présente deux fois dans un même objet")
                }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw invalid("« : » attendu")
                }
                position += 1
                skipWhitespace()
                members.append((key, try parseValue(depth: depth)))
            } else if stringSpans != nil, position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                let start = position
                // Checked now, read when the list is asked for it.
                if case .plain(let text) = try scanString() { try checkUTF8(bytes[text]) }
                stringSpans?.append(start..<position)
            } else {
                if let spans = stringSpans, let document = compactingDocument {
                    elements = StringList(document: document, spans: spans).map(JSONValue.string)
                    stringSpans = nil
                }
                elements.append(try parseValue(depth: depth))
            }
            skipWhitespace()
            guard position < bytes.count else { throw invalid("fin inattendue") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case closing:
                position += 1
                done = true
            default: throw invalid("« , » ou « \(Character(Unicode.Scalar(closing))) » attendu")
            }
        }
        if isObject { return .object(members) }
        if let spans = stringSpans, let document = compactingDocument {
            return .strings(StringList(document: document, spans: spans))
        }
        return .array(elements)
    }

    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = position
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func digits() -> Int {
            let first = position
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            return position - first
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw invalid("nombre mal formé") }
        if bytes[position] == UInt8(ascii: "0") { position += 1 } else { _ = digits() }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw invalid("nombre mal formé") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { throw invalid("nombre mal formé") }
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    /// Reads a string from its opening quote. The common case, no escape, is one validated copy.
    mutating func parseString() throws(JSONError) -> String {
        switch try scanString() {
        case .plain(let text): try validated(bytes[text])
        case .decoded(let string): string
        }
    }

    /// A string's text as `scanString` finds it.
    private enum ScannedString {
        /// Without escapes: where its bytes are, their UTF-8 not yet checked.
        case plain(Range<Int>)
        /// With escapes: decoded and checked.
        case decoded(String)
    }

    /// Goes over a string from its opening quote to past its closing one.
    private mutating func scanString() throws(JSONError) -> ScannedString {
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return .plain(start..<position - 1)
            }
            if byte == UInt8(ascii: "\\") { return .decoded(try parseEscapedString(from: start)) }
            if byte < 0x20 { throw invalid("caractère de contrôle dans une chaîne") }
            position += 1
        }
        throw invalid("chaîne non fermée")
    }

    private mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        var decoded = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return try validated(decoded[...])
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw invalid("chaîne non fermée") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"): decoded.append(contentsOf: try parseUnicodeEscape())
                default: throw invalid("séquence d'échappement inconnue")
                }
            default:
                if byte < 0x20 { throw invalid("caractère de contrôle dans une chaîne") }
                decoded.append(byte)
            }
        }
        throw invalid("chaîne non fermée")
    }

    /// Reads the `XXXX` of `\uXXXX` (and a following low surrogate) and returns its UTF-8 bytes.
    private mutating func parseUnicodeEscape() throws(JSONError) -> [UInt8] {
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw invalid("demi-caractère UTF-16 isolé") }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw invalid("demi-caractère UTF-16 isolé") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw invalid("demi-caractère UTF-16 isolé") }
        return Array(String(Character(unicode)).utf8)
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw invalid("échappement \\u incomplet") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw invalid("échappement \\u incomplet")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func validated<Bytes: Collection<UInt8>>(_ text: Bytes) throws(JSONError) -> String {
        guard let string = String(validating: text, as: UTF8.self) else { throw notUTF8() }
        return string
    }

    /// Checks UTF-8 without building a string (and faster than building one).
    private func checkUTF8(_ text: Slice<UnsafeBufferPointer<UInt8>>) throws(JSONError) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = text.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return
            case .error: throw notUTF8()
            }
        }
    }

    /// The refusal of a body that is not UTF-8 (a Windows-1252 file, say), with the offset of its
    /// first bad byte, counted from 1 as the other refusals count them.
    private func notUTF8() -> JSONError {
        let offset = UTF8Check.firstInvalidOffset(in: bytes) ?? bytes.count
        return JSONError(message: "Le corps de la requête n'est pas un texte UTF-8 valide (octet \(offset + 1))")
    }
}
