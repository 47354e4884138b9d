import ComptoirCore
import Foundation
import Synchronization

/// A text file a tâche writes (journal, statistics, export): lines in the `.ini`'s encoding,
/// each ended by CRLF, gathered in a buffer and written in large pieces.
///
/// A journal is appended to (`O_APPEND`), so that tâches sharing one, as Gestimum runs several
/// at once, each add their lines at its end rather than over each other's, in the encoding
/// the file already has: tâches whose `.ini`s differ would otherwise mix two in one file. A file that is
/// replaced is written beside its place and renamed over it once complete (`commit`), so that
/// a refused or killed tâche leaves the previous one whole.
public final class TextFileWriter {
    private static let bufferSize = 1 << 20
    /// The paths of the replacing files being written, for a stopped tâche to remove.
    private static let unfinished = Mutex<Set<String>>([])
    private let handle: FileHandle
    private let encoding: TextEncoding
    private var buffer: [UInt8] = []
    /// Where the file goes once complete, when it replaces one; nil when appended to.
    private let destination: String?
    private let writtenPath: String
    private var committed = false

    /// Opens `path`, appended to or replaced. A new file starts with the encoding's byte order
    /// mark; one appended to keeps its own encoding.
    init(path: String, encoding: TextEncoding, appending: Bool) throws(TacheRefusal) {
        let refusal = TacheRefusal(.refused, "Impossible d'écrire le fichier \(path)")
        let descriptor: Int32
        var isNew = true
        var encoding = encoding
        if appending {
            // Created by exactly one of the tâches that may open it at once: that one writes the mark.
            var opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if opened < 0, errno == EEXIST {
                isNew = false
                opened = open(path, O_RDWR | O_APPEND | O_CLOEXEC)
                if opened >= 0 {
                    var head = [UInt8](repeating: 0, count: 3)
                    let count = head.withUnsafeMutableBytes { pread(opened, $0.baseAddress, 3, 0) }
                    encoding = TextEncoding.ofWrittenFile(startingWith: head.prefix(max(count, 0))) ?? encoding
                } else {
                    opened = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
                }
            }
            descriptor = opened
            destination = nil
            writtenPath = path
        } else {
            let draft = "\(path).\(getpid()).partiel"
            descriptor = open(draft, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if descriptor >= 0 { _ = Self.unfinished.withLock { $0.insert(draft) } }
            destination = path
            writtenPath = draft
        }
        guard descriptor >= 0 else { throw refusal }
        self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        self.encoding = encoding
        buffer.reserveCapacity(Self.bufferSize)
        if isNew { buffer += encoding.encode("", startsFile: true) }
    }

    /// A replacing file not committed is removed: its destination stays as it was.
    deinit {
        if destination != nil, !committed {
            unlink(writtenPath)
            _ = Self.unfinished.withLock { $0.remove(writtenPath) }
        }
    }

    /// Removes the replacing files not yet complete, as a tâche stopped by a signal (SIGTERM,
    /// Ctrl+C) ends: their destinations stay as they were, and no `.partiel` is left beside them.
    public static func removeUnfinished() {
        unfinished.withLock { paths in
            for path in paths { unlink(path) }
            paths.removeAll()
        }
    }

    func writeLine(_ line: String) throws {
        buffer += encoding.encode(line)
        buffer += [0x0D, 0x0A]
        if buffer.count >= Self.bufferSize { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and makes it durable; a replacing file then takes its destination's
    /// place.
    func close() throws {
        try flush()
        try handle.synchronize()
        guard let destination else { return }
        guard rename(writtenPath, destination) == 0 else {
            throw TacheRefusal(.refused, "Impossible d'écrire le fichier \(destination)")
        }
        committed = true
        _ = Self.unfinished.withLock { $0.remove(writtenPath) }
    }
}
