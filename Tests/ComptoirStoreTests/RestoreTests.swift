import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirStore

/// Restores and creations, as the société commands run them on SQLite files.
@Suite("Restore and creation of a société file")
struct RestoreTests {
    static let v6 = "v6 : groupes d'utilisateurs et données de base"

    @Test("an older-model backup is migrated before it replaces an open société, which goes on with it")
    func olderModelOverAnOpenSociete() async throws {
        try await withTemporaryFolder { folder in
            let folderOfSocietes = SocieteFolder(path: folder)
            let societe = try makeSociete(in: folder)
            try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["AVANT;Avant;411AVANT"])
            let backup = (folder as NSString).appendingPathComponent("ancienne.sauvegarde")
            try makeSociete(at: backup, upTo: Self.v6) { db in
                try db.execute(sql: "INSERT INTO ACTIONS (ACT_NUMERO, ACT_TYPE) VALUES ('12', 'APPEL')")
            }

            let path = try folderOfSocietes.restore(backup, as: "TEST", replacing: true, wait: .seconds(5))

            #expect(try count(path, table: "grdb_migrations") == Schema.migrator.migrations.count)
            #expect(try count(path, table: "TIERS") == 0)
            #expect(try count(path, table: "ACTIONS") == 1)
            #expect(
                try fetchRow(path, table: "PREFERENCES", keyColumn: "PRF_CODE", key: "COMPTEUR_ACTIONS")?["PRF_VALEUR"]
                    as String? == "13")
            // The société opened before the restore writes to the restored one.
            try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["APRES;Après;411APRES"])
            #expect(try count(path, table: "TIERS", where: "PCF_CODE = 'APRES'") == 1)
            #expect(try folderOfSocietes.check("TEST").dataModelVersion == Schema.migrator.migrations.count)
            // The backup itself is left as it was.
            #expect(try count(backup, table: "grdb_migrations") < Schema.migrator.migrations.count)
        }
    }

    @Test("a new société, created or restored, never reads a log that a removed société left at its name")
    func staleLogAtTheName() async throws {
        try await withTemporaryFolder { folder in
            let folderOfSocietes = SocieteFolder(path: folder)
            let old = try makeSociete(in: folder, name: "ANCIENNE")
            try await importTiers(into: old, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["VIEUX;Vieux;411VIEUX"])
            let backup = try folderOfSocietes.backup("ANCIENNE", to: folder + "/copie.sauvegarde")
            // The log of a société whose file was removed before its log was copied into it.
            let writer = try DatabaseQueue(path: old.path)
            try await writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                try db.execute(sql: "DELETE FROM TIERS")
                try db.execute(sql: "CREATE TABLE RESTE (X)")
            }
            let log = try Data(contentsOf: URL(fileURLWithPath: old.path + "-wal"))
            try #require(log.count > 0)
            try writer.close()

            for name in ["NEUVE", "RESTAUREE"] {
                let path = (folder as NSString).appendingPathComponent("\(name).Gestimum")
                try log.write(to: URL(fileURLWithPath: path + "-wal"))
                if name == "NEUVE" {
                    try folderOfSocietes.create(name: name, user: "DEMO", password: "", hashCost: 4)
                } else {
                    _ = try folderOfSocietes.restore(backup, as: name, replacing: false, wait: .zero)
                }
                #expect(try definition(path, of: "RESTE") == nil, "\(name)")
                #expect(try count(path, table: "TIERS") == (name == "NEUVE" ? 0 : 1), "\(name)")
                #expect(try folderOfSocietes.check(name).name == name)
            }
        }
    }

    @Test("a backup that cannot be read is said of the backup, and the société is left as it was")
    func unreadableBackup() async throws {
        try await withTemporaryFolder { folder in
            let folderOfSocietes = SocieteFolder(path: folder)
            let societe = try makeSociete(in: folder)
            try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["GARDE;Gardé;411GARDE"])
            // A folder given for the backup: the system opens it, SQLite cannot read it.
            let backup = (folder as NSString).appendingPathComponent("sauvegardes")
            try FileManager.default.createDirectory(atPath: backup, withIntermediateDirectories: true)

            #expect {
                try folderOfSocietes.restore(backup, as: "TEST", replacing: true, wait: .seconds(1))
            } throws: { error in
                guard let refusal = error as? RestoreRefusal, case .unreadableBackup(let path, _) = refusal else {
                    return false
                }
                return path == backup
                    && refusal.message.hasPrefix("La sauvegarde \(backup) ne peut pas être lue (")
                    && refusal.message.hasSuffix(") : rien n'a été restauré")
            }
            #expect(try count(societe.path, table: "TIERS", where: "PCF_CODE = 'GARDE'") == 1)
        }
    }
}
