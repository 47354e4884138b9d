import ComptoirCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Connections to one PostgreSQL société's schema: opened as needed up to a bound, a few kept
/// for the next requests while healthy, the others closed. Past the bound, a request waits for
/// a connection another gives back: a burst of requests on several servers never takes all of
/// PostgreSQL's connections, nor keeps them once it is over. Every statement is written with
/// `$n` parameters, sent as text of no declared type, so that PostgreSQL gives each the type of
/// the column it meets, as SQLite does.
final class PostgresLink: Sendable {
    let connection: ConnectionFile
    /// The société's file, for the messages.
    let path: String
    private let password: String?
    private let pool = Mutex(Pool())
    private static let logger = Logger(label: "comptoir.postgres")
    private let lastID = Atomic<Int>(0)
    /// Whether a commit waits for the disk: not for rows that die with their server anyway.
    private let durableCommits: Bool

    init(connection: ConnectionFile, path: String, durableCommits: Bool = true) throws(SocieteError) {
        self.connection = connection
        self.path = path
        self.password = try connection.resolvedPassword(societe: SocieteName.societe(ofFile: path))
        self.durableCommits = durableCommits
    }

    /// A connection to the database, its `search_path` the société's schema unless `inSchema`
    /// is false (the schema does not exist yet).
    func connect(inSchema: Bool = true) async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: connection.host, port: connection.port, username: connection.user, password: password,
            database: connection.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        if inSchema {
            configuration.options.additionalStartupParameters.append(("search_path", "\"\(connection.schema)\""))
        }
        if !durableCommits {
            configuration.options.additionalStartupParameters.append(("synchronous_commit", "off"))
        }
        // A server that stops answering (frozen, or cut off the network) must not hold the
        // société's lock and sessions for hours: PostgreSQL ends its transaction after 10 min
        // of silence (longer than a read API page waits for its client), and probes a silent
        // connection after a minute.
        configuration.options.additionalStartupParameters += [
            ("idle_in_transaction_session_timeout", "10min"), ("tcp_keepalives_idle", "60"),
            ("tcp_keepalives_interval", "10"), ("tcp_keepalives_count", "3"),
        ]
        do {
            return try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                id: lastID.add(1, ordering: .relaxed).newValue, logger: Self.logger
            ).get()
        } catch {
            throw failure(error)
        }
    }

    /// Runs `work` with a connection of the pool, given back afterwards unless it broke.
    func withConnection<T>(_ work: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await take()
        do {
            let result = try await work(connection)
            giveBack(connection)
            return result
        } catch {
            // A connection in an unknown state is not handed to the next request.
            discard(connection)
            throw error
        }
    }

    /// The most connections a link holds open at once, and keeps idle.
    static let maximumOpen = 12
    static let maximumIdle = 4

    /// The connections of a link: those idle, how many are open, and the requests waiting for one.
    private struct Pool {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiting: [CheckedContinuation<Handout, Never>] = []
    }

    /// What a request waiting for a connection is given: one, or the right to open one.
    private enum Handout {
        case connection(PostgresConnection)
        case opening
    }

    /// A connection of the pool: an idle one, a new one while fewer than `maximumOpen` are
    /// open, or else the next one given back.
    func take() async throws -> PostgresConnection {
        let handout: Handout = await withCheckedContinuation { waiter in
            let now: Handout? = pool.withLock { pool in
                while let connection = pool.idle.popLast() {
                    if !connection.isClosed { return .connection(connection) }
                    pool.open -= 1
                }
                guard pool.open < Self.maximumOpen else {
                    pool.waiting.append(waiter)
                    return nil
                }
                pool.open += 1
                return .opening
            }
            if let now { waiter.resume(returning: now) }
        }
        switch handout {
        case .connection(let connection): return connection
        case .opening:
            do {
                return try await connect()
            } catch {
                discard(nil)
                throw error
            }
        }
    }

    /// Gives back a connection taken, for a request waiting or the next; closed past
    /// `maximumIdle` idle ones.
    func giveBack(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return discard(nil) }
        let (waiter, surplus) = pool.withLock { pool -> (CheckedContinuation<Handout, Never>?, Bool) in
            if !pool.waiting.isEmpty { return (pool.waiting.removeFirst(), false) }
            guard pool.idle.count < Self.maximumIdle else {
                pool.open -= 1
                return (nil, true)
            }
            pool.idle.append(connection)
            return (nil, false)
        }
        waiter?.resume(returning: .connection(connection))
        if surplus { connection.closeSoon() }
    }

    /// Closes a connection taken that will not be given back, in an unknown state after a
    /// failure (nil when it never opened): a request waiting may open another.
    func discard(_ connection: PostgresConnection?) {
        connection?.closeSoon()
        let waiter = pool.withLock { pool -> CheckedContinuation<Handout, Never>? in
            if !pool.waiting.isEmpty { return pool.waiting.removeFirst() }
            pool.open -= 1
            return nil
        }
        waiter?.resume(returning: .opening)
    }

    /// Runs async `work` from a thread that may wait: the command line's, a reading's.
    static func waiting<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<T, any Error>
            do {
                result = .success(try await work())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// Closes the idle connections.
    func close() {
        for connection in pool.withLock({ pool in
            defer {
                pool.open -= pool.idle.count
                pool.idle = []
            }
            return pool.idle
        }) {
            connection.closeSoon()
        }
    }

    /// Whether `error` is the loss of the connection, whatever came of the statement it cut.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if error is ConnectionLost { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown: return true
        default: return (error.serverInfo?[.sqlState] ?? "").hasPrefix("08")
        }
    }

    /// Whether the transaction `transaction`, whose COMMIT was sent on a connection lost before
    /// it answered, was committed, asked on another connection: false when it was not. When
    /// that cannot be known (the database is out of reach), the failure says so: the import may
    /// be stored.
    func outcome(of transaction: Int) throws -> Bool {
        // A COMMIT still running when its connection went ends soon, one way or the other.
        for _ in 0..<20 {
            guard
                let status = try? Self.waiting({ [self] in
                    try await withConnection { connection in
                        try await connection.rows("SELECT txid_status($1)::text", [.integer(transaction)])
                    }.first?.first?.text
                })
            else { break }
            switch status {
            case "committed": return true
            case "aborted": return false
            default: Thread.sleep(forTimeInterval: 0.1)
            }
        }
        throw StorageFailure(
            .unreachable, path: path, code: "PostgreSQL",
            detail: "la connexion a été perdue pendant l'enregistrement de l'import, qui a pu être enregistré : "
                + "vérifiez-le avant de l'envoyer de nouveau")
    }

    /// The `StorageFailure` an error of the driver stands for: a server out of reach, or a
    /// refusal of the database.
    func failure(_ error: any Error) -> any Error {
        if error is StorageFailure || error is SocieteError || error is ImportStopped { return error }
        if error is ConnectionLost {
            return StorageFailure(
                .unreachable, path: path, code: "PostgreSQL",
                detail: "le serveur \(connection.host):\(connection.port) a fermé la connexion")
        }
        guard let error = error as? PSQLError else { return error }
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message]
        // Class 08: connection exceptions; 28: invalid authorization; 3D000: no such database;
        // 57P01 to 57P03: the server shutting down or starting.
        let unreachable =
            message == nil || state.hasPrefix("08") || state.hasPrefix("28") || state == "3D000"
            || state.hasPrefix("57P")
        let detail: String =
            if let message {
                Self.french(state: state, message: message, user: connection.user, database: connection.database)
            } else {
                switch error.code {
                case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                    "le serveur \(connection.host):\(connection.port) ne répond pas"
                case .authMechanismRequiresPassword:
                    "PostgreSQL demande un mot de passe pour l'utilisateur \(connection.user), et le fichier de "
                        + "connexion n'en donne pas (MotDePasse ou VariableMotDePasse)"
                default: "\(error.code)"
                }
            }
        return StorageFailure(
            unreachable ? .unreachable : .database, path: path,
            code: state.isEmpty ? "PostgreSQL" : "PostgreSQL \(state)",
            detail: detail)
    }

    /// What PostgreSQL's `message` of SQLSTATE `state` says, in French for the states an
    /// operator meets when a société is set up or its server is in trouble; PostgreSQL's own
    /// words otherwise, which name what is at fault.
    static func french(state: String, message: String, user: String, database: String) -> String {
        switch state {
        case "28P01": "le mot de passe de l'utilisateur \(user) est refusé"
        case "28000": "l'utilisateur \(user) n'est pas admis sur cette base (\(message))"
        case "3D000": "la base \(database) n'existe pas"
        case "42501": "l'utilisateur \(user) n'a pas les droits nécessaires (\(message))"
        case "53100": "le disque du serveur PostgreSQL est plein"
        case "53300": "le serveur PostgreSQL a déjà toutes les connexions qu'il accepte (max_connections)"
        case "57P01", "57P02": "le serveur PostgreSQL s'arrête"
        case "57P03": "le serveur PostgreSQL démarre, ou n'accepte pas encore de connexions"
        default: message
        }
    }
}

/// What a statement's row holds, as the store's values.
extension PostgresRow {
    func values() -> [FieldValue] {
        makeRandomAccess().map { cell in
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map(FieldValue.integer) ?? .null
            default: return (try? cell.decode(String.self)).map(FieldValue.text) ?? .null
            }
        }
    }
}

extension PostgresQuery {
    /// `sql` with `values` as its `$n` parameters: text of no declared type, which PostgreSQL
    /// types as the column each meets.
    init(_ sql: String, _ values: [FieldValue]) {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: binds.appendNull()
            case .text(let text): binds.append(UntypedText(text: text))
            case .integer(let integer): binds.append(UntypedText(text: String(integer)))
            }
        }
        self.init(unsafeSQL: sql, binds: binds)
    }
}

/// A parameter sent as text with no type (OID 0): the server gives it its column's.
private struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(text)
    }
}

extension PostgresConnection {
    /// Closes the connection, which lives until it is closed: the driver wants none to go
    /// unclosed.
    func closeSoon() {
        close().whenComplete { _ in _ = self }
    }

    /// The rows `sql` gives, waiting on this thread: for the store's statements, which run on a
    /// thread of their own, never on an event loop.
    func rowsWaiting(_ sql: String, _ values: [FieldValue] = []) throws -> [[FieldValue]] {
        try query(PostgresQuery(sql, values), logger: PostgresLink.queryLogger).wait(on: self).rows.map { $0.values() }
    }

    /// The rows each statement gives, all given to the connection before the first answer is
    /// awaited (PostgresNIO still sends each once the one before has answered: it does not
    /// pipeline). A failure is the first statement's that failed, once all have answered.
    func rows(of statements: [(sql: String, values: [FieldValue])]) async throws -> [[[FieldValue]]] {
        try await results(of: statements).map { try $0.get() }
    }

    /// What each statement gave, its rows or its failure, all given to the connection before the
    /// first answer is awaited: what a caller needs that must know which ones were answered.
    func results(of statements: [(sql: String, values: [FieldValue])]) async -> [Result<[[FieldValue]], any Error>] {
        let answers = statements.map { query(PostgresQuery($0.sql, $0.values), logger: PostgresLink.queryLogger) }
        var results: [Result<[[FieldValue]], any Error>] = []
        for answer in answers {
            do {
                results.append(.success(try await answer.value(on: self).rows.map { $0.values() }))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// The rows `sql` gives.
    func rows(_ sql: String, _ values: [FieldValue] = []) async throws -> [[FieldValue]] {
        try await query(PostgresQuery(sql, values), logger: PostgresLink.queryLogger).value(on: self).rows.map {
            $0.values()
        }
    }
}

extension PostgresLink {
    static let queryLogger = Logger(label: "comptoir.postgres.requetes")

    /// `"identifier"`, for SQL.
    static func quoted(_ identifier: String) -> String { Schema.quoted(identifier) }
}

/// A connection that closed before its statement was answered.
struct ConnectionLost: Error {}

extension EventLoopFuture where Value: Sendable {
    /// Waits for the answer, or for `connection` to close, whichever comes first: a statement
    /// the driver loses when its server goes away (a `COPY` cut short by a restart) never leaves
    /// its request waiting, nor the server unable to stop.
    func wait(on connection: PostgresConnection) throws -> Value {
        try answered(on: connection).wait()
    }

    /// `wait(on:)`, for an async caller: a session's statements, say.
    func value(on connection: PostgresConnection) async throws -> Value {
        try await answered(on: connection).get()
    }

    private func answered(on connection: PostgresConnection) -> EventLoopFuture<Value> {
        let answered = eventLoop.makePromise(of: Value.self)
        cascade(to: answered)
        // The first to come completes it; NIO ignores the other.
        let owed = OwedAnswers.of(connection)
        if let token = owed.add({ answered.fail(ConnectionLost()) }) {
            answered.futureResult.whenComplete { _ in owed.remove(token) }
        } else {
            answered.fail(ConnectionLost())
        }
        return answered.futureResult
    }
}

/// The answers a connection owes, failed together when it closes. NIO keeps a future's
/// callbacks until it completes, and a connection's close comes when it ends: a callback on it
/// for each statement, holding the statement's answer, would keep every answer of a pooled
/// connection for as long as the server runs. One callback per connection fails those still
/// owed, and each answer leaves the list as it comes.
final class OwedAnswers: Sendable {
    private let state = Mutex<(next: Int, failures: [Int: @Sendable () -> Void], closed: Bool)>((0, [:], false))
    private static let byConnection = Mutex<[ObjectIdentifier: OwedAnswers]>([:])

    /// The answers `connection` owes.
    static func of(_ connection: PostgresConnection) -> OwedAnswers {
        let id = ObjectIdentifier(connection)
        let (owed, isNew) = byConnection.withLock { all in
            if let owed = all[id] { return (owed, false) }
            let owed = OwedAnswers()
            all[id] = owed
            return (owed, true)
        }
        // Outside the lock: the callback runs at once on a connection already closed.
        if isNew {
            connection.closeFuture.whenComplete { _ in
                byConnection.withLock { all in if all[id] === owed { all[id] = nil } }
                owed.close()
            }
        }
        return owed
    }

    /// Adds the failure of an answer owed; nil when the connection is closed already.
    func add(_ failure: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { state in
            guard !state.closed else { return nil }
            state.next += 1
            state.failures[state.next] = failure
            return state.next
        }
    }

    /// The answer `token` stands for came.
    func remove(_ token: Int) { _ = state.withLock { $0.failures.removeValue(forKey: token) } }

    /// How many answers are owed.
    var count: Int { state.withLock { $0.failures.count } }

    private func close() {
        let failures = state.withLock { state in
            state.closed = true
            defer { state.failures = [:] }
            return state.failures.values
        }
        for failure in failures { failure() }
    }
}
