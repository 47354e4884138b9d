/// The pièce numbers a request's documents take from their counters (`documents.md` §3): a
/// number a document already has is skipped. Which numbers are free is read once for a run of
/// them, up to the first one a document has, rather than once per document; the numbers the
/// request forces come after that read, and are remembered.
struct PieceNumbers {
    /// For each counter, the numbers read as free: from `lowest` up to `taken`, which a
    /// document has (nil: up to the last number of that width).
    private var free: [String: (lowest: String, taken: String?)] = [:]
    /// The numbers the request's documents forced.
    private var forced: Set<String> = []

    mutating func noteForced(_ piece: String) { forced.insert(piece) }

    /// Whether a document of `type` has `piece`, which `counter` gave. Numbers compare as
    /// `DOC_PIECE` does, byte by byte; a counter's numbers of one width differ by their digits only.
    mutating func isTaken(_ piece: String, counter: String, type: String, store: some RecordStore) throws -> Bool {
        if forced.contains(piece) { return true }
        if let run = free[counter], piece.utf8.count == run.lowest.utf8.count,
            !Self.precedes(piece, run.lowest), run.taken.map({ Self.precedes(piece, $0) }) ?? true
        {
            return false
        }
        let digits = piece.utf8.reversed().prefix(while: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }).count
        let highest =
            String(decoding: piece.utf8.dropLast(digits), as: UTF8.self) + String(repeating: "9", count: digits)
        let taken = try store.firstValue(
            of: "DOC_PIECE", in: DocumentTables.documents, matching: LineValues([("DOC_TYPE", .text(type))]),
            from: piece, through: highest)
        free[counter] = (piece, taken)
        return taken == piece
    }

    private static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }
}
