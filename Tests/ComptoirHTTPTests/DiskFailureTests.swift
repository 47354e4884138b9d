import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import HummingbirdTesting
import Testing

/// A société the server cannot write for a reason of the disk or the file: a French answer that
/// names the cause and the société (507 for space, 503 otherwise), the real SQLite code and the
/// path in the log, the société intact, and the next request served once the cause is gone.
@Suite struct DiskFailureTests {
    static let header = "PCF_CODE;CPT_NUMERO;PCF_RS"

    static func clients(_ prefix: String, _ count: Int) -> [String] {
        [header] + (0..<count).map { "\(prefix)\($0);411\(prefix)\($0);Client \($0) dont le nom prend de la place" }
    }

    @Test(.enabled(if: SmallFileSystem.isAvailable, "no file system can be mounted here"))
    func aFullDiskGets507AndTheNextRequestWorks() async throws {
        let fileSystem = try #require(SmallFileSystem(kibibytes: 2048))
        let server = try TestServer(on: fileSystem)
        let log = LogRecorder()
        try await server.run(log: log) { client in
            let (status, answer) = try await client.importer(.clients, Self.clients("A", 30_000))
            #expect(status.code == 507)
            #expect(answer == Answer.error("Espace disque insuffisant pour écrire dans la société DEMO"))
            let (nextStatus, next) = try await client.importer(.clients, Self.clients("B", 1))
            #expect(nextStatus == .ok)
            #expect(next.statistics == statistics(imported: 1, rejected: 0))
        }
        #expect(log.text.contains("SQLite 13"), "\(log.text)")
        #expect(log.text.contains(server.demoPath), "\(log.text)")
        #expect(try server.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try server.count("SELECT count(*) FROM TIERS") == 1)
    }

    @Test(.enabled(if: SmallFileSystem.isAvailable, "no file system can be mounted here"))
    func aReadOnlySocieteGets503AndTheNextRequestWorksOnceWritable() async throws {
        let fileSystem = try #require(SmallFileSystem(kibibytes: 4096))
        let server = try TestServer(on: fileSystem)
        #expect(fileSystem.setReadOnly(true))
        let log = LogRecorder()
        try await server.run(log: log) { client in
            let (status, answer) = try await client.importer(.clients, Self.clients("A", 1))
            #expect(status == .serviceUnavailable)
            #expect(answer == Answer.error("La société DEMO est en lecture seule : rien n'a pu y être écrit"))
            #expect(fileSystem.setReadOnly(false))
            let (nextStatus, next) = try await client.importer(.clients, Self.clients("B", 1))
            #expect(nextStatus == .ok)
            #expect(next.statistics == statistics(imported: 1, rejected: 0))
        }
        #expect(log.text.contains(server.demoPath), "\(log.text)")
        #expect(try server.count("SELECT count(*) FROM TIERS") == 1)
    }

    @Test(.enabled(if: SmallFileSystem.isAvailable, "no file system can be mounted here"))
    func aFullTemporaryFolderGets507ForTheJournalAndKeepsNothing() async throws {
        let spillFolder = try #require(SmallFileSystem(kibibytes: 256))
        let server = try TestServer()
        // Every line warned: over a mebibyte of journal, which the 256 Kio folder cannot hold.
        let lines = [Self.header + ";PCF_SIREN"] + (0..<20_000).map { "W\($0);411W\($0);Client \($0);123456789" }
        let log = LogRecorder()
        try await server.run(spillFolder: spillFolder.path, log: log) { client in
            let (status, answer) = try await client.importer(.clients, lines)
            #expect(status.code == 507)
            #expect(
                answer
                    == Answer.error(
                        "Espace disque insuffisant pour le journal de la requête (dossier temporaire \(spillFolder.path))"
                    ))
            // Without a journal there is nothing to keep aside: the same lines go in.
            let (plainStatus, plain) = try await client.importer(
                .clients, lines, parametres: [("journal", "Non"), ("statistiques", "Oui"), ("entete", "Oui")])
            #expect(plainStatus == .ok)
            #expect(plain.statistics == statistics(imported: 20_000, rejected: 0))
        }
        #expect(log.text.contains(spillFolder.path), "\(log.text)")
        #expect(try server.count("SELECT count(*) FROM TIERS") == 20_000)
    }
}
