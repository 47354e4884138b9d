import ComptoirStore
import Foundation
import GRDB

/// The storage floor: the rows an import writes (the tiers, its account, its billing address),
/// written into the same schema of a fresh société by the simplest program — one transaction,
/// one prepared statement per table, reused, no parsing and no validation — and SQLite's own
/// ceiling for the same rows.
enum Floor {
    /// The fields of each client line as the floor and the ceiling write them: the line's,
    /// then the SIREN, taken from the SIRET.
    static func rows(of lines: ClientLines) -> [[String]] {
        (0..<lines.count).map { index in
            let fields = lines.fields(index)
            return fields + [String(fields[8].prefix(9))]
        }
    }

    /// The fields of each article line: the line's own.
    static func rows(of lines: ArticleLines) -> [[String]] { (0..<lines.count).map(lines.fields) }

    /// The seconds the floor takes for client lines.
    static func run(folder: String, lines: ClientLines) throws -> Double {
        try measure(folder: folder, name: "PLANCHER", rows: rows(of: lines)) { db, rows in
            let statements = try RowWrite.clients.map { try db.makeStatement(sql: $0.sql(from: .parameters)) }
            return {
                for row in rows {
                    for (write, statement) in zip(RowWrite.clients, statements) {
                        try statement.execute(arguments: StatementArguments(write.fields.map { row[$0 - 1] }))
                    }
                }
            }
        }
    }

    /// The seconds SQLite alone takes: the same rows, already in an in-memory table, copied
    /// into the same schema by one statement per table. No program writes these rows faster
    /// on this machine, whatever it does around SQLite.
    static func ceiling(folder: String, writes: [RowWrite], rows: [[String]]) throws -> Double {
        try measure(folder: folder, name: "PLAFOND", rows: rows) { db, rows in
            let fields = (1...rows[0].count).map { "f\($0)" }
            try db.execute(sql: "CREATE TEMP TABLE LIGNES (\(fields.joined(separator: ", ")))")
            let insert = try db.makeStatement(
                sql: "INSERT INTO temp.LIGNES VALUES (\(fields.map { _ in "?" }.joined(separator: ", ")))")
            for row in rows { try insert.execute(arguments: StatementArguments(row)) }
            return {
                for write in writes { try db.execute(sql: write.sql(from: .linesTable)) }
            }
        }
    }

    /// Creates a fresh société `name` in `folder`, lets `prepare` set up its writes of `rows`,
    /// and times the writes, in one transaction committed to disk.
    private static func measure(
        folder: String, name: String, rows: [[String]],
        prepare: (Database, [[String]]) throws -> () throws -> Void
    ) throws -> Double {
        let path = try SocieteFolder(path: folder).create(name: name, user: "BENCH", password: "", hashCost: 4)
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction { db in
            let writes = try prepare(db, rows)
            let start = ContinuousClock.now
            try db.inTransaction {
                try writes()
                return .commit
            }
            return (ContinuousClock.now - start).seconds
        }
    }
}

/// One of the rows a line writes, as the import writes it: the line's fields (numbered from 1)
/// into its columns, the columns the import fills itself, and what an existing row takes.
struct RowWrite {
    let table: String
    let key: [String]
    let filled: [(column: String, field: Int)]
    let fixed: [(column: String, value: String)]
    let updates: [String]

    var fields: [Int] { filled.map(\.field) }

    /// The three rows of a client line: the 12 fields of `ClientLines`, then the SIREN.
    static let clients = [
        RowWrite(
            table: "TIERS", key: ["PCF_CODE"],
            filled: [
                ("PCF_CODE", 1), ("CPT_NUMERO", 2), ("PCF_RS", 3), ("PCF_RUE", 4), ("PCF_COMP", 5), ("PCF_CP", 6),
                ("PCF_VILLE", 7), ("PAY_CODE", 8), ("PCF_SIRET", 9), ("PCF_EMAIL", 10), ("PCF_TEL1", 11),
                ("PCF_DATIMM", 12), ("PCF_SIREN", 13),
            ],
            fixed: [
                ("PCF_TYPE", "'C'"), ("PCF_DTCREE", "'2026-01-01 00:00:00'"), ("PCF_USRCRE", "'BENCH'"),
                ("PCF_DTMAJ", "'2026-01-01 00:00:00'"), ("PCF_USRMAJ", "'BENCH'"), ("PCF_NUMMAJ", "1"),
            ],
            updates: [
                "PCF_DTMAJ = excluded.PCF_DTMAJ", "PCF_USRMAJ = excluded.PCF_USRMAJ", "PCF_NUMMAJ = PCF_NUMMAJ + 1",
            ]),
        RowWrite(
            table: "COMPTES", key: ["CPT_NUMERO"], filled: [("CPT_NUMERO", 2), ("CPT_LIB", 3), ("PCF_CODE", 1)],
            fixed: [("CPT_TYPE", "'C'"), ("CPT_COLLEC", "'411000'")], updates: []),
        RowWrite(
            table: "ADRESSES", key: ["ADR_TBL", "ADR_CODE", "ADR_NUMERO"],
            filled: [
                ("ADR_CODE", 1), ("ADR_RUE", 4), ("ADR_COMP", 5), ("ADR_CP", 6), ("ADR_VILLE", 7), ("PAY_CODE", 8),
                ("ADR_EMAIL", 10), ("ADR_TEL1", 11),
            ],
            fixed: [("ADR_TBL", "'PCF'"), ("ADR_NUMERO", "'001'")], updates: []),
    ]

    /// The row of an article line: its 30 fields, and the audit columns.
    static let articles = [
        RowWrite(
            table: "ARTICLES", key: ["ART_CODE"],
            filled: ArticleLines.header.split(separator: ";").enumerated().map { (String($1), $0 + 1) },
            fixed: [
                ("ART_DTCREE", "'2026-01-01 00:00:00'"), ("ART_USRCRE", "'BENCH'"),
                ("ART_DTMAJ", "'2026-01-01 00:00:00'"), ("ART_USRMAJ", "'BENCH'"), ("ART_NUMMAJ", "1"),
            ],
            updates: [
                "ART_DTMAJ = excluded.ART_DTMAJ", "ART_USRMAJ = excluded.ART_USRMAJ", "ART_NUMMAJ = ART_NUMMAJ + 1",
            ])
    ]

    /// Where the fields come from: bound parameters, or the in-memory table `LIGNES`.
    enum Source {
        case parameters
        case linesTable
    }

    /// The upsert of this row for every line of `source`.
    func sql(from source: Source) -> String {
        let columns = filled.map(\.column) + fixed.map(\.column)
        let values = filled.map { source == .parameters ? "?" : "f\($0.field)" } + fixed.map(\.value)
        let rows =
            source == .parameters
            ? "VALUES (\(values.joined(separator: ", ")))"
            // `WHERE true` tells SQLite that `ON CONFLICT` starts the upsert, not a join.
            : "SELECT \(values.joined(separator: ", ")) FROM temp.LIGNES WHERE true ORDER BY rowid"
        let changes = filled.map(\.column).filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" } + updates
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) \(rows)
            ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(changes.joined(separator: ", "))
            """
    }
}
