import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// The stamp the import tests write with.
let demoStamp = AuditStamp(user: "DEMO", time: "2026-01-02 03:04:05")

/// A new société (`TEST` by default) in `folder` with the user `DEMO` (empty password), opened.
func makeSociete(in folder: String, name: String = "TEST") throws -> SQLiteSociete {
    try SQLiteSociete.open(at: SocieteFolder(path: folder).create(name: name, user: "DEMO", password: "", hashCost: 4))
}

/// Imports `lines` as tiers of `type` into `societe` with the real rules, in one `Societe.write`.
@discardableResult
func importTiers(
    _ type: TiersType = .client,
    into societe: any Societe,
    nomsChamps: String,
    lines: [String],
    rollback: Bool = false,
    stamp: AuditStamp = demoStamp
) async throws -> ImportReport {
    let domaine: Domaine =
        switch type {
        case .client: .clients
        case .fournisseur: .fournisseurs
        case .prospect: .prospects
        }
    return try await importLines(
        domaine, into: societe, nomsChamps: nomsChamps, lines: lines, rollback: rollback, stamp: stamp)
}

/// Makes a société file at `path` as a server of an older data model left it: only the
/// migrations up to `migration`, a user `DEMO` with an empty password, then `setup` run on it.
func makeSociete(at path: String, upTo migration: String, _ setup: (Database) throws -> Void) throws {
    let queue = try DatabaseQueue(path: path, configuration: .patient)
    try Schema.migrator.migrate(queue, upTo: migration)
    try queue.write { db in
        try db.execute(
            sql: "INSERT INTO UTILISATEURS (USR_CODE, USR_NOM, USR_MDP_HASH, USR_DTCREE) VALUES (?, ?, ?, ?)",
            arguments: ["DEMO", "DEMO", Passwords.hash("", cost: 4), "2025-01-01 00:00:00"]
        )
        try setup(db)
    }
    try queue.close()
}

/// The SQL that defines `name` (a table or an index), as SQLite keeps it.
func definition(_ path: String, of name: String) throws -> String? {
    try openFile(path).read { db in
        try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [name])
    }
}

/// A separate connection to a société file, to read what was really committed.
func openFile(_ path: String) throws -> DatabaseQueue {
    try DatabaseQueue(path: path, configuration: .patient)
}

/// One row of `table` whose `keyColumn` is `key`, read through a separate connection.
func fetchRow(_ path: String, table: String, keyColumn: String, key: String) throws -> Row? {
    try openFile(path).read { db in
        try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE \(keyColumn) = ?", arguments: [key])
    }
}

/// The number of rows of `table`, read through a separate connection.
func count(_ path: String, table: String, where condition: String = "1") throws -> Int {
    try openFile(path).read { db in
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)") ?? -1
    }
}

/// The column names of `table`, read through a separate connection.
func columnNames(_ path: String, table: String) throws -> Set<String> {
    try openFile(path).read { db in Set(try db.columns(in: table).map(\.name)) }
}

/// Imports `lines` through `domaine`'s real rules into `societe`, in one `Societe.write`.
@discardableResult
func importLines(
    _ domaine: Domaine,
    into societe: any Societe,
    nomsChamps: String,
    lines: [String],
    rollback: Bool = false,
    calculerCodeTiers: Bool = false,
    calculerNumeroCompte: Bool = false,
    stamp: AuditStamp = demoStamp
) async throws -> ImportReport {
    var draft = importParameters(nomsChamps: nomsChamps, lines: lines, tester: rollback)
    draft.calculerCodeTiers = calculerCodeTiers
    draft.calculerNumeroCompte = calculerNumeroCompte
    let parametres = draft
    let layout = try FieldLayout(parametres: parametres, catalogue: domaine.catalogue)
    return try await societe.write(rollback: rollback) { store in
        try domaine.run(.test(stamp: stamp, parametres: parametres), layout: layout, store: store)
    }
}

/// The rows of `table` matching `condition`, read through a separate connection.
func fetchRows(_ path: String, table: String, where condition: String = "1", order: String = "1") throws -> [Row] {
    try openFile(path).read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(condition) ORDER BY \(order)")
    }
}

/// The billing columns of the tiers `code` whose value differs from its address 001 (none: they agree).
func billingDisagreements(_ path: String, tiers code: String) throws -> [String] {
    let tiers = try #require(try fetchRow(path, table: "TIERS", keyColumn: "PCF_CODE", key: code))
    let address = try #require(
        try fetchRows(path, table: "ADRESSES", where: "ADR_TBL = 'PCF' AND ADR_CODE = '\(code)' AND ADR_NUMERO = '001'")
            .first
    )
    return BillingAddress.columns.compactMap { column in
        let (left, right) = (tiers[column.tiers] as DatabaseValue, address[column.adresse] as DatabaseValue)
        return left == right ? nil : "\(column.tiers) = \(left), \(column.adresse) = \(right)"
    }
}
