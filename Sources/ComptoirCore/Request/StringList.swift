/// Strings kept as their JSON text inside one document, each read when it is asked for. An
/// import's lines stay in the request's body instead of becoming a million separate strings,
/// so that a large import holds little more memory than its body.
public struct StringList: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    /// JSON text holding the strings, quotes included.
    private let document: [UInt8]
    /// Where each string is in `document`, from its opening quote to just past its closing one.
    private let spans: [Range<Int>]

    /// Strings of `document`, already checked by the JSON parser, at `spans`.
    init(document: [UInt8], spans: [Range<Int>]) {
        self.document = document
        self.spans = spans
    }

    public init(_ strings: some Sequence<String>) {
        var text = ""
        var spans: [Range<Int>] = []
        for string in strings {
            let start = text.utf8.count
            JSONValue.writeString(string, to: &text, ascii: true)
            spans.append(start..<text.utf8.count)
        }
        self.init(document: Array(text.utf8), spans: spans)
    }

    public init(arrayLiteral strings: String...) { self.init(strings) }

    public var startIndex: Int { spans.startIndex }
    public var endIndex: Int { spans.endIndex }

    public subscript(position: Int) -> String {
        document.withUnsafeBytes { bytes in
            // The parser checked every string of the document: reading one again cannot fail.
            (try? JSONValue.parseString(UnsafeRawBufferPointer(rebasing: bytes[spans[position]]))) ?? ""
        }
    }

    /// The size of the string at `position` as the JSON text writes it, quotes included: about
    /// its size in memory, known without reading it.
    public func encodedSize(at position: Int) -> Int { spans[position].count }

    public static func == (lhs: StringList, rhs: StringList) -> Bool { lhs.elementsEqual(rhs) }
}
