import ComptoirCore
import PostgresNIO
import Synchronization

/// The read API on a PostgreSQL société: a connection of the société's, in a read-only
/// transaction of one snapshot, on a thread that waits for each answer.
final class PostgresReadingConnection: ReadingConnection {
    static var dialect: SQLDialect { .postgres }
    private let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func inTransaction<T>(_ body: () throws -> T) throws -> T {
        _ = try connection.rowsWaiting("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? connection.rowsWaiting("COMMIT") }
        return try body()
    }

    func prepare(_ sql: String) throws -> PostgresReadingStatement {
        PostgresReadingStatement(sql: Self.numbered(sql), connection: connection, batch: nil)
    }

    /// Its rows come through a cursor, a batch at a time.
    func prepareMany(_ sql: String) throws -> PostgresReadingStatement {
        PostgresReadingStatement(sql: Self.numbered(sql), connection: connection, batch: Self.batch)
    }

    /// The rows a cursor gives at a time: few enough to hold, many enough that the round trips
    /// cost nothing next to the rows.
    static let batch = 1_000

    func columns(of table: String) throws -> [String] {
        try connection.rowsWaiting(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            [.text(table)]
        ).compactMap { $0.first?.text?.uppercased() }
    }

    /// `sql` with its `?` numbered `$1`, `$2`…: Comptoir's statements hold no other `?`.
    static func numbered(_ sql: String) -> String {
        var numbered = ""
        var count = 0
        for character in sql {
            if character == "?" {
                count += 1
                numbered += "$\(count)"
            } else {
                numbered.append(character)
            }
        }
        return numbered
    }
}

/// A statement of a `PostgresReadingConnection`. A statement of few rows fetches them all when
/// it is bound; one of many rows (`batch`) declares a cursor in the read transaction and
/// fetches them a batch at a time as they are stepped.
final class PostgresReadingStatement: ReadingStatement {
    private let sql: String
    private let connection: PostgresConnection
    private let batch: Int?
    /// The cursor that holds the rows not fetched yet, while it may hold any.
    private var cursor: String?
    private var rows: [[FieldValue]] = []
    private var next = 0

    /// Tells the cursors of a transaction apart.
    private static let cursors = Atomic<Int>(0)

    init(sql: String, connection: PostgresConnection, batch: Int?) {
        self.sql = sql
        self.connection = connection
        self.batch = batch
    }

    func bind(_ values: [FieldValue]) throws {
        guard batch != nil else {
            rows = try connection.rowsWaiting(sql, values)
            next = 0
            return
        }
        if let cursor { _ = try connection.rowsWaiting("CLOSE \(cursor)") }
        let name = "comptoir_lecture_\(Self.cursors.add(1, ordering: .relaxed).newValue)"
        _ = try connection.rowsWaiting("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", values)
        cursor = name
        try fetch()
    }

    /// The cursor's next batch. A batch short of full is its last: the cursor ends with the
    /// transaction.
    private func fetch() throws {
        guard let batch, let cursor else { return }
        rows = try connection.rowsWaiting("FETCH \(batch) FROM \(cursor)")
        next = 0
        if rows.count < batch { self.cursor = nil }
    }

    func step() throws -> Bool {
        if next == rows.count { try fetch() }
        guard next < rows.count else { return false }
        next += 1
        return true
    }

    func texts() -> [String?] {
        rows[next - 1].map { value in
            switch value {
            case .null: nil
            case .text(let text): text
            case .integer(let integer): String(integer)
            }
        }
    }
}

extension PostgresSociete {
    public func reading<T>(_ body: (any RecordReader) throws -> T) throws -> T {
        try withConnectionWaiting { connection in
            try ConnectionReader.reading(on: PostgresReadingConnection(connection), body)
        }
    }
}

extension PostgresSociete {
    /// Refused: a query of the société's own text could read the password hashes of a
    /// PostgreSQL schema, which no authorizer hides as SQLite's does (`docs/decisions.md`).
    public func export(
        query: String, columns: ([String]) throws -> Void, row: ([String?]) throws -> Void
    ) throws -> Int {
        throw QueryRefusal(
            message:
                "La tâche ExporterRequeteBaseDonnees n'est pas disponible pour une société PostgreSQL : interrogez la base PostgreSQL directement"
        )
    }
}
