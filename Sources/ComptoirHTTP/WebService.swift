import ComptoirCore
import ComptoirService
import ComptoirStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Comptoir's web service: Gestimum Web Service 2's requests, answered as Gestimum answers them.
public struct WebService: HTTPResponder {
    public typealias Context = ComptoirRequestContext

    let settings: ServerSettings
    let imports: ImportService
    let reads: ReadService
    let bodyBudget: BodyBudget
    let logger: Logger

    init(settings: ServerSettings, logger: Logger) {
        // Sets up the metrics before the first request records any.
        _ = ServerMetrics.registry
        self.settings = settings
        self.bodyBudget = BodyBudget(capacity: settings.bodyBudget)
        self.imports = ImportService(
            folder: settings.folder, lockWait: settings.lockWait, spillFolder: settings.spillFolder,
            stopping: settings.stopping, sessionOpened: settings.sessionOpened)
        self.reads = ReadService(imports: imports, stall: settings.requestTimeout)
        self.logger = logger
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let requestID = RequestID(given: request.headers[.requestID])
        var logger = self.logger
        logger[metadataKey: "requete"] = "\(requestID.value)"
        var route = Route(method: request.method, rawPath: request.uri.path)
        // To a peer that may not read the metrics, `/metrics` is a path like any unknown one.
        if route.isMetrics, !ServerMetrics.answers(peer: context.remoteAddress, anyPeer: settings.metricsForAnyPeer) {
            route = .unknown
        }
        var response: Response
        do {
            response = try await answer(request, route: route)
        } catch {
            if let told = error as? any FrenchError, let status = Self.status(of: told) {
                response = .json(Answer.error(told.message), status: status)
                if let refusal = told as? Refusal { response.headers.append(contentsOf: refusal.headers) }
                switch told {
                case let failure as StorageFailure: logger.error("\(failure.message) : \(failure.logDescription)")
                case let failure as JournalSpillFailure: logger.error("\(failure)")
                default: break
                }
            } else {
                // The request's id is the reference: the client has it in `X-Request-Id` too.
                let reference = requestID.value
                logger.error(
                    "Erreur interne \(reference) sur \(request.method) \(request.uri.path) : \(String(reflecting: error))"
                )
                response = .json(
                    Answer.error("Erreur interne (référence \(reference))"), status: .internalServerError)
            }
        }
        response.headers[.requestID] = requestID.value
        if request.method == .head {
            // The headers GET would send, its length among them; no body.
            response.body = ResponseBody(contentLength: response.body.contentLength) { writer in
                try await writer.finish(nil)
            }
        }
        let elapsed = ContinuousClock.now - start
        // In whole microseconds, written as milliseconds with three decimals: a sum of binary
        // doubles wrote `3986.9790000000003`.
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let fraction = String(microseconds % 1000)
        let milliseconds = "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
        logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(milliseconds) ms")
        ServerMetrics.answered(
            route: route.metricName(rawPath: request.uri.path), status: response.status, elapsed: elapsed)
        return response
    }

    private func answer(_ request: Request, route: Route) async throws -> Response {
        switch route {
        case .importer(let domaine):
            if let refusal = BodyCodings.refusal(of: request.headers) { throw refusal }
            return try await importer(
                domaine, body: request.body, declaredSize: Self.declaredSize(request.headers[.contentLength]),
                contentType: request.headers[.contentType])
        case .version:
            return .json(Answer.message("\(BuildInfo.version) (\(BuildInfo.date))"))
        case .versionERP:
            return .json(Answer.message("\(BuildInfo.erpVersion).\(DataModel.version) (\(BuildInfo.date))"))
        case .openAPI:
            return OpenAPIDocument.response
        case .lecture(let asked):
            return try await lecture(asked, request: request)
        case .console(let asset):
            return asset.response(to: request)
        case .metrics:
            return ServerMetrics.response
        case .wrongMethod(let expected, let name):
            // HEAD is answered wherever GET is, but on the read API.
            let headToo = expected == .get && Route(method: .head, rawPath: request.uri.path) != route
            throw Refusal(
                .methodNotAllowed, "La requête \(name) s'appelle avec la méthode \(expected)",
                allow: headToo ? "GET, HEAD" : expected.rawValue)
        case .unknown:
            throw Refusal(.notFound, "Requête inconnue : \(request.uri.path)")
        }
    }

    /// `POST /api/rest/<Domaine>/"Importer"`: the body, within its limits, handed to the import
    /// service.
    private func importer(_ domaine: Domaine, body: RequestBody, declaredSize: Int?, contentType: String?)
        async throws -> Response
    {
        var bytes = try await collect(body, declaredSize: declaredSize)
        // The body's room in the budget is given back once the request is answered: until
        // then its lines are read from it.
        let received = bytes.count
        defer { bodyBudget.give(received) }
        if Self.declaresWindows1252(contentType) { bytes = TextEncoding.utf8(fromWindows1252: bytes) }
        switch try await imports.importer(domaine, body: bytes) {
        case .answer(let answer): return .json(answer)
        case .streamed(let answer): return .importDone(answer)
        }
    }

    /// The whole body, within the size limit, the budget of all bodies and the time limits, so
    /// that neither a huge, nor a trickling, nor a stalled request, nor many large ones at once
    /// can hold the server. It is gathered straight into one array, sized from `Content-Length`
    /// when the client gives it, so that a large body is held once. The body's room in the
    /// budget is taken before it is read: all of it when its length is declared, chunk by chunk
    /// otherwise. The caller gives it back; here only when the body fails.
    private func collect(_ body: RequestBody, declaredSize: Int?) async throws -> [UInt8] {
        let limit = settings.bodyLimit
        let tooLarge = Refusal(.contentTooLarge, "Requête trop volumineuse (limite : \(Self.describeSize(limit)))")
        let overBudget = Refusal(
            .contentTooLarge,
            "Requête trop volumineuse pour la mémoire des requêtes du serveur (\(Self.describeSize(bodyBudget.capacity)))"
        )
        if let declaredSize, declaredSize > limit { throw tooLarge }
        if let declaredSize, declaredSize > bodyBudget.capacity { throw overBudget }
        let wait = settings.bodyBudgetWait
        let noRoom = Refusal(
            .serviceUnavailable,
            "Mémoire des requêtes occupée : pas de place pour ce corps en \(wait.components.seconds) s, réessayez plus tard",
            retryAfter: 5)
        let declared = declaredSize ?? 0
        guard await bodyBudget.take(declared, waitingAtMost: wait) else { throw noRoom }
        let taken = TakenBytes(declared)
        do {
            let lastByte = LastByte()
            return try await withThrowingTaskGroup(of: [UInt8].self) { group in
                group.addTask {
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(declared)
                    var chunks = body.makeAsyncIterator()
                    while let chunk = try await Self.nextChunk(of: &chunks) {
                        let size = bytes.count + chunk.readableBytes
                        guard size <= limit else { throw tooLarge }
                        let more = size - taken.count
                        if more > 0 {
                            guard size <= bodyBudget.capacity else { throw overBudget }
                            lastByte.waitingForMemory = true
                            let granted = await bodyBudget.take(more, waitingAtMost: wait)
                            lastByte.waitingForMemory = false
                            guard granted else { throw noRoom }
                            taken.add(more)
                        }
                        bytes.append(contentsOf: chunk.readableBytesView)
                        lastByte.now()
                    }
                    // A body shorter than it declared gives back what it did not use.
                    let unused = taken.count - bytes.count
                    if unused > 0 {
                        bodyBudget.give(unused)
                        taken.add(-unused)
                    }
                    return bytes
                }
                group.addTask { try await bodyDeadlines(lastByte: lastByte) }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch {
            bodyBudget.give(taken.count)
            throw error
        }
    }

    /// The next chunk of a body. A body that HTTP itself cannot read (cut short before its
    /// `Content-Length`, a malformed chunk) is the client's fault, a 400, not an internal error.
    private static func nextChunk(of chunks: inout RequestBody.AsyncIterator) async throws -> ByteBuffer? {
        do {
            return try await chunks.next()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Refusal(
                .badRequest, "Le corps de la requête est incomplet ou mal formé : HTTP n'a pas pu le lire en entier")
        }
    }

    /// Throws a 408 once the body has taken longer than `--delai-requete` in all, or once no
    /// byte of it has come for `--delai-corps`.
    private func bodyDeadlines(lastByte: LastByte) async throws -> Never {
        let (total, stall) = (settings.requestTimeout, settings.bodyStallTimeout)
        let end = ContinuousClock.now + total
        while true {
            let stallEnd = lastByte.instant + stall
            try await Task.sleep(until: min(end, stallEnd))
            if ContinuousClock.now >= end {
                throw Refusal(
                    .requestTimeout, "Requête trop lente : son corps n'a pas été reçu en \(total.components.seconds) s")
            }
            // A body waiting for room in the budget is not stalled: the server is not reading it.
            if lastByte.instant + stall <= ContinuousClock.now, !lastByte.waitingForMemory {
                throw Refusal(
                    .requestTimeout,
                    "Requête interrompue : aucun octet de son corps reçu depuis \(stall.components.seconds) s")
            }
        }
    }
}

extension HTTPResponse.Status {
    /// 507, which HTTPTypes does not name.
    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}

extension WebService {
    /// The status of every error a client is told, the one table of them; nil for the others
    /// (a société's file that is no société, say), which are Comptoir's to look into: 500 with
    /// a reference, the details in the log.
    static func status(of error: any FrenchError) -> HTTPResponse.Status? {
        switch error {
        case let refusal as ImportRefusal:
            switch refusal.reason {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .stopping: .serviceUnavailable
            }
        case let refusal as Refusal: refusal.status
        case is ReadRefusal, is RequestRefusal: .badRequest
        case is JournalSpillFailure: .insufficientStorage
        case let failure as StorageFailure: failure.isNoSpace ? .insufficientStorage : .serviceUnavailable
        // A connection file the operator must mend, as a database that refuses the login.
        case SocieteError.badConnectionFile: .serviceUnavailable
        default: nil
        }
    }

    /// Whether `Content-Type` says the body is in Windows-1252, or in Latin-1, which it extends:
    /// an Excel macro's `WinHttp` sends its strings in the ANSI code page. Any other body is
    /// read as UTF-8.
    static func declaresWindows1252(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        return contentType.split(separator: ";").dropFirst().contains { parameter in
            let parts = parameter.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"")).lowercased()
            }
            return parts.count == 2 && parts[0] == "charset"
                && ["windows-1252", "cp1252", "iso-8859-1", "latin1", "iso_8859-1"].contains(parts[1])
        }
    }

    /// The body's length that `Content-Length` declares; one too large for an `Int` is as large
    /// as one can be, so that it gets its 413 at once rather than once its bytes pass the limit.
    static func declaredSize(_ contentLength: String?) -> Int? {
        guard let contentLength, !contentLength.isEmpty else { return nil }
        if let size = Int(contentLength) { return size }
        return contentLength.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ? Int.max : nil
    }

    /// A size in the largest binary unit that divides it: `256 Mio`, `1 Kio`, `1000 octets`.
    static func describeSize(_ bytes: Int) -> String {
        for (unit, size) in [("Gio", 1 << 30), ("Mio", 1 << 20), ("Kio", 1 << 10)]
        where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) octets"
    }
}

/// The bytes a body holds in the budget.
private final class TakenBytes: Sendable {
    private let bytes: Atomic<Int>

    init(_ count: Int) { bytes = Atomic(count) }

    var count: Int { bytes.load(ordering: .relaxed) }

    func add(_ count: Int) { bytes.add(count, ordering: .relaxed) }
}

/// When the last byte of a request's body came, and whether the server is waiting for room
/// for the next ones.
private final class LastByte: Sendable {
    private let last = Mutex(ContinuousClock.now)
    private let waiting = Atomic(false)

    var instant: ContinuousClock.Instant { last.withLock { $0 } }

    func now() { last.withLock { $0 = .now } }

    var waitingForMemory: Bool {
        get { waiting.load(ordering: .relaxed) }
        set {
            waiting.store(newValue, ordering: .relaxed)
            now()
        }
    }
}

/// A request that cannot be honoured: its status, French message and the headers that tell the
/// client what it could do instead.
struct Refusal: FrenchError {
    let status: HTTPResponse.Status
    let message: String
    let headers: HTTPFields

    /// `retryAfter`: the seconds after which the client may try again (`Retry-After`); `allow`:
    /// the methods the path takes, with a 405 (RFC 9110 §15.5.6); `acceptEncoding`: the codings
    /// a body may come in, with a 415 (RFC 9110 §12.5.3).
    init(
        _ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil, allow: String? = nil,
        acceptEncoding: String? = nil
    ) {
        self.status = status
        self.message = message
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let allow { headers[.allow] = allow }
        if let acceptEncoding { headers[.acceptEncoding] = acceptEncoding }
        self.headers = headers
    }
}

extension Response {
    /// A JSON answer laid out as Gestimum's, in ASCII (`JSONValue.asciiText`); Comptoir's own
    /// API answers in plain UTF-8 (`ascii: false`).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, ascii: Bool = true) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: ascii ? value.asciiText : value.utf8Text))
        )
    }
}

/// The id of a request, sent back in `X-Request-Id` and written on its log lines: the one the
/// client (or a proxy before it) sent, when it is a plain token, or a new one.
struct RequestID {
    /// Letters, digits, `.`, `_` and `-`, as ids are made by proxies and tracers; no more than
    /// this many, so that a log line stays a line.
    static let maximumLength = 64

    let value: String

    init(given: String?) {
        if let given, (1...Self.maximumLength).contains(given.utf8.count),
            given.utf8.allSatisfy({ byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            })
        {
            value = given
        } else {
            value = String(UUID().uuidString.prefix(8))
        }
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
