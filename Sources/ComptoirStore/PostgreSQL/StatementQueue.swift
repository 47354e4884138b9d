import ComptoirCore
import NIOCore
import PostgresNIO
import Synchronization

/// The statements of one transaction, sent on its connection in the order they are given: the
/// thread that gives them waits only for the answers it needs. A `COPY` holds the connection
/// until its rows are sent: it goes by a task of its own, and the statements given after it
/// follow it through that task, once it ends, still in order, while the thread goes on. With no
/// `COPY` ahead of it, a statement goes to the connection at once, with no task to wake.
final class StatementQueue: Sendable {
    private enum Operation: Sendable {
        case statement(PostgresQuery, EventLoopPromise<PostgresQueryResult>)
        case copy(table: String, columns: [String], rows: ByteBuffer, EventLoopPromise<Void>)
    }

    private let operations: AsyncStream<Operation>.Continuation
    let connection: PostgresConnection
    /// The operations given to the task that it has not handed to the connection yet: shared
    /// with the task, which must not hold the queue (its end ends the task).
    private let queued = QueuedCount()

    private final class QueuedCount: Sendable {
        let count = Atomic<Int>(0)
    }

    init(connection: PostgresConnection) {
        let (stream, operations) = AsyncStream.makeStream(of: Operation.self)
        self.operations = operations
        self.connection = connection
        let queued = queued
        Task {
            for await operation in stream {
                defer { queued.count.subtract(1, ordering: .releasing) }
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

    /// Given by one thread at a time, as `copy`: the transaction's.
    func query(_ sql: String, _ values: [FieldValue]) -> EventLoopFuture<PostgresQueryResult> {
        // Everything given before is with the connection already: this goes after it.
        if queued.count.load(ordering: .acquiring) == 0 {
            return connection.query(PostgresQuery(sql, values), logger: PostgresLink.queryLogger)
        }
        let answered = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        queued.count.add(1, ordering: .relaxed)
        operations.yield(.statement(PostgresQuery(sql, values), answered))
        return answered.futureResult
    }

    /// Copies `rows`, in `COPY`'s text form (`CopyText`), into `columns` of `table`.
    func copy(_ rows: ByteBuffer, into table: String, columns: [String]) -> EventLoopFuture<Void> {
        let copied = connection.eventLoop.makePromise(of: Void.self)
        queued.count.add(1, ordering: .relaxed)
        operations.yield(.copy(table: table, columns: columns, rows: rows, copied))
        return copied.futureResult
    }
}
