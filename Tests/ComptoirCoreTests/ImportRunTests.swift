import ComptoirTestSupport
import Synchronization
import Testing

@testable import ComptoirCore

/// Running an import's lines, and the journal and answer made of it (contract, sections 3 to 5).
@Suite struct ImportRunTests {

    private func run(
        _ lines: [String], nomsChamps: String = "", entete: Bool = false, qualifier: Unicode.Scalar? = nil,
        type: TiersType = .client, journal: Bool = true, readAhead: any ReadAhead = InlineReading(),
        store: MemoryStore
    ) throws -> (report: ImportReport, layout: FieldLayout) {
        let parametres = importParameters(
            nomsChamps: nomsChamps, entete: entete, qualifier: qualifier, lines: lines, journal: journal)
        let catalogue: Catalogue =
            switch type {
            case .client: .clients
            case .fournisseur: .fournisseurs
            case .prospect: .prospects
            }
        let layout = try FieldLayout(parametres: parametres, catalogue: catalogue)
        let report = try ImportRun.run(
            parametres: parametres, layout: layout,
            rules: TiersRules(type: type, catalogue: catalogue, stamp: AuditStamp.creation),
            store: store, readAhead: readAhead)
        return (report, layout)
    }

    /// A line of nothing but spaces, tabs or a DOS end of file (`^Z`) is empty too.
    @Test func linesAreNumberedFromOneWithoutTheHeaderAndEmptyLinesKeepTheirNumber() throws {
        let store = MemoryStore()
        let (report, _) = try run(
            [
                "PCF_CODE;PCF_RS;CPT_NUMERO", "C1;Alpha;411C1", "", "C2;;411C2", " \t ", "C3;Charlie;411C3", "C4",
                "\u{1A}",
            ],
            entete: true, store: store)
        #expect(report.importedCount == 2)
        #expect(report.rejectedCount == 2)
        #expect(
            report.entries == [
                .init(line: 3, outcome: .rejected(LineRejection(["Raison sociale manquante"]))),
                .init(
                    line: 6,
                    outcome: .rejected(LineRejection(["Raison sociale manquante", "Numéro de compte manquant"]))),
            ])
        #expect(store.tiersRows.keys.sorted() == ["C1", "C3"])
    }

    /// Reads each chunk as soon as it is started, before the chunk ahead of it is applied, as a
    /// host reading on another thread may.
    private struct EagerReading: ReadAhead {
        func start<Lines: Sendable>(_ read: @escaping @Sendable () -> Lines) -> () -> Lines {
            let lines = read()
            return { lines }
        }
    }

    @Test(
        "lines read in chunks ahead of the rules keep their order, numbers and outcomes",
        arguments: [false, true])
    func linesAcrossChunks(readEagerly: Bool) throws {
        let count = 2 * ImportRun.chunkSize + 300
        // The first two chunks end after data lines chunkSize and 2 × chunkSize.
        let rejected: Set<Int> = [1, ImportRun.chunkSize, ImportRun.chunkSize + 1, 2 * ImportRun.chunkSize, count]
        let empty: Set<Int> = [ImportRun.chunkSize - 1, 2 * ImportRun.chunkSize + 1]
        let lines = (1...count).map { number in
            if empty.contains(number) { return "" }
            // Each line past the first chunk also updates the client of a line of the chunk before.
            let code =
                number > ImportRun.chunkSize && number % 2 == 0 ? "C\(number - ImportRun.chunkSize)" : "C\(number)"
            return rejected.contains(number) ? "\(code);;411\(code)" : "\(code);Nom \(number);411\(code)"
        }
        let store = MemoryStore()
        let readAhead: any ReadAhead = readEagerly ? EagerReading() : InlineReading()
        let (report, _) = try run(
            ["PCF_CODE;PCF_RS;CPT_NUMERO"] + lines, entete: true, readAhead: readAhead, store: store)

        #expect(report.rejectedCount == rejected.count)
        #expect(report.importedCount == count - rejected.count - empty.count)
        #expect(
            report.entries
                == rejected.sorted().map {
                    .init(line: $0, outcome: .rejected(LineRejection(["Raison sociale manquante"])))
                })
        // The last line to name a client wrote it: the lines ran in their order.
        #expect(store.tiersRows["C2"]?["PCF_RS"] == .text("Nom \(ImportRun.chunkSize + 2)"))
        #expect(store.tiersRows["C3"]?["PCF_RS"] == .text("Nom 3"))
    }

    /// A line of `groupsAcrossChunks`: its key (`-` for none), and whether what only a group's
    /// first line needs was dropped.
    private struct KeyedLine: Sendable {
        let number: Int
        let place: GroupPlace
        var trimmed = false
    }

    @Test(
        "groups run across chunks; only lines that continue a group are trimmed where they are read",
        arguments: [false, true])
    func groupsAcrossChunks(readEagerly: Bool) throws {
        let size = ImportRun.chunkSize
        // Runs of one key, some starting a chunk, some crossing into the next; lines that follow
        // the group before them (`-`) at the very start and at a chunk's start; lines of an
        // unknown group (`?`), one of them at a chunk's start, each joining the groups on both
        // sides; lines of which a part of the key is read (`?H`), joining the line before and
        // the line after only when they have that part.
        var texts = ["-", "A", "A", "-", "B", "?", "C"]
        texts += Array(repeating: "C", count: size - texts.count - 1) + ["D"]
        texts += ["?", "E", "-", "E"] + Array(repeating: "F", count: size - 5) + ["", "F"]
        texts += ["-", "G", "", "G", "H", "?H", "I", "?I", "I", "?J", "J", "?K", "K", "?", "?L", "L"]
        let numbered = texts.enumerated().map { $0.element.isEmpty ? "" : "\($0.offset + 1);\($0.element)" }
        let parametres = importParameters(nomsChamps: "PCF_CODE", entete: false, lines: numbered, journal: true)
        let layout = try FieldLayout(parametres: parametres, catalogue: .clients)
        var groups: [[KeyedLine]] = []
        try ImportRun.forEachGroup(
            of: parametres, layout: layout, readAhead: readEagerly ? EagerReading() : InlineReading(), stop: { false },
            read: { text in
                let parts = text.split(separator: ";")
                let place: GroupPlace =
                    if parts[1] == "-" {
                        .following
                    } else if parts[1].hasPrefix("?") {
                        .unknown(readable: parts[1].count > 1 ? [String(parts[1].dropFirst())] : [])
                    } else {
                        .keyed([String(parts[1])])
                    }
                return KeyedLine(number: Int(parts[0])!, place: place)
            },
            place: { $0.place }, trimFollowing: { $0.trimmed = true },
            group: { run in groups.append(run.map { $0.line }) })

        // Grouping as the contract says, reckoned here line by line.
        var expected: [[Int]] = []
        // The key of the last line with one, nil where it could not be read.
        var lastKey: String??
        for (index, text) in texts.enumerated() where !text.isEmpty {
            if text != "-" {
                let key = text.hasPrefix("?") ? (text.count > 1 ? String(text.dropFirst()) : nil) : text
                // The first line with a key starts a group; a later one, when a part read on it
                // and on the line before differs.
                if let last = lastKey {
                    if let known = last, let key, key != known { expected.append([]) }
                } else {
                    expected.append([])
                }
                lastKey = .some(key)
            }
            if expected.isEmpty { expected.append([]) }
            expected[expected.count - 1].append(index + 1)
        }
        // -, then A A -, then B ? C…, then D ? E - E: an unknown line joins the groups on both sides.
        #expect(expected.map(\.count).prefix(4) == [1, 3, size - 5, 5])
        // H ?H, I ?I I, ?J J, then ?K K ? ?L L: a part read that differs from the line before
        // starts a group, one that agrees, or a line with none read, does not.
        #expect(expected.map(\.count).suffix(4) == [2, 3, 2, 5])
        #expect(groups.map { $0.map(\.number) } == expected)
        #expect(groups.allSatisfy { !$0[0].trimmed })
        // Every line that continues its group is trimmed, but for those that start a chunk,
        // whose reader cannot know the line before them.
        #expect(groups.flatMap { $0.dropFirst() }.filter { !$0.trimmed }.map(\.number) == [size + 1, 2 * size + 1])
    }

    @Test("a chunk holds up to chunkSize lines and about chunkBytes of text, and at least one line")
    func chunkBounds() {
        let short = StringList(Array(repeating: "C1;Nom;411C1", count: 2 * ImportRun.chunkSize + 10))
        #expect(ImportRun.chunk(of: short, from: 1) == 1..<(1 + ImportRun.chunkSize))
        #expect(ImportRun.chunk(of: short, from: 2 * ImportRun.chunkSize) == (2 * ImportRun.chunkSize)..<short.count)
        #expect(ImportRun.chunk(of: short, from: short.count).isEmpty)

        // Lines of 0.4 chunkBytes: two stay under the bound, the third reaches it.
        let long = StringList(Array(repeating: String(repeating: "x", count: ImportRun.chunkBytes * 2 / 5), count: 10))
        #expect(ImportRun.chunk(of: long, from: 0) == 0..<3)
        #expect(ImportRun.chunk(of: long, from: 9) == 9..<10)
        let huge = StringList([String(repeating: "x", count: 3 * ImportRun.chunkBytes), "C1;Nom;411C1"])
        #expect(ImportRun.chunk(of: huge, from: 0) == 0..<1)
    }

    @Test("a stop asked in a later chunk ends the run")
    func stopInALaterChunk() throws {
        let lines = (1...(3 * ImportRun.chunkSize)).map { "C\($0);Nom \($0);411C\($0)" }
        let parametres = importParameters(
            nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", entete: false, lines: lines, journal: true)
        let layout = try FieldLayout(parametres: parametres, catalogue: .clients)
        let store = MemoryStore()
        var asked = 0
        #expect(throws: ImportStopped.self) {
            try ImportRun.run(
                parametres: parametres, layout: layout,
                rules: TiersRules(type: .client, catalogue: .clients, stamp: AuditStamp.creation), store: store,
                stop: {
                    asked += 1
                    return asked > ImportRun.chunkSize + 10
                })
        }
        #expect(store.tiersRows.count == ImportRun.chunkSize + 10)
    }

    @Test func withoutHeaderTheFirstLineIsData() throws {
        let store = MemoryStore()
        let (report, _) = try run(
            ["", "C1;Alpha;411C1", "C2;;411C2"], nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", store: store)
        #expect(report.importedCount == 1)
        #expect(report.entries == [.init(line: 3, outcome: .rejected(LineRejection(["Raison sociale manquante"])))])
    }

    @Test func nomsChampsWithEnteteSkipsTheHeaderLine() throws {
        let store = MemoryStore()
        let (report, _) = try run(
            ["Code;Nom;Compte", "C1;Alpha;411C1"], nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", entete: true, store: store)
        #expect(report.importedCount == 1)
        #expect(report.rejectedCount == 0)
        #expect(store.tiersRows["Code"] == nil)
        #expect(store.tiersRows["C1"]?["PCF_RS"] == .text("Alpha"))
    }

    @Test func linesRejectedWhileReadingAreReported() throws {
        let store = MemoryStore()
        let (report, _) = try run(
            ["C1;\"Alpha;411C1", "C2;Bravo;411C2;01/01/2020;x", "C3;Charlie;411C3;31/02/2020"],
            nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_DATIMM", qualifier: "\"", store: store)
        #expect(report.importedCount == 0)
        #expect(
            report.entries == [
                .init(line: 1, outcome: .rejected(LineRejection(["Identificateur de texte non fermé"]))),
                .init(
                    line: 2,
                    outcome: .rejected(LineRejection(["La ligne comporte 5 champs alors que 4 sont attendus"]))),
                .init(
                    line: 3,
                    outcome: .rejected(
                        LineRejection(["Le champ PCF_DATIMM n'est pas une date valide : 31/02/2020"]))),
            ])
        #expect(store.changes.isEmpty)
    }

    @Test func warningsAreReportedForImportedLines() throws {
        let store = MemoryStore()
        let (report, _) = try run(
            ["C1;Alpha;411C1;a@b", "C2;Bravo;411C2;bravo"], nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_EMAIL",
            store: store)
        #expect(report.importedCount == 2)
        #expect(report.rejectedCount == 0)
        #expect(
            report.entries == [
                .init(line: 1, outcome: .imported(warnings: ["L'adresse e-mail a@b n'est pas valide"])),
                .init(line: 2, outcome: .imported(warnings: ["L'adresse e-mail bravo n'est pas valide"])),
            ])
    }

    @Test func sameCodeTwiceInOneRunUpdates() throws {
        let store = MemoryStore()
        let (report, _) = try run(
            ["C1;Alpha;411C1;Paris", "C1;Alpha bis;411C1"], nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_VILLE",
            store: store)
        #expect(report.importedCount == 2)
        #expect(report.entries == [])
        // The second line holds no billing column: address 001 is written only by the first.
        #expect(store.changes.map(\.table) == ["TIERS", "ADRESSES", "COMPTES", "TIERS", "COMPTES"])
        #expect(store.changes.map(\.kind) == [.create, .create, .create, .update, .update])
        #expect(store.row("ADRESSES", "PCF", "C1", "001")?["ADR_VILLE"] == .text("Paris"))
        #expect(store.tiersRows["C1"]?["PCF_RS"] == .text("Alpha bis"))
        #expect(store.tiersRows["C1"]?["PCF_VILLE"] == .text("Paris"))
        #expect(store.tiersRows["C1"]?["PCF_NUMMAJ"] == .integer(2))
        #expect(store.accountRows["411C1"]?["CPT_LIB"] == .text("Alpha bis"))
    }

    @Test func customColumnsAreAddedBeforeTheLines() throws {
        let store = MemoryStore()
        let (report, layout) = try run(
            ["C1;Alpha;411C1;Bleu"], nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;xxx_couleur", store: store)
        #expect(layout.customFields == ["XXX_COULEUR"])
        #expect(store.customColumns == ["TIERS": ["XXX_COULEUR"]])
        #expect(report.importedCount == 1)
        #expect(store.tiersRows["C1"]?["XXX_COULEUR"] == .text("Bleu"))
    }

    /// Without a journal, nobody reads the lines' reasons and warnings: they are counted, not kept.
    @Test func withoutAJournalReasonsAndWarningsAreCountedNotKept() throws {
        let store = MemoryStore()
        let lines = ["PCF_CODE;PCF_RS;CPT_NUMERO;PCF_SIREN", "C1;Alpha;411C1;123456789", "C2;;411C2;"]
        let (report, _) = try run(lines, entete: true, journal: false, store: store)
        #expect(report.importedCount == 1)
        #expect(report.rejectedCount == 1)
        #expect(report.entries.isEmpty)
        let (journaled, _) = try run(lines, entete: true, store: MemoryStore())
        #expect(journaled.entries.map(\.line) == [1, 2])
    }

    /// Entries handed to a sink as they come; a run started again (its transaction lost)
    /// restarts it, so that no entry is written twice.
    @Test func aSinkTakesTheEntriesOnceEvenWhenTheRunStartsAgain() throws {
        final class Collected: LineEntrySink, @unchecked Sendable {
            var entries: [ImportReport.LineEntry] = []
            func add(_ entry: ImportReport.LineEntry) { entries.append(entry) }
            func restart() { entries = [] }
        }
        let sink = Collected()
        let parametres = importParameters(
            nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["C1;;411C1", "C2;Deux;411C2"], journal: true)
        let layout = try FieldLayout(parametres: parametres, catalogue: .clients)
        let rules = TiersRules(type: .client, catalogue: .clients, stamp: .creation)
        for _ in 0..<2 {
            let report = try ImportRun.run(
                parametres: parametres, layout: layout, rules: rules, store: MemoryStore(), sink: sink)
            #expect(report.entries.isEmpty)
            #expect(report.rejectedCount == 1)
        }
        #expect(sink.entries == [.init(line: 1, outcome: .rejected(LineRejection(["Raison sociale manquante"])))])
    }

    @Test func noLinesImportsNothing() throws {
        let store = MemoryStore()
        let (report, _) = try run(["PCF_CODE;PCF_RS;CPT_NUMERO"], entete: true, store: store)
        #expect(report == ImportReport())
        #expect(store.changes.isEmpty)
    }
}

/// The journal of a request (contract, section 5).
@Suite struct JournalTests {
    static let time = "15/03/2024 10:20:30"

    private func journal() -> Journal { Journal(now: { Self.time }) }

    private func report(imported: Int, rejected: Int, entries: [ImportReport.LineEntry] = []) -> ImportReport {
        var report = ImportReport()
        report.importedCount = imported
        report.rejectedCount = rejected
        report.entries = entries
        return report
    }

    @Test func linesStartWithTheTimeAndASpace() {
        var journal = journal()
        journal.add("Lancement de la tâche ImporterClients")
        #expect(journal.lines == ["15/03/2024 10:20:30 Lancement de la tâche ImporterClients"])
    }

    @Test func successLineOnlyWhenSomethingWasImportedAndNothingRejected() {
        var success = journal()
        success.add(report: report(imported: 1, rejected: 0), notices: [])
        #expect(
            success.lines == [
                "15/03/2024 10:20:30 L'import a été effectué avec succès.",
                "15/03/2024 10:20:30 Nombre de lignes importées : 1",
                "15/03/2024 10:20:30 Nombre de lignes non importées : 0",
            ])

        var nothing = journal()
        nothing.add(report: report(imported: 0, rejected: 0), notices: [])
        #expect(
            nothing.lines == [
                "15/03/2024 10:20:30 Nombre de lignes importées : 0",
                "15/03/2024 10:20:30 Nombre de lignes non importées : 0",
            ])

        var partly = journal()
        partly.add(
            report: report(
                imported: 5, rejected: 1,
                entries: [.init(line: 2, outcome: .rejected(LineRejection(["Code manquant"])))]), notices: [])
        #expect(!partly.lines.contains { $0.hasSuffix("L'import a été effectué avec succès.") })
        #expect(partly.lines.first == "15/03/2024 10:20:30 Nombre de lignes importées : 5")

        var allRejected = journal()
        allRejected.add(
            report: report(
                imported: 0, rejected: 1,
                entries: [.init(line: 1, outcome: .rejected(LineRejection(["Code manquant"])))]), notices: [])
        #expect(!allRejected.lines.contains { $0.hasSuffix("L'import a été effectué avec succès.") })
    }

    @Test func rejectionsAndWarningsInLineOrder() {
        var journal = journal()
        journal.add(
            report: report(
                imported: 2, rejected: 2,
                entries: [
                    .init(line: 1, outcome: .imported(warnings: ["Le prospect P1 a été transformé en client"])),
                    .init(
                        line: 3,
                        outcome: .rejected(
                            LineRejection(["Raison sociale manquante", "Numéro de compte manquant"]))),
                    .init(
                        line: 4,
                        outcome: .imported(warnings: [
                            "Le numéro SIREN 123456789 n'est pas valide", "L'adresse e-mail x n'est pas valide",
                        ])),
                    .init(line: 7, outcome: .rejected(LineRejection(["Identificateur de texte non fermé"]))),
                ]),
            notices: ["Le champ FOO est inconnu : colonne ignorée"])
        #expect(
            journal.lines == [
                "15/03/2024 10:20:30 Le champ FOO est inconnu : colonne ignorée",
                "15/03/2024 10:20:30 Nombre de lignes importées : 2",
                "15/03/2024 10:20:30 Nombre de lignes non importées : 2",
                "15/03/2024 10:20:30 La ligne 1 comporte les avertissements suivants :",
                "15/03/2024 10:20:30 Le prospect P1 a été transformé en client",
                "15/03/2024 10:20:30 La ligne 3 n'a pas pu être importée :",
                "15/03/2024 10:20:30 Raison sociale manquante",
                "15/03/2024 10:20:30 Numéro de compte manquant",
                "15/03/2024 10:20:30 La ligne 4 comporte les avertissements suivants :",
                "15/03/2024 10:20:30 Le numéro SIREN 123456789 n'est pas valide",
                "15/03/2024 10:20:30 L'adresse e-mail x n'est pas valide",
                "15/03/2024 10:20:30 La ligne 7 n'a pas pu être importée :",
                "15/03/2024 10:20:30 Identificateur de texte non fermé",
            ])
    }

    /// A whole request, from the lines to the answer's text.
    @Test func aWholeImportJournalAndAnswer() throws {
        let parametres = importParameters(
            entete: true,
            lines: [
                "PCF_CODE;PCF_RS;CPT_NUMERO;FOO;PCF_EMAIL", "C1;Alpha;411C1;x;", "", "C2;;411C2;;",
                "C3;Charlie;411C3;;c@d", "C1;Alpha bis;411C1;;", "C4;Delta;411C4;;;;extra",
            ], journal: true, statistiques: true)
        let layout = try FieldLayout(parametres: parametres, catalogue: .clients)
        let store = MemoryStore()
        let report = try ImportRun.run(
            parametres: parametres, layout: layout,
            rules: TiersRules(type: .client, catalogue: .clients, stamp: AuditStamp.creation), store: store)
        let chemin = "/srv/comptoir/DEMO.Gestimum"
        var journal = journal()
        journal.add("Ouverture de la société \(chemin)")
        journal.add("Société \(chemin) ouverte")
        journal.add("Lancement de la tâche \(Domaine.clients.taskName)")
        journal.add(report: report, notices: layout.notices)
        journal.add("Tâche \(Domaine.clients.taskName) terminée")
        journal.add("Fermeture de la société \(chemin)")
        let expectedJournal = [
            "Ouverture de la société /srv/comptoir/DEMO.Gestimum",
            "Société /srv/comptoir/DEMO.Gestimum ouverte",
            "Lancement de la tâche ImporterClients",
            "Le champ FOO est inconnu : colonne ignorée",
            "Nombre de lignes importées : 3",
            "Nombre de lignes non importées : 2",
            "La ligne 3 n'a pas pu être importée :",
            "Raison sociale manquante",
            "La ligne 4 comporte les avertissements suivants :",
            "L'adresse e-mail c@d n'est pas valide",
            "La ligne 6 n'a pas pu être importée :",
            "La ligne comporte 7 champs alors que 5 sont attendus",
            "Tâche ImporterClients terminée",
            "Fermeture de la société /srv/comptoir/DEMO.Gestimum",
        ].map { "15/03/2024 10:20:30 " + $0 }
        #expect(journal.lines == expectedJournal)

        let answer = Answer.importDone(journal: journal.lines, report: report).asciiText
        let journalText = expectedJournal.map { JSONValue.string($0).asciiText }.joined(separator: ",")
        #expect(
            answer
                == #"{"result":[{"resultat":"succ\u00E8s","message":"termin\u00E9","journal":["#
                + journalText
                + #"],"statistiques":{"nombre_lignes_import\u00E9es":"3","nombre_lignes_non_import\u00E9es":"2"}}]}"#)
    }
}

/// The bodies of the answers (contract, sections 1, 5 and 6).
@Suite struct AnswerTests {
    private func report(imported: Int, rejected: Int) -> ImportReport {
        var report = ImportReport()
        report.importedCount = imported
        report.rejectedCount = rejected
        return report
    }

    @Test func importDoneWithNeitherJournalNorStatistics() {
        let answer = Answer.importDone(journal: nil, report: nil)
        #expect(
            answer
                == .object([
                    ("result", .array([.object([("resultat", .string("succès")), ("message", .string("terminé"))])]))
                ]))
        #expect(
            answer.asciiText == #"{"result":[{"resultat":"succ\u00E8s","message":"termin\u00E9"}]}"#)
    }

    @Test func importDoneKeysInOrderAndStatisticsAsStrings() {
        let answer = Answer.importDone(journal: ["a", "b"], report: report(imported: 12, rejected: 3))
        #expect(
            answer
                == .object([
                    (
                        "result",
                        .array([
                            .object([
                                ("resultat", .string("succès")), ("message", .string("terminé")),
                                ("journal", .array([.string("a"), .string("b")])),
                                (
                                    "statistiques",
                                    .object([
                                        ("nombre_lignes_importées", .string("12")),
                                        ("nombre_lignes_non_importées", .string("3")),
                                    ])
                                ),
                            ])
                        ])
                    )
                ]))
    }

    @Test func importDoneWithOnlyOneOfThem() {
        #expect(
            Answer.importDone(journal: [], report: nil)
                == .object([
                    (
                        "result",
                        .array([
                            .object([
                                ("resultat", .string("succès")), ("message", .string("terminé")),
                                ("journal", .array([])),
                            ])
                        ])
                    )
                ]))
        #expect(
            Answer.importDone(journal: nil, report: report(imported: 0, rejected: 0)).asciiText
                == #"{"result":[{"resultat":"succ\u00E8s","message":"termin\u00E9","statistiques":"#
                + #"{"nombre_lignes_import\u00E9es":"0","nombre_lignes_non_import\u00E9es":"0"}}]}"#)
    }

    @Test func messageAndError() {
        #expect(
            Answer.message("1.0.0 (15/03/2024 10:20:30)")
                == .object([
                    (
                        "result",
                        .array([
                            .object([
                                ("resultat", .string("succès")), ("message", .string("1.0.0 (15/03/2024 10:20:30)")),
                            ])
                        ])
                    )
                ]))
        #expect(
            Answer.error("Paramètre fichier_clients manquant")
                == .object([("error", .string("Paramètre fichier_clients manquant"))]))
        #expect(
            Answer.error("Utilisateur ou mot de passe incorrect").asciiText
                == #"{"error":"Utilisateur ou mot de passe incorrect"}"#)
    }

    /// The contract's example, run through the whole pure pipeline, answers its example answer byte for byte.
    @Test
    func contractExampleEndToEnd() throws {
        let request = try ImportRequest.decode(
            body: try JSONValue.parse(try Examples.bytes("clients-importer.requete.json")), domaine: .clients)
        #expect(try SocieteName.fileName(for: request.societe.fichier) == "DEMO.Gestimum")
        let layout = try FieldLayout(parametres: request.parametres, catalogue: request.domaine.catalogue)
        let store = MemoryStore()
        let report = try ImportRun.run(
            parametres: request.parametres, layout: layout,
            rules: TiersRules(
                type: .client, catalogue: .clients, stamp: AuditStamp(user: "DEMO", time: "2019-09-10 18:57:35")),
            store: store)
        #expect(
            store.tiersRows["C42"]?["PCF_COMP"] == .text("ZA Du Pâtis")
                && store.tiersRows["C42"]?["PCF_VILLE"] == .text("RAMBOUILLET"))

        // The example's first line is 6 seconds earlier than the others.
        let calls = CallCounter()
        var journal = Journal(now: {
            calls.count.withLock { count in
                count += 1
                return count == 1 ? "10/09/2019 18:57:29" : "10/09/2019 18:57:35"
            }
        })
        let chemin = #"C:\ProgramData\Gestimum\DEMO.Gestimum"#
        journal.add("Ouverture de la société \(chemin)")
        journal.add("Société \(chemin) ouverte")
        journal.add("Lancement de la tâche \(request.domaine.taskName)")
        journal.add(report: report, notices: layout.notices)
        journal.add("Tâche \(request.domaine.taskName) terminée")
        journal.add("Fermeture de la société \(chemin)")
        let answer = Answer.importDone(
            journal: request.parametres.journal ? journal.lines : nil,
            report: request.parametres.statistiques ? report : nil)
        #expect(Array(answer.asciiText.utf8) == (try Examples.bytes("clients-importer.retour.json")))
    }
}

/// Counts the calls of a `@Sendable` closure.
private final class CallCounter: Sendable {
    let count = Mutex(0)
}
