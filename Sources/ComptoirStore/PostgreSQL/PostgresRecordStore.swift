import ComptoirCore
import NIOCore
import PostgresNIO

/// The import rules' view of a PostgreSQL société, inside the request's transaction, on a
/// connection that this thread alone uses. Created rows wait (`PendingCreates`) and go by
/// `COPY`; updates of stored rows wait too (`PendingUpdates`), and go many to a statement
/// before the next read. Reads are answered from what waits and from the database together,
/// and send it first only when the two cannot be told apart; the reads a chunk of lines
/// announces are made at once (`PreparedAnswers`). A statement that writes is sent without
/// waiting for its answer (`StatementQueue`): the connection runs its statements in order, so
/// the next read, whose answer is waited for, sees it, and a failed write is reported there,
/// or when the writes are settled (`settle`). The SQL of each shape of statement is written
/// once per request; what can be read once per request is (`ReadCache`).
final class PostgresRecordStore: RecordStore {
    private let queue: StatementQueue
    /// The schema's tables and defaults.
    private let schema: PostgresSchema.Facts
    private var cache = ReadCache()
    private var statements: [StatementShape: String] = [:]
    /// The writes sent whose answers have not been looked at.
    private var unsettled: [EventLoopFuture<Void>] = []
    private var pending: PendingCreates
    /// The updates of rows already sent, waiting to be sent together.
    private var updates = PendingUpdates()
    /// What the database answered to the reads the chunk of lines announced (`prepare(for:)`).
    private var answers = PreparedAnswers()
    /// The rows sent after the chunk's reads were made: what the database answered lacks them.
    private var inFlight: PendingCreates
    /// The reads of the chunk after the one being applied, asked before it.
    private var readsAhead: AskedReads?
    private typealias TiersPair = PreparedAnswers.TiersPair
    /// The société's preferences, asked as the transaction begins, and read at the first a rule
    /// wants, unless they were written first.
    private var preferencesAsked: (() throws -> [[FieldValue]])?
    /// How many rows wait before they are sent.
    static let pendingLimit = 2_000

    init(connection: PostgresConnection, schema: PostgresSchema.Facts) {
        self.queue = StatementQueue(connection: connection)
        self.schema = schema
        self.pending = PendingCreates(columnsWithDefaults: schema.columnsWithDefaults)
        self.inFlight = PendingCreates(columnsWithDefaults: schema.columnsWithDefaults)
        let asked = ask([(#"SELECT "PRF_CODE", "PRF_VALEUR" FROM "PREFERENCES""#, [])])
        preferencesAsked = { try asked()[0] }
    }

    var wantsPlannedReads: Bool { true }

    private var tables: Set<String> { schema.tables }

    /// Sends the pending rows of `tables`, by PostgreSQL's `COPY`: the way it takes many rows
    /// fastest. While answers read ahead are held, the rows join those sent since they were
    /// read, so that the answers still hold.
    private func send(pendingOf tables: String...) { send(pendingOf: tables) }

    private func send(pendingOf tables: [String]) {
        for table in tables {
            if !answers.isEmpty, !pending.isEmpty(table), !pending.copyRows(of: table, into: &inFlight) {
                answers.forget(table: table)
            }
            if readsAhead != nil, !pending.isEmpty(table), !pending.copyRows(of: table, into: &readsAhead!.sent) {
                readsAhead!.unseenTables.insert(table)
            }
        }
        copyPending(of: tables)
    }

    /// Sends the copies of the pending rows of `tables`: their end is among the writes settled
    /// later, so the lines go on while PostgreSQL stores the rows. The rows that go alone in
    /// their group go together, in one statement.
    private func copyPending(of tables: [String]) {
        var alone: [RecordChange] = []
        for table in tables {
            for group in pending.take(table) {
                // One row goes by `INSERT`, one statement, where `COPY` takes two exchanges.
                guard group.rows.count > 1 else {
                    alone.append(
                        RecordChange(table: table, kind: .create, key: group.rows[0].key, values: group.rows[0].values))
                    continue
                }
                var buffer = ByteBuffer()
                for row in group.rows { CopyText.append(row.key, then: row.values, to: &buffer) }
                unsettled.append(queue.copy(buffer, into: table, columns: group.columns))
            }
        }
        insert(alone)
    }

    /// Sends created rows in one statement: an `INSERT`, or, for several, `INSERT`s made common
    /// table expressions of the last, each exchange with the server costing as much as a row.
    private func insert(_ rows: [RecordChange]) {
        guard rows.count > 1 else {
            if let row = rows.first { enqueue(row) }
            return
        }
        var expressions: [String] = []
        var values: [FieldValue] = []
        for row in rows {
            expressions.append(Self.insertSQL(row, parametersFrom: values.count + 1))
            values += row.key.fields.map(\.value) + row.values.fields.map(\.value)
        }
        let last = expressions.removeLast()
        let with = expressions.enumerated().map { "w\($0) AS (\($1))" }.joined(separator: ", ")
        enqueue("WITH \(with) \(last)", values)
    }

    /// `INSERT` of a created row, its parameters numbered from `first`.
    private static func insertSQL(_ row: RecordChange, parametersFrom first: Int) -> String {
        let names = (row.key.fields + row.values.fields).map { quoted($0.name) }
        let parameters = names.indices.map { "$\(first + $0)" }.joined(separator: ", ")
        return "INSERT INTO \(quoted(row.table)) (\(names.joined(separator: ", "))) VALUES (\(parameters))"
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

    /// Makes the chunk's reads, one statement for each kind, unless they were asked with the
    /// chunk before; sends the rows that chunk left pending, which travel while this chunk's
    /// lines are applied, answered from `inFlight` meanwhile; then asks the next chunk's reads,
    /// whose answers travel too.
    func prepare(for reads: [PlannedRead], then next: [PlannedRead]?) throws {
        answers.forgetAll()
        var current = readsAhead.take()
        if current == nil {
            let looks = looks(of: reads)
            // Asked before the pending rows are sent: the answers lack only those.
            if !looks.statements.isEmpty { current = ask(looks) }
        }
        sendUpdates()
        if var current {
            // The rows still pending join those sent since the reads were asked, and travel.
            if current.sent.count == 0 {
                inFlight = pending
            } else {
                for table in pending.tablesWithRows where !pending.copyRows(of: table, into: &current.sent) {
                    current.unseenTables.insert(table)
                }
                inFlight = current.sent
            }
            copyPending(of: pending.tablesWithRows)
            askAhead(next)
            var rows = try current.replies()
            if current.looks.tiers { answers.remember(Self.tiersAndAccounts(rows.removeFirst())) }
            for ((look, asked), found) in zip(current.looks.keys, rows) {
                answers.remember(keys: asked, found: Set(found), of: look.table, by: look.columns)
            }
            for update in current.updates { answers.forget(changedBy: update) }
            for table in current.unseenTables { answers.forget(table: table) }
        } else {
            inFlight.discardAll()
            sendPending()
            askAhead(next)
        }
    }

    /// Asks the reads of the chunk after the one about to be applied, behind every write sent.
    private func askAhead(_ reads: [PlannedRead]?) {
        guard let reads else { return }
        let looks = looks(of: reads)
        if !looks.statements.isEmpty { readsAhead = ask(looks) }
    }

    private func ask(_ looks: Looks) -> AskedReads {
        AskedReads(
            looks: looks, replies: ask(looks.statements),
            sent: PendingCreates(columnsWithDefaults: schema.columnsWithDefaults))
    }

    /// The statements of a chunk's reads: one for the tiers and their accounts, one for each
    /// table and key whose existence is asked.
    private struct Looks {
        var tiers = false
        var keys: [(look: KeyLook, asked: Set<[FieldValue]>)] = []
        var statements: [(sql: String, values: [FieldValue])] = []
    }

    private func looks(of reads: [PlannedRead]) -> Looks {
        var pairs: [TiersPair] = []
        var keys: [KeyLook: Set<[FieldValue]>] = [:]
        for read in reads {
            switch read {
            case .tiersAndAccount(let code, let number): pairs.append(TiersPair(code: code, number: number))
            case .exists(let table, let columns, let values):
                keys[KeyLook(table: table, columns: columns), default: []].insert(values)
            }
        }
        var looks = Looks()
        if !pairs.isEmpty, tables.contains("TIERS"), tables.contains("COMPTES") {
            looks.tiers = true
            looks.statements.append(Self.tiersAndAccountsLook(pairs))
        }
        for (look, asked) in keys where tables.contains(look.table) {
            looks.keys.append((look, asked))
            looks.statements.append(existingKeysLook(look, asked))
        }
        return looks
    }

    /// A chunk's reads, asked before it is applied, and what was written since, which their
    /// answers lack.
    private struct AskedReads {
        let looks: Looks
        var replies: () throws -> [[[FieldValue]]]
        /// The rows sent since the reads were asked.
        var sent: PendingCreates
        /// The updates made since.
        var updates: [RecordChange] = []
        /// The tables that rows reached unseen since: what was read of them no longer holds.
        var unseenTables: Set<String> = []

        init(looks: Looks, replies: @escaping () throws -> [[[FieldValue]]], sent: PendingCreates) {
            self.looks = looks
            self.replies = replies
            self.sent = sent
        }

        /// Notes `update`, and gives it to the row sent since that it is of.
        mutating func note(_ update: RecordChange) {
            if !sent.merge(update), sent.mayHold(update.key, in: update.table) {
                sent.discard(update.table)
                unseenTables.insert(update.table)
            }
            updates.append(update)
        }

        /// Waits for the answers, keeping them: the writes before them have then answered.
        mutating func settle() throws {
            let answered = Result { try replies() }
            replies = { try answered.get() }
            _ = try answered.get()
        }
    }

    /// The statement of `manyTiersAndAccountsSQL` for `pairs`.
    private static func tiersAndAccountsLook(_ pairs: [TiersPair]) -> (sql: String, values: [FieldValue]) {
        (
            manyTiersAndAccountsSQL,
            [.text(arrayLiteral(pairs.map(\.code))), .text(arrayLiteral(pairs.map(\.number)))]
        )
    }

    /// What the database holds of each pair's tiers, account and other holder of the number,
    /// from the rows of `manyTiersAndAccountsSQL`.
    private static func tiersAndAccounts(_ rows: [[FieldValue]]) -> [TiersPair: TiersAndAccount] {
        var stored: [TiersPair: TiersAndAccount] = [:]
        for row in rows {
            guard let code = row[0].text, let number = row[1].text else { continue }
            stored[TiersPair(code: code, number: number)] = tiersAndAccount(Array(row[2...]))
        }
        return stored
    }

    /// Keys of one table by the same columns, whose existence is asked at once.
    private struct KeyLook: Hashable {
        let table: String
        let columns: [String]
    }

    /// The statement that gives those of `keys` that `look`'s table holds. Each column
    /// compares with its own collation, as a look by one key does. A subquery limited to one
    /// row, not `EXISTS`, which PostgreSQL would make a join hashed over the whole table.
    private func existingKeysLook(_ look: KeyLook, _ keys: Set<[FieldValue]>) -> (sql: String, values: [FieldValue]) {
        let keys = Array(keys)
        let types = look.columns.map { schema.arrayType(of: $0, in: look.table) }
        let shape = StatementShape(action: .existingKeys, table: look.table, parts: [look.columns], columns: types)
        let sql = sql(shape) {
            let names = look.columns.indices.map { "k\($0)" }
            let arrays = Self.arrayParameters(types)
            let matches = zip(look.columns, names).map { "t.\(Self.quoted($0)) = q.\($1)" }
            return """
                SELECT q.* FROM unnest(\(arrays)) AS q(\(names.joined(separator: ", ")))
                WHERE (SELECT true FROM \(Self.quoted(look.table)) t WHERE \(matches.joined(separator: " AND ")) LIMIT 1)
                """
        }
        return (sql, Self.arrays(of: keys, columns: look.columns.count))
    }

    /// `$1::text[], $2::bigint[]…`: the array parameters of `unnest`, one per column, of `types`.
    private static func arrayParameters(_ types: [String]) -> String {
        types.enumerated().map { "$\($0 + 1)::\($1)" }.joined(separator: ", ")
    }

    /// The values of `rows`, one array parameter per column.
    private static func arrays(of rows: [[FieldValue]], columns: Int) -> [FieldValue] {
        (0..<columns).map { column in array(rows.map { $0[column] }) }
    }

    /// `values` as one array parameter, NULL for NULL.
    private static func array(_ values: [FieldValue]) -> FieldValue {
        .text(
            arrayLiteral(
                values.map { value in
                    switch value {
                    case .null: nil
                    case .text(let text): text
                    case .integer(let integer): String(integer)
                    }
                }))
    }

    /// An array as PostgreSQL reads it: each element quoted, `"` and `\` escaped; nil is NULL.
    static func arrayLiteral(_ elements: [String?]) -> String {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        for (index, element) in elements.enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            guard let element else {
                literal.append(contentsOf: "NULL".utf8)
                continue
            }
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

    /// Sends every pending row and update.
    private func sendPending() {
        sendUpdates()
        send(pendingOf: pending.tablesWithRows)
    }

    /// What a statement does, on which table, with which columns: what its SQL follows from.
    private struct StatementShape: Hashable {
        enum Action: Hashable {
            case create, update, updates, exists, existingKeys, row, firstRow, rows, firstValue
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
        try read([(sql, values)])[0]
    }

    /// The rows each statement gives, all sent before the first answer is waited for.
    private func read(_ statements: [(sql: String, values: [FieldValue])]) throws -> [[[FieldValue]]] {
        try ask(statements)()
    }

    /// Sends `statements`, and gives what waits for the rows of each, and for the writes sent
    /// before them.
    private func ask(_ statements: [(sql: String, values: [FieldValue])]) -> () throws -> [[[FieldValue]]] {
        sendUpdates()
        let replies = statements.map { queue.query($0.sql, $0.values) }
        let writes = unsettled
        unsettled = []
        let connection = queue.connection
        return {
            let rows = Result { try replies.map { try $0.wait(on: connection).rows.map { $0.values() } } }
            try Self.wait(for: writes, on: connection)
            return try rows.get()
        }
    }

    /// Sends a statement whose answer holds nothing to read, after the updates waiting.
    private func send(_ sql: String, _ values: [FieldValue]) {
        sendUpdates()
        enqueue(sql, values)
    }

    private func enqueue(_ sql: String, _ values: [FieldValue]) {
        unsettled.append(queue.query(sql, values).map { _ in })
    }

    /// Sends the pending rows, waits for the writes sent so far, and throws the first one's
    /// failure. The writes are waited for even when a read ahead failed: a `ROLLBACK` sent
    /// while some still wait their turn would end the transaction before them.
    func settle() throws {
        answers.forgetAll()
        sendPending()
        let readsAnswered = Result { try readsAhead?.settle() }
        try waitForWrites()
        try readsAnswered.get()
        inFlight.discardAll()
    }

    /// Ends the transaction with `ROLLBACK`, given behind every statement sent so far: none of
    /// them can reach the database after it, outside any transaction, and be kept.
    func rollBack() {
        _ = try? queue.query("ROLLBACK", []).wait(on: queue.connection)
    }

    /// Ends the transaction: sends the pending rows, then `COMMIT` (or `ROLLBACK`) right behind
    /// them, and waits for all. A write's failure is thrown; the database then made the
    /// `COMMIT` a rollback, as it does after any failed statement. Gives whether it committed.
    func end(committing: Bool) throws -> Bool {
        sendPending()
        let ended = queue.query(committing ? "COMMIT" : "ROLLBACK", [])
        try settle()
        return try ended.wait(on: queue.connection).metadata.command == "COMMIT"
    }

    /// Waits for the writes sent so far, and throws the first one's failure.
    private func waitForWrites() throws {
        let writes = unsettled
        unsettled = []
        try Self.wait(for: writes, on: queue.connection)
    }

    private static func wait(for writes: [EventLoopFuture<Void>], on connection: PostgresConnection) throws {
        var failure: (any Error)?
        for write in writes {
            do {
                _ = try write.wait(on: connection)
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
            return try tiersAndAccount(code: code, accountNumber: number)
        }
        let pendingTiers = tiersRows.lazy.compactMap { $0! }.first
        let pendingAccount = accountRows.lazy.compactMap { $0! }.first
        let pendingHolders = holders.flatMap { $0! }
        let pair = TiersPair(code: code, number: number)
        let look = Self.tiersAndAccountsLook([pair])
        let stored =
            try answers.tiersAndAccount(code: code, number: number)
            ?? Self.tiersAndAccounts(read(look.sql, look.values))[pair]
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
        case .some(.none) where !schema.ignoresCase(of: key, in: table): break
        default: send(pendingOf: table)
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
        case .some where !schema.ignoresCase(of: key, in: table):
            // What the database held when the chunk's reads were made, and the rows sent since.
            if let existed = answers.existed(in: table, key: key), let sent = inFlight.rows(in: table, matching: key) {
                return existed || !sent.isEmpty
            }
        default: send(pendingOf: table)
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

    func firstValue(
        of column: String, in table: String, matching: LineValues, from lowest: String, through highest: String
    ) throws -> String? {
        guard tables.contains(table) else { return nil }
        if !pending.isEmpty(table) { send(pendingOf: table) }
        let range = LineValues([(column, .text(lowest)), (column, .text(highest))])
        let shape = StatementShape(
            action: .firstValue, table: table, parts: [matching.fields.map(\.name), [column, column]])
        let sql = sql(shape) {
            let name = Self.quoted(column)
            let first = matching.fields.count + 1
            return """
                SELECT \(name) FROM \(Self.quoted(table))
                WHERE \(Self.condition(matching, from: 1)) AND \(name) >= $\(first) AND \(name) <= $\(first + 1)
                AND length(\(name)) = length($\(first)) ORDER BY \(name) LIMIT 1
                """
        }
        return try rows(sql, [matching, range]).first?.first?.text
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
        if change.table == "PREFERENCES" { preferencesAsked = nil }
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
            // Sent on its own, the row is not among those sent since the answers were read.
            answers.forget(table: change.table)
            readsAhead?.unseenTables.insert(change.table)
        case .update:
            if pending.merge(change) { return }
            // An update by other columns than the pending rows' key may be of one of them.
            if pending.mayHold(change.key, in: change.table) { send(pendingOf: change.table) }
            // A row sent since the answers were read is looked at before them: it shows the
            // update too, or is no longer looked at.
            if !inFlight.merge(change), inFlight.mayHold(change.key, in: change.table) {
                inFlight.discard(change.table)
                answers.forget(table: change.table)
            }
            answers.forget(changedBy: change)
            readsAhead?.note(change)
            updates.add(change)
            if updates.count >= Self.pendingLimit { sendUpdates() }
            return
        }
        let statement = statement(for: change)
        send(statement.sql, statement.values)
    }

    /// Sends the statement that writes one change, without sending the updates waiting first.
    private func enqueue(_ change: RecordChange) {
        let statement = statement(for: change)
        enqueue(statement.sql, statement.values)
    }

    /// The statement that writes one change.
    private func statement(for change: RecordChange) -> (sql: String, values: [FieldValue]) {
        let parts = change.kind == .create ? [change.key, change.values] : [change.values, change.key]
        let shape = StatementShape(
            action: change.kind == .create ? .create : .update, table: change.table,
            parts: parts.map { $0.fields.map(\.name) })
        let sql = sql(shape) {
            let table = Self.quoted(change.table)
            switch change.kind {
            case .create:
                return Self.insertSQL(change, parametersFrom: 1)
            case .update:
                let assignments = change.values.fields.enumerated().map { "\(Self.quoted($1.name)) = $\($0 + 1)" }
                return """
                    UPDATE \(table) SET \(assignments.joined(separator: ", ")) \
                    WHERE \(Self.condition(change.key, from: change.values.fields.count + 1))
                    """
            }
        }
        return (sql, parts.flatMap { $0.fields.map(\.value) })
    }

    /// Sends the updates waiting: one statement for each group of rows, whose values travel as
    /// one array per column.
    private func sendUpdates() {
        guard updates.count > 0 else { return }
        for group in updates.take() {
            guard group.rows.count > 1 else {
                let row = group.rows[0]
                enqueue(
                    RecordChange(
                        table: group.table, kind: .update, key: LineValues(Array(zip(group.keyColumns, row))),
                        values: LineValues(Array(zip(group.columns, row[group.keyColumns.count...])))))
                continue
            }
            let columns = group.keyColumns + group.columns
            let types = columns.map { schema.arrayType(of: $0, in: group.table) }
            let shape = StatementShape(
                action: .updates, table: group.table, parts: [group.keyColumns, group.columns], columns: types)
            let sql = sql(shape) {
                let arrays = Self.arrayParameters(types)
                let names = columns.indices.map { "v\($0)" }
                let assignments = group.columns.enumerated().map {
                    "\(Self.quoted($1)) = v.v\($0 + group.keyColumns.count)"
                }
                let matches = group.keyColumns.enumerated().map { "t.\(Self.quoted($1)) = v.v\($0)" }
                return """
                    UPDATE \(Self.quoted(group.table)) AS t SET \(assignments.joined(separator: ", "))
                    FROM unnest(\(arrays)) AS v(\(names.joined(separator: ", ")))
                    WHERE \(matches.joined(separator: " AND "))
                    """
            }
            enqueue(sql, Self.arrays(of: group.rows, columns: columns.count))
        }
    }

    func preference(_ code: String) throws -> String? {
        if let known = cache.preferences[code] { return known }
        if let asked = preferencesAsked {
            preferencesAsked = nil
            for row in try asked() {
                if let name = row[0].text { cache.preferences[name] = row[1].text }
            }
            return cache.preferences[code] ?? nil
        }
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
