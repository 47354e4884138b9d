/// The rows of the documents a request has written but not yet given to the store: a document's
/// rows go with the next documents', table by table, so that the store writes each run of them
/// by one statement rather than three statements per document. They are given before anything
/// reads `DOCUMENTS` again, and at the request's end.
struct PendingRows {
    /// How many documents wait at most.
    static let documentsKept = 8

    private var documents: [RecordChange] = []
    private var lines: [RecordChange] = []
    private var movements: [RecordChange] = []

    /// Adds a document's rows, and gives all the rows waiting to `store` once `documentsKept`
    /// documents wait.
    mutating func add(
        document: RecordChange, lines: [RecordChange], movements: [RecordChange], store: some RecordStore
    ) throws {
        documents.append(document)
        self.lines += lines
        self.movements += movements
        if documents.count == Self.documentsKept { try send(to: store) }
    }

    /// Gives the rows waiting to `store`, documents first.
    mutating func send(to store: some RecordStore) throws {
        guard !documents.isEmpty else { return }
        try store.write(contentsOf: documents)
        try store.write(contentsOf: lines)
        try store.write(contentsOf: movements)
        documents.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        movements.removeAll(keepingCapacity: true)
    }
}
