import ComptoirCore
import ComptoirStore
import Foundation
import PostgresNIO

/// PostgreSQL's floor: the rows an import writes, sent by PostgreSQL's own `COPY FROM STDIN`
/// into the same tables of a fresh société, in one transaction. No program writes these rows
/// into PostgreSQL faster.
enum PostgresFloor {
    /// The seconds the copy of `rows` through `writes` takes in `schema`, from `BEGIN` to
    /// `COMMIT`; the rows are turned into `COPY`'s text before the clock starts, as the SQLite
    /// ceiling fills its source table first.
    static func run(database: PostgresDatabase, schema: String, writes: [RowWrite], rows: [[String]]) async throws
        -> Double
    {
        let copies = writes.map { write in (write: write, chunks: copyText(of: write, rows: rows)) }
        return try await database.withConnection(schema: schema) { postgres in
            let start = ContinuousClock.now
            try await PostgresDatabase.execute("BEGIN", on: postgres)
            for copy in copies {
                try await postgres.copyFrom(
                    table: copy.write.table,
                    columns: copy.write.filled.map(\.column) + copy.write.fixed.map(\.column),
                    format: .text(.init()), logger: PostgresDatabase.logger
                ) { writer in
                    for chunk in copy.chunks { try await writer.write(chunk) }
                }
            }
            try await PostgresDatabase.execute("COMMIT", on: postgres)
            return (ContinuousClock.now - start).seconds
        }
    }

    /// The rows `write` leaves of `rows` in `COPY`'s text format, in chunks of about 1 MiB: the
    /// line's fields, an empty one as NULL (the import stores no empty text), then the fixed
    /// values without their SQL quotes.
    static func copyText(of write: RowWrite, rows: [[String]]) -> [ByteBuffer] {
        precondition(write.condition == "true", "le plancher PostgreSQL écrit chaque ligne")
        let fixed = write.fixed.map { $0.value.trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        // A tenth of the lines update an earlier one: COPY cannot, so each row goes once, as the
        // last of its lines leaves it.
        let keyFields = write.filled.filter { write.key.contains($0.column) }.map(\.field)
        var last: [[String]: Int] = [:]
        for (index, row) in rows.enumerated() { last[keyFields.map { row[$0 - 1] }] = index }
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        for (index, row) in rows.enumerated() where last[keyFields.map { row[$0 - 1] }] == index {
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
