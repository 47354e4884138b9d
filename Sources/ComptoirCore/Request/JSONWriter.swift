extension JSONValue {
    /// The document as a DataSnap server writes it: compact, in ASCII. Delphi's REST client
    /// turns the answer's text back into bytes with the Windows code page before parsing it as
    /// UTF-8, so a raw `è` would make it read nothing; every character above U+007F is therefore
    /// a `\uXXXX` escape (upper-case hex, UTF-16 code units), and `/` is `\/`, as DataSnap does.
    public var asciiText: String {
        var output = ""
        write(to: &output, ascii: true)
        return output
    }

    /// The document as Comptoir's own API writes it: compact, in UTF-8, only quotes, backslashes
    /// and control characters escaped.
    public var utf8Text: String {
        var output = ""
        write(to: &output, ascii: false)
        return output
    }

    private func write(to output: inout String, ascii: Bool) {
        switch self {
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.key, to: &output, ascii: ascii)
                output += ":"
                member.value.write(to: &output, ascii: ascii)
            }
            output += "}"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output, ascii: ascii)
            }
            output += "]"
        case .strings(let strings): JSONValue.array(strings.map(JSONValue.string)).write(to: &output, ascii: ascii)
        case .string(let text): Self.writeString(text, to: &output, ascii: ascii)
        case .number(let text): output += text
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        }
    }

    /// `text` as a JSON string, in ASCII or UTF-8, quotes included.
    static func writeString(_ text: String, to output: inout String, ascii: Bool) {
        output += "\""
        if ascii {
            writeEscaped(text, to: &output)
        } else {
            writeUTF8Escaped(text, to: &output)
        }
        output += "\""
    }

    /// The inside of `text` as a JSON string in ASCII, without its quotes: what a journal line
    /// written piece by piece is made of.
    public static func asciiEscaped(_ text: String) -> String {
        var output = ""
        writeEscaped(text, to: &output)
        return output
    }

    private static func writeEscaped(_ text: String, to output: inout String) {
        for unit in text.utf16 {
            switch unit {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x2F: output += "\\/"
            case 0x08: output += "\\b"
            case 0x09: output += "\\t"
            case 0x0A: output += "\\n"
            case 0x0C: output += "\\f"
            case 0x0D: output += "\\r"
            case 0x20...0x7E: output.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
    }

    private static func writeUTF8Escaped(_ text: String, to output: inout String) {
        var bytes: [UInt8] = []
        appendUTF8String(text, to: &bytes, quoted: false)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text` as a JSON string in UTF-8, in quotes unless `quoted` is false: only
    /// quotes, backslashes and control characters escaped, byte by byte (every byte of a
    /// multi-byte character is above them).
    public static func appendUTF8String(_ text: String, to bytes: inout [UInt8], quoted: Bool = true) {
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789ABCDEF".utf8)
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        if quoted { bytes.append(UInt8(ascii: "\"")) }
    }
}
