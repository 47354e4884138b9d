import ComptoirCore
import NIOCore
import PostgresNIO

/// The statements of one transaction, sent on its connection in the order they are given, by a
/// task of their own: the thread that gives them waits only for the answers it needs. A `COPY`
/// holds the connection until its rows are sent: the statements given after it are sent once
/// it ends, still in order, while the thread goes on.
final class StatementQueue: Sendable {
    private enum Operation: Sendable {
        case statement(PostgresQuery, EventLoopPromise<PostgresQueryResult>)
        case copy(table: String, columns: [String], rows: ByteBuffer, EventLoopPromise<Void>)
    }

    private let operations: AsyncStream<Operation>.Continuation
    private let eventLoop: any EventLoop

    init(connection: PostgresConnection) {
        let (stream, operations) = AsyncStream.makeStream(of: Operation.self)
        self.operations = operations
        self.eventLoop = connection.eventLoop
        Task {
            for await operation in stream {
                switch operation {
                case .statement(let query, let answered):
                    // Handed to the connection at once: it sends its statements in order.
                    answered.completeWith(connection.query(query, logger: PostgresLink.queryLogger))
                case .copy(let table, let columns, let rows, let copied):
                    do {
                        try await connection.copyFrom(table: table, columns: columns, logger: PostgresLink.queryLogger)
                        {
                            writer in try await writer.write(rows)
                        }
                        copied.succeed(())
                    } catch {
                        copied.fail(error)
                    }
                }
            }
        }
    }

    /// The statements given are sent all the same; then the task ends.
    deinit { operations.finish() }

    func query(_ sql: String, _ values: [FieldValue]) -> EventLoopFuture<PostgresQueryResult> {
        let answered = eventLoop.makePromise(of: PostgresQueryResult.self)
        operations.yield(.statement(PostgresQuery(sql, values), answered))
        return answered.futureResult
    }

    /// Copies `rows`, in `COPY`'s text form (`CopyText`), into `columns` of `table`.
    func copy(_ rows: ByteBuffer, into table: String, columns: [String]) -> EventLoopFuture<Void> {
        let copied = eventLoop.makePromise(of: Void.self)
        operations.yield(.copy(table: table, columns: columns, rows: rows, copied))
        return copied.futureResult
    }
}
