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

    /// One pass over the text's bytes: the runs between special bytes are copied whole.
    private static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        let bytes = text.utf8Span.span
        var runStart = 0
        for position in bytes.indices {
            let escape: StaticString
            switch bytes[position] {
            case UInt8(ascii: "\\"): escape = "\\\\"
            case 9: escape = "\\t"
            case 10: escape = "\\n"
            case 13: escape = "\\r"
            default: continue
            }
            buffer.writeBytes(bytes.extracting(runStart..<position).bytes)
            buffer.writeStaticString(escape)
            runStart = position + 1
        }
        buffer.writeBytes(bytes.extracting(runStart...).bytes)
    }
}
