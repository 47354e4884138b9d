/// The text of a tâche's files: Windows-1252 ("ANSI", as Gestimum writes them), or UTF-8 when
/// the file starts with a byte order mark (`taches.md` §1).
public enum TextEncoding: Sendable, Equatable {
    case windows1252
    case utf8WithBOM

    /// UTF-8's byte order mark, which Windows tools write before UTF-8 text.
    public static let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The encoding of a file a tâche wrote, from its first bytes: UTF-8 after a BOM, else
    /// Windows-1252; nil for an empty file.
    public static func ofWrittenFile(startingWith bytes: some Collection<UInt8>) -> Self? {
        if bytes.isEmpty { return nil }
        return bytes.starts(with: utf8ByteOrderMark) ? .utf8WithBOM : .windows1252
    }

    /// The text of `bytes`, the file at `path`, and the encoding the files a tâche writes take
    /// after it. A UTF-16 byte order mark refuses the file, as does a UTF-8 one before bytes
    /// that are not UTF-8, which would otherwise be stored as `�`.
    public static func decode(_ bytes: some Collection<UInt8>, of path: String) throws(TacheRefusal) -> (
        text: String, encoding: Self
    ) {
        if bytes.starts(with: utf8ByteOrderMark) {
            let text = bytes.dropFirst(utf8ByteOrderMark.count)
            if let offset = UTF8Check.firstInvalidOffset(in: text) {
                throw TacheRefusal(
                    .invalidTache,
                    "Le fichier \(path) commence comme un texte UTF-8 (BOM) mais n'en est pas un (octet \(offset + utf8ByteOrderMark.count + 1))"
                )
            }
            return (String(decoding: text, as: UTF8.self), .utf8WithBOM)
        }
        if startsWithUTF16ByteOrderMark(bytes) {
            throw TacheRefusal(.invalidTache, "Les fichiers en UTF-16 ne sont pas pris en charge")
        }
        return (Windows1252.text(of: bytes), .windows1252)
    }

    /// The UTF-8 of `bytes` written in Windows-1252: a request's body that declares that
    /// charset, or Latin-1, which Windows-1252 extends. Bytes that start with a byte order mark
    /// are left as they are: the mark says their encoding whatever the header, as it does for
    /// a tâche's file.
    public static func utf8(fromWindows1252 bytes: [UInt8]) -> [UInt8] {
        guard !startsWithByteOrderMark(bytes) else { return bytes }
        return Array(Windows1252.text(of: bytes).utf8)
    }

    /// Whether `bytes` start with the byte order mark of UTF-8 or of UTF-16.
    static func startsWithByteOrderMark(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: utf8ByteOrderMark) || startsWithUTF16ByteOrderMark(bytes)
    }

    /// Whether `bytes` start with the byte order mark of UTF-16, in either byte order.
    static func startsWithUTF16ByteOrderMark(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
    }

    /// Whether `bytes`, read as Windows-1252 for want of a BOM, are valid UTF-8 with accents:
    /// a file saved in UTF-8 on Linux, whose accents Windows-1252 would read wrong.
    public static func looksLikeUTF8WithoutBOM(_ bytes: some Collection<UInt8>) -> Bool {
        guard !bytes.starts(with: utf8ByteOrderMark), bytes.contains(where: { $0 >= 0x80 }) else { return false }
        return UTF8Check.firstInvalidOffset(in: bytes) == nil
    }

    /// The bytes of `text` in this encoding, the byte order mark first when `startsFile`. A
    /// character Windows-1252 lacks becomes `?`.
    public func encode(_ text: String, startsFile: Bool = false) -> [UInt8] {
        switch self {
        case .utf8WithBOM: return (startsFile ? Self.utf8ByteOrderMark : []) + Array(text.utf8)
        case .windows1252: return text.unicodeScalars.map { Windows1252.byte(of: $0) ?? UInt8(ascii: "?") }
        }
    }
}

/// Windows-1252: Latin-1, but for 0x80–0x9F, which hold typographic characters (`€`, `œ`, `’`…).
/// Its five unassigned bytes read as the control characters of the same value, as Windows does.
enum Windows1252 {
    private static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private static let bytesOfHighScalars: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: high.enumerated().map { ($0.element, UInt8(0x80 + $0.offset)) })

    static func text(of bytes: some Collection<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalar(of: byte)) }
        return String(text)
    }

    static func scalar(of byte: UInt8) -> Unicode.Scalar {
        let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
        return Unicode.Scalar(value) ?? "?"
    }

    static func byte(of scalar: Unicode.Scalar) -> UInt8? {
        if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) { return UInt8(scalar.value) }
        return bytesOfHighScalars[scalar.value]
    }
}

/// The lines of a data file: split at CRLF, LF or CR, a last empty line ignored (`taches.md` §2).
public func textLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var afterCR = false
    for scalar in text.unicodeScalars {
        if scalar == "\n", afterCR {
            afterCR = false
            continue
        }
        afterCR = scalar == "\r"
        if scalar == "\r" || scalar == "\n" {
            lines.append(String(current))
            current.removeAll(keepingCapacity: true)
        } else {
            current.append(scalar)
        }
    }
    if !current.isEmpty { lines.append(String(current)) }
    return lines
}
