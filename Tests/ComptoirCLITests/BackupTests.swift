import ComptoirStore
import ComptoirTestSupport
import Foundation
import GRDB
import Loopback
import Testing

/// `comptoir societe sauvegarder|verifier|lister`, run as an operator runs them, beside a live
/// server.
@Suite(
    "Backups, checks and lists of sociétés, while the server runs",
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct BackupTests {
    @Test("a backup taken during a 300,000-line import passes integrity_check and holds all of it or none")
    func backupDuringAnImport() async throws {
        let executable = try #require(comptoirExecutable)
        try await withLiveSociete(executable) { folder, data, file, server in

            // Once the import writes, the backup is taken while it runs.
            let importing = try await startLargeImport(port: server.port, file: file)
            let copy = (folder as NSString).appendingPathComponent("copie.Gestimum")
            let backup = try await runComptoir(
                executable, ["societe", "sauvegarder", "VIVE", "--vers", copy, "--dossier", data], directory: folder,
                timeout: 120)
            #expect(backup.status == 0, "\(backup.standardError)")
            #expect(backup.standardOutput == "Sauvegarde vérifiée : \(copy)\n")
            let answer = await importing.value
            #expect(LiveRequest.answer(answer.body, imported: 300_000), "\(answer.text.prefix(500))")

            let queue = try DatabaseQueue(path: copy, configuration: .patient)
            let (integrity, imported) = try await queue.read { db in
                (
                    try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'G%'") ?? -1
                )
            }
            try queue.close()
            #expect(integrity == ["ok"])
            #expect(imported == 0 || imported == 300_000, "the copy holds \(imported) lines of the import")
            #expect(try liveCountRows(copy, "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE = 'A0'") == 1)
        }
    }

    @Test("a backup's default name is dated in sauvegardes/, and a backup never replaces a file")
    func defaultNameAndNoOverwrite() async throws {
        let executable = try #require(comptoirExecutable)
        try await withDemo(executable) { folder, data in
            let first = try await runComptoir(
                executable, ["societe", "sauvegarder", "DEMO", "--dossier", data], directory: folder)
            #expect(first.status == 0, "\(first.standardError)")
            let backups = try FileManager.default.contentsOfDirectory(atPath: data + "/sauvegardes")
            #expect(backups.count == 1)
            #expect(backups.first?.wholeMatch(of: /DEMO-\d{8}-\d{6}\.Gestimum/) != nil, "\(backups)")
            let refused = try await runComptoir(
                executable, ["societe", "sauvegarder", "DEMO", "--vers", data + "/DEMO.Gestimum", "--dossier", data],
                directory: folder)
            #expect(refused.status == 1)
            #expect(
                refused.standardError
                    == "Erreur : Le fichier \(data)/DEMO.Gestimum existe déjà : une sauvegarde ne remplace jamais un fichier\n"
            )
            // Nor a file beside its own draft: another backup's, or one of the operator's.
            let copy = folder + "/copie.Gestimum"
            try Data("à moi".utf8).write(to: URL(fileURLWithPath: copy + ".partiel"))
            let beside = try await runComptoir(
                executable, ["societe", "sauvegarder", "DEMO", "--vers", copy, "--dossier", data], directory: folder)
            #expect(beside.status == 0, "\(beside.standardError)")
            #expect(try String(contentsOfFile: copy + ".partiel", encoding: .utf8) == "à moi")
            #expect(try liveCountRows(copy, "SELECT COUNT(*) FROM UTILISATEURS") == 1)
        }
    }

    @Test(
        "a backup its disk has no room for, or whose folder is read-only, is said of the backup and leaves no file",
        .enabled(if: SmallFileSystem.isAvailable, "no file system can be mounted here"))
    func aBackupThatCannotBeWrittenNamesTheBackup() async throws {
        let executable = try #require(comptoirExecutable)
        try await withDemo(executable) { folder, data in
            for (fileSystem, reason) in [
                (try #require(SmallFileSystem(kibibytes: 64)), "plus de place sur le disque"),
                (
                    try #require(SmallFileSystem(kibibytes: 4096)),
                    "son dossier est en lecture seule ou interdit en écriture"
                ),
            ] {
                if reason.hasPrefix("son dossier") { #expect(fileSystem.setReadOnly(true)) }
                let copy = fileSystem.path + "/copie.Gestimum"
                let refused = try await runComptoir(
                    executable, ["societe", "sauvegarder", "DEMO", "--vers", copy, "--dossier", data], directory: folder
                )
                #expect(refused.status == 1)
                #expect(refused.standardError == "Erreur : La copie \(copy) n'a pas pu être écrite : \(reason)\n")
                #expect(try FileManager.default.contentsOfDirectory(atPath: fileSystem.path).isEmpty)
            }
        }
    }

    @Test("verifier says a société is sound, and a damaged copy is refused in French with a non-zero status")
    func verifier() async throws {
        let executable = try #require(comptoirExecutable)
        try await withDemo(executable) { folder, data in
            let sound = try await runComptoir(
                executable, ["societe", "verifier", "DEMO", "--dossier", data], directory: folder)
            #expect(sound.status == 0, "\(sound.standardError)")
            #expect(sound.standardOutput.hasPrefix("La société DEMO est intègre ; modèle de données "))

            // A copy whose pages past the first are overwritten.
            let damaged = data + "/ABIME.Gestimum"
            try FileManager.default.copyItem(atPath: data + "/DEMO.Gestimum", toPath: damaged)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: damaged))
            try handle.seek(toOffset: 4096 * 3)
            handle.write(Data(repeating: 0xFF, count: 4096 * 4))
            try handle.close()
            let refused = try await runComptoir(
                executable, ["societe", "verifier", "ABIME", "--dossier", data], directory: folder)
            #expect(refused.status == 1)
            #expect(refused.standardError.hasPrefix("Erreur : La société ABIME est endommagée ; SQLite signale : "))
            // A copy is checked where it is, by its path; the other commands take a name only.
            let byPath = try await runComptoir(executable, ["societe", "verifier", damaged], directory: folder)
            #expect(byPath.status == 1)
            #expect(byPath.standardError.hasPrefix("Erreur : La société ABIME est endommagée ; SQLite signale : "))
            // So is a file of the current folder named without a path, when the folder of the
            // sociétés has none of that name.
            try FileManager.default.copyItem(atPath: damaged, toPath: folder + "/abime-copie.Gestimum")
            let here = try await runComptoir(
                executable, ["societe", "verifier", "abime-copie.Gestimum", "--dossier", data], directory: folder)
            #expect(here.status == 1)
            #expect(
                here.standardError.hasPrefix("Erreur : La société abime-copie est endommagée ; SQLite signale : "),
                "\(here.standardError)")
            let path = try await runComptoir(
                executable, ["societe", "sauvegarder", "ailleurs/DEMO", "--dossier", data], directory: folder)
            #expect(path.status != 0)
            #expect(
                path.standardError
                    == "Erreur : « ailleurs/DEMO » est un chemin : donnez le nom de la société, et son dossier avec --dossier\n"
            )

            // Listing opens each société, which makes an empty write-ahead log: no write of its
            // own, and nothing left behind once closed.
            let copy = data + "/COPIE.Gestimum"
            try FileManager.default.copyItem(atPath: data + "/DEMO.Gestimum", toPath: copy)
            let past = Date(timeIntervalSince1970: 1_577_836_800)
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: copy)
            // A PostgreSQL société's connection file is said so, not "illisible".
            try "; Fichier de connexion Comptoir\n[Connexion]\nMoteur=PostgreSQL\n".write(
                toFile: data + "/ACME.Gestimum", atomically: true, encoding: .utf8)
            _ = try await runComptoir(executable, ["societe", "lister", "--dossier", data], directory: folder)
            let listed = try await runComptoir(executable, ["societe", "lister", "--dossier", data], directory: folder)
            var lines = listed.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.contains("ACME\tPostgreSQL (fichier de connexion)"), "\(listed.standardOutput)")
            lines.removeAll { $0.hasPrefix("ACME\t") }
            #expect(lines.count == 3, "\(listed.standardOutput)")
            #expect(lines[1].hasPrefix("COPIE\t") && lines[1].hasSuffix("dernière écriture \(LocalTime.audit(past))"))
            #expect(
                lines.last?.wholeMatch(
                    of: /DEMO\t\d+ Kio\tmodèle \d+\tdernière écriture \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/)
                    != nil, "\(lines)")
            let left = try FileManager.default.contentsOfDirectory(atPath: data).filter {
                $0.hasSuffix("-wal") || $0.hasSuffix("-shm")
            }
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test(
        "sociétés and backups are their owner's alone; a link out of the folder is never followed; copies of any name are checked"
    )
    func ownerOnlyAndInsideTheFolder() async throws {
        let executable = try #require(comptoirExecutable)
        try await withDemo(executable) { folder, data in
            func comptoir(_ arguments: String...) async throws -> ProcessOutcome {
                try await runComptoir(executable, arguments + ["--dossier", data], directory: folder)
            }
            func mode(_ path: String) throws -> Int {
                try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
            }
            let backup = try await comptoir("societe", "sauvegarder", "DEMO").standardOutput
            let copy = String(try #require(backup.split(separator: " : ").last)).trimmingCharacters(in: .newlines)
            let restored = try await comptoir("societe", "restaurer", copy, "NOUVELLE")
            #expect(restored.status == 0, "\(restored.standardError)")
            for path in [data + "/DEMO.Gestimum", copy, data + "/NOUVELLE.Gestimum"] {
                let permissions = try mode(path)
                #expect(permissions & 0o077 == 0, "\(path): \(String(permissions, radix: 8))")
            }
            #expect(try mode(data + "/sauvegardes") == 0o700)

            // A société outside the folder, reached by a link from inside it.
            let outside = (folder as NSString).appendingPathComponent("dehors.Gestimum")
            try FileManager.default.copyItem(atPath: data + "/DEMO.Gestimum", toPath: outside)
            try FileManager.default.createSymbolicLink(atPath: data + "/LIEN.Gestimum", withDestinationPath: outside)
            let before = try Data(contentsOf: URL(fileURLWithPath: outside))
            let refusal =
                "Erreur : La société LIEN est un lien symbolique qui sort du dossier des sociétés : Comptoir ne le suit jamais\n"
            for arguments in [
                ["societe", "sauvegarder", "LIEN"], ["societe", "verifier", "LIEN"],
                ["societe", "restaurer", copy, "LIEN"],
            ] {
                let refused = try await runComptoir(executable, arguments + ["--dossier", data], directory: folder)
                #expect(
                    refused.status == 1 && refused.standardError == refusal, "\(arguments): \(refused.standardError)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: outside)) == before)
            #expect(!(try await comptoir("societe", "lister").standardOutput.contains("LIEN")))

            // A copy is checked by its path whatever its name; a missing folder is named.
            let other = (folder as NSString).appendingPathComponent("copie.sqlite")
            #expect(try await comptoir("societe", "sauvegarder", "DEMO", "--vers", other).status == 0)
            let checked = try await runComptoir(executable, ["societe", "verifier", other], directory: folder)
            #expect(
                checked.status == 0 && checked.standardOutput.hasPrefix("La société copie.sqlite est intègre"),
                "\(checked)")
            let nowhere = try await comptoir(
                "societe", "sauvegarder", "DEMO", "--vers", folder + "/absent/copie.Gestimum")
            #expect(nowhere.standardError == "Erreur : Le dossier \(folder)/absent n'existe pas\n")
            let missing = try await comptoir("societe", "restaurer", folder + "/absente.Gestimum", "AUTRE")
            #expect(missing.standardError == "Erreur : La sauvegarde \(folder)/absente.Gestimum est introuvable\n")
        }
    }

    @Test("a restore over a société in use is refused without --remplacer, and waits for its import with it")
    func restoreOverASocieteInUse() async throws {
        let executable = try #require(comptoirExecutable)
        try await withLiveSociete(executable) { folder, data, file, server in
            let copy = (folder as NSString).appendingPathComponent("copie.Gestimum")
            let backup = try await runComptoir(
                executable, ["societe", "sauvegarder", "VIVE", "--vers", copy, "--dossier", data], directory: folder)
            try #require(backup.status == 0, "\(backup.standardError)")
            let later = await liveExchange(
                port: server.port,
                LiveRequest.importClients(
                    societe: "VIVE", user: "U", password: "pw", lines: LiveRequest.lines("B", 0..<1)))
            #expect(later.status == 200)

            let importing = try await startLargeImport(port: server.port, file: file)
            let refused = try await runComptoir(
                executable, ["societe", "restaurer", copy, "VIVE", "--dossier", data], directory: folder)
            #expect(refused.status == 1)
            #expect(
                refused.standardError
                    == "Erreur : La société VIVE est en cours d'utilisation : relancez avec --remplacer pour attendre "
                    + "la fin de ses imports et la remplacer\n")
            let replaced = try await runComptoir(
                executable,
                ["societe", "restaurer", copy, "VIVE", "--remplacer", "--attente", "300", "--dossier", data],
                directory: folder, timeout: 600)
            #expect(replaced.status == 0, "\(replaced.standardError)")
            #expect(replaced.standardOutput == "Société restaurée : \(file)\n")
            // The import ended before the restore, which replaced it with the backup.
            let answer = await importing.value
            #expect(LiveRequest.answer(answer.body, imported: 300_000), "\(answer.text.prefix(300))")
            #expect(try liveCountRows(file, "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE LIKE 'G%'") == 0)
            #expect(try liveCountRows(file, "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE IN ('A0', 'B0')") == 1)

            // The running server goes on with the restored société.
            let after = await liveExchange(
                port: server.port,
                LiveRequest.importClients(
                    societe: "VIVE", user: "U", password: "pw", lines: LiveRequest.lines("C", 0..<1)))
            #expect(LiveRequest.answer(after.body, imported: 1), "\(after.text)")
            await server.stopCleanly()
            #expect(try liveCountRows(file, "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE IN ('A0', 'C0')") == 2)
            let checked = try await runComptoir(
                executable, ["societe", "verifier", "VIVE", "--dossier", data], directory: folder)
            #expect(checked.status == 0, "\(checked.standardError)")

            // A backup restored under a new name makes a new société.
            let made = try await runComptoir(
                executable, ["societe", "restaurer", copy, "COPIE", "--dossier", data], directory: folder)
            #expect(made.status == 0, "\(made.standardError)")
            #expect(
                try liveCountRows(
                    (data as NSString).appendingPathComponent("COPIE.Gestimum"), "SELECT COUNT(*) FROM TIERS") == 1)

            // A file that is no database is a damaged backup, said as such.
            let garbage = (folder as NSString).appendingPathComponent("abime.Gestimum")
            try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: garbage))
            let damaged = try await runComptoir(
                executable, ["societe", "restaurer", garbage, "AUTRE", "--dossier", data], directory: folder)
            #expect(damaged.status != 0)
            #expect(
                damaged.standardError.hasPrefix(
                    "Erreur : La sauvegarde \(garbage) est endommagée, ou n'est pas une société : rien n'a été restauré ; SQLite signale : "
                ),
                "\(damaged.standardError)")
            #expect(
                !FileManager.default.fileExists(atPath: (data as NSString).appendingPathComponent("AUTRE.Gestimum")))
        }
    }

    /// Runs `body` with a temporary folder, its data folder `societes` holding `VIVE` (user `U`,
    /// password `pw`), the société's file, and a live server on that folder that has imported
    /// one line into it.
    private func withLiveSociete(
        _ executable: URL,
        _ body: (_ folder: String, _ data: String, _ file: String, _ server: LiveComptoir) async throws -> Void
    ) async throws {
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("societes")
            let created = try await runComptoir(
                executable, ["societe", "creer", "VIVE", "--utilisateur", "U", "--mot-passe", "pw", "--dossier", data],
                directory: folder)
            try #require(created.status == 0, "societe creer: \(created.standardError)")
            let server = try await LiveComptoir.start(executable, folder: folder, arguments: ["--dossier", data])
            defer { server.killIfRunning() }
            await openWithOneImport(port: server.port, societe: "VIVE")
            try await body(folder, data, (data as NSString).appendingPathComponent("VIVE.Gestimum"), server)
        }
    }

    /// Sends a 300,000-line import to the server on `port` and returns once it writes to `file`
    /// (its log has grown by a mebibyte): the import is then running, its transaction open.
    private func startLargeImport(port: Int, file: String) async throws -> Task<LiveConversation, Never> {
        let large = LiveRequest.importClients(
            societe: "VIVE", user: "U", password: "pw", lines: LiveRequest.lines("G", 0..<300_000))
        let importing = Task { await liveExchange(port: port, large, timeout: 600) }
        let wal = file + "-wal"
        let walBefore = liveFileSize(wal)
        let deadline = Date().addingTimeInterval(120)
        while liveFileSize(wal) < walBefore + 1 << 20, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return importing
    }

    /// Runs `body` with a temporary folder and its data folder `societes`, which holds `DEMO`.
    private func withDemo(
        _ executable: URL, _ body: (_ folder: String, _ data: String) async throws -> Void
    ) async throws {
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("societes")
            let created = try await runComptoir(
                executable, ["societe", "creer", "DEMO", "--utilisateur", "U", "--dossier", data], directory: folder)
            try #require(created.status == 0, "societe creer: \(created.standardError)")
            try await body(folder, data)
        }
    }
}
