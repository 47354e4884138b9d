import ComptoirCore
import Foundation

/// A text file a tâche writes (journal, statistics, export): lines in the `.ini`'s encoding,
/// each ended by CRLF, gathered in a buffer and written in large pieces.
final class TextFileWriter {
    private static let bufferSize = 1 << 20
    private let handle: FileHandle
    private let encoding: TextEncoding
    private var buffer: [UInt8] = []

    /// Opens `path`, appended to or replaced. A new file starts with the encoding's byte order
    /// mark.
    init(path: String, encoding: TextEncoding, appending: Bool) throws(TacheRefusal) {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists || !appending {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw TacheRefusal(.refused, "Impossible d'écrire le fichier \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TacheRefusal(.refused, "Impossible d'écrire le fichier \(path)")
        }
        _ = try? handle.seekToEnd()
        self.handle = handle
        self.encoding = encoding
        buffer.reserveCapacity(Self.bufferSize)
        if !exists || !appending { buffer += encoding.encode("", startsFile: true) }
    }

    deinit { try? handle.close() }

    func writeLine(_ line: String) throws {
        buffer += encoding.encode(line)
        buffer += [0x0D, 0x0A]
        if buffer.count >= Self.bufferSize { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left, and makes it durable.
    func close() throws {
        try flush()
        try handle.synchronize()
    }
}
