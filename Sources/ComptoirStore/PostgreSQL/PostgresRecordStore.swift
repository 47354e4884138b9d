import ComptoirCore
import Dispatch
import NIOCore
import PostgresNIO
import Synchronization

/// The import rules' view of a PostgreSQL société, inside the request's transaction, on a
/// connection that this thread alone uses. Created rows wait (`PendingCreates`) and go by
/// `COPY`; reads are answered from them and from the database together, and send them first
/// only when the two cannot be told apart. A statement that writes is sent without
/// waiting for its answer: the connection runs its statements in order, so the next read,
/// whose answer is waited for, sees it, and a failed write is reported there, or when the
/// writes are settled (`settle`). The SQL of each shape of statement is written once per
/// request; what can be read once per request is (`ReadCache`).
final class PostgresRecordStore: RecordStore {
    private let connection: PostgresConnection
    /// The schema's tables and defaults.
    private let schema: PostgresSchema.Facts
    private var cache = ReadCache()
    private var statements: [StatementShape: String] = [:]
    /// The writes sent whose answers have not been looked at.
    private var unsettled: [EventLoopFuture<Void>] = []
    private var pending: PendingCreates
    /// What the database answered, for the chunk of lines to come, to the reads they announced
    /// (`prepare(for:)`): valid until a write to their tables reaches the database.
    private var preparedTiers: [TiersPair: TiersAndAccount] = [:]
    /// The rows sent after the chunk's reads were made: what the database answered lacks them.
    private var inFlight: PendingCreates

    private struct TiersPair: Hashable {
        let code: String
        let number: String
    }
    /// How many rows wait before they are sent.
    static let pendingLimit = 2_000

    init(connection: PostgresConnection, schema: PostgresSchema.Facts) {
        self.connection = connection
        self.schema = schema
        self.pending = PendingCreates(columnsWithDefaults: schema.columnsWithDefaults)
        self.inFlight = PendingCreates(columnsWithDefaults: schema.columnsWithDefaults)
    }

    private var tables: Set<String> { schema.tables }

    /// Sends the pending rows of `table`, by PostgreSQL's `COPY`: the way it takes many rows
    /// fastest.
    private func send(pendingOf table: String) {
        reachingDatabase(table)
        copy(pending.take(table), into: table)
    }

    /// Starts the copies of `groups` of rows into `table`, and returns once PostgreSQL is taking
    /// each: the statements sent after wait behind it, and its end is among the writes settled
    /// later, so the lines go on while PostgreSQL stores the rows.
    private func copy(_ groups: [(columns: [String], rows: [[FieldValue]])], into table: String) {
        for group in groups {
            var buffer = ByteBuffer()
            for row in group.rows { CopyText.append(row, to: &buffer) }
            let (connection, text, started) = (connection, buffer, OneSignal())
            let copied = connection.eventLoop.makePromise(of: Void.self)
            copied.completeWithTask {
                // Whether or not PostgreSQL took the copy, the thread waits no longer.
                defer { started.signal() }
                try await connection.copyFrom(
                    table: table, columns: group.columns, logger: PostgresLink.queryLogger
                ) { writer in
                    started.signal()
                    try await writer.write(text)
                }
            }
            started.wait()
            unsettled.append(copied.futureResult)
        }
    }

    /// A write to `table` reaches the database: what was read of it for the lines to come no
    /// longer holds.
    private func reachingDatabase(_ table: String) {
        if table == "TIERS" || table == "COMPTES" { preparedTiers = [:] }
    }

    /// An update reaches the database: the answers read ahead that it may change are forgotten,
    /// and only them. A tiers's update changes the answers of its code, and, when it changes
    /// its account number, those of that number and those it held; an account's, those of its
    /// number.
    private func forgetPrepared(changedBy change: RecordChange) {
        guard change.table == "TIERS" || change.table == "COMPTES", !preparedTiers.isEmpty else { return }
        let names = change.key.fields.map(\.name)
        let value = change.key.fields.first?.value.text
        switch (change.table, names) {
        case ("TIERS", ["PCF_CODE"]):
            let number = change.values["CPT_NUMERO"]
            preparedTiers = preparedTiers.filter { pair, answer in
                pair.code != value
                    && (number == nil || (FieldValue.text(pair.number) != number && answer.otherHolder != value))
            }
        case ("COMPTES", ["CPT_NUMERO"]):
            preparedTiers = preparedTiers.filter { pair, _ in pair.number != value }
        default:
            preparedTiers = [:]
        }
    }

    /// `tiersAndAccount` for many pairs at once (or one): a row for each pair, its code and
    /// number first. Each look is a subquery of its own (`LIMIT 1` keeps PostgreSQL from making it a
    /// join), so that it goes through its index whatever the table's size: a join would be
    /// hashed over the whole table, which the statistics of a table filling up misjudge.
    private static let manyTiersAndAccountsSQL = """
        SELECT q.code, q.number, t.*, c.*,
            (SELECT h."PCF_CODE" FROM "TIERS" h WHERE h."CPT_NUMERO" = q.number COLLATE "C"
             AND h."PCF_CODE" <> q.code COLLATE "C" LIMIT 1)
        FROM unnest($1::text[], $2::text[]) AS q(code, number)
        LEFT JOIN LATERAL (
            SELECT \(PostgresRecordStore.tiersColumns.map(quoted).joined(separator: ", ")) FROM "TIERS"
            WHERE "PCF_CODE" = q.code COLLATE "C" LIMIT 1
        ) t ON true
        LEFT JOIN LATERAL (
            SELECT "CPT_NUMERO", \(PostgresRecordStore.accountColumns.map(quoted).joined(separator: ", ")) FROM "COMPTES"
            WHERE "CPT_NUMERO" = q.number COLLATE "C" LIMIT 1
        ) c ON true
        """

    /// Reads the chunk's pairs before the rows of the chunk before are sent: then those rows
    /// travel while the chunk's lines are applied, answered from `inFlight` meanwhile.
    func prepare(for reads: [PlannedRead]) throws {
        var pairs: [TiersPair] = []
        for read in reads {
            switch read {
            case .tiersAndAccount(let code, let number): pairs.append(TiersPair(code: code, number: number))
            }
        }
        guard !pairs.isEmpty, tables.contains("TIERS"), tables.contains("COMPTES") else { return sendPending() }
        // The database now holds every row sent before: only those still pending travel next.
        preparedTiers = try storedTiersAndAccounts(pairs)
        inFlight = pending
        pending.discardAll()
        var sent = inFlight
        for table in sent.tablesWithRows { copy(sent.take(table), into: table) }
    }

    /// What the database holds of each pair's tiers, account and other holder of the number.
    private func storedTiersAndAccounts(_ pairs: [TiersPair]) throws -> [TiersPair: TiersAndAccount] {
        let rows = try read(
            Self.manyTiersAndAccountsSQL,
            [.text(Self.arrayLiteral(pairs.map(\.code))), .text(Self.arrayLiteral(pairs.map(\.number)))])
        var stored: [TiersPair: TiersAndAccount] = [:]
        for row in rows {
            guard let code = row[0].text, let number = row[1].text else { continue }
            stored[TiersPair(code: code, number: number)] = Self.tiersAndAccount(Array(row[2...]))
        }
        return stored
    }

    /// A text array as PostgreSQL reads it: each element quoted, `"` and `\` escaped.
    static func arrayLiteral(_ elements: [String]) -> String {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        for (index, element) in elements.enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            literal.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { literal.append(UInt8(ascii: "\\")) }
                literal.append(byte)
            }
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
    }

    /// What a row of `manyTiersAndAccountsSQL` says, past its pair.
    private static func tiersAndAccount(_ row: [FieldValue]) -> TiersAndAccount {
        TiersAndAccount(
            tiers: ExistingTiers(row: Array(row[0..<4])),
            account: row[4] == .null ? nil : ExistingAccount(row: [row[5], row[6]]), otherHolder: row[7].text)
    }

    /// Sends every pending row.
    private func sendPending() {
        for table in pending.tablesWithRows { send(pendingOf: table) }
    }

    /// What a statement does, on which table, with which columns: what its SQL follows from.
    private struct StatementShape: Hashable {
        enum Action: Hashable {
            case create, update, exists, row, firstRow, rows
        }

        let action: Action
        let table: String
        let parts: [[String]]
        var columns: [String] = []
    }

    private func sql(_ shape: StatementShape, _ write: () -> String) -> String {
        if let known = statements[shape] { return known }
        let sql = write()
        statements[shape] = sql
        return sql
    }

    private static func quoted(_ name: String) -> String { PostgresLink.quoted(name) }

    /// `"A" = $n AND "B" = $n+1`, its parameters numbered from `first`.
    private static func condition(_ key: LineValues, from first: Int) -> String {
        key.fields.enumerated().map { "\(quoted($1.name)) = $\(first + $0)" }.joined(separator: " AND ")
    }

    private func rows(_ sql: String, _ parts: [LineValues]) throws -> [[FieldValue]] {
        try read(sql, parts.flatMap { $0.fields.map(\.value) })
    }

    /// The rows `sql` gives, once the writes sent before it have answered: a write's failure
    /// is the one reported, since it made every later statement fail.
    private func read(_ sql: String, _ values: [FieldValue]) throws -> [[FieldValue]] {
        let rows = Result { try connection.rowsWaiting(sql, values) }
        try waitForWrites()
        return try rows.get()
    }

    /// Sends a statement whose answer holds nothing to read.
    private func send(_ sql: String, _ values: [FieldValue]) {
        unsettled.append(
            connection.query(PostgresQuery(sql, values), logger: PostgresLink.queryLogger).map { _ in })
    }

    /// Sends the pending rows, waits for the writes sent so far, and throws the first one's
    /// failure.
    func settle() throws {
        sendPending()
        try waitForWrites()
        inFlight.discardAll()
    }

    /// Waits for the writes sent so far, and throws the first one's failure.
    private func waitForWrites() throws {
        let writes = unsettled
        unsettled = []
        var failure: (any Error)?
        for write in writes {
            do {
                _ = try write.wait()
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    func tiersAndAccount(code: String, accountNumber number: String) throws -> TiersAndAccount {
        let tiersKey = LineValues([("PCF_CODE", .text(code))])
        let accountKey = LineValues([("CPT_NUMERO", .text(number))])
        // What waits to be sent: the line's tiers and account, and another tiers of the number.
        // Then, before the database's answer read ahead, the rows sent since it was read.
        // Looked at in place: a look by account number indexes the rows once.
        func look(_ rows: inout PendingCreates) -> ([FieldValue]??, [FieldValue]??, [PendingCreates.Row]?) {
            (
                Self.row(in: "TIERS", key: tiersKey, columns: Self.tiersColumns, of: &rows),
                Self.row(in: "COMPTES", key: accountKey, columns: Self.accountColumns, of: &rows),
                rows.rows(in: "TIERS", matching: accountKey, other: tiersKey)
            )
        }
        let looks = [look(&pending), look(&inFlight)]
        let tiersRows = looks.map(\.0)
        let accountRows = looks.map(\.1)
        let holders = looks.map(\.2)
        guard !tiersRows.contains(where: { $0 == nil }), !accountRows.contains(where: { $0 == nil }),
            !holders.contains(where: { $0 == nil })
        else {
            try settle()
            preparedTiers = [:]
            return try tiersAndAccount(code: code, accountNumber: number)
        }
        let pendingTiers = tiersRows.lazy.compactMap { $0! }.first
        let pendingAccount = accountRows.lazy.compactMap { $0! }.first
        let pendingHolders = holders.flatMap { $0! }
        let pair = TiersPair(code: code, number: number)
        let stored = try preparedTiers[pair] ?? storedTiersAndAccounts([pair])[pair]
        return TiersAndAccount(
            tiers: pendingTiers.map { ExistingTiers(row: $0) } ?? stored?.tiers,
            account: pendingAccount.map(ExistingAccount.init(row:)) ?? stored?.account,
            otherHolder: stored?.otherHolder ?? pendingHolders.first?.value(of: "PCF_CODE")?.text)
    }

    /// The values of `columns` of the pending row of `table` keyed `key`: nil when undecided,
    /// `.some(nil)` when no such row waits.
    private func pendingRow(in table: String, key: LineValues, columns: [String]) -> [FieldValue]?? {
        Self.row(in: table, key: key, columns: columns, of: &pending)
    }

    /// The values of `columns` of the row of `table` keyed `key` among `rows`: nil when
    /// undecided, `.some(nil)` when there is none.
    private static func row(
        in table: String, key: LineValues, columns: [String], of rows: inout PendingCreates
    ) -> [FieldValue]?? {
        guard let found = rows.rows(in: table, matching: key) else { return nil }
        guard let row = found.first else { return .some(nil) }
        return rows.values(of: columns, in: row, table: table).map { .some($0) }
    }

    func row(in table: String, key: LineValues, columns: [String]) throws -> [FieldValue]? {
        let code = cache.code(in: table, key)
        if let code, let known = cache.row(in: table, code: code, columns: columns) { return known }
        guard tables.contains(table) else { return nil }
        switch pendingRow(in: table, key: key, columns: columns) {
        case .some(.some(let values)): return values
        case .some(.none): break
        case .none: send(pendingOf: table)
        }
        let shape = StatementShape(action: .row, table: table, parts: [key.fields.map(\.name)], columns: columns)
        let sql = sql(shape) {
            "SELECT \(columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table)) WHERE \(Self.condition(key, from: 1))"
        }
        let values = try rows(sql, [key]).first
        if let code { cache.remember(row: values, in: table, code: code, columns: columns) }
        return values
    }

    func exists(in table: String, key: LineValues) throws -> Bool {
        let code = cache.code(in: table, key)
        if let code, let known = cache.exists(in: table, code: code) { return known }
        guard tables.contains(table) else { return false }
        switch pending.rows(in: table, matching: key) {
        case .some(let rows) where !rows.isEmpty: return true
        case .some: break
        case .none: send(pendingOf: table)
        }
        let shape = StatementShape(action: .exists, table: table, parts: [key.fields.map(\.name)])
        let sql = sql(shape) { "SELECT 1 FROM \(Self.quoted(table)) WHERE \(Self.condition(key, from: 1))" }
        let exists = try !rows(sql, [key]).isEmpty
        if let code { cache.remember(exists: exists, in: table, code: code) }
        return exists
    }

    func firstRow(in table: String, matching: LineValues, other: LineValues, columns: [String]) throws -> [FieldValue]?
    {
        guard tables.contains(table) else { return nil }
        // A stored row first, as the rows were created before; else a pending one.
        let waiting = pending.rows(in: table, matching: matching, other: other)?.map {
            pending.values(of: columns, in: $0, table: table)
        }
        if waiting == nil || waiting!.contains(where: { $0 == nil }) { send(pendingOf: table) }
        let shape = StatementShape(
            action: .firstRow, table: table, parts: [matching.fields.map(\.name), other.fields.map(\.name)],
            columns: columns)
        let sql = sql(shape) {
            """
            SELECT \(columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table))
            WHERE \(Self.condition(matching, from: 1)) AND NOT (\(Self.condition(other, from: matching.fields.count + 1))) LIMIT 1
            """
        }
        return try rows(sql, [matching, other]).first ?? waiting?.first ?? nil
    }

    func rows(in table: String, matching: LineValues, columns: [String]) throws -> [[FieldValue]] {
        guard tables.contains(table) else { return [] }
        if !pending.isEmpty(table) { send(pendingOf: table) }
        let shape = StatementShape(action: .rows, table: table, parts: [matching.fields.map(\.name)], columns: columns)
        let sql = sql(shape) {
            // SQLite puts NULL first in ascending order.
            let order = columns.map { Self.quoted($0) + " NULLS FIRST" }.joined(separator: ", ")
            return """
                SELECT \(columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table))
                WHERE \(Self.condition(matching, from: 1)) ORDER BY \(order)
                """
        }
        return try rows(sql, [matching])
    }

    func write(_ change: RecordChange) throws {
        defer { cache.wrote(change.table) }
        switch change.kind {
        case .create:
            guard !pending.add(change) else {
                if pending.rowCount(change.table) >= Self.pendingLimit || pending.count >= 4 * Self.pendingLimit {
                    sendPending()
                }
                return
            }
            send(pendingOf: change.table)
            guard !pending.add(change) else { return }
        case .update:
            if pending.merge(change) { return }
            // An update by other columns than the pending rows' key may be of one of them.
            if pending.mayHold(change.key, in: change.table) { send(pendingOf: change.table) }
            forgetPrepared(changedBy: change)
        }
        let parts = change.kind == .create ? [change.key, change.values] : [change.values, change.key]
        let shape = StatementShape(
            action: change.kind == .create ? .create : .update, table: change.table,
            parts: parts.map { $0.fields.map(\.name) })
        let sql = sql(shape) {
            let table = Self.quoted(change.table)
            switch change.kind {
            case .create:
                let names = (change.key.fields + change.values.fields).map { Self.quoted($0.name) }
                let parameters = names.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
                return "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(parameters))"
            case .update:
                let assignments = change.values.fields.enumerated().map { "\(Self.quoted($1.name)) = $\($0 + 1)" }
                return """
                    UPDATE \(table) SET \(assignments.joined(separator: ", ")) \
                    WHERE \(Self.condition(change.key, from: change.values.fields.count + 1))
                    """
            }
        }
        send(sql, parts.flatMap { $0.fields.map(\.value) })
    }

    func preference(_ code: String) throws -> String? {
        if let known = cache.preferences[code] { return known }
        if !pending.isEmpty("PREFERENCES") { send(pendingOf: "PREFERENCES") }
        let value = try read(
            #"SELECT "PRF_VALEUR" FROM "PREFERENCES" WHERE "PRF_CODE" = $1"#, [.text(code)]
        ).first?.first?.text
        cache.preferences[code] = value
        return value
    }

    func nextNumber(of counter: String) throws -> String? {
        guard let value = try preference(counter) else { return nil }
        let next = Counter.incremented(value)
        send(#"UPDATE "PREFERENCES" SET "PRF_VALEUR" = $1 WHERE "PRF_CODE" = $2"#, [.text(next), .text(counter)])
        cache.preferences[counter] = next
        return value
    }

    func inSavepoint(_ work: () throws -> SavepointEnd) throws {
        try SavepointEnd.run(
            work,
            begin: {
                // The rows created before belong to the transaction, not to the savepoint.
                sendPending()
                send("SAVEPOINT line", [])
            },
            keep: {
                sendPending()
                send("RELEASE SAVEPOINT line", [])
                try waitForWrites()
            }, undo: undoSavepoint)
    }

    /// Undoes the savepoint's writes, and forgets what was read since they may have changed it.
    private func undoSavepoint() throws {
        // The rows created in the savepoint go with it, unsent; a write of it that failed is
        // undone with it.
        pending.discardAll()
        preparedTiers = [:]
        inFlight.discardAll()
        _ = try? waitForWrites()
        send("ROLLBACK TO SAVEPOINT line", [])
        send("RELEASE SAVEPOINT line", [])
        try waitForWrites()
        cache.forgetAll()
    }

    func addCustomColumns(_ names: [String], to table: String) throws {
        guard !names.isEmpty else { return }
        sendPending()
        let existing = Set(try customColumns(of: table))
        for name in names where !existing.contains(name) {
            send("ALTER TABLE \(Self.quoted(table)) ADD COLUMN \(Self.quoted(name)) text COLLATE \"C\"", [])
            cache.customColumns[table] = nil
        }
    }

    /// Read once per request and table: only `addCustomColumns` changes them.
    func customColumns(of table: String) throws -> [String] {
        if let known = cache.customColumns[table] { return known }
        let columns = try read(
            """
            SELECT upper(column_name) FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 AND upper(column_name) LIKE 'XXX\\_%'
            ORDER BY ordinal_position
            """, [.text(table)]
        ).compactMap { $0.first?.text }
        cache.customColumns[table] = columns
        return columns
    }
}

/// A signal given once, however many times `signal` is called, and waited for by one thread.
private final class OneSignal: Sendable {
    private let given = Atomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)

    func signal() {
        if !given.exchange(true, ordering: .acquiringAndReleasing) { semaphore.signal() }
    }

    func wait() { semaphore.wait() }
}
