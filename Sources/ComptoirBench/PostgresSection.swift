import Foundation

/// The PostgreSQL section of the table, with `--postgres`: the bulk import against
/// PostgreSQL's own `COPY`, then the small requests on one server and on two sharing the
/// société.
extension ComptoirBench {
    func measurePostgres(url: String, lines: ClientLines, work: URL, into table: inout ResultTable) async throws {
        let database = try PostgresDatabase(url: url)
        do {
            try await measurePostgres(database: database, lines: lines, work: work, into: &table)
        } catch {
            try? await database.dropCreatedSchemas()
            throw error
        }
        try await database.dropCreatedSchemas()
    }

    private func measurePostgres(
        database: PostgresDatabase, lines: ClientLines, work: URL, into table: inout ResultTable
    ) async throws {
        let rows = Floor.rows(of: lines)
        var importRuns: [Double] = []
        var floorRuns: [Double] = []
        for run in 0..<max(1, repetitions) {
            let folder = work.appendingPathComponent("postgres-\(run)")
            importRuns.append(
                try await BulkImport.run(
                    binary: serveur, folder: folder.appendingPathComponent("import").path, port: port + 40,
                    lines: lines, tester: false, storage: .newSchema(of: database)
                ).seconds)
            // The floor's société is made by the same command, so that it has the import's tables.
            let floorSchema = database.newSchema()
            try ServerProcess.createSociete(
                binary: serveur, folder: folder.appendingPathComponent("plancher").path,
                storage: .postgres(database, schema: floorSchema))
            floorRuns.append(
                try await PostgresFloor.run(
                    database: database, schema: floorSchema, writes: RowWrite.clients, rows: rows))
            try? FileManager.default.removeItem(at: folder)
            // Each run's schemas go at once, so that the next run meets a database of the same size.
            try await database.dropCreatedSchemas()
        }
        let seconds = importRuns.min()!
        let floor = floorRuns.min()!
        table.add(
            "PostgreSQL : import en masse", "\(Int(Double(lines.count) / seconds)) lignes/s", "\(format(seconds)) s")
        table.add("PostgreSQL : plancher (COPY)", "\(Int(Double(lines.count) / floor)) lignes/s", "\(format(floor)) s")
        table.add("PostgreSQL : import / plancher", "\(format(seconds / floor)) ×", "")

        // One server, then two, `repetitions` times, the order swapped each time, so that what
        // the machine does meanwhile falls on both; the best run of each is kept.
        var best: [Int: SmallRequests.Figures] = [:]
        for run in 0..<max(1, repetitions) {
            for servers in run % 2 == 0 ? [1, 2] : [2, 1] {
                // Each run starts with nothing of the earlier ones left to write to disk (a role
                // that may not ask for a checkpoint measures without).
                try? await database.withConnection(schema: nil) {
                    try await PostgresDatabase.execute("CHECKPOINT", on: $0)
                }
                // Two servers on one folder serve the same société: its schema is their meeting point.
                let figures = try await SmallRequests.run(
                    binary: serveur, folder: work.appendingPathComponent("postgres-petites-\(servers)-\(run)").path,
                    port: port + 40 + servers, clients: clients, seconds: duree, servers: servers,
                    storage: .newSchema(of: database))
                if figures.requestsPerSecond > best[servers]?.requestsPerSecond ?? -1 { best[servers] = figures }
            }
        }
        for (servers, which) in [(1, "un serveur"), (2, "deux serveurs")] {
            addSmallRequests(
                best[servers]!, requests: "PostgreSQL : petites requêtes, \(which)",
                latency: "PostgreSQL : latence p50 / p99, \(which)",
                stored: "PostgreSQL : imports acquittés retrouvés, \(which)", into: &table)
        }
        table.add(
            "PostgreSQL : deux serveurs / un",
            "\(format(best[2]!.requestsPerSecond / best[1]!.requestsPerSecond)) ×", "")
    }
}
