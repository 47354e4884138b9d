import ComptoirCore
import NIOCore

/// Rows in the text format of PostgreSQL's `COPY`: values separated by tabs, a row per line,
/// NULL as `\N`, and a backslash before each backslash, tab, line feed and carriage return that
/// a text holds.
public enum CopyText {
    public static func append(_ row: [FieldValue], to buffer: inout ByteBuffer) {
        for (index, value) in row.enumerated() { append(value, first: index == 0, to: &buffer) }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// Appends the row of the values of `first`, then of `second`.
    static func append(_ first: LineValues, then second: LineValues, to buffer: inout ByteBuffer) {
        for (index, field) in first.fields.enumerated() { append(field.value, first: index == 0, to: &buffer) }
        for (index, field) in second.fields.enumerated() {
            append(field.value, first: first.fields.isEmpty && index == 0, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static func append(_ value: FieldValue, first: Bool, to buffer: inout ByteBuffer) {
        if !first { buffer.writeInteger(UInt8(ascii: "\t")) }
        switch value {
        case .null: buffer.writeStaticString("\\N")
        case .integer(let integer): buffer.writeString(String(integer))
        case .text(let text): appendEscaped(text, to: &buffer)
        }
    }

    private static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        let special: (UInt8) -> Bool = { $0 == UInt8(ascii: "\\") || $0 == 9 || $0 == 10 || $0 == 13 }
        guard text.utf8.contains(where: special) else {
            buffer.writeString(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 9: buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
