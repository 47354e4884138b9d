/// Splits one line of delimited text into its fields (contract, section 3).
///
/// With a qualifier, a field may be enclosed in it: inside, the separator is literal and a
/// doubled qualifier stands for one. Fields are trimmed of surrounding spaces unless enclosed;
/// a space is, as Delphi's `Trim` that Gestimum uses has it, any character up to U+0020: a
/// tab, or the end of line that a client splitting a file may leave (`docs/decisions.md`).
/// A byte order mark before the first field is the file's encoding, not its content.
public struct LineSplitter: Sendable {
    private let separator: [UInt8]
    private let qualifier: [UInt8]
    /// The separator when it is itself a space (U+0020 or below), which separates rather than
    /// being trimmed.
    private let blankSeparator: UInt8?

    /// - Parameters:
    ///   - separator: the field separator, one character.
    ///   - qualifier: the text qualifier, or nil for none.
    public init(separator: Unicode.Scalar, qualifier: Unicode.Scalar?) {
        self.separator = Array(String(separator).utf8)
        self.qualifier = qualifier.map { Array(String($0).utf8) } ?? []
        self.blankSeparator = separator.value <= 0x20 ? UInt8(separator.value) : nil
    }

    private func isBlank(_ byte: UInt8) -> Bool { byte <= 0x20 && byte != blankSeparator }

    /// The line's fields, or why it cannot be split.
    public func split(_ line: String) -> Result<[String], LineError> {
        var line = line
        return line.withUTF8 { split(bytes: $0) }
    }

    private func split(bytes: UnsafeBufferPointer<UInt8>) -> Result<[String], LineError> {
        var fields: [String] = []
        var position =
            separator != TextEncoding.utf8ByteOrderMark && matches(TextEncoding.utf8ByteOrderMark, in: bytes, at: 0)
            ? TextEncoding.utf8ByteOrderMark.count : 0
        while true {
            var start = position
            while start < bytes.count, isBlank(bytes[start]) { start += 1 }
            if !qualifier.isEmpty, matches(qualifier, in: bytes, at: start) {
                var value: [UInt8] = []
                var cursor = start + qualifier.count
                var closed = false
                while cursor < bytes.count {
                    if matches(qualifier, in: bytes, at: cursor) {
                        cursor += qualifier.count
                        if matches(qualifier, in: bytes, at: cursor) {
                            value.append(contentsOf: qualifier)
                            cursor += qualifier.count
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        value.append(bytes[cursor])
                        cursor += 1
                    }
                }
                guard closed else { return .failure(.unclosedQualifier) }
                guard !value.contains(0) else { return .failure(.nul(field: fields.count + 1)) }
                while cursor < bytes.count, isBlank(bytes[cursor]) { cursor += 1 }
                fields.append(String(decoding: value, as: UTF8.self))
                if cursor == bytes.count { return .success(fields) }
                guard matches(separator, in: bytes, at: cursor) else {
                    return .failure(.textAfterClosingQualifier(field: fields.count))
                }
                position = cursor + separator.count
            } else {
                var end = start
                var hasNul = false
                while end < bytes.count, !matches(separator, in: bytes, at: end) {
                    hasNul = hasNul || bytes[end] == 0
                    end += 1
                }
                var valueEnd = end
                while valueEnd > start, isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
                let value = UnsafeBufferPointer(rebasing: bytes[start..<valueEnd])
                // SQLite keeps a NUL, but reads a text back only up to it.
                if hasNul, value.contains(0) { return .failure(.nul(field: fields.count + 1)) }
                fields.append(String(decoding: value, as: UTF8.self))
                if end == bytes.count { return .success(fields) }
                position = end + separator.count
            }
        }
    }

    private func matches(_ token: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        guard bytes.count - position >= token.count else { return false }
        for offset in 0..<token.count where bytes[position + offset] != token[offset] { return false }
        return true
    }
}

/// Why a line could not be split into fields.
public enum LineError: Error, Equatable, Sendable {
    /// An enclosed field whose closing qualifier is missing.
    case unclosedQualifier
    /// Something other than spaces between a closing qualifier and the next separator.
    case textAfterClosingQualifier(field: Int)
    /// A NUL character (U+0000) inside a field, which no stored text can hold.
    case nul(field: Int)

    /// The reason, in French, as the journal gives it.
    public var message: String {
        switch self {
        case .unclosedQualifier: "Identificateur de texte non fermé"
        case .textAfterClosingQualifier(let field):
            "Le champ \(field) comporte du texte après l'identificateur de texte fermant"
        case .nul(let field): "Le champ \(field) contient un caractère nul (U+0000)"
        }
    }
}
