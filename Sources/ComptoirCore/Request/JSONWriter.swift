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
            output += asciiEscaped(text)
        } else {
            writeUTF8Escaped(text, to: &output)
        }
        output += "\""
    }

    /// The inside of `text` as a JSON string in ASCII, without its quotes: what a journal line
    /// written piece by piece is made of.
    public static func asciiEscaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        appendASCIIEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the inside of `text` as a JSON string in ASCII, without its quotes: `\uXXXX`
    /// for each UTF-16 unit outside printable ASCII, as DataSnap writes. Bytes, not characters:
    /// a journal escapes each of its lines.
    public static func appendASCIIEscaped(_ text: String, to bytes: inout [UInt8]) {
        func escaped(_ letter: Unicode.Scalar) {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: letter))
        }
        for unit in text.utf16 {
            switch unit {
            case 0x22: escaped("\"")
            case 0x5C: escaped("\\")
            case 0x2F: escaped("/")
            case 0x08: escaped("b")
            case 0x09: escaped("t")
            case 0x0A: escaped("n")
            case 0x0C: escaped("f")
            case 0x0D: escaped("r")
            case 0x20...0x7E: bytes.append(UInt8(unit))
            default:
                escaped("u")
                for shift in stride(from: 12, through: 0, by: -4) {
                    let digit = UInt8((unit >> UInt16(shift)) & 0xF)
                    bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "A") + digit - 10)
                }
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
