import ComptoirCore
import ComptoirStore
import Dispatch
import Foundation

/// The read API's use case: the société named, its user authenticated, the session held as an
/// import holds it, and the records read in one read transaction, written as they are read.
public final class ReadService: Sendable {
    /// What a list answers: its bytes, the first already read, and the next page's cursor when
    /// the format needs it before the records.
    public struct Page: Sendable {
        public let first: [UInt8]
        public let next: String?
        let channel: ChunkChannel

        /// The page's bytes after `first`, as they are read; stops the reading when it ends early.
        public func rest(_ write: ([UInt8]) async throws -> Void) async throws {
            defer { channel.cancel() }
            while let chunk = try await channel.next() { try await write(chunk) }
        }
    }

    /// The size past which the bytes read are handed over.
    static let chunkSize = 64 << 10

    let imports: ImportService
    /// How long a reading waits for a client that takes nothing.
    let stall: Duration

    public init(imports: ImportService, stall: Duration) {
        self.imports = imports
        self.stall = stall
    }

    /// Checks that `user` may read `societe`: what the read API answers on its société's path.
    public func check(_ societe: SocieteParameters) async throws -> String {
        let opened = try await imports.openSession(societe, taskName: "Lire")
        await imports.close(opened)
        return (opened.societe.path as NSString).lastPathComponent
    }

    /// A page of `domaine`'s records, as the query's `parameters` and `format` ask: its fields,
    /// the société's custom fields among them. Refusals come before the first byte; the session
    /// is held until the last record is read.
    public func list(
        _ domaine: Domaine, societe: SocieteParameters, parameters: [(name: String, value: String)],
        format: RecordWriter.Format
    ) async throws -> Page {
        let opened = try await imports.openSession(
            societe, taskName: "Lire" + domaine.name, requiredGroup: domaine.requiredGroup)
        let channel = ChunkChannel(capacity: 4, stall: stall)
        let next = NextCursor()
        // A thread of its own, not one of the global pool: it waits on a slow client for as
        // long as that client takes, and many such waits must not starve the pool that
        // imports read their lines ahead on.
        Thread { [imports] in
            do {
                try opened.societe.reading { reader in
                    let view = try reader.view(of: domaine)
                    let query = try ReadQuery(parameters: parameters, view: view)
                    let writer = RecordWriter(view: view, format: format)
                    var buffer: [UInt8] = []
                    var first = true
                    let nextKey = try reader.read(
                        view, query: query, lookAhead: format == .csv,
                        start: { key in
                            next.value = key.map(ReadQuery.cursor(ofKey:))
                            writer.appendOpening(domaine: domaine.name, to: &buffer)
                        }
                    ) { record in
                        writer.appendRecord(record.values, children: record.children, first: first, to: &buffer)
                        first = false
                        if buffer.count >= Self.chunkSize {
                            guard channel.send(buffer) else { throw ReadingStopped() }
                            buffer.removeAll(keepingCapacity: true)
                        }
                    }
                    writer.appendClosing(next: nextKey.map(ReadQuery.cursor(ofKey:)), to: &buffer)
                    if channel.send(buffer) { channel.end() }
                }
            } catch {
                channel.end(failure: error)
            }
            Task { await imports.close(opened) }
        }.start()
        guard let first = try await channel.next() else { throw ReadingStopped() }
        return Page(first: first, next: next.value, channel: channel)
    }

    /// The record of `domaine` whose key is `key` in `format`, nil when there is none.
    public func record(
        _ domaine: Domaine, societe: SocieteParameters, key: [String], format: RecordWriter.Format
    ) async throws -> [UInt8]? {
        let opened = try await imports.openSession(
            societe, taskName: "Lire" + domaine.name, requiredGroup: domaine.requiredGroup)
        defer { Task { await imports.close(opened) } }
        let (view, found) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try opened.societe.reading { reader in
                            let view = try reader.view(of: domaine)
                            return (view, try reader.readRecord(view, key: key))
                        }
                    })
            }
        }
        return found.map { RecordWriter(view: view, format: format).record($0.values, children: $0.children) }
    }
}

/// A reading stopped because its client is gone.
struct ReadingStopped: Error {}

/// The next page's cursor, set by the reading thread before it hands over its first chunk.
private final class NextCursor: @unchecked Sendable {
    // Written once before the first chunk is sent, read after it is received: the channel's
    // lock orders the two.
    var value: String?
}
