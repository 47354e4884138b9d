import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// A société that cannot be written for a reason outside the server: the request that met it
/// fails with a `StorageFailure` naming the cause and the société, nothing of it is kept, the
/// société stays intact, and the next request works once the cause is gone.
@Suite struct StorageFailureTests {
    private static let header = "PCF_CODE;CPT_NUMERO;PCF_RS"

    private static func lines(_ prefix: String, _ count: Int) -> [String] {
        (0..<count).map { "\(prefix)\($0);411\(prefix)\($0);Client \($0) dont le nom prend de la place" }
    }

    private func integrityCheck(_ societe: SQLiteSociete) async throws -> String? {
        try await societe.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
    }

    private func clientCount(_ societe: SQLiteSociete) async throws -> Int? {
        try await societe.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM TIERS") }
    }

    /// A file system cannot be filled here without privileges: the société's writer is capped
    /// with `PRAGMA max_page_count`, which fails writes as a full disk does.
    @Test func aFullSocieteFailsTheImportAloneAndStaysIntact() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: Self.header, lines: Self.lines("A", 1))
            let pages = try await societe.pool.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                try db.execute(sql: "PRAGMA max_page_count = \(pages + 8)")
                return pages
            }
            let error = await #expect(throws: StorageFailure.self) {
                try await importTiers(into: societe, nomsChamps: Self.header, lines: Self.lines("B", 5_000))
            }
            #expect(error?.cause == .noSpace)
            #expect(error?.message == "Espace disque insuffisant pour écrire dans la société TEST")
            #expect(error?.code == "SQLite 13")
            #expect(error?.path == societe.path)
            #expect(try await integrityCheck(societe) == "ok")
            #expect(try await clientCount(societe) == 1)

            // Room again: the same import goes through.
            try await societe.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA max_page_count = \(pages * 1000)")
            }
            let report = try await importTiers(into: societe, nomsChamps: Self.header, lines: Self.lines("B", 5_000))
            #expect(report.importedCount == 5_000)
            #expect(try await clientCount(societe) == 5_001)
        }
    }

    @Test func aFileReplacedWhileOpenFailsTheWriteAndIsOpenedAnew() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "TEST", user: "DEMO", password: "", hashCost: 4)
            try societes.create(name: "AUTRE", user: "DEMO", password: "", hashCost: 4)
            let opened = try societes.sqliteSociete(named: "TEST")
            // One commit past the log's threshold starts a background checkpoint, on a
            // connection of its own.
            try await importTiers(into: opened, nomsChamps: Self.header, lines: Self.lines("A", 60_000))
            try await Task.sleep(for: .seconds(1))

            // A restore puts another file in its place.
            #expect(rename(folder + "/AUTRE.Gestimum", folder + "/TEST.Gestimum") == 0)
            #expect(!opened.isInPlace)
            let error = await #expect(throws: StorageFailure.self) {
                try await importTiers(into: opened, nomsChamps: Self.header, lines: Self.lines("B", 1))
            }
            #expect(error?.cause == .fileReplaced)
            #expect(error?.message.contains("société TEST") == true)

            let reopened = try societes.sqliteSociete(named: "TEST")
            #expect(reopened !== opened)
            // No connection is left on the old file: the last to close there would remove the
            // log and its index by their path, the new file's (Linux names it "(deleted)").
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            let held = descriptors.compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")
            }
            #expect(!held.contains { $0.hasPrefix(folder) && $0.hasSuffix("(deleted)") }, "\(held)")
            // The old file's last commit, still in the log it left, is not read as the new file's.
            #expect(try await clientCount(reopened) == 0)
            #expect(try await integrityCheck(reopened) == "ok")
            try await importTiers(into: reopened, nomsChamps: Self.header, lines: Self.lines("B", 1))
            #expect(try await clientCount(reopened) == 1)
        }
    }

    @Test func aFileDeletedWhileOpenFailsTheWriteAndIsNoLongerFound() async throws {
        try await withTemporaryFolder { folder in
            let societes = SocieteFolder(path: folder)
            try societes.create(name: "TEST", user: "DEMO", password: "", hashCost: 4)
            let opened = try societes.sqliteSociete(named: "TEST")
            try await importTiers(into: opened, nomsChamps: Self.header, lines: Self.lines("A", 1))
            try FileManager.default.removeItem(atPath: folder + "/TEST.Gestimum")
            let error = await #expect(throws: StorageFailure.self) {
                try await importTiers(into: opened, nomsChamps: Self.header, lines: Self.lines("B", 1))
            }
            #expect(error?.cause == .fileReplaced)
            #expect(throws: SocieteError.notFound("TEST.Gestimum")) { try societes.sqliteSociete(named: "TEST") }
        }
    }

    @Test(
        "a full disk is the temporary folder's when that folder is on another disk, with less room than the société's",
        .enabled(if: SmallFileSystem.isAvailable, "no file system can be mounted here"))
    func aFullTemporaryFolderIsTold() throws {
        let societeDisk = try #require(SmallFileSystem(kibibytes: 4096))
        let temporaryDisk = try #require(SmallFileSystem(kibibytes: 64))
        let full = DatabaseError(resultCode: .SQLITE_FULL)
        let path = societeDisk.path + "/DEMO.Gestimum"
        let failure = StorageFailure(full, path: path, temporaryFolder: temporaryDisk.path)
        #expect(failure?.cause == .noTemporarySpace(folder: temporaryDisk.path))
        #expect(failure?.isNoSpace == true)
        #expect(
            failure?.message
                == "Espace disque insuffisant dans le dossier temporaire \(temporaryDisk.path) : rien n'a été écrit dans la société DEMO"
        )
        // The same disk, or a temporary disk with more room: the société's disk is the full one.
        #expect(StorageFailure(full, path: path, temporaryFolder: societeDisk.path)?.cause == .noSpace)
        let largerDisk = try #require(SmallFileSystem(kibibytes: 8192))
        #expect(StorageFailure(full, path: path, temporaryFolder: largerDisk.path)?.cause == .noSpace)
    }

    @Test func sqliteErrorsAreClassified() throws {
        func cause(_ code: ResultCode) -> StorageFailure.Cause? {
            StorageFailure(DatabaseError(resultCode: code), path: "/d/DEMO.Gestimum")?.cause
        }
        #expect(cause(.SQLITE_FULL) == .noSpace)
        #expect(cause(.SQLITE_READONLY) == .readOnly)
        #expect(cause(.SQLITE_READONLY_DBMOVED) == .fileReplaced)
        #expect(cause(.SQLITE_IOERR_FSYNC) == .inputOutput)
        // Another process held the file past the wait: the request is refused, not an internal error.
        #expect(cause(.SQLITE_BUSY) == .busy)
        #expect(cause(.SQLITE_BUSY_SNAPSHOT) == .busy)
        #expect(
            StorageFailure(DatabaseError(resultCode: .SQLITE_BUSY), path: "/d/DEMO.Gestimum")?.message
                == "La société DEMO est restée occupée par un autre programme (une tâche, un autre serveur) : "
                + "rien n'y a été écrit, réessayez plus tard")
        // A file that cannot be opened for want of the right to write is read-only.
        #expect(cause(.SQLITE_CANTOPEN) == .readOnly)
        let folder = try TemporaryFolder()
        let writable = folder.path + "/DEMO.Gestimum"
        #expect(FileManager.default.createFile(atPath: writable, contents: nil))
        #expect(StorageFailure(DatabaseError(resultCode: .SQLITE_CANTOPEN), path: writable)?.cause == .cannotOpen)
        #expect(cause(.SQLITE_CORRUPT) == .damaged)
        #expect(
            StorageFailure(DatabaseError(resultCode: .SQLITE_CORRUPT), path: "/d/DEMO.Gestimum")?.message
                == "Le fichier de la société DEMO est endommagé : rien n'y a été écrit ; "
                + "vérifiez-le (comptoir societe verifier DEMO) et restaurez sa dernière sauvegarde")
        #expect(cause(.SQLITE_CONSTRAINT) == nil)
        #expect(StorageFailure(CocoaError(.fileNoSuchFile), path: "/d/DEMO.Gestimum") == nil)
        let failure = StorageFailure(DatabaseError(resultCode: .SQLITE_IOERR_WRITE), path: "/d/DEMO.Gestimum")
        #expect(failure?.message == "Erreur d'entrée-sortie sur le fichier de la société DEMO : rien n'y a été écrit")
        #expect(failure?.logDescription.hasPrefix("/d/DEMO.Gestimum : SQLite 778") == true)
    }
}
