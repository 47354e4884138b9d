import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// The SQLite record store's methods for the rest of the tiers family, through `Societe.write`.
@Suite("SQLiteRecordStore: preferences, update counts, keys and custom columns")
struct RecordStoreV2Tests {
    private static let contactKey = LineValues([("CCT_CODE", .text("CT1"))])

    private static func addressKey(_ code: String, _ numero: String, table: String = "PCF") -> LineValues {
        LineValues([("ADR_TBL", .text(table)), ("ADR_CODE", .text(code)), ("ADR_NUMERO", .text(numero))])
    }

    @Test("preference reads PREFERENCES, nil for an unknown code, and sees a changed value")
    func preference() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let values = try await societe.write(rollback: true) { store in
                try ["RACINE_CLIENT", "RACINE_FOURNISSEUR", "COLLECTIF_CLIENT", "COLLECTIF_FOURNISSEUR", "AUTRE"].map {
                    try store.preference($0)
                }
            }
            #expect(values == ["411", "401", "411000", "401000", nil])

            try await openFile(societe.path).write { db in
                try db.execute(sql: "UPDATE PREFERENCES SET PRF_VALEUR = '4110' WHERE PRF_CODE = 'RACINE_CLIENT'")
                try db.execute(
                    sql: "UPDATE PREFERENCES SET PRF_VALEUR = '411100' WHERE PRF_CODE = 'COLLECTIF_CLIENT'")
            }
            #expect(try await societe.write(rollback: true) { try $0.preference("RACINE_CLIENT") } == "4110")

            // The rules take the root and the collective account from there.
            let report = try await importLines(
                .clients, into: societe, nomsChamps: "PCF_CODE;PCF_RS", lines: ["C1;Un"], calculerNumeroCompte: true)
            #expect(report.importedCount == 1)
            let tiers = try #require(try fetchRow(societe.path, table: "TIERS", keyColumn: "PCF_CODE", key: "C1"))
            #expect(tiers["CPT_NUMERO"] as String? == "4110C1")
            let account = try #require(
                try fetchRow(societe.path, table: "COMPTES", keyColumn: "CPT_NUMERO", key: "4110C1"))
            #expect(account["CPT_COLLEC"] as String? == "411100")
        }
    }

    @Test("updateCount is nil without a row, else the row's count")
    func updateCount() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let none = try await societe.write(rollback: true) { store in
                try store.updateCount(in: "CONTACTS", key: Self.contactKey, countColumn: "CCT_NUMMAJ")
            }
            #expect(none == nil)

            try await importLines(.contacts, into: societe, nomsChamps: "CCT_CODE;CCT_NOM", lines: ["CT1;Un"])
            let counts = try await societe.write(rollback: true) { store in
                [
                    try store.updateCount(in: "CONTACTS", key: Self.contactKey, countColumn: "CCT_NUMMAJ"),
                    try store.updateCount(
                        in: "CONTACTS", key: LineValues([("CCT_CODE", .text("CT2"))]), countColumn: "CCT_NUMMAJ"),
                ]
            }
            #expect(counts == [1, nil])

            try await importLines(
                .contacts, into: societe, nomsChamps: "CCT_CODE;CCT_NOM", lines: ["CT1;Un bis", "CT1;Un ter"])
            let afterTwoUpdates = try await societe.write(rollback: true) { store in
                try store.updateCount(in: "CONTACTS", key: Self.contactKey, countColumn: "CCT_NUMMAJ")
            }
            #expect(afterTwoUpdates == 3)

            try await importTiers(into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["C1;Un;411C1"])
            let tiersCount = try await societe.write(rollback: true) { store in
                try store.updateCount(
                    in: "TIERS", key: LineValues([("PCF_CODE", .text("C1"))]), countColumn: "PCF_NUMMAJ")
            }
            #expect(tiersCount == 1)
        }
    }

    @Test("exists matches every column of a composite key")
    func exists() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["C1;Un;411C1"])
            try await importLines(
                .banquesTiers, into: societe, nomsChamps: "PCF_CODE;RIB_ORDRE;RIB_BQ_NOM", lines: ["C1;01;Banque"])
            let found = try await societe.write(rollback: true) { store in
                [
                    try store.exists(in: "ADRESSES", key: Self.addressKey("C1", "001")),
                    try store.exists(in: "ADRESSES", key: Self.addressKey("C1", "002")),
                    try store.exists(in: "ADRESSES", key: Self.addressKey("C2", "001")),
                    try store.exists(in: "ADRESSES", key: Self.addressKey("C1", "001", table: "ART")),
                    try store.exists(
                        in: "TIERS_RIB", key: LineValues([("PCF_CODE", .text("C1")), ("RIB_ORDRE", .text("01"))])),
                    try store.exists(
                        in: "TIERS_RIB", key: LineValues([("PCF_CODE", .text("C1")), ("RIB_ORDRE", .text("02"))])),
                    try store.exists(in: "CONTACTS", key: Self.contactKey),
                ]
            }
            #expect(found == [true, false, false, false, true, false, false])
        }
    }

    @Test("write with a composite key updates only that row")
    func compositeKeyWrite() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await societe.write(rollback: false) { store in
                for numero in ["001", "002"] {
                    try store.write(
                        RecordChange(
                            table: "ADRESSES", kind: .create, key: Self.addressKey("C1", numero),
                            values: LineValues([("ADR_VILLE", .text("Ville \(numero)")), ("ADR_NPAI", .integer(1))])))
                }
                try store.write(
                    RecordChange(
                        table: "ADRESSES", kind: .update, key: Self.addressKey("C1", "002"),
                        values: LineValues([("ADR_VILLE", .text("Chartres")), ("ADR_NPAI", .null)])))
            }
            let rows = try fetchRows(societe.path, table: "ADRESSES", order: "ADR_NUMERO")
            #expect(rows.map { $0["ADR_VILLE"] as String? } == ["Ville 001", "Chartres"])
            // A cleared checkbox is stored unchecked.
            #expect(rows.map { $0["ADR_NPAI"] as DatabaseValue } == [1.databaseValue, 0.databaseValue])
        }
    }

    @Test("customColumns lists the XXX_ columns of a table, in upper case; addCustomColumns adds each once")
    func customColumns() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let empty = try await societe.write(rollback: true) { store in
                try ["TIERS", "CONTACTS", "ADRESSES"].map { try store.customColumns(of: $0) }
            }
            #expect(empty == [[], [], []])

            let added = try await societe.write(rollback: false) { store in
                try store.addCustomColumns(["XXX_HORAIRES", "XXX_DIGICODE"], to: "ADRESSES")
                try store.addCustomColumns(["XXX_DIGICODE", "XXX_ETAGE"], to: "ADRESSES")
                try store.addCustomColumns([], to: "ADRESSES")
                return try store.customColumns(of: "ADRESSES")
            }
            #expect(added == ["XXX_HORAIRES", "XXX_DIGICODE", "XXX_ETAGE"])
            let columns = try columnNames(societe.path, table: "ADRESSES")
            #expect(columns.isSuperset(of: ["XXX_HORAIRES", "XXX_DIGICODE", "XXX_ETAGE"]))
            #expect(columns.count == Catalogue.adressesTiers.fields.count + 1 + 3)

            // Another table's custom columns are its own; a lower-case column is seen in upper case.
            try await openFile(societe.path).write { db in
                try db.execute(sql: "ALTER TABLE CONTACTS ADD COLUMN xxx_note TEXT")
            }
            let others = try await societe.write(rollback: true) { store in
                [try store.customColumns(of: "CONTACTS"), try store.customColumns(of: "TIERS")]
            }
            #expect(others == [["XXX_NOTE"], []])
        }
    }

    @Test("a custom column added in a rolled-back write is not believed to exist afterwards")
    func customColumnRolledBack() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let rolledBack = try await societe.write(rollback: true) { store in
                try store.addCustomColumns(["XXX_COULEUR"], to: "TIERS")
                return try store.customColumns(of: "TIERS")
            }
            #expect(rolledBack == ["XXX_COULEUR"])
            #expect(!(try columnNames(societe.path, table: "TIERS").contains("XXX_COULEUR")))
            let afterRollback = try await societe.write(rollback: true) { try $0.customColumns(of: "TIERS") }
            #expect(afterRollback == [])
        }
    }

    @Test("an address import with a custom field works after a rolled-back one with the same field")
    func addressCustomFieldAfterRollback() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["C1;Un;411C1"])
            let fields = "ADR_CODE;ADR_NUMERO;ADR_VILLE;XXX_HORAIRES"
            let test = try await importLines(
                .adressesTiers, into: societe, nomsChamps: fields, lines: ["C1;002;Chartres;8h-12h"], rollback: true)
            #expect(test.importedCount == 1)
            #expect(!(try columnNames(societe.path, table: "ADRESSES").contains("XXX_HORAIRES")))

            let real = try await importLines(
                .adressesTiers, into: societe, nomsChamps: fields, lines: ["C1;002;Chartres;8h-12h"])
            #expect(real.importedCount == 1)
            let address = try fetchRows(societe.path, table: "ADRESSES", where: "ADR_NUMERO = '002'").first
            #expect(address?["XXX_HORAIRES"] as String? == "8h-12h")
        }
    }

    @Test("texts are stored as given: empty, accented, and longer than the bound texts' memory")
    func boundTexts() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            // Two long texts: the first fills most of the memory, the second no longer fits.
            let memo = String(repeating: "Mémo é ", count: 7_000)
            let message = String(repeating: "x", count: BoundTexts.capacity)
            let values: [(name: String, value: FieldValue)] = [
                ("PCF_TYPE", .text("C")), ("PCF_RS", .text("")), ("PCF_VILLE", .text("Noël-sur-Mer")),
                ("PCF_MEMO", .text(memo)), ("PCF_MESSAG", .text(message)), ("PCF_RUE", .text("1 rue Haute")),
            ]
            try await societe.write(rollback: false) { store in
                try store.write(
                    RecordChange(
                        table: "TIERS", kind: .create, key: LineValues([("PCF_CODE", .text("C1"))]),
                        values: LineValues(values)))
            }
            let row = try #require(try fetchRow(societe.path, table: "TIERS", keyColumn: "PCF_CODE", key: "C1"))
            for (name, value) in values {
                #expect(row[name] as String? == value.text, "\(name)")
            }
        }
    }
}
