import ComptoirCore
import Foundation
import Hummingbird
import NIOCore

/// The journal entries of an import's lines, kept out of memory: each message goes, as the
/// JSON text of its string (in ASCII, without its quotes and its time), to a buffer, and the
/// buffer to an unnamed temporary file each time it fills. A million warned lines thus take a
/// file, not the server's memory. One thread uses it at a time: the import's, then the answer's.
final class JournalSpill: LineEntrySink, @unchecked Sendable {
    /// The bytes held before they go to the file, and the size of the pieces read back.
    static let bufferSize = 1 << 20
    private static let newline = UInt8(ascii: "\n")

    private var buffer: [UInt8] = []
    private var file: FileHandle?
    /// The messages taken, and their bytes.
    private(set) var messageCount = 0
    private(set) var byteCount = 0

    deinit { try? file?.close() }

    func add(_ entry: ImportReport.LineEntry) throws {
        for message in Journal.messages(of: entry) {
            let text = JSONValue.string(message).asciiText.utf8
            buffer.append(contentsOf: text.dropFirst().dropLast())
            buffer.append(Self.newline)
            messageCount += 1
            byteCount += text.count - 2
        }
        if buffer.count >= Self.bufferSize { try spill() }
    }

    func restart() throws {
        buffer.removeAll(keepingCapacity: true)
        try file?.truncate(atOffset: 0)
        messageCount = 0
        byteCount = 0
    }

    private func spill() throws {
        if file == nil { file = try Self.unnamedFile() }
        try file?.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// A temporary file without a name: it disappears with its last descriptor, even when the
    /// server is killed.
    private static func unnamedFile() throws -> FileHandle {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("comptoir-journal-\(UUID())").path
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
    func writeLines(time: String, to write: (ByteBuffer) async throws -> Void) async throws {
        let prefix = Array(",\"\(time)".utf8)
        var piece = ByteBuffer()
        piece.reserveCapacity(Self.bufferSize + prefix.count)
        func writeMessages(of bytes: some Collection<UInt8>, carried: inout [UInt8]) async throws {
            var start = bytes.startIndex
            while let end = bytes[start...].firstIndex(of: Self.newline) {
                piece.writeBytes(prefix)
                if !carried.isEmpty {
                    piece.writeBytes(carried)
                    carried.removeAll(keepingCapacity: true)
                }
                piece.writeBytes(bytes[start..<end])
                piece.writeInteger(UInt8(ascii: "\""))
                start = bytes.index(after: end)
                if piece.readableBytes >= Self.bufferSize {
                    try await write(piece)
                    piece.clear()
                }
            }
            carried.append(contentsOf: bytes[start...])
        }
        var carried: [UInt8] = []
        if let file {
            try file.seek(toOffset: 0)
            while let chunk = try file.read(upToCount: Self.bufferSize), !chunk.isEmpty {
                try await writeMessages(of: chunk, carried: &carried)
            }
        }
        try await writeMessages(of: buffer, carried: &carried)
        if piece.readableBytes > 0 { try await write(piece) }
    }
}

extension Response {
    /// The answer of an import whose journal was asked for: written to the connection piece by
    /// piece, its lines' entries read back from `spill`, never assembled whole. The same bytes
    /// as `Answer.importDone` with the whole journal, `Content-Length` included. `head`, the
    /// lines before the entries, is never empty: it opens with the société.
    static func importDone(
        report: ImportReport,
        statistiques: Bool,
        head: [String],
        entriesTime: String,
        spill: JournalSpill,
        tail: [String]
    ) -> Response {
        let (before, after) = Answer.importDoneAround(journalOf: report, statistiques: statistiques)
        func jsonText(_ lines: ArraySlice<String>) -> String {
            lines.map { JSONValue.string($0).asciiText }.joined(separator: ",")
        }
        let opening = before + jsonText(head[...])
        let closing = (tail.isEmpty ? "" : ",") + jsonText(tail[...]) + after
        // The time as JSON text, without its quotes: `/` is escaped there too.
        let time = String(JSONValue.string(entriesTime).asciiText.dropFirst().dropLast())
        let length = opening.utf8.count + spill.linesByteCount(time: time) + closing.utf8.count
        let body = ResponseBody(contentLength: length) { writer in
            try await writer.write(ByteBuffer(string: opening))
            try await spill.writeLines(time: time) { try await writer.write($0) }
            try await writer.write(ByteBuffer(string: closing))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: body)
    }
}
