import ArgumentParser
import Foundation

/// `comptoir-bench`: Comptoir's speed and memory, printed as a table. Never part of the tests.
@main
struct ComptoirBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comptoir-bench",
        abstract: "Mesurer la vitesse et la mémoire de Comptoir (serveur compilé en release).",
        discussion: """
            Lancer après `swift build -c release` :
              swift run -c release comptoir-bench

            Mesure l'import en masse par HTTP, le plancher (les mêmes lignes écrites dans le même \
            schéma par le programme le plus simple), le plafond (ces lignes copiées par SQLite seul \
            depuis une table en mémoire), l'import en test (tester=Oui), les petites requêtes \
            concurrentes, l'import de lignes toutes averties (avec et sans journal), de gros imports \
            envoyés ensemble sous un budget de mémoire, et une foule de requêtes à demi envoyées. \
            Avec --postgres, l'import en masse, son plancher (COPY de PostgreSQL) et les petites \
            requêtes sur un et deux serveurs d'une société PostgreSQL.
            """
    )

    @Option(name: .long, help: "Nombre de lignes de l'import en masse.")
    var lignes = 1_000_000

    @Option(name: .long, help: "Clients concurrents des petites requêtes.")
    var clients = 16

    @Option(name: .long, help: "Durée des petites requêtes, en secondes.")
    var duree = 20

    @Option(name: .long, help: "Mesures de l'import, du plancher, du plafond et du test : la meilleure est retenue.")
    var repetitions = 3

    @Option(name: .long, help: "Requêtes à demi envoyées que tient la foule (0 : pas de mesure de la foule).")
    var foule = 2_000

    @Option(name: .customLong("duree-foule"), help: "Durée de la mesure de la foule, en secondes.")
    var dureeFoule = 120

    @Option(
        name: .customLong("lignes-averties"),
        help: "Lignes de l'import dont chaque ligne porte un avertissement, avec et sans journal (0 : pas de mesure).")
    var lignesAverties = 1_000_000

    @Option(
        name: .customLong("imports-simultanes"),
        help: "Gros imports envoyés ensemble, chacun par son utilisateur (0 : pas de mesure).")
    var importsSimultanes = 6

    @Option(name: .customLong("lignes-simultanees"), help: "Lignes de chacun des imports envoyés ensemble.")
    var lignesSimultanees = 300_000

    @Option(help: "Lignes de l'import d'articles, de 30 champs (0 : pas de mesure).")
    var articles = 1_000_000

    @Option(help: "Lignes de l'import de factures de vente, de 5 lignes chacune (0 : pas de mesure).")
    var documents = 1_000_000

    @Option(
        help:
            "Lignes de l'import d'écritures GestimumComptaVariable, en pièces de 3 lignes avec quelques échéances et ventilations (0 : pas de mesure)."
    )
    var ecritures = 1_000_000

    @Option(help: "Lignes exportées par la tâche ExporterRequeteBaseDonnees (0 : pas de mesure).")
    var export = 1_000_000

    @Option(help: "Clients relus par l'API de lecture, en une page JSON puis CSV (0 : pas de mesure).")
    var lecture = 1_000_000

    @Option(
        help:
            "Base PostgreSQL où mesurer aussi l'import en masse, son plancher (COPY) et les petites requêtes sur un et deux serveurs : postgres://utilisateur:motdepasse@hote:port/base. Les schémas créés sont supprimés à la fin."
    )
    var postgres: String?

    @Option(name: .long, help: "Le serveur à mesurer.")
    var serveur = ".build/release/comptoir"

    @Option(name: .long, help: "Premier port d'écoute à utiliser (127.0.0.1).")
    var port = 18_080

    func validate() throws {
        guard lignes >= 1, clients >= 1, duree >= 1, repetitions >= 1, dureeFoule >= 1, lignesSimultanees >= 1 else {
            throw ValidationError(
                "--lignes, --clients, --duree, --repetitions, --duree-foule et --lignes-simultanees valent au moins 1")
        }
        guard [foule, lignesAverties, importsSimultanes, articles, documents, ecritures].allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("Un nombre de lignes ou de requêtes ne peut pas être négatif")
        }
        // Each is measured on a tenth of its rows too.
        for (name, rows) in [("--export", export), ("--lecture", lecture)] where rows != 0 && rows < 10 {
            throw ValidationError("\(name) vaut 0 (pas de mesure) ou au moins 10")
        }
    }

    /// Measures an import of `lines` lines (`importing`) and SQLite's own copy of its rows
    /// (`copying`), each `repetitions` times in a folder of its own, and adds the best of each and
    /// their ratio to `table`.
    private func measureAgainstCeiling(
        _ importName: String, ceilingName: String, ratioName: String, lines: Int, folderName: String,
        into table: inout ResultTable, importing: (String) async throws -> BulkImport.Figures,
        copying: (String) throws -> Double
    ) async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("comptoir-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        var importRuns: [Double] = []
        var ceilingRuns: [Double] = []
        for run in 0..<max(1, repetitions) {
            let folder = work.appendingPathComponent("\(folderName)-\(run)")
            importRuns.append(try await importing(folder.appendingPathComponent("import").path).seconds)
            ceilingRuns.append(try copying(folder.appendingPathComponent("plafond").path))
            try? FileManager.default.removeItem(at: folder)
        }
        let seconds = importRuns.min()!
        let ceiling = ceilingRuns.min()!
        table.add(importName, "\(Int(Double(lines) / seconds)) lignes/s", "\(format(seconds)) s")
        table.add(ceilingName, "\(Int(Double(lines) / ceiling)) lignes/s", "\(format(ceiling)) s")
        table.add(ratioName, "\(format(seconds / ceiling)) ×", "")
    }

    func run() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("comptoir-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        print(
            "Comptoir : \(lignes) lignes (meilleure de \(max(1, repetitions)) mesures), \(clients) clients pendant \(duree) s, machine de \(ProcessInfo.processInfo.activeProcessorCount) cœurs"
        )
        var table = ResultTable()
        do {
            try await measure(in: work, into: &table)
        } catch {
            // What was measured before the failure is not lost.
            table.print()
            throw error
        }
        table.print()
    }

    private func measure(in work: URL, into table: inout ResultTable) async throws {
        let lines = ClientLines(count: lignes)

        // On a shared machine the same work varies from one run to the next: the best of several
        // runs is the machine's own speed; memory is the highest seen.
        var bulkRuns: [BulkImport.Figures] = []
        var floorRuns: [Double] = []
        var ceilingRuns: [Double] = []
        var dryRuns: [BulkImport.Figures] = []
        for run in 0..<max(1, repetitions) {
            let folder = work.appendingPathComponent("essai-\(run)")
            bulkRuns.append(
                try await BulkImport.run(
                    binary: serveur, folder: folder.appendingPathComponent("import").path, port: port, lines: lines,
                    tester: false))
            floorRuns.append(try Floor.run(folder: folder.appendingPathComponent("plancher").path, lines: lines))
            ceilingRuns.append(
                try Floor.ceiling(
                    folder: folder.appendingPathComponent("plafond").path, writes: RowWrite.clients,
                    rows: Floor.rows(of: lines)))
            dryRuns.append(
                try await BulkImport.run(
                    binary: serveur, folder: folder.appendingPathComponent("test").path, port: port + 1, lines: lines,
                    tester: true))
            try? FileManager.default.removeItem(at: folder)
        }
        let bulkSeconds = bulkRuns.map(\.seconds).min()!
        let bodyBytes = bulkRuns[0].bodyBytes
        let peakMemoryBytes = bulkRuns.map(\.peakMemoryBytes).max()!
        let floor = floorRuns.min()!
        let ceiling = ceilingRuns.min()!
        let dryRunSeconds = dryRuns.map(\.seconds).min()!
        table.add("Import en masse", "\(Int(Double(lignes) / bulkSeconds)) lignes/s", "\(format(bulkSeconds)) s")
        table.add("Corps de la requête", "\(bodyBytes >> 20) Mio", "")
        table.add(
            "Mémoire du serveur (pic)", "\(peakMemoryBytes >> 20) Mio",
            "\(format(Double(peakMemoryBytes) / Double(bodyBytes))) × le corps")
        table.add("Plancher (requêtes préparées)", "\(Int(Double(lignes) / floor)) lignes/s", "\(format(floor)) s")
        table.add("Import / plancher", "\(format(bulkSeconds / floor)) ×", "")
        table.add(
            "Plafond (SQLite seul)", "\(Int(Double(lignes) / ceiling)) lignes/s", "\(format(ceiling)) s")
        table.add("Import / plafond", "\(format(bulkSeconds / ceiling)) ×", "")
        table.add(
            "Import en test (tester=Oui)", "\(Int(Double(lignes) / dryRunSeconds)) lignes/s",
            "\(format(dryRunSeconds)) s")

        if articles > 0 {
            let articleLines = ArticleLines(count: articles)
            try await measureAgainstCeiling(
                "Import d'articles (30 champs)", ceilingName: "Plafond des articles (SQLite seul)",
                ratioName: "Import d'articles / plafond", lines: articles, folderName: "articles", into: &table,
                importing: { folder in
                    try await BulkImport.run(binary: serveur, folder: folder, port: port + 20, articles: articleLines)
                },
                copying: { folder in
                    try Floor.ceiling(folder: folder, writes: RowWrite.articles, rows: Floor.rows(of: articleLines))
                })
        }

        if documents > 0 {
            let documentLines = DocumentLines(count: documents)
            try await measureAgainstCeiling(
                "Import de factures (5 lignes)", ceilingName: "Plafond des factures (SQLite seul)",
                ratioName: "Import de factures / plafond", lines: documents, folderName: "documents", into: &table,
                importing: { folder in
                    try await BulkImport.run(binary: serveur, folder: folder, port: port + 21, documents: documentLines)
                },
                copying: { folder in
                    try Floor.ceiling(
                        folder: folder, writes: RowWrite.documents, rows: Floor.rows(of: documentLines),
                        also: [RowWrite.stockOfDocuments])
                })
        }

        if ecritures > 0 {
            let ecritureLines = EcritureLines(count: ecritures)
            try await measureAgainstCeiling(
                "Import d'écritures (pièces de 3 lignes)", ceilingName: "Plafond des écritures (SQLite seul)",
                ratioName: "Import d'écritures / plafond", lines: ecritureLines.count, folderName: "ecritures",
                into: &table,
                importing: { folder in
                    try await BulkImport.run(binary: serveur, folder: folder, port: port + 22, ecritures: ecritureLines)
                },
                copying: { folder in
                    try Floor.ceiling(folder: folder, writes: RowWrite.ecritures, rows: Floor.rows(of: ecritureLines))
                })
        }

        if export > 0 {
            // A tenth of the rows, then all of them: streamed rows keep the same peak.
            for rows in [export / 10, export] {
                let figures = try QueryExportRun.run(
                    binary: serveur, folder: work.appendingPathComponent("export-\(rows)").path, rows: rows)
                table.add(
                    "Tâche d'export de \(rows) lignes", "\(Int(Double(rows) / figures.seconds)) lignes/s",
                    "pic \(figures.peakMemoryBytes >> 20) Mio, fichier \(figures.fileBytes >> 20) Mio")
            }
        }

        if lecture > 0 {
            // A tenth of the rows, then all of them: records written as they are read keep the
            // same peak.
            for (index, rows) in [lecture / 10, lecture].enumerated() {
                for csv in [false, true] {
                    let figures = try await ReadRun.run(
                        binary: serveur, folder: work.appendingPathComponent("lecture-\(rows)-\(csv)").path,
                        port: port + 30 + index * 2 + (csv ? 1 : 0), rows: rows, csv: csv)
                    table.add(
                        "Lecture de \(rows) clients en \(csv ? "CSV" : "JSON")",
                        "\(Int(Double(rows) / figures.seconds)) enregistrements/s",
                        "pic du serveur \(figures.peakMemoryBytes >> 20) Mio, réponse \(figures.bodyBytes >> 20) Mio")
                }
            }
        }

        let small = try await SmallRequests.run(
            binary: serveur, folder: work.appendingPathComponent("petites").path, port: port + 2, clients: clients,
            seconds: duree)
        addSmallRequests(
            small, requests: "Petites requêtes", latency: "Latence p50 / p99", stored: "Imports acquittés retrouvés",
            into: &table)

        // One client alone: each import waits for its own sync to disk.
        let single = try await SmallRequests.run(
            binary: serveur, folder: work.appendingPathComponent("seul").path, port: port + 3, clients: 1,
            seconds: min(duree, 10))
        table.add(
            "Un client seul, latence p50 / p99", "\(format(single.p50 * 1000)) ms / \(format(single.p99 * 1000)) ms",
            "\(Int(single.requestsPerSecond)) requêtes/s")

        // The same small requests from an outside load generator, when it is installed.
        if let wrk = WrkLoad.executable {
            for threads in [1, 2] {
                let load = try await WrkLoad.run(
                    wrk: wrk, binary: serveur, folder: work.appendingPathComponent("wrk-\(threads)").path,
                    port: port + 7 + threads, threads: threads, connections: clients, seconds: duree)
                table.add(
                    "Petites requêtes sous wrk -t\(threads) -c\(clients)",
                    "\(Int(load.requestsPerSecond)) requêtes/s",
                    "p50 \(format(load.p50 * 1000)) ms, p99 \(format(load.p99 * 1000)) ms, "
                        + "\(load.stored) tiers pour \(load.acknowledged) imports acquittés")
            }
        }

        if lignesAverties > 0 {
            let warned = ClientLines(count: lignesAverties, warned: true)
            for journal in [true, false] {
                let figures = try await BulkImport.run(
                    binary: serveur, folder: work.appendingPathComponent("averties-\(journal)").path, port: port + 5,
                    lines: warned, tester: false, journal: journal)
                table.add(
                    "\(lignesAverties) lignes averties, journal=\(journal ? "Oui" : "Non")",
                    "\(Int(Double(lignesAverties) / figures.seconds)) lignes/s",
                    "corps \(figures.bodyBytes >> 20) Mio, pic \(figures.peakMemoryBytes >> 20) Mio, "
                        + "\(format(Double(figures.peakMemoryBytes) / Double(figures.bodyBytes))) × le corps")
            }
        }

        if importsSimultanes > 0 {
            let concurrent = try await ConcurrentBodies.run(
                binary: serveur, folder: work.appendingPathComponent("simultanes").path, port: port + 6,
                imports: importsSimultanes, lines: ClientLines(count: lignesSimultanees), bodiesInBudget: 2)
            table.add(
                "\(concurrent.imports) imports de \(concurrent.bodyBytes >> 20) Mio ensemble",
                "pic \(concurrent.peakMemoryBytes >> 20) Mio, budget \(concurrent.budgetBytes >> 20) Mio",
                "\(concurrent.imported) lignes importées sur \(concurrent.imports * lignesSimultanees) en "
                    + "\(format(concurrent.seconds)) s")
        }

        if foule > 0 {
            let flood = try await Flood.run(
                binary: serveur, folder: work.appendingPathComponent("foule").path, port: port + 4, connections: foule,
                seconds: dureeFoule)
            table.add(
                "Foule de \(foule) requêtes à demi envoyées",
                "\(flood.slowerThanOneSecond) imports sur \(flood.imports) > 1 s",
                "\(flood.failed) échecs, le plus lent \(format(flood.slowest * 1000)) ms, p99 \(format(flood.p99 * 1000)) ms"
            )
            table.add(
                "Requêtes de la foule", "\(flood.opened) ouvertes en \(dureeFoule) s",
                "\(flood.heldAtEnd) tenues à la fin")
        }
        if let postgres {
            try await measurePostgres(url: postgres, lines: lines, work: work, into: &table)
        }
    }

    /// The rows of a run of small requests: their rate, their latencies, and whether every
    /// acknowledged import was found stored.
    func addSmallRequests(
        _ small: SmallRequests.Figures, requests: String, latency: String, stored: String,
        into table: inout ResultTable
    ) {
        table.add(
            requests, "\(Int(small.requestsPerSecond)) requêtes/s",
            small.unacknowledged == 0
                ? "\(clients) clients" : "\(clients) clients, \(small.unacknowledged) réponses sans import")
        table.add(latency, "\(format(small.p50 * 1000)) ms / \(format(small.p99 * 1000)) ms", "")
        table.add(
            stored, "\(small.acknowledged - small.missing) / \(small.acknowledged)",
            small.missing == 0 ? "tous retrouvés" : "\(small.missing) PERDUS")
    }
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// The figures, one row each: what, how much, and a note.
struct ResultTable {
    private var rows: [(String, String, String)] = []

    mutating func add(_ what: String, _ figure: String, _ note: String) { rows.append((what, figure, note)) }

    func print() {
        let widths = [rows.map(\.0.count).max() ?? 0, rows.map(\.1.count).max() ?? 0]
        Swift.print("")
        for (what, figure, note) in rows {
            let padded = what.padding(toLength: widths[0], withPad: " ", startingAt: 0)
            let figurePadded = figure.padding(toLength: widths[1], withPad: " ", startingAt: 0)
            Swift.print("| \(padded) | \(figurePadded) | \(note)")
        }
    }
}
