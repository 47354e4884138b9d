import ComptoirStore
import ComptoirTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite(
    "A crash loses nothing acknowledged and leaves nothing half-written",
    .serialized,
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct CrashTests {
    /// Each acknowledged import must have synced the société's write-ahead log before its answer
    /// came: watched with `strace` on the live server (`.ci/run` installs it).
    @Test(
        "every acknowledged import is synced to disk: at least one fsync or fdatasync of the WAL before its answer",
        .enabled(if: straceExecutable != nil, "strace is not installed (apt-get install strace)"))
    func everyAcknowledgedImportIsSynced() async throws {
        let executable = try #require(comptoirExecutable)
        let strace = try #require(straceExecutable)
        try await withTemporaryFolder { folder in
            let (server, file) = try await startServer(executable, societe: "SYNC", options: [], folder: folder)
            defer { server.killIfRunning() }
            await openWithOneImport(port: server.port, societe: "SYNC")

            let trace = (folder as NSString).appendingPathComponent("syncs.txt")
            let tracer = try SyscallTrace.attach(strace, to: server.process.processIdentifier, output: trace)
            defer { tracer.stop() }
            let wal = file + "-wal"
            var seen = 0
            for index in 1...5 {
                let answer = await liveExchange(
                    port: server.port,
                    LiveRequest.importClients(
                        societe: "SYNC", user: "U", password: "pw", lines: LiveRequest.lines("B", index..<index + 1)))
                #expect(answer.status == 200, "\(answer.text)")
                #expect(LiveRequest.answer(answer.body, imported: 1), "\(answer.body)")
                // strace writes a call's line before the call returns to the server.
                let syncs = SyscallTrace.syncs(of: wal, in: trace)
                #expect(syncs > seen, "import \(index) was acknowledged without a sync of \(wal):\n\(tracer.text)")
                seen = syncs
            }
        }
    }

    @Test(
        "SIGKILL in the middle of a large import: after a restart the société is sound, holds every acknowledged line and none of the killed request's"
    )
    func sigkillDuringALargeImport() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("societes")
            let created = try await runComptoir(
                executable,
                ["societe", "creer", "CRASH", "--utilisateur", "U", "--mot-passe", "pw", "--dossier", data],
                directory: folder)
            try #require(created.status == 0, "societe creer: \(created.standardError)")
            let file = (data as NSString).appendingPathComponent("CRASH.Gestimum")

            let server = try await LiveComptoir.start(executable, folder: folder, arguments: ["--dossier", data])
            defer { server.killIfRunning() }

            // Earlier requests, each acknowledged.
            for batch in 0..<3 {
                let answer = await liveExchange(
                    port: server.port,
                    LiveRequest.importClients(
                        societe: "CRASH", user: "U", password: "pw",
                        lines: LiveRequest.lines("E", batch * 5..<batch * 5 + 5)))
                #expect(answer.status == 200, "\(answer.text)")
                #expect(LiveRequest.answer(answer.body, imported: 5), "\(answer.body)")
            }

            // The large import, killed while its transaction is being written.
            let wal = file + "-wal"
            let walBefore = liveFileSize(wal)
            let large = LiveRequest.importClients(
                societe: "CRASH", user: "U", password: "pw", lines: LiveRequest.lines("K", 0..<40_000))
            let port = server.port
            let killed = Task { await liveExchange(port: port, large, timeout: 300) }
            let deadline = Date().addingTimeInterval(120)
            while liveFileSize(wal) < walBefore + 1 << 20, Date() < deadline, server.process.isRunning {
                try await Task.sleep(for: .milliseconds(20))
            }
            let grown = liveFileSize(wal) - walBefore
            server.signal(SIGKILL)
            server.process.waitUntilExit()
            #expect(server.process.terminationReason == .uncaughtSignal)
            let answer = await killed.value
            #expect(grown >= 1 << 20, "the import was not seen writing before the kill (WAL grew by \(grown) bytes)")
            #expect(answer.status == nil, "the killed request was answered: \(answer.text.prefix(500))")

            // Restarted on the same folder, the server opens the société and imports again.
            let restarted = try await LiveComptoir.start(executable, folder: folder, arguments: ["--dossier", data])
            defer { restarted.killIfRunning() }
            let after = await liveExchange(
                port: restarted.port,
                LiveRequest.importClients(
                    societe: "CRASH", user: "U", password: "pw", lines: LiveRequest.lines("N", 0..<3)))
            #expect(after.status == 200, "\(after.text)\n\(restarted.log)")
            #expect(LiveRequest.answer(after.body, imported: 3), "\(after.body)")

            let queue = try DatabaseQueue(path: file, configuration: .patient)
            let (integrity, earlier, killedLines, newer, accounts, killedAccounts) = try await queue.read { db in
                (
                    try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'E%'"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'K%'"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'N%'"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM COMPTES WHERE PCF_CODE LIKE 'E%'"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM COMPTES WHERE PCF_CODE LIKE 'K%'")
                )
            }
            try queue.close()
            #expect(integrity == ["ok"])
            #expect(earlier == 15, "acknowledged lines were lost")
            #expect(accounts == 15)
            #expect(killedLines == 0, "lines of the killed request were kept")
            #expect(killedAccounts == 0)
            #expect(newer == 3)

            restarted.signal(SIGTERM)
            #expect(await waitForExit(restarted.process, timeout: 15))
            #expect(restarted.process.terminationStatus == 0, "\(restarted.log)")
        }
    }
}
