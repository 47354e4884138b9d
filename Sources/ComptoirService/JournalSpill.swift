import ComptoirCore
import Foundation

/// The journal entries of an import's lines, kept out of memory: each message goes, as the
/// JSON text of its string (in ASCII, without its quotes and its time), to a buffer, and the
/// buffer to an unnamed temporary file each time it fills. A million warned lines thus take a
/// file, not the server's memory. One thread uses it at a time: the import's, then the answer's.
public final class JournalSpill: LineEntrySink, @unchecked Sendable {
    /// The bytes held before they go to the file, and the size of the pieces read back.
    static let bufferSize = 1 << 20
    private static let newline = UInt8(ascii: "\n")

    /// Where the file is made.
    let folder: String
    private var buffer: [UInt8] = []
    private var file: FileHandle?
    /// The messages taken, and their bytes.
    private(set) var messageCount = 0
    private(set) var byteCount = 0

    init(folder: String) { self.folder = folder }

    deinit { try? file?.close() }

    public func add(_ entry: ImportReport.LineEntry) throws {
        for message in Journal.messages(of: entry) {
            let start = buffer.count
            JSONValue.appendASCIIEscaped(message, to: &buffer)
            byteCount += buffer.count - start
            buffer.append(Self.newline)
            messageCount += 1
        }
        if buffer.count >= Self.bufferSize { try spill() }
    }

    public func restart() throws {
        buffer.removeAll(keepingCapacity: true)
        try file?.truncate(atOffset: 0)
        messageCount = 0
        byteCount = 0
    }

    private func spill() throws {
        do {
            if file == nil { file = try unnamedFile() }
            try file?.write(contentsOf: buffer)
        } catch {
            throw JournalSpillFailure(folder: folder, error: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A temporary file without a name: it disappears with its last descriptor, even when the
    /// server is killed.
    private func unnamedFile() throws -> FileHandle {
        let path = (folder as NSString).appendingPathComponent("comptoir-journal-\(UUID())")
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forUpdatingAtPath: path)
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        unlink(path)
        return handle
    }

    /// The bytes of the journal lines the messages make: `,"<time><message>"` each, where
    /// `time` is already JSON text.
    func linesByteCount(time: String) -> Int {
        byteCount + messageCount * (time.utf8.count + 3)
    }

    /// Writes the messages as journal lines, each `,"<time><message>"`, in pieces of about
    /// `bufferSize` bytes.
    func writeLines(time: String, to write: ([UInt8]) async throws -> Void) async throws {
        let prefix = Array(",\"\(time)".utf8)
        var piece: [UInt8] = []
        piece.reserveCapacity(Self.bufferSize + prefix.count)
        try await forEachEscapedMessage { message in
            piece += prefix
            piece += message
            piece.append(UInt8(ascii: "\""))
            if piece.count >= Self.bufferSize {
                try await write(piece)
                piece.removeAll(keepingCapacity: true)
            }
        }
        if !piece.isEmpty { try await write(piece) }
    }

    /// Each message, in order.
    func forEachMessage(_ body: (String) async throws -> Void) async throws {
        try await forEachEscapedMessage { text in
            // Each message was written as the JSON text of a string: reading it back cannot fail.
            try await body(JSONValue.unescaped(text) ?? "")
        }
    }

    /// The JSON text of each message, in order, read back from the file, then the buffer.
    private func forEachEscapedMessage(_ body: ([UInt8]) async throws -> Void) async throws {
        var carried: [UInt8] = []
        func messages(in bytes: some Collection<UInt8>) async throws {
            var start = bytes.startIndex
            while let end = bytes[start...].firstIndex(of: Self.newline) {
                carried += bytes[start..<end]
                try await body(carried)
                carried.removeAll(keepingCapacity: true)
                start = bytes.index(after: end)
            }
            carried.append(contentsOf: bytes[start...])
        }
        if let file {
            try file.seek(toOffset: 0)
            while let chunk = try file.read(upToCount: Self.bufferSize), !chunk.isEmpty {
                try await messages(in: chunk)
            }
        }
        try await messages(in: buffer)
    }
}

/// The journal of a request could not be kept on the disk (a full temporary folder, say):
/// the import is not kept either, since its answer could not be given.
public struct JournalSpillFailure: FrenchError, CustomStringConvertible {
    public let folder: String
    public let error: any Error

    public var message: String {
        "Espace disque insuffisant pour le journal de la requête (dossier temporaire \(folder))"
    }

    public var description: String { "\(message) : \(error)" }
}

/// The journal of an import, its lines' entries kept in a spill: the lines before them, and
/// the lines after.
public struct ImportJournal: Sendable {
    /// The lines before the entries, never empty: they open with the société.
    let head: [String]
    /// The time the entries carry, with its space.
    let entriesTime: String
    let spill: JournalSpill
    /// The lines after the entries (an Ecritures report's legend), before the ending.
    let closing: [String]
    /// `Tâche … terminée` and `Fermeture de la société …`.
    let ending: [String]

    var tail: [String] { closing + ending }

    /// Each line of the journal, in order, with its time; `extra` lines go just before the
    /// ending (`Tâche … terminée`).
    public func forEachLine(insertingBeforeEnding extra: [String] = [], _ body: (String) async throws -> Void)
        async throws
    {
        for line in head { try await body(line) }
        try await spill.forEachMessage { message in try await body(entriesTime + message) }
        for line in closing + extra + ending { try await body(line) }
    }
}

/// What an import did: its request, its report, and its journal when the request asked for
/// one.
public struct ImportResult: Sendable {
    public let request: ImportRequest
    public let report: ImportReport
    public let journal: ImportJournal?
}

/// The answer of an import whose journal was asked for, to be written piece by piece: its
/// lines' entries are read back from the spill, never assembled whole. The same bytes as
/// `Answer.importDone` with the whole journal.
public struct StreamedJournalAnswer: Sendable {
    /// The text before the lines' entries, and after them.
    let opening: String
    let closing: String
    /// The entries' time as JSON text, without its quotes.
    let time: String
    let spill: JournalSpill

    init(report: ImportReport, statistiques: Bool, journal: ImportJournal) {
        let (before, after) = Answer.importDoneAround(journalOf: report, statistiques: statistiques)
        func jsonText(_ lines: [String]) -> String {
            lines.map { JSONValue.string($0).asciiText }.joined(separator: ",")
        }
        opening = before + jsonText(journal.head)
        closing = (journal.tail.isEmpty ? "" : ",") + jsonText(journal.tail) + after
        time = JSONValue.asciiEscaped(journal.entriesTime)
        spill = journal.spill
    }

    /// The answer's length in bytes.
    public var byteCount: Int { opening.utf8.count + spill.linesByteCount(time: time) + closing.utf8.count }

    /// Writes the answer, piece by piece.
    public func write(to write: ([UInt8]) async throws -> Void) async throws {
        try await write(Array(opening.utf8))
        try await spill.writeLines(time: time, to: write)
        try await write(Array(closing.utf8))
    }
}
