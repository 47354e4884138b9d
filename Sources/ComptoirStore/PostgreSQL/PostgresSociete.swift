import ComptoirCore
import Foundation
import PostgresNIO
import Synchronization

/// One société in a schema of a PostgreSQL database, which any number of Comptoir servers
/// share: its file in the data folder is a `ConnectionFile`. Each request is one transaction;
/// the writes of the servers to one société take turns (a transaction-level advisory lock), as
/// an SQLite société's writer does, so that every rule reads what the previous request left.
public final class PostgresSociete: Societe {
    public let path: String
    let link: PostgresLink
    public let verifiedPasswords = VerifiedPasswords()
    private let openedFile: FileIdentity?
    /// The schema's tables and defaults, read at the first request: only a newer data model
    /// changes them.
    private let facts = Mutex<PostgresSchema.Facts?>(nil)
    private let sessions: PostgresSessions

    /// The société whose connection file is at `path`. Nothing connects before the first
    /// request, which meets a stopped server or a refused login as a `StorageFailure`.
    init(path: String) throws(SocieteError) {
        let connection = try ConnectionFile.read(at: path, societe: SocieteName.societe(ofFile: path))
        self.path = path
        self.link = try PostgresLink(connection: connection, path: path)
        self.openedFile = FileIdentity(path: path, includingChanges: true)
        self.sessions = try PostgresSessions(connection: connection, path: path)
    }

    deinit { link.close() }

    public var isInPlace: Bool { openedFile != nil && FileIdentity(path: path, includingChanges: true) == openedFile }

    public func closeReplaced() -> Bool {
        close()
        return true
    }

    public func close() {
        link.close()
        sessions.close()
    }

    /// Creates the société's schema with its tables, reference rows and first user, in one
    /// transaction, then its connection file at `path`: a failure leaves neither.
    public static func create(
        at path: String, connection: ConnectionFile, user: String, password: String,
        hashCost: UInt8 = Passwords.defaultCost
    ) async throws {
        let name = SocieteName.societe(ofFile: path)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SocieteError.alreadyExists((path as NSString).lastPathComponent)
        }
        let link: PostgresLink
        do {
            link = try PostgresLink(connection: connection, path: path)
        } catch SocieteError.badConnectionFile(_, let reason) {
            // A password variable not set, say: the file is not written yet.
            throw SocieteError.notCreated(name, reason: reason)
        }
        let schema = try PostgresSchema.new(schema: connection.schema)
        let hash = try Passwords.checkedHash(password, cost: hashCost)
        let database = try await link.connect(inSchema: false)
        defer { database.closeSoon() }
        var wrote = false
        do {
            let existing = try await database.rows(
                "SELECT 1 FROM pg_namespace WHERE nspname = $1", [.text(connection.schema)])
            guard existing.isEmpty else {
                throw SocieteError.notCreated(
                    name, reason: "le schéma \(connection.schema) existe déjà dans la base \(connection.database)")
            }
            _ = try await database.rows("BEGIN")
            for statement in schema.statements { _ = try await database.rows(statement) }
            for (table, columns, values) in schema.rows {
                try await insert(values, into: table, columns: columns, on: database)
            }
            try await addUser(
                code: user, name: user, hash: hash, group: UtilisateursGroups.administrators, on: database)
            try connection.write(to: path, societe: name)
            wrote = true
            _ = try await database.rows("COMMIT")
        } catch {
            // Only the file this command wrote: one another command put there meanwhile stays.
            if wrote { try? FileManager.default.removeItem(atPath: path) }
            _ = try? await database.rows("ROLLBACK")
            throw link.failure(error)
        }
    }

    /// Inserts rows, many per statement.
    private static func insert(
        _ rows: [[FieldValue]], into table: String, columns: [String], on connection: PostgresConnection
    ) async throws {
        let names = columns.map(PostgresLink.quoted).joined(separator: ", ")
        let perStatement = max(1, 30_000 / columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var parameter = 0
            let tuples = chunk.map { row in
                "("
                    + row.map { _ in
                        parameter += 1
                        return "$\(parameter)"
                    }.joined(separator: ", ") + ")"
            }
            _ = try await connection.rows(
                "INSERT INTO \(PostgresLink.quoted(table)) (\(names)) VALUES \(tuples.joined(separator: ", "))",
                chunk.flatMap { $0 })
        }
    }

    /// The schema's tables and defaults, read once, after checking that the schema is at this
    /// server's data model.
    func knownTables() async throws -> PostgresSchema.Facts {
        if let known = facts.withLock({ $0 }) { return known }
        let read = try await link.withConnection { connection in
            // A schema that does not exist (a typo in the connection file, a schema dropped) is
            // a société out of reach, as a stopped database is, not an internal error.
            let marked = try await connection.rows(
                "SELECT (to_regclass($1) IS NOT NULL)::int4", [.text(PostgresSchema.versionTable)])
            guard marked.first?.first == .integer(1) else {
                throw StorageFailure(
                    .unreachable, path: path, code: "PostgreSQL",
                    detail:
                        "le schéma \(link.connection.schema) n'existe pas dans la base \(link.connection.database), ou n'est pas celui d'une société Comptoir"
                )
            }
            let version = try await connection.rows(
                "SELECT VERSION FROM \(PostgresSchema.versionTable)"
            ).first?.first?.text
            guard version == Schema.dataModelVersion else {
                throw StorageFailure(
                    .database, path: path, code: "PostgreSQL",
                    detail:
                        "le schéma \(link.connection.schema) est au modèle \(version ?? "inconnu"), ce serveur au modèle \(Schema.dataModelVersion)"
                )
            }
            let tables = Set(
                try await connection.rows(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                ).compactMap { $0.first?.text })
            var defaults: [String: Set<String>] = [:]
            var integers: [String: Set<String>] = [:]
            var caseInsensitive: [String: Set<String>] = [:]
            for row in try await connection.rows(
                """
                SELECT table_name, column_name, (column_default IS NOT NULL OR is_identity = 'YES')::text,
                (data_type = 'bigint')::text, (collation_name = $1)::text
                FROM information_schema.columns WHERE table_schema = current_schema()
                """, [.text(PostgresSchema.noCase)])
            {
                guard let table = row[0].text, let column = row[1].text else { continue }
                if row[2].text == "true" { defaults[table, default: []].insert(column) }
                if row[3].text == "true" { integers[table, default: []].insert(column) }
                if row[4].text == "true" { caseInsensitive[table, default: []].insert(column) }
            }
            return PostgresSchema.Facts(
                tables: tables, columnsWithDefaults: defaults, integerColumns: integers,
                caseInsensitiveColumns: caseInsensitive)
        }
        facts.withLock { $0 = read }
        return read
    }

    /// Runs `work` with a connection of the société, every error of the driver made a
    /// `StorageFailure`.
    func withConnection<T>(_ work: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            // The schema first: one missing is told as such, not as a missing table.
            _ = try await knownTables()
            return try await link.withConnection(work)
        } catch {
            throw link.failure(error)
        }
    }

    /// Runs blocking `work` with a connection of the société, on this thread, which may wait.
    func withConnectionWaiting<T>(_ work: (PostgresConnection) throws -> T) throws -> T {
        let connection = try PostgresLink.waiting { [self] in
            _ = try await knownTables()
            return try await link.take()
        }
        do {
            let result = try work(connection)
            link.giveBack(connection)
            return result
        } catch {
            link.discard(connection)
            throw link.failure(error)
        }
    }

    public func write<T: Sendable>(
        keeping keeps: @escaping @Sendable (T) -> Bool, _ work: @escaping @Sendable (any RecordStore) throws -> T
    ) async throws -> T {
        let known = try await knownTables()
        let schema = link.connection.schema
        let path = path
        let link = link
        return try await withConnection { connection in
            try await Self.onOwnThread {
                // The transaction begins, takes the lock and asks the preferences (the store's
                // first statement) without waiting between them. The work does not wait for the
                // lock either: its statements follow it on the connection, so the database runs
                // them once the lock is granted, and they read what the previous request left,
                // while the lines are read meanwhile, outside the lock.
                let begun = connection.query(PostgresQuery("BEGIN", []), logger: PostgresLink.queryLogger)
                let locked = connection.query(
                    PostgresQuery("SELECT \(Self.writersTurn), txid_current()", [.text(schema)]),
                    logger: PostgresLink.queryLogger)
                let store = PostgresRecordStore(connection: connection, schema: known)
                do {
                    let worked = Result { try work(store) }
                    // On a failure, the rollback below waits for the writes in flight; their
                    // failure, if any, is the cause, unless the transaction did not begin or
                    // take the lock: every later statement failed for that.
                    if case .failure = worked { try? store.settle() }
                    _ = try begun.wait(on: connection)
                    let transaction = try locked.wait(on: connection).rows.first?.values().last?.integer
                    let result = try worked.get()
                    let rollback = !keeps(result)
                    // A commit the database turned into a rollback had a failed statement
                    // before it, whose failure no wait met: none should.
                    let committed: Bool
                    do {
                        committed = try store.end(committing: !rollback)
                    } catch  where !rollback && PostgresLink.isConnectionLoss(error) {
                        // The COMMIT may have been carried out, its answer lost with the
                        // connection: told as failed, the import would be sent again, twice
                        // stored where nothing makes it unique.
                        guard let transaction, try link.outcome(of: transaction) else { throw error }
                        committed = true
                    }
                    guard committed || rollback else {
                        throw StorageFailure(
                            .database, path: path, code: "PostgreSQL",
                            detail: "la transaction a été annulée par la base de données")
                    }
                    return result
                } catch {
                    store.rollBack()
                    throw error
                }
            }
        }
    }

    /// Runs blocking `work` on a thread of its own, off the cooperative pool: the store waits
    /// for each answer of the server.
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    public func sessionRegistry() throws(SessionRefusal) -> any SessionRegistry { sessions }

    // MARK: Users

    public func passwordHash(user code: String) async throws -> String? {
        _ = try await knownTables()
        return try await withConnection { connection in
            try await connection.rows(
                #"SELECT "USR_MDP_HASH" FROM "UTILISATEURS" WHERE "USR_CODE" = $1"#, [.text(code)]
            ).first?.first?.text
        }
    }

    public func user(named code: String) async throws -> (code: String, group: String?)? {
        try await withConnection { connection in
            try await connection.rows(
                #"SELECT "USR_CODE", "USR_GROUPE" FROM "UTILISATEURS" WHERE "USR_CODE" = $1"#, [.text(code)]
            ).first.flatMap { row in row[0].text.map { (code: $0, group: row[1].text) } }
        }
    }

    public func addUser(code: String, name: String, password: String, group: String, hashCost: UInt8) throws {
        let hash = try Passwords.checkedHash(password, cost: hashCost)
        try PostgresLink.waiting { [self] in
            try await inTransaction { connection in
                try await Self.addUser(code: code, name: name, hash: hash, group: group, on: connection)
            }
        }
    }

    private static func addUser(
        code: String, name: String, hash: String, group: String, on connection: PostgresConnection
    ) async throws {
        guard try await !userExists(code, connection) else {
            throw UserError(message: "L'utilisateur \(code) existe déjà")
        }
        _ = try await connection.rows(
            #"INSERT INTO "TABLES" ("TBL_ID", "TBL_CODE", "TBL_LIB") VALUES ($1, $2, $2) ON CONFLICT DO NOTHING"#,
            [.text(CodeLists.groupesUtilisateurs), .text(group.uppercased())])
        _ = try await connection.rows(
            #"""
            INSERT INTO "UTILISATEURS" ("USR_CODE", "USR_NOM", "USR_MDP_HASH", "USR_GROUPE", "USR_DTCREE", "USR_USRCRE")
            VALUES ($1, $2, $3, $4, $5, 'COMPTOIR')
            """#,
            [.text(code), .text(name), .text(hash), .text(group.uppercased()), .text(LocalTime.audit(Date()))])
    }

    private static func userExists(_ code: String, _ connection: PostgresConnection) async throws -> Bool {
        try await !connection.rows(#"SELECT 1 FROM "UTILISATEURS" WHERE "USR_CODE" = $1"#, [.text(code)]).isEmpty
    }

    public func users() throws -> [Utilisateur] {
        try PostgresLink.waiting { [self] in
            try await withConnection { connection in
                try await connection.rows(
                    #"SELECT "USR_CODE", "USR_NOM", "USR_GROUPE", "USR_DTCREE" FROM "UTILISATEURS" ORDER BY "USR_CODE""#
                ).map { row in
                    Utilisateur(
                        code: row[0].text ?? "", name: row[1].text ?? "", group: row[2].text, created: row[3].text ?? ""
                    )
                }
            }
        }
    }

    public func removeUser(code: String) throws {
        try PostgresLink.waiting { [self] in
            try await inTransaction { connection in
                let exists = try await Self.userExists(code, connection)
                let users = try await connection.rows(#"SELECT COUNT(*) FROM "UTILISATEURS""#).first?.first?.integer
                let group = try await connection.rows(
                    #"SELECT "USR_GROUPE" FROM "UTILISATEURS" WHERE "USR_CODE" = $1"#, [.text(code)]
                ).first?.first?.text
                let others = try await connection.rows(
                    #"SELECT COUNT(*) FROM "UTILISATEURS" WHERE "USR_GROUPE" = $1 AND "USR_CODE" <> $2"#,
                    [.text(UtilisateursGroups.administrators), .text(code)]
                ).first?.first?.integer
                if let refusal = UserRemoval.refusal(
                    of: code, exists: exists, users: users ?? 0, group: group, otherAdministrators: others ?? 0)
                {
                    throw refusal
                }
                _ = try await connection.rows(#"DELETE FROM "UTILISATEURS" WHERE "USR_CODE" = $1"#, [.text(code)])
            }
        }
    }

    public func setPassword(user code: String, password: String, hashCost: UInt8) throws {
        let hash = try Passwords.checkedHash(password, cost: hashCost)
        try PostgresLink.waiting { [self] in
            try await inTransaction { connection in
                guard try await Self.userExists(code, connection) else {
                    throw UserError(message: "L'utilisateur \(code) n'existe pas")
                }
                _ = try await connection.rows(
                    #"UPDATE "UTILISATEURS" SET "USR_MDP_HASH" = $1 WHERE "USR_CODE" = $2"#, [.text(hash), .text(code)])
            }
        }
    }

    /// The lock that the writes to a société take in turn, whichever server makes them, for the
    /// rest of their transaction: `$1` is the société's schema.
    private static let writersTurn = "pg_advisory_xact_lock(hashtext($1))"

    /// Runs `work` in a transaction of its own, rolled back when it throws. It takes its turn
    /// with every other write to the société, whichever server makes it, as an import does:
    /// the checks of two commands never both pass on what the other is changing (two removals
    /// of the last two administrators).
    private func inTransaction(_ work: (PostgresConnection) async throws -> Void) async throws {
        let schema = link.connection.schema
        try await withConnection { connection in
            _ = try await connection.rows("BEGIN")
            do {
                _ = try await connection.rows("SELECT \(Self.writersTurn)", [.text(schema)])
                try await work(connection)
                _ = try await connection.rows("COMMIT")
            } catch {
                _ = try? await connection.rows("ROLLBACK")
                throw error
            }
        }
    }
}
