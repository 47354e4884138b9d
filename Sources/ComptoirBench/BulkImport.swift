import AsyncHTTPClient
import Foundation
import NIOCore

/// One request holding every line, sent over HTTP on loopback to a fresh server.
enum BulkImport {
    struct Figures {
        let seconds: Double
        let bodyBytes: Int
        let peakMemoryBytes: Int
    }

    static func run(
        binary: String, folder: String, port: Int, lines: ClientLines, tester: Bool, journal: Bool = true,
        storage: SocieteStorage = .sqlite
    ) async throws -> Figures {
        let body = clientsImportBody(lines: (0..<lines.count).lazy.map(lines.line), tester: tester, journal: journal)
        return try await run(
            binary: binary, folder: folder, port: port, classe: "Clients", body: body, expected: lines.count,
            storage: storage)
    }

    /// Articles, into families and sous-familles imported first, out of the measure.
    static func run(binary: String, folder: String, port: Int, articles lines: ArticleLines) async throws -> Figures {
        let families = importBody(
            fileKey: "familles_articles", header: ArticleLines.familyLines[0],
            lines: ArticleLines.familyLines.dropFirst(), journal: false)
        let sousFamilles = importBody(
            fileKey: "sousfamilles_articles", header: ArticleLines.sousFamilleLines[0],
            lines: ArticleLines.sousFamilleLines.dropFirst(), journal: false)
        let body = importBody(
            fileKey: "articles", header: ArticleLines.header, lines: (0..<lines.count).lazy.map(lines.line),
            journal: true)
        // A million articles of 30 fields weigh more than the default limit of a request.
        return try await run(
            binary: binary, folder: folder, port: port, classe: "Articles", body: body, expected: lines.count,
            before: [("FamillesArticles", families), ("SousFamilles", sousFamilles)],
            options: ["--limite-requete", String(max(256, body.readableBytes >> 20 + 1))])
    }

    /// Sales documents, for clients, families, natures and articles imported first, out of the
    /// measure.
    static func run(binary: String, folder: String, port: Int, documents lines: DocumentLines) async throws -> Figures {
        func body(_ fileKey: String, _ lines: [String]) -> ByteBuffer {
            importBody(fileKey: fileKey, header: lines[0], lines: lines.dropFirst(), journal: false)
        }
        let documents = importBody(
            fileKey: "documents_vente", header: DocumentLines.header, lines: (0..<lines.count).lazy.map(lines.line),
            journal: true)
        return try await run(
            binary: binary, folder: folder, port: port, classe: "DocumentsVente", body: documents,
            expected: lines.count,
            before: [
                ("Clients", body("clients", DocumentLines.clientLines)),
                ("FamillesArticles", body("familles_articles", DocumentLines.familyLines)),
                ("NaturesComptables", body("natures_comptables", DocumentLines.natureLines)),
                ("Articles", body("articles", DocumentLines.articleLines)),
            ],
            options: ["--limite-requete", String(max(256, documents.readableBytes >> 20 + 1))])
    }

    /// Journal entries in `GestimumComptaVariable`, on clients imported first, out of the
    /// measure, and the société's general accounts; the analytic section is created by the import.
    static func run(binary: String, folder: String, port: Int, ecritures lines: EcritureLines) async throws -> Figures {
        let ecritures = importBody(
            fileKey: "ecritures", header: nil, lines: lines.lines, journal: true,
            parametres: #""format":"GestimumComptaVariable","creer_sections_analytiques":"Oui","#)
        return try await run(
            binary: binary, folder: folder, port: port, classe: "Ecritures", body: ecritures,
            expected: lines.ecritureCount,
            before: [
                (
                    "Clients",
                    importBody(
                        fileKey: "clients", header: EcritureLines.clientLines[0],
                        lines: EcritureLines.clientLines.dropFirst(), journal: false)
                )
            ],
            options: ["--limite-requete", String(max(256, ecritures.readableBytes >> 20 + 1))])
    }

    /// Times the request of `classe` with `body`, once the requests of `before` are answered.
    private static func run(
        binary: String, folder: String, port: Int, classe: String, body: ByteBuffer, expected: Int,
        before: [(classe: String, body: ByteBuffer)] = [], options: [String] = [], storage: SocieteStorage = .sqlite
    ) async throws -> Figures {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var server: ServerProcess?
        defer { server?.stop() }
        let response: HTTPClientResponse
        let answer: ByteBuffer
        let seconds: Double
        let peakMemoryBytes: Int
        do {
            let started = try await ServerProcess.start(
                binary: binary, folder: folder, port: port, client: client, storage: storage, options: options)
            server = started
            let endpoint = started.endpoint
            for request in before {
                let response = try await client.execute(
                    endpoint.request("\(request.classe)/%22Importer%22", body: request.body), timeout: .minutes(1))
                let answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
                // A reference import that failed would change what the measured one does.
                guard response.status == .ok, rejectsNothing(answer) else {
                    throw BenchFailure("import préalable \(request.classe) : \(answer.prefix(500))")
                }
            }
            let start = ContinuousClock.now
            response = try await client.execute(
                endpoint.request("\(classe)/%22Importer%22", body: body), timeout: .hours(2))
            answer = try await response.body.collect(upTo: 1 << 30)
            seconds = (ContinuousClock.now - start).seconds
            peakMemoryBytes = started.peakMemoryBytes
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        guard response.status == .ok, let imported = importedCount(String(buffer: answer)), imported == expected
        else {
            throw BenchFailure(
                "import en masse : réponse \(response.status.code) au lieu de \(expected) lignes importées : "
                    + String(buffer: answer).prefix(500))
        }
        return Figures(seconds: seconds, bodyBytes: body.readableBytes, peakMemoryBytes: peakMemoryBytes)
    }
}
