import ComptoirTestSupport
import Foundation
import GRDB
import Loopback
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `comptoir tache <fichier.ini>`, run as a cron job runs it: Gestimum's `.ini` files, their
/// data files in Windows-1252, the journal and statistics files, the exit codes (`taches.md`).
@Suite(
    "Command-line tâches, as Gestimum runs them",
    .serialized,
    .enabled(if: comptoirExecutable != nil, "comptoir executable not found next to the test bundle"))
struct TacheTests {
    /// Gestimum's example `.ini` for ImporterClients, as its help page gives it, with CRLF line
    /// ends and the trailing spaces of its `Utilisateur=DEMO  `.
    static let gestimumExample = [
        "[Tâche]", "Nom=ImporterClients", "Journal=ImporterClients.log", "Statistiques=ImporterClients.stat",
        "[Société]", "Fichier=C:\\ProgramData\\Gestimum\\DEMO.Gestimum", "Utilisateur=DEMO  ", "[Paramètres]",
        "FichierImporter=ImporterClients.txt",
    ]
    /// Gestimum's example client file.
    static let gestimumClients = [
        "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE;PCF_COMP;PCF_CP;PCF_VILLE",
        "C20;411C20;SPORT25;5 rue Cugnot;ZA Du Pâtis;78120;RAMBOUILLET",
    ]

    @Test("Gestimum's example ImporterClients .ini, on a Windows-1252 file: journal and statistics, line by line")
    func gestimumExampleRuns() async throws {
        try await withTaches { taches in
            let ini = try taches.write("ImporterClients.ini", Self.gestimumExample)
            try taches.write("ImporterClients.txt", Self.gestimumClients)
            let run = try await taches.run(ini)
            #expect(run.status == 0, "\(run.standardError)")
            let societe = taches.societe
            // Before anything else opens it: the file alone holds the import, as one copied
            // after the tâche would.
            for log in ["-wal", "-shm"] {
                #expect(!FileManager.default.fileExists(atPath: societe + log), "\(log) laissé après la tâche")
            }
            let expected = [
                "Ouverture de la société \(societe)", "Société \(societe) ouverte",
                "Lancement de la tâche ImporterClients",
                "L'import a été effectué avec succès.", "Nombre de lignes importées : 1",
                "Nombre de lignes non importées : 0", "Tâche ImporterClients terminée",
                "Fermeture de la société \(societe)",
            ]
            let journal = try taches.read("ImporterClients.log")
            #expect(journal.encoding == .windowsCP1252)
            #expect(journal.lines.map(Self.withoutTime) == expected)
            #expect(journal.lines.allSatisfy { $0.wholeMatch(of: /\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d .+/) != nil })
            #expect(run.standardOutput.split(separator: "\n").map { Self.withoutTime(String($0)) } == expected)
            let statistics = try taches.read("ImporterClients.stat")
            #expect(
                statistics.lines == ["[statistiques]", "nombre_lignes_importées=1", "nombre_lignes_non_importées=0"])
            #expect(statistics.bytes.contains(0xE9), "é in Windows-1252")
            #expect(try taches.rows("SELECT PCF_COMP FROM TIERS WHERE PCF_CODE = 'C20'") == ["ZA Du Pâtis"])

            // The journal keeps the history of the runs: a second run appends.
            let again = try await taches.run(ini)
            #expect(again.status == 0, "\(again.standardError)")
            #expect(try taches.read("ImporterClients.log").lines.count == 2 * expected.count)
        }
    }

    @Test(
        "a .ini and a data file in UTF-8 with a BOM: read as UTF-8, journal and statistics written in UTF-8 with a BOM")
    func utf8WithBOM() async throws {
        try await withTaches { taches in
            let ini = try taches.write("clients.ini", Self.gestimumExample, encoding: .utf8)
            try taches.write("ImporterClients.txt", Self.gestimumClients, encoding: .utf8)
            let run = try await taches.run(ini)
            #expect(run.status == 0, "\(run.standardError)")
            let journal = try taches.read("ImporterClients.log")
            #expect(journal.encoding == .utf8)
            #expect(journal.lines.map(Self.withoutTime).contains("Lancement de la tâche ImporterClients"))
            #expect(try taches.read("ImporterClients.stat").lines[1] == "nombre_lignes_importées=1")
            #expect(try taches.rows("SELECT PCF_COMP FROM TIERS WHERE PCF_CODE = 'C20'") == ["ZA Du Pâtis"])
        }
    }

    @Test("files in UTF-8 without a BOM are read as Windows-1252, as the contract says, with a hint in French")
    func utf8WithoutBOM() async throws {
        try await withTaches { taches in
            let ini = try taches.write("ImporterClients.ini", Self.gestimumExample)
            let data = taches.folder + "/ImporterClients.txt"
            try Data((Self.gestimumClients.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: data))
            let run = try await taches.run(ini)
            #expect(run.status == 0, "\(run.standardError)")
            let hint =
                "le fichier \(data) semble écrit en UTF-8 sans BOM, il est lu en Windows-1252 : enregistrez-le en ANSI ou en UTF-8 avec BOM"
            let journal = try taches.read("ImporterClients.log").lines.map(Self.withoutTime)
            #expect(journal.first == "Attention : " + hint)
            #expect(run.standardError == "Attention : " + hint + "\n", "cron le fait suivre")
            #expect(try taches.rows("SELECT PCF_COMP FROM TIERS WHERE PCF_CODE = 'C20'") == ["ZA Du PÃ¢tis"])

            let utf8Ini = taches.folder + "/utf8.ini"
            try Data(Self.gestimumExample.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: utf8Ini))
            let refused = try await taches.run(utf8Ini)
            #expect(refused.status == 3)
            #expect(
                refused.standardError
                    == "Section inconnue : [TÃ¢che] (le fichier \(utf8Ini) semble écrit en UTF-8 sans BOM, il est lu en Windows-1252 : enregistrez-le en ANSI ou en UTF-8 avec BOM)\n"
            )

            // One that passes its checks, its accents in a comment, says so first too.
            let acceptedIni = taches.folder + "/accepte.ini"
            let unaccented = Self.gestimumExample.map {
                ["[Tâche]": "[Tache]", "[Société]": "[Societe]", "[Paramètres]": "[Parametres]"][$0] ?? $0
            }
            try Data((["; Clients de la boutique éphémère"] + unaccented).joined(separator: "\n").utf8).write(
                to: URL(fileURLWithPath: acceptedIni))
            let accepted = try await taches.run(acceptedIni)
            #expect(accepted.status == 0, "\(accepted.standardError)")
            let lines = try taches.read("ImporterClients.log").lines.map(Self.withoutTime)
            let iniHint =
                "le fichier \(acceptedIni) semble écrit en UTF-8 sans BOM, il est lu en Windows-1252 : enregistrez-le en ANSI ou en UTF-8 avec BOM"
            // Before the data file's own hint, which comes before the société is opened.
            let position = try #require(lines.firstIndex(of: "Attention : " + iniHint), "\(lines)")
            #expect(lines[position + 1] == "Attention : " + hint, "\(lines)")
            #expect(accepted.standardError == "Attention : \(iniHint)\nAttention : \(hint)\n")
        }
    }

    @Test("a file with rejected lines: exit 1, the reasons in the journal, the accepted lines stored")
    func rejectedLines() async throws {
        try await withTaches { taches in
            let ini = try taches.write("ImporterClients.ini", Self.gestimumExample)
            try taches.write(
                "ImporterClients.txt",
                ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;Premier", ";411X;Sans code", "C3;411C3;Troisième"])
            let run = try await taches.run(ini)
            #expect(run.status == 1, "\(run.standardError)")
            // What cron mails, when the output is thrown away.
            #expect(
                run.standardError
                    == "Lignes non importées : 1 ; leurs raisons sont dans le journal \(taches.folder)/ImporterClients.log\n"
            )
            let journal = try taches.read("ImporterClients.log").lines.map(Self.withoutTime)
            #expect(journal.contains("Nombre de lignes importées : 2"))
            #expect(journal.contains("Nombre de lignes non importées : 1"))
            // Numbered as the web service numbers them: the header is not a line.
            #expect(journal.contains("La ligne 2 n'a pas pu être importée :"))
            #expect(journal.contains("Code manquant"))
            #expect(
                try taches.read("ImporterClients.stat").lines == [
                    "[statistiques]", "nombre_lignes_importées=2", "nombre_lignes_non_importées=1",
                ])
            #expect(try taches.rows("SELECT PCF_CODE FROM TIERS ORDER BY PCF_CODE") == ["C1", "C3"])
        }
    }

    @Test(
        "RenommerFichier=Oui renames the file once imported, and says so before the end of the journal; never with Tester=Oui"
    )
    func renommerFichier() async throws {
        try await withTaches { taches in
            let ini = try taches.write(
                "ImporterClients.ini", Self.gestimumExample + ["RenommerFichier=Oui", "Tester=Oui"])
            try taches.write("ImporterClients.txt", Self.gestimumClients)
            let tested = try await taches.run(ini)
            #expect(tested.status == 0, "\(tested.standardError)")
            #expect(try contents(of: taches.folder).contains("ImporterClients.txt"))
            #expect(try taches.rows("SELECT PCF_CODE FROM TIERS") == [])

            try taches.write("ImporterClients.ini", Self.gestimumExample + ["RenommerFichier=Oui"])
            let run = try await taches.run(ini)
            #expect(run.status == 0, "\(run.standardError)")
            let renamed = try contents(of: taches.folder).filter { $0.hasPrefix("ImporterClients.txt") }
            try #require(renamed.count == 1)
            #expect(renamed[0].wholeMatch(of: /ImporterClients\.txt\.\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.importe/) != nil)
            let journal = try taches.read("ImporterClients.log").lines.map(Self.withoutTime)
            let original = taches.folder + "/ImporterClients.txt"
            #expect(
                Array(journal.suffix(3)) == [
                    "Fichier \(original) renommé en \(taches.folder)/\(renamed[0])", "Tâche ImporterClients terminée",
                    "Fermeture de la société \(taches.societe)",
                ])
        }
    }

    @Test(
        "ImporterEcritures: its own keys, the absolute path in its report, its statistics, each Renommer name for success or rejections"
    )
    func importerEcritures() async throws {
        try await withTaches { taches in
            let queue = try DatabaseQueue(path: taches.societe)
            try await queue.write { db in
                for number in ["411070001", "445710", "707100"] {
                    try db.execute(
                        sql: "INSERT INTO COMPTES (CPT_NUMERO, CPT_LIB, CPT_TYPE) VALUES (?, ?, 'G')",
                        arguments: [number, "Compte \(number)"])
                }
                // The plan of the example's split.
                try db.execute(sql: "INSERT INTO TABLES (TBL_ID, TBL_CODE, TBL_LIB) VALUES ('ANA_PLAN', 'P1', 'P1')")
            }
            try queue.close()
            // Gestimum's example of GestimumComptaVariable.
            let example = [
                #"1,31/12/2019,VTE,411070001,FA12,"Vente d'ordinateurs FAC19-000482",42,EUR,120.00,C,,,0,,"TEST","test variable""#,
                "E31/12/2019,CB,0,120.00,125",
                #"2,31/12/2019,VTE,445710,FA12,"Vente d'ordinateur FAC19-000482",42,EUR,20.00,D,,,0,,"TEST","test variable""#,
                #"3,31/12/2019,VTE,707100,FA12,"Vente d'ordinateurs FAC19-000482",42,EUR,100.00,D,,,0,,"TEST","test variable""#,
                ">P1,S1,100,100.00,100,1.0",
            ]
            func ini(
                format: String = "GestimumComptaVariable", renaming: String = "Ecritures.ok;Ecritures.rejet",
                more: [String] = []
            ) throws -> String {
                try taches.write(
                    "ecritures.ini",
                    [
                        "[Tâche]", "Nom=ImporterEcritures", "Journal=ecritures.log", "Statistiques=ecritures.stat",
                        "[Société]", "Fichier=DEMO", "Utilisateur=DEMO", "[Paramètres]", "FormatFichier=\(format)",
                        "FichierEcritures=Ecritures.txt", "RenommerFichierEcritures=\(renaming)",
                        "CreerSectionAnalytique=Oui",
                    ] + more)
            }
            try taches.write("Ecritures.txt", example)
            let run = try await taches.run(try ini())
            #expect(run.status == 0, "\(run.standardError)")
            let path = taches.folder + "/Ecritures.txt"
            let journal = try taches.read("ecritures.log").lines.map(Self.withoutTime)
            #expect(journal.contains("Fichier d'écritures importé : \(path)"))
            #expect(journal.contains("Lignes d'écritures importables : 3"))
            #expect(
                Array(journal.suffix(4)) == [
                    "H : Ligne d'échéance", "Fichier \(path) renommé en \(taches.folder)/Ecritures.ok",
                    "Tâche ImporterEcritures terminée", "Fermeture de la société \(taches.societe)",
                ])
            #expect(
                try taches.read("ecritures.stat").lines == [
                    "[statistiques]", "nombre_erreurs=0", "nombre_avertissements=0",
                    "nombre_lignes_écritures_importées=3", "nombre_lignes_écritures_rejetées=0",
                    "nombre_lignes_échéances_importées=1", "nombre_lignes_échéances_rejetées=0",
                    "nombre_lignes_analytiques_importées=1", "nombre_lignes_analytiques_rejetées=0",
                ])
            #expect(try taches.rows("SELECT COUNT(*) FROM ECRITURES") == ["3"])

            // An unbalanced pièce: rejected whole, exit 1, the file renamed with the second name.
            try taches.write("Ecritures.txt", example.map { $0.replacingOccurrences(of: "20.00,D", with: "21.00,D") })
            let unbalanced = try await taches.run(try ini())
            #expect(unbalanced.status == 1, "\(unbalanced.standardError)")
            #expect(try contents(of: taches.folder).contains("Ecritures.rejet"))
            #expect(try taches.rows("SELECT COUNT(*) FROM ECRITURES") == ["3"])

            // A name already taken is not overwritten; a folder that does not exist fails the
            // renaming only: the import is committed and its journal whole, exit 4.
            try taches.write("Ecritures.txt", example)
            let again = try await taches.run(try ini())
            #expect(again.status == 0, "\(again.standardError)")
            #expect(try contents(of: taches.folder).contains("Ecritures-2.ok"))
            try taches.write("Ecritures.txt", example)
            let nowhere = try await taches.run(
                try ini(renaming: "absent/Ecritures.ok;absent/Ecritures.rejet"))
            #expect(nowhere.status == 4, "\(nowhere.standardError)")
            let failed = try taches.read("ecritures.log").lines.map(Self.withoutTime)
            #expect(failed.suffix(2).first == "Fermeture de la société \(taches.societe)")
            #expect(
                failed.last
                    == "Impossible de renommer le fichier \(path) en \(taches.folder)/absent/Ecritures.ok : le chemin n'existe pas",
                "la raison en français : \(failed)")
            #expect(try taches.read("ecritures.stat").lines.contains("nombre_lignes_écritures_importées=3"))
            #expect(try taches.rows("SELECT COUNT(*) FROM ECRITURES") == ["9"])

            // A Windows path to rename to is refused with the .ini, before anything is imported:
            // found after the commit, it left the file in place for the next run to import again.
            try taches.write("Ecritures.txt", example)
            let windows = try await taches.run(try ini(renaming: "Ecritures.ok;D:\\Archives\\Ecritures.rejet"))
            #expect(windows.status == 3, "\(windows.standardError)")
            #expect(windows.standardError == "Chemin Windows non pris en charge : D:\\Archives\\Ecritures.rejet\n")
            #expect(try taches.rows("SELECT COUNT(*) FROM ECRITURES") == ["9"])

            // To another file system (a tmpfs, where the machine has one): copied there, never
            // over a file already there.
            if FileManager.default.isWritableFile(atPath: "/dev/shm") {
                let elsewhere = "/dev/shm/comptoir-\(UUID().uuidString)"
                try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
                defer { try? FileManager.default.removeItem(atPath: elsewhere) }
                try Data("déjà là".utf8).write(to: URL(fileURLWithPath: elsewhere + "/Ecritures.ok"))
                try taches.write("Ecritures.txt", example)
                let moved = try await taches.run(try ini(renaming: "\(elsewhere)/Ecritures.ok;Ecritures.rejet"))
                #expect(moved.status == 0, "\(moved.standardError)")
                #expect(try String(contentsOfFile: elsewhere + "/Ecritures.ok", encoding: .utf8) == "déjà là")
                #expect(
                    try Data(contentsOf: URL(fileURLWithPath: elsewhere + "/Ecritures-2.ok"))
                        == Data(contentsOf: URL(fileURLWithPath: taches.folder + "/Ecritures-2.ok")))
                #expect(!FileManager.default.fileExists(atPath: path))
                #expect(try taches.rows("SELECT COUNT(*) FROM ECRITURES") == ["12"])
            }
            // Accounts are named by the tâche's key; a wrong format is told before a missing file.
            try taches.write("Ecritures.txt", example)
            try taches.write("Comptes.txt", ["411070001,Client"])
            for comptes in ["Comptes.txt", "absent.txt"] {
                let accounts = try await taches.run(try ini(more: ["FichierComptes=\(comptes)"]))
                #expect(accounts.status == 3, "\(comptes)")
                #expect(
                    accounts.standardError
                        == "Le paramètre FichierComptes n'existe que pour les formats EBPV5V2000 et EBPV3\n",
                    "\(comptes)")
            }
            try FileManager.default.removeItem(atPath: path)
            let unknown = try await taches.run(try ini(format: "Tableur"))
            #expect(unknown.status == 3)
            #expect(unknown.standardError == "Format Tableur inconnu\n")
        }
    }

    @Test("each exit code: 0 done, 1 rejections, 2 refused, 3 wrong .ini, 4 internal error")
    func exitCodes() async throws {
        try await withTaches { taches in
            try taches.write("ImporterClients.txt", Self.gestimumClients)
            let done = try await taches.run(try taches.write("a.ini", Self.gestimumExample))
            #expect(done.status == 0, "\(done.standardError)")

            // A refused .ini empties the statistics the last run wrote: their counts are not its own.
            let wrongIni = try await taches.run(try taches.write("f.ini", Self.gestimumExample + ["Inconnu=1"]))
            #expect(wrongIni.status == 3)
            #expect(wrongIni.standardError == "Paramètre inconnu : Inconnu\n")
            #expect(try taches.read("ImporterClients.stat").lines == ["[statistiques]"])

            try taches.write("rejets.txt", ["PCF_CODE;CPT_NUMERO;PCF_RS", ";411X;Sans code"])
            let rejections = try await taches.run(
                try taches.write("b.ini", Self.gestimumExample.dropLast() + ["FichierImporter=rejets.txt"]))
            #expect(rejections.status == 1, "\(rejections.standardError)")

            let wrongPassword = try await taches.run(
                try taches.write("c.ini", Self.gestimumExample) {
                    $0.replacingOccurrences(of: "Utilisateur=DEMO  ", with: "Utilisateur=DEMO\r\nMotPasse=faux")
                })
            #expect(wrongPassword.status == 2)
            #expect(wrongPassword.standardError == "Utilisateur ou mot de passe incorrect\n")
            // Written to the journal too, with its time.
            #expect(
                try taches.read("ImporterClients.log").lines.last.map(Self.withoutTime)
                    == "Utilisateur ou mot de passe incorrect")

            let unknownSociete = try await taches.run(
                try taches.write("d.ini", Self.gestimumExample) {
                    $0.replacingOccurrences(of: "DEMO.Gestimum", with: "AUTRE.Gestimum")
                })
            #expect(unknownSociete.status == 2)
            #expect(unknownSociete.standardError == "La société AUTRE.Gestimum est introuvable\n")

            let missingFolder = taches.folder + "/sans-societes"
            let mistyped = try await taches.comptoir(
                ["tache", try taches.write("g.ini", Self.gestimumExample), "--dossier", missingFolder])
            #expect(mistyped.status == 2)
            #expect(mistyped.standardError == "Le dossier des sociétés \(missingFolder) n'existe pas\n")

            let missingFile = try await taches.run(
                try taches.write("e.ini", Self.gestimumExample.dropLast() + ["FichierImporter=absent.txt"]))
            #expect(missingFile.status == 2)
            #expect(missingFile.standardError == "Le fichier \(taches.folder)/absent.txt est introuvable\n")

            // An empty file names no field: the keys to set are the .ini's, not the web service's.
            try Data().write(to: URL(fileURLWithPath: taches.folder + "/vide.txt"))
            let empty = try await taches.run(
                try taches.write("v.ini", Self.gestimumExample.dropLast() + ["FichierImporter=vide.txt"]))
            #expect(empty.status == 2)
            #expect(
                empty.standardError
                    == "Aucun nom de champ : renseignez Champs ou mettez PremiereLigneContientNomsChamps à Oui avec les noms en première ligne\n"
            )

            // A journal that cannot be written (a full disk) is no refusal of the request: the
            // import stands, exit 4 says why, and the journal is shown whole and the statistics
            // written all the same, also past the first megabyte, when the file is first written.
            let unnamed = (0..<12_000).map { ";;Client sans code numéro \($0)" }
            try taches.write("ImporterClients.txt", Self.gestimumClients + unnamed)
            let fullDisk = try await taches.run(
                try taches.write("g.ini", Self.gestimumExample) {
                    $0.replacingOccurrences(of: "Journal=ImporterClients.log", with: "Journal=/dev/full")
                })
            #expect(fullDisk.status == 4)
            #expect(
                fullDisk.standardError
                    == "Lignes non importées : 12000 ; leurs raisons sont dans le journal /dev/full\nImpossible d'écrire le fichier /dev/full\n"
            )
            let shown = fullDisk.standardOutput.split(separator: "\n").map { Self.withoutTime(String($0)) }
            #expect(shown.filter { $0.hasPrefix("La ligne ") }.count == 12_000)
            #expect(shown.last == "Fermeture de la société \(taches.societe)")
            #expect(try taches.read("ImporterClients.stat").lines.contains("nombre_lignes_non_importées=12000"))
        }
    }

    @Test(
        "a wrong .ini is refused with exit 3 and a French reason",
        arguments: [
            (
                ["[Tâche]", "Nom=ImporterClients", "[Paramètres]", "FichierImporter=x.txt"],
                "Section [Société] manquante"
            ),
            (
                [
                    "[Tâche]", "Nom=ImporterClients", "[Société]", "Fichier=DEMO", "[Paramètres]",
                    "FichierImporter=x.txt",
                ],
                "Paramètre Utilisateur manquant"
            ),
            (
                ["[Tâche]", "Nom=ImporterChats", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO"],
                "Tâche inconnue : ImporterChats"
            ),
            (
                ["[Tâche]", "Nom=RecalculerStock", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO"],
                "La tâche RecalculerStock n'est pas disponible dans Comptoir"
            ),
            (["Nom=ImporterClients"], "Le paramètre Nom est hors de toute section"),
            (["[Tâche]", "Nom=ImporterClients", "Nom=ImporterClients"], "Paramètre Nom donné deux fois"),
            (["[Tâche]", "ImporterClients"], "Ligne 2 incorrecte dans le fichier de la tâche : ImporterClients"),
            (
                [
                    "[Tâche]", "Nom=AfficherMessageTest", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO",
                    "Exclusif=Peut-être",
                ],
                "Le paramètre Exclusif doit valoir Oui ou Non, pas « Peut-être »"
            ),
            (
                [
                    "[Tâche]", "Nom=ImporterClients", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO", "[Paramètres]",
                    "FichierImporter=D:\\Imports\\clients.txt",
                ],
                "Chemin Windows non pris en charge : D:\\Imports\\clients.txt"
            ),
        ])
    func wrongIni(lines: [String], message: String) async throws {
        try await withTaches { taches in
            let run = try await taches.run(try taches.write("mauvais.ini", lines))
            #expect(run.status == 3)
            #expect(run.standardError == message + "\n")
        }
    }

    @Test("once the import is committed, a statistics file that cannot be written is exit 4, the journal whole")
    func failureAfterTheCommit() async throws {
        try await withTaches { taches in
            let run = try await taches.run(try Self.gestimumExample(in: taches, statistiques: "absent/s.stat"))
            #expect(run.status == 4, "\(run.standardError)")
            #expect(run.standardError == "Impossible d'écrire le fichier \(taches.folder)/absent/s.stat\n")
            let journal = try taches.read("ImporterClients.log").lines.map(Self.withoutTime)
            #expect(journal.contains("Nombre de lignes importées : 1"))
            #expect(journal.last == "Impossible d'écrire le fichier \(taches.folder)/absent/s.stat")
            #expect(try taches.rows("SELECT PCF_CODE FROM TIERS WHERE PCF_CODE = 'C20'") == ["C20"])
        }
    }

    @Test("two tâches sharing a journal, run at once, both leave their lines in it")
    func sharedJournal() async throws {
        try await withTaches { taches in
            try await taches.addUser("U2")
            let large = try taches.writeLargeImport(exclusive: false)
            let message = try taches.write(
                "message.ini",
                [
                    "[Tâche]", "Nom=AfficherMessageTest", "Journal=ImporterClients.log", "[Société]", "Fichier=DEMO",
                    "Utilisateur=U2",
                ])
            async let importing = taches.run(large, timeout: 300)
            // The import has its journal open: the message is written while it runs.
            try await taches.waitForSession()
            let shown = try await taches.run(message)
            #expect(shown.status == 0, "\(shown.standardError)")
            let imported = try await importing
            #expect(imported.status == 0, "\(imported.standardError)")
            let journal = try taches.read("ImporterClients.log").lines.map(Self.withoutTime)
            #expect(journal.contains("Message de test"))
            #expect(journal.contains("Nombre de lignes importées : 300000"))
        }
    }

    @Test("a journal shared by tâches whose .ini differ in encoding keeps the one it was created in")
    func sharedJournalKeepsItsEncoding() async throws {
        try await withTaches { taches in
            let lines = [
                "[Tâche]", "Nom=AfficherMessageTest", "Journal=partage.log", "[Société]", "Fichier=DEMO",
                "Utilisateur=DEMO",
            ]
            for (name, encoding) in [("utf8.ini", String.Encoding.utf8), ("ansi.ini", .windowsCP1252)] {
                let run = try await taches.run(try taches.write(name, lines, encoding: encoding))
                #expect(run.status == 0, "\(run.standardError)")
            }
            let journal = try taches.read("partage.log")
            #expect(journal.encoding == .utf8)
            #expect(journal.lines.filter { $0.hasSuffix("Fermeture de la société \(taches.societe)") }.count == 2)
        }
    }

    @Test(
        "a dépôt added by 'comptoir societe ajouter' takes a transfer; a code already there, or an empty label, is refused"
    )
    func addedDepotTakesATransfer() async throws {
        try await withTaches { taches in
            let added = try await taches.comptoir([
                "societe", "ajouter", "DEMO", "depot", "002", "Dépôt Lyon", "--dossier", taches.data,
            ])
            #expect(added.status == 0, "\(added.standardError)")
            #expect(added.standardOutput == "Le dépôt 002 a été ajouté à la société DEMO\n")
            let again = try await taches.comptoir([
                "societe", "ajouter", "DEMO", "depot", "002", "Autre", "--dossier", taches.data,
            ])
            #expect(again.status == 1)
            #expect(again.standardError == "Erreur : Le dépôt 002 existe déjà dans la société DEMO\n")
            let unnamed = try await taches.comptoir([
                "societe", "ajouter", "DEMO", "depot", "003", " ", "--dossier", taches.data,
            ])
            #expect(unnamed.status == 1)
            #expect(unnamed.standardError == "Erreur : Le libellé du dépôt 003 ne peut pas être vide\n")
            #expect(try taches.rows("SELECT count(*) FROM DEPOT WHERE DEP_CODE = '003'") == ["0"])
            let type = try await taches.comptoir([
                "societe", "ajouter", "DEMO", "type-perte", "D", "Don", "--dossier", taches.data,
            ])
            #expect(type.status == 0, "\(type.standardError)")
            #expect(
                try taches.rows("SELECT TBL_LIB FROM TABLES WHERE TBL_ID = 'TYPE_PERTE' AND TBL_CODE = 'D'") == ["Don"])

            func importer(_ tache: String, _ lines: [String]) async throws -> ProcessOutcome {
                try taches.write("\(tache).txt", lines)
                return try await taches.run(
                    try taches.write(
                        "\(tache).ini",
                        [
                            "[Tâche]", "Nom=\(tache)", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO", "[Paramètres]",
                            "FichierImporter=\(tache).txt",
                        ]))
            }
            #expect(try await importer("ImporterArticles", ["ART_CODE;ART_LIB", "A1;Article"]).status == 0)
            let moved = try await importer(
                "ImporterDocumentsStock",
                ["DOC_STYPE;DEP_CODE;DOC_TDEPOT;ART_CODE;MVT_QTE", "E;001;;A1;5", "T;001;002;A1;2"])
            #expect(moved.status == 0, "\(moved.standardOutput)")
            #expect(
                try taches.rows(
                    "SELECT DEP_CODE || ':' || STK_ENTREE || ':' || STK_SORTIE FROM ART_STOCK WHERE ART_CODE = 'A1' ORDER BY DEP_CODE"
                )
                    == ["001:5.000:2.000", "002:2.000:0.000"])
        }
    }

    @Test("what cron relies on: Statistiques=Non, .ini errors in the journal, command-line errors exit 3")
    func cronConventions() async throws {
        try await withTaches { taches in
            let noStatistics = try await taches.run(try Self.gestimumExample(in: taches, statistiques: "Non"))
            #expect(noStatistics.status == 0, "\(noStatistics.standardError)")
            #expect(!FileManager.default.fileExists(atPath: taches.folder + "/Non"))

            let wrongIni = try await taches.run(try taches.write("b.ini", Self.gestimumExample + ["Inconnu=1"]))
            #expect(wrongIni.status == 3)
            #expect(
                try taches.read("ImporterClients.log").lines.last.map(Self.withoutTime) == "Paramètre inconnu : Inconnu"
            )

            for arguments in [["tache"], ["tache", "a.ini", "--inconnue"], ["tache", "a.ini", "b.ini"]] {
                let wrongCommand = try await taches.comptoir(arguments)
                #expect(wrongCommand.status == 3, "\(arguments)")
                #expect(
                    wrongCommand.standardError.hasPrefix("Erreur : ligne de commande incorrecte : "), "\(arguments)")
            }
        }
    }

    @Test("a .ini that cannot be read, or is in UTF-16, is refused with exit 3")
    func unreadableIni() async throws {
        try await withTaches { taches in
            let missing = try await taches.run(taches.folder + "/absent.ini")
            #expect(missing.status == 3)
            #expect(
                missing.standardError
                    == "Le fichier de tâche \(taches.folder)/absent.ini est introuvable ou illisible\n")
            let utf16 = taches.folder + "/utf16.ini"
            try Data([0xFF, 0xFE] + Array("[".utf16).flatMap { [UInt8($0), 0] }).write(to: URL(fileURLWithPath: utf16))
            let refused = try await taches.run(utf16)
            #expect(refused.status == 3)
            #expect(refused.standardError == "Les fichiers en UTF-16 ne sont pas pris en charge\n")
        }
    }

    @Test("AfficherMessageTest, from Gestimum's example .ini, writes its message between the société's lines")
    func afficherMessageTest() async throws {
        try await withTaches { taches in
            let ini = try taches.write(
                "AfficherMessageTest.ini",
                [
                    "[Tâche]", "Nom=AfficherMessageTest", "Journal=AfficherMessageTest.log", "[Société]",
                    "Fichier=C:\\ProgramData\\Gestimum\\DEMO.Gestimum", "Utilisateur=DEMO", "Deconnecter=Non",
                    "Exclusif=Non",
                ])
            let run = try await taches.run(ini)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(
                try taches.read("AfficherMessageTest.log").lines.map(Self.withoutTime) == [
                    "Ouverture de la société \(taches.societe)", "Société \(taches.societe) ouverte",
                    "Lancement de la tâche AfficherMessageTest", "Message de test",
                    "Tâche AfficherMessageTest terminée",
                    "Fermeture de la société \(taches.societe)",
                ])
        }
    }

    @Test("ExporterRequeteBaseDonnees writes the query's rows as Windows-1252 CSV, and refuses anything but a SELECT")
    func exporterRequete() async throws {
        try await withTaches { taches in
            try taches.write(
                "clients.txt",
                [
                    "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_COMP", "C1;411C1;\"Dupont; Fils\";Pâtis",
                    "C2;411C2;\"Le \"\"Bon\"\" Coin\";", "C3;411C3;Simple;",
                ])
            let imported = try await taches.run(
                try taches.write(
                    "import.ini",
                    [
                        "[Tâche]", "Nom=ImporterClients", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO",
                        "[Paramètres]", "FichierImporter=clients.txt", "IdentificateurTexte=\"", "SeparateurChamps=;",
                    ]))
            #expect(imported.status == 0, "\(imported.standardOutput)")

            func export(_ query: String, columns: String = "Oui") throws -> String {
                try taches.write(
                    "export.ini",
                    [
                        "[Tâche]", "Nom=ExporterRequeteBaseDonnees", "Journal=export.log", "Statistiques=export.stat",
                        "[Société]", "Fichier=DEMO", "Utilisateur=DEMO", "[Paramètres]", "FichierDestination=.",
                        "Requete=\(query)", "NomColonnes=\(columns)",
                    ])
            }
            let run = try await taches.run(
                try export("SELECT PCF_CODE, PCF_RS, PCF_COMP FROM TIERS WHERE PCF_TYPE = 'C' ORDER BY PCF_CODE"))
            #expect(run.status == 0, "\(run.standardError)")
            let csv = try taches.read("ExporterRequeteBaseDonnees.csv")
            #expect(csv.encoding == .windowsCP1252)
            #expect(
                csv.lines == [
                    "PCF_CODE;PCF_RS;PCF_COMP", "C1;\"Dupont; Fils\";Pâtis", "C2;\"Le \"\"Bon\"\" Coin\";",
                    "C3;Simple;",
                ])
            #expect(
                try taches.read("export.log").lines.map(Self.withoutTime).contains("Nombre de lignes exportées : 3"))
            #expect(try taches.read("export.stat").lines == ["[statistiques]", "nombre_lignes_exportées=3"])

            // Gestimum's own example, as its help page gives it.
            let example = try await taches.run(
                try export(
                    "SELECT T.PCF_RS, T.REG_CODE, M.REG_LIB FROM TIERS T LEFT OUTER JOIN MODE_REG M ON M.REG_CODE = T.REG_CODE WHERE T.PCF_TYPE = 'C'",
                    columns: "Non"))
            #expect(example.status == 0, "\(example.standardError)")
            #expect(try taches.read("ExporterRequeteBaseDonnees.csv").lines.count == 3)

            let hashes = try await taches.run(
                try export("SELECT USR_CODE, USR_MDP_HASH FROM UTILISATEURS", columns: "Non"))
            #expect(hashes.status == 0, "\(hashes.standardError)")
            #expect(try taches.read("ExporterRequeteBaseDonnees.csv").lines == ["DEMO;"])

            for query in [
                "DELETE FROM TIERS", "SELECT 1; DELETE FROM TIERS", "UPDATE TIERS SET PCF_RS = 'x'",
                "PRAGMA journal_mode = DELETE", "ATTACH DATABASE 'autre.db' AS autre", "-- rien",
                "WITH t AS (SELECT 1) DELETE FROM TIERS",
            ] {
                let refused = try await taches.run(try export(query))
                #expect(refused.status == 2, "\(query)")
                #expect(refused.standardError == "Seules les requêtes SELECT sont permises\n", "\(query)")
                // The previous export is left whole, and the statistics say nothing was exported.
                #expect(try taches.read("ExporterRequeteBaseDonnees.csv").lines == ["DEMO;"])
                #expect(try taches.read("export.stat").lines == ["[statistiques]"])
            }
            // A query SQLite cannot read is told why, in French for the usual mistakes.
            for (query, reason) in [
                ("SELECT * FROM NOPE", "la table NOPE n'existe pas"),
                ("SELECT PCF_NOPE FROM TIERS", "la colonne PCF_NOPE n'existe pas"),
                ("SELECT NOPE(1)", "la fonction NOPE n'existe pas"),
                ("SELECT PCF_CODE FROM TIERS, COMPTES", "la colonne PCF_CODE est ambiguë : précisez sa table"),
                ("SELEC 1", "erreur de syntaxe près de « SELEC »"),
                ("SELECT (1", "la requête est incomplète"),
            ] {
                let refused = try await taches.run(try export(query))
                #expect(refused.status == 2, "\(query)")
                #expect(refused.standardError == "Requête invalide : \(reason)\n", "\(query)")
            }
            #expect(try taches.rows("SELECT PCF_CODE FROM TIERS ORDER BY PCF_CODE") == ["C1", "C2", "C3"])
        }
    }

    @Test("CreerFichierDemo writes the model that demarrer --demo creates DEMO.Gestimum from")
    func creerFichierDemo() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTaches { taches in
            try taches.write("ImporterClients.txt", Self.gestimumClients)
            let imported = try await taches.run(try taches.write("import.ini", Self.gestimumExample))
            #expect(imported.status == 0, "\(imported.standardError)")
            let run = try await taches.run(
                try taches.write(
                    "demo.ini",
                    ["[Tâche]", "Nom=CreerFichierDemo", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO"]))
            #expect(run.status == 0, "\(run.standardError)")
            let model = taches.data + "/Demo.modele"
            #expect(run.standardOutput.contains("Fichier de démonstration créé : \(model)"))

            let fresh = taches.folder + "/neuf"
            try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: false)
            try FileManager.default.copyItem(atPath: model, toPath: fresh + "/Demo.modele")
            let server = try await LiveComptoir.start(
                executable, folder: taches.folder, arguments: ["--demo", "--dossier", fresh])
            await server.stopCleanly()
            #expect(
                try liveCountRows(fresh + "/DEMO.Gestimum", "SELECT COUNT(*) FROM TIERS WHERE PCF_CODE = 'C20'") == 1)
        }
    }

    @Test("--liste gives Gestimum's descriptions, --description a tâche's keys")
    func listeAndDescription() async throws {
        try await withTaches { taches in
            let list = try await taches.comptoir(["tache", "--liste"])
            #expect(list.status == 0)
            let lines = list.standardOutput.split(separator: "\n").map(String.init)
            // As `/listetaches` words them, its typo (`Créé des écritures`) mended.
            for line in [
                "ImporterClients : Crée des clients par import de fichier texte",
                "ImporterBanquesTiers : Crée des banques par import de fichier texte",
                "ImporterEcritures : Crée des écritures par import de fichier texte",
            ] {
                #expect(lines.contains(line), "\(line)")
            }
            #expect(
                lines.contains(
                    "ExporterRequeteBaseDonnees : Exporte le contenu des tables de la base de données dans un fichier CSV"
                ))
            #expect(!lines.contains { $0.hasPrefix("RecalculerStock") })

            let description = try await taches.comptoir(["tache", "--description", "ImporterDevises"])
            #expect(
                description.standardOutput == """
                    ImporterDevises : Crée des devises par import de fichier texte
                    [Tâche] Nom (obligatoire), Journal, Statistiques
                    [Société] Fichier (obligatoire), Utilisateur (obligatoire), MotPasse, Deconnecter (Non), Exclusif (Non)
                    [Paramètres] FichierImporter (obligatoire), SeparateurChamps (;), IdentificateurTexte, PremiereLigneContientNomsChamps (Oui), Champs, RenommerFichier (Non)

                    """)
            let unknown = try await taches.comptoir(["tache", "--description", "ImporterChats"])
            #expect(unknown.status == 3)
        }
    }

    @Test("Exclusif across a running server and a tâche: the second one waits, then gets its refusal")
    func exclusifAcrossServerAndTache() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTaches { taches in
            try await taches.addUser("AUTRE")
            let server = try await LiveComptoir.start(
                executable, folder: taches.folder, arguments: ["--dossier", taches.data, "--attente-verrou", "1"])
            defer { server.killIfRunning() }

            // A tâche holds the société exclusively while it imports a large file: the server's
            // request waits its second, then is refused.
            let ini = try taches.writeLargeImport(exclusive: true)
            let tache = Task { try await taches.run(ini, timeout: 600) }
            try await taches.waitForSession()
            try await Self.expectRefusedAfterItsWait(port: server.port, user: "AUTRE")
            let ran = try await tache.value
            #expect(ran.status == 0, "\(ran.standardError)")

            // And the other way: the server's request holds it, the tâche waits, then is refused.
            let large = Self.largeExclusiveImport(user: "AUTRE")
            let importing = Task { await liveExchange(port: server.port, large, timeout: 600) }
            try await taches.waitForSession()
            let waited = ContinuousClock.now
            try taches.write("petit.txt", ["PCF_CODE;CPT_NUMERO;PCF_RS", "P1;411P1;Petit"])
            let refused = try await taches.run(
                try taches.write("petit.ini", Self.gestimumExample.dropLast() + ["FichierImporter=petit.txt"]),
                ["--attente-verrou", "1"])
            #expect(ContinuousClock.now - waited >= .seconds(1))
            #expect(refused.status == 2)
            #expect(refused.standardError == "La société DEMO.Gestimum est ouverte en mode exclusif\n")
            #expect((await importing.value).status == 200)
            await server.stopCleanly()
        }
    }

    /// Both processes commit and copy the log into the société beside each other: their
    /// checkpoints must keep apart from the other's commits (`CheckpointLock`).
    @Test("a tâche and a running server write the same société at once: every import is there, the société sound")
    func tacheBesideServer() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTaches { taches in
            try await taches.addUser("AUTRE")
            let server = try await LiveComptoir.start(
                executable, folder: taches.folder, arguments: ["--dossier", taches.data])
            defer { server.killIfRunning() }
            // Large enough for its log to pass the checkpoints' threshold.
            let large = 50_000
            try taches.write("gros.txt", ["PCF_CODE;CPT_NUMERO;PCF_RS"] + LiveRequest.lines("G", 0..<large))
            let tache = Task {
                try await taches.run(
                    try taches.write("gros.ini", Self.gestimumExample.dropLast() + ["FichierImporter=gros.txt"]),
                    timeout: 600)
            }
            try await taches.waitForSession()
            let imports = 30
            for index in 0..<imports {
                let request = LiveRequest.importClients(
                    societe: "DEMO", user: "AUTRE", password: "", lines: LiveRequest.lines("S\(index)-", 0..<100))
                // Busy past SQLite's 30 s wait behind the tâche's one long transaction (a slow
                // machine), an import answers 503 and leaves nothing: it is sent again.
                let answer = await resending(while: 503, for: 150) { await liveExchange(port: server.port, request) }
                #expect(answer.status == 200, "\(answer.text)")
            }
            let ran = try await tache.value
            #expect(ran.status == 0, "\(ran.standardError)")
            await server.stopCleanly()
            #expect(try taches.rows("SELECT COUNT(*) FROM TIERS") == ["\(large + imports * 100)"])
            #expect(try taches.rows("PRAGMA integrity_check") == ["ok"])
        }
    }

    @Test("a tâche killed with SIGKILL mid-import leaves nothing half-written, and its session is freed for the next")
    func sigkillMidImport() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTaches { taches in
            let ini = try taches.writeLargeImport(exclusive: true)
            let process = Process()
            process.executableURL = executable
            process.arguments = ["tache", ini, "--dossier", taches.data]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await taches.waitForSession()
            // Once it writes: the transaction is open.
            let wal = taches.societe + "-wal"
            let walBefore = liveFileSize(wal)
            let deadline = Date().addingTimeInterval(120)
            while liveFileSize(wal) < walBefore + 1 << 20, Date() < deadline, process.isRunning {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(process.isRunning, "the import ended before it could be killed")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            #expect(try taches.rows("SELECT COUNT(*) FROM TIERS") == ["0"])
            #expect(try taches.rows("PRAGMA integrity_check") == ["ok"])
            // Its exclusive session died with it: the next tâche opens at once.
            try taches.write("ImporterClients.txt", Self.gestimumClients)
            let next = try await taches.run(
                try taches.write("suite.ini", Self.gestimumExample), ["--attente-verrou", "0"])
            #expect(next.status == 0, "\(next.standardError)")
        }
    }

    @Test("a tâche stopped by SIGTERM mid-export ends as the signal would, leaving the previous file and no draft")
    func sigtermMidExport() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTaches { taches in
            try taches.write("ExporterRequeteBaseDonnees.csv", ["précédent"])
            // Rows enough to be still writing when the signal comes.
            let ini = try taches.write(
                "export.ini",
                [
                    "[Tâche]", "Nom=ExporterRequeteBaseDonnees", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO",
                    "[Paramètres]", "FichierDestination=.", "NomColonnes=Non",
                    "Requete=WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
                        + "SELECT i, 'une ligne exportée' FROM n",
                ])
            let process = Process()
            process.executableURL = executable
            process.arguments = ["tache", ini, "--dossier", taches.data]
            process.currentDirectoryURL = URL(fileURLWithPath: taches.folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let drafts = {
                try FileManager.default.contentsOfDirectory(atPath: taches.folder).filter { $0.hasSuffix(".partiel") }
            }
            let deadline = Date().addingTimeInterval(60)
            while try drafts().isEmpty, Date() < deadline, process.isRunning {
                try await Task.sleep(for: .milliseconds(10))
            }
            try #require(process.isRunning, "the export ended before it could be stopped")
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 128 + SIGTERM)
            #expect(try drafts().isEmpty)
            #expect(try taches.read("ExporterRequeteBaseDonnees.csv").lines == ["précédent"])
        }
    }

    @Test("two servers started on the same folder: an exclusive request on one refuses the other's, after its wait")
    func exclusifAcrossTwoServers() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTaches { taches in
            try await taches.addUser("AUTRE")
            let arguments = ["--dossier", taches.data, "--attente-verrou", "1"]
            let first = try await LiveComptoir.start(executable, folder: taches.folder, arguments: arguments)
            defer { first.killIfRunning() }
            let second = try await LiveComptoir.start(executable, folder: taches.folder, arguments: arguments)
            defer { second.killIfRunning() }

            let large = Self.largeExclusiveImport(user: "AUTRE")
            let importing = Task { await liveExchange(port: first.port, large, timeout: 600) }
            try await taches.waitForSession()
            try await Self.expectRefusedAfterItsWait(port: second.port, user: "DEMO")
            #expect(LiveRequest.answer((await importing.value).body, imported: 300_000))
            await first.stopCleanly()
            await second.stopCleanly()
        }
    }

    @Test("deconnecter=Oui on a server ends the same user's tâche in another process: it rolls back and says why")
    func deconnecterAcrossProcesses() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTaches { taches in
            let server = try await LiveComptoir.start(
                executable, folder: taches.folder, arguments: ["--dossier", taches.data])
            defer { server.killIfRunning() }
            let ini = try taches.writeLargeImport(exclusive: false)
            let tache = Task { try await taches.run(ini, timeout: 600) }
            try await taches.waitForSession()

            let body = importBody(
                fichier: "DEMO", utilisateur: "DEMO", motPasse: "", deconnecter: true,
                lines: ["PCF_CODE;CPT_NUMERO;PCF_RS", "S1;411S1;Serveur"],
                parametres: [("entete", "Oui"), ("statistiques", "Oui")])
            let answer = await liveExchange(
                port: server.port, LiveRequest.post("/api/rest/Clients/%22Importer%22", body: Array(body.utf8)))
            #expect(LiveRequest.answer(answer.body, imported: 1), "\(answer.text)")
            let ended = try await tache.value
            #expect(ended.status == 2)
            #expect(ended.standardError == "Session fermée : l'utilisateur DEMO s'est reconnecté\n")
            #expect(try taches.rows("SELECT PCF_CODE FROM TIERS") == ["S1"])
            await server.stopCleanly()
        }
    }

    // MARK: - Support

    /// A 300,000-line import of clients by `user`, exclusive: long enough to be seen running.
    static func largeExclusiveImport(user: String) -> [UInt8] {
        let body = importBody(
            fichier: "DEMO", utilisateur: user, motPasse: "", exclusif: true,
            lines: ["PCF_CODE;CPT_NUMERO;PCF_RS"] + (0..<300_000).map { "H\($0);411H\($0);Client \($0)" },
            parametres: [("entete", "Oui"), ("statistiques", "Oui")])
        return LiveRequest.post("/api/rest/Clients/%22Importer%22", body: Array(body.utf8))
    }

    /// Sends a one-line import of `user` to the server on `port` (started with
    /// `--attente-verrou 1`), which must wait its second, then refuse it: another user has the
    /// société in exclusive mode.
    static func expectRefusedAfterItsWait(
        port: Int, user: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let start = ContinuousClock.now
        let answer = await liveExchange(
            port: port,
            LiveRequest.importClients(societe: "DEMO", user: user, password: "", lines: LiveRequest.lines("S", 0..<1)))
        #expect(ContinuousClock.now - start >= .seconds(1), sourceLocation: sourceLocation)
        #expect(answer.status == 409, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(
            try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: String] == [
                "error": "La société DEMO.Gestimum est ouverte en mode exclusif"
            ], sourceLocation: sourceLocation)
    }

    /// Gestimum's example `.ini` and its client file, written in `taches`, with `statistiques` as
    /// its statistics file; the `.ini`'s path.
    static func gestimumExample(in taches: Taches, statistiques: String) throws -> String {
        try taches.write("ImporterClients.txt", gestimumClients)
        return try taches.write("a.ini", gestimumExample) {
            $0.replacingOccurrences(of: "Statistiques=ImporterClients.stat", with: "Statistiques=\(statistiques)")
        }
    }

    @Test(
        "a full temporary folder, where SQLite keeps a copy of the pages an import changes, is named as such, and nothing is changed",
        .enabled(if: SmallFileSystem.isAvailable, "no file system can be mounted here"))
    func aFullTemporaryFolderIsNamed() async throws {
        try await withTaches { taches in
            let temporary = try #require(SmallFileSystem(kibibytes: 64))
            func writeClients(named name: String) throws {
                try taches.write(
                    "gros.txt", ["PCF_CODE;CPT_NUMERO;PCF_RS"] + (0..<20_000).map { "G\($0);411G\($0);\(name) \($0)" })
            }
            try writeClients(named: "Client")
            let ini = try taches.write("gros.ini", Self.gestimumExample.dropLast() + ["FichierImporter=gros.txt"])
            let created = try await taches.run(ini)
            try #require(created.status == 0, "\(created.standardError)")
            // Updating the rows a société holds: SQLite keeps a copy of each page it changes.
            try writeClients(named: "Nouveau nom")
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = temporary.path
            environment.removeValue(forKey: "SQLITE_TMPDIR")
            let run = try await runComptoir(
                taches.executable, ["tache", ini, "--dossier", taches.data], directory: taches.folder,
                environment: environment)
            #expect(run.status == 2)
            #expect(
                run.standardError.contains(
                    "Espace disque insuffisant dans le dossier temporaire \(temporary.path) : rien n'a été écrit dans la société DEMO"
                ), "\(run.standardError)")
            #expect(try taches.rows("SELECT count(*) FROM TIERS WHERE PCF_RS LIKE 'Client %'") == ["20000"])
        }
    }

    /// The journal line without its time, `dd/MM/yyyy HH:mm:ss `.
    static func withoutTime(_ line: String) -> String { String(line.dropFirst(20)) }

    /// A folder of tâches beside a data folder holding DEMO (user DEMO, no password).
    struct Taches {
        let executable: URL
        /// Where the `.ini` and data files are.
        let folder: String
        let data: String
        var societe: String { data + "/DEMO.Gestimum" }

        /// Writes `lines` with CRLF ends, in Windows-1252 or in UTF-8 with a BOM, after `edit`.
        @discardableResult
        func write(
            _ name: String, _ lines: [String], encoding: String.Encoding = .windowsCP1252,
            edit: (String) -> String = { $0 }
        ) throws -> String {
            let text = edit(lines.joined(separator: "\r\n") + "\r\n")
            let bytes = encoding == .utf8 ? Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8) : text.data(using: encoding)!
            let path = folder + "/" + name
            try bytes.write(to: URL(fileURLWithPath: path))
            return path
        }

        /// The lines of a file the tâche wrote, its bytes, and its encoding (a UTF-8 BOM, or
        /// Windows-1252); every line must end with CRLF.
        func read(_ name: String) throws -> (lines: [String], bytes: Data, encoding: String.Encoding) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            let isUTF8 = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            let text =
                isUTF8
                ? String(decoding: bytes.dropFirst(3), as: UTF8.self) : String(data: bytes, encoding: .windowsCP1252)!
            #expect(text.hasSuffix("\r\n"))
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            let lines = text.components(separatedBy: "\r\n").dropLast()
            return (Array(lines), bytes, isUTF8 ? .utf8 : .windowsCP1252)
        }

        func comptoir(_ arguments: [String], timeout: TimeInterval = 60) async throws -> ProcessOutcome {
            try await runComptoir(executable, arguments, directory: folder, timeout: timeout)
        }

        func run(_ ini: String, _ options: [String] = [], timeout: TimeInterval = 60) async throws -> ProcessOutcome {
            try await comptoir(["tache", ini, "--dossier", data] + options, timeout: timeout)
        }

        /// The first column of each row of `sql` on DEMO, as text.
        func rows(_ sql: String) throws -> [String] {
            let queue = try DatabaseQueue(path: societe, configuration: .patient)
            defer { try? queue.close() }
            return try queue.read { db in try String.fetchAll(db, sql: sql) }
        }

        func addUser(_ user: String) async throws {
            let added = try await comptoir(["utilisateur", "creer", user, "--societe", "DEMO", "--dossier", data])
            try #require(added.status == 0, "\(added.standardError)")
        }

        /// Writes a 300,000-line client file and the `.ini` of its import by DEMO, exclusive
        /// or not, and returns the `.ini`'s path.
        func writeLargeImport(exclusive: Bool) throws -> String {
            try write(
                "gros.txt", ["PCF_CODE;CPT_NUMERO;PCF_RS"] + (0..<300_000).map { "G\($0);411G\($0);Client \($0)" })
            return try write("gros.ini", TacheTests.gestimumExample.dropLast() + ["FichierImporter=gros.txt"]) {
                $0.replacingOccurrences(
                    of: "Utilisateur=DEMO  ", with: "Utilisateur=DEMO\r\nExclusif=\(exclusive ? "Oui" : "Non")")
            }
        }

        /// Returns once a session is open on DEMO.
        func waitForSession() async throws { try await ComptoirCLITests.waitForSession(on: societe) }
    }

    private func withTaches(_ body: (Taches) async throws -> Void) async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let data = folder + "/societes"
            let taches = Taches(executable: executable, folder: folder + "/taches", data: data)
            try FileManager.default.createDirectory(atPath: taches.folder, withIntermediateDirectories: true)
            let created = try await runComptoir(
                executable, ["societe", "creer", "DEMO", "--utilisateur", "DEMO", "--dossier", data], directory: folder)
            try #require(created.status == 0, "societe creer: \(created.standardError)")
            try await body(taches)
        }
    }
}
