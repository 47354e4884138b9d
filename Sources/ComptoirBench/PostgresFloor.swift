import ComptoirCore
import ComptoirStore
import Foundation
import PostgresNIO

/// PostgreSQL's floor: the rows an import writes, sent by PostgreSQL's own `COPY FROM STDIN`
/// into the same tables of a fresh société, in one transaction, and the rows it updates by one
/// `UPDATE … FROM` a copied table. No program writes these rows into PostgreSQL faster.
enum PostgresFloor {
    /// The seconds the writes of `rows` through `writes` take in `schema`, from `BEGIN` to
    /// `COMMIT`; the rows are turned into `COPY`'s text before the clock starts, as the SQLite
    /// ceiling fills its source table first.
    static func run(database: PostgresDatabase, schema: String, writes: [RowWrite], rows: [[String]]) async throws
        -> Double
    {
        let copies = writes.map { write in
            let (created, updated) = split(rows, by: write)
            return (
                write: write, created: copyText(of: write, rows: created), updated: copyText(of: write, rows: updated)
            )
        }
        return try await database.withConnection(schema: schema) { postgres in
            let start = ContinuousClock.now
            try await PostgresDatabase.execute("BEGIN", on: postgres)
            for copy in copies {
                try await self.copy(copy.created, of: copy.write, into: copy.write.table, on: postgres)
                guard !copy.updated.isEmpty else { continue }
                let staging = "MISES_A_JOUR_\(copy.write.table)"
                try await PostgresDatabase.execute(
                    "CREATE TEMP TABLE \(quoted(staging)) (LIKE \(quoted(copy.write.table)) INCLUDING DEFAULTS) ON COMMIT DROP",
                    on: postgres)
                try await self.copy(copy.updated, of: copy.write, into: staging, on: postgres)
                try await PostgresDatabase.execute(update(copy.write, from: staging), on: postgres)
            }
            try await PostgresDatabase.execute("COMMIT", on: postgres)
            return (ContinuousClock.now - start).seconds
        }
    }

    private static func copy(
        _ chunks: [ByteBuffer], of write: RowWrite, into table: String, on postgres: PostgresConnection
    )
        async throws
    {
        try await postgres.copyFrom(
            table: table, columns: write.filled.map(\.column) + write.fixed.map(\.column), format: .text(.init()),
            logger: PostgresDatabase.logger
        ) { writer in
            for chunk in chunks { try await writer.write(chunk) }
        }
    }

    /// The rows `write` creates (the first line of each key) and those it updates, as the
    /// import does: a tenth of the lines update an earlier one; of several, the last one stays.
    static func split(_ rows: [[String]], by write: RowWrite) -> (created: [[String]], updated: [[String]]) {
        precondition(write.condition == "true", "le plancher PostgreSQL écrit chaque ligne")
        let keyFields = write.filled.filter { write.key.contains($0.column) }.map(\.field)
        let keys = rows.map { row in keyFields.map { row[$0 - 1] } }
        var first: [[String]: Int] = [:]
        var last: [[String]: Int] = [:]
        for (index, key) in keys.enumerated() {
            if first[key] == nil { first[key] = index }
            last[key] = index
        }
        var created: [[String]] = []
        var updated: [[String]] = []
        for (index, row) in rows.enumerated() {
            if first[keys[index]] == index {
                created.append(row)
            } else if last[keys[index]] == index {
                updated.append(row)
            }
        }
        return (created, updated)
    }

    /// The `UPDATE` of `write`'s table from `staging`: its line's columns, and what an existing
    /// row takes (`excluded.` read from the staging table, the others from the row).
    private static func update(_ write: RowWrite, from staging: String) -> String {
        let changes =
            write.filled.map(\.column).filter { !write.key.contains($0) }.map { "\(quoted($0)) = s.\(quoted($0))" }
            + write.updates.map { change in
                let parts = change.components(separatedBy: " = ")
                let column = parts[0]
                let value =
                    parts[1].hasPrefix("excluded.")
                    ? "s." + quoted(String(parts[1].dropFirst("excluded.".count)))
                    : parts[1].replacingOccurrences(of: column, with: "t.\(quoted(column))")
                return "\(quoted(column)) = \(value)"
            }
        let join = write.key.map { "t.\(quoted($0)) = s.\(quoted($0))" }.joined(separator: " AND ")
        return
            "UPDATE \(quoted(write.table)) AS t SET \(changes.joined(separator: ", ")) FROM \(quoted(staging)) AS s WHERE \(join)"
    }

    private static func quoted(_ name: String) -> String { "\"\(name)\"" }

    /// `rows` as `write` writes them, in `COPY`'s text format, in chunks of about 1 MiB: the
    /// line's fields, an empty one as NULL (the import stores no empty text), then the fixed
    /// values without their SQL quotes.
    static func copyText(of write: RowWrite, rows: [[String]]) -> [ByteBuffer] {
        let fixed = write.fixed.map { $0.value.trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        for row in rows {
            // A fixed '' stays an empty text: only the line's fields follow the import's NULL.
            let values =
                write.fields.map { row[$0 - 1].isEmpty ? FieldValue.null : .text(row[$0 - 1]) }
                + fixed.map(FieldValue.text)
            CopyText.append(values, to: &buffer)
            if buffer.readableBytes >= 1 << 20 {
                chunks.append(buffer)
                buffer = ByteBuffer()
            }
        }
        if buffer.readableBytes > 0 { chunks.append(buffer) }
        return chunks
    }
}
