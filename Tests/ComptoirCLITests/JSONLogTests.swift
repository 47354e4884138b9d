import ComptoirTestSupport
import Foundation
import Loopback
import Testing

/// `comptoir demarrer --format-journal json`: one JSON object per log line, each request's
/// lines carrying its id.
@Suite("JSON logs")
struct JSONLogTests {
    @Test("every line is one JSON object, and a request's lines carry the id its client sent")
    func jsonLinesWithRequestIDs() async throws {
        let executable = try #require(comptoirExecutable)
        try await withTemporaryFolder { folder in
            let data = (folder as NSString).appendingPathComponent("societes")
            let server = try await LiveComptoir.start(
                executable, folder: folder, arguments: ["--demo", "--dossier", data, "--format-journal", "json"])
            defer { server.killIfRunning() }
            let body = Array(
                importBody(fichier: "DEMO", utilisateur: "DEMO", motPasse: "", lines: ["PCF_CODE", "X1"]).utf8)
            let request =
                Array(
                    "POST /api/rest/Clients/%22Importer%22 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: essai-42\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                        .utf8) + body
            let answer = await liveExchange(port: server.port, request)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.text.contains("X-Request-Id: essai-42") || answer.text.contains("x-request-id: essai-42"))
            await server.stopCleanly()

            let lines = server.log.split(separator: "\n").map(String.init)
            #expect(lines.count >= 3, "\(server.log)")
            var requestLines: [[String: String]] = []
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
                let entry = try #require(object, "not one JSON object: \(line)")
                for key in ["time", "level", "label", "message"] { #expect(entry[key] != nil, "\(key) in \(line)") }
                #expect(entry["time"]?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(line)")
                if entry["requete"] == "essai-42" { requestLines.append(entry) }
            }
            // Its duration in milliseconds, to the microsecond.
            #expect(
                requestLines.contains {
                    $0["message"]?.wholeMatch(of: #/POST /api/rest/Clients/%22Importer%22 200 \d+\.\d{3} ms/#) != nil
                }, "\(requestLines)")
            #expect(lines.contains { $0.contains(#""message":"Soci\u00E9t\u00E9s dans "#) })
            // In French, where it listens and where the console is; then that it stopped.
            #expect(
                lines.contains {
                    $0.contains(#"Comptoir \u00E9coute sur http:\/\/127.0.0.1:\#(server.port) ; console : "#)
                }, "\(server.log)")
            #expect(lines.last?.contains(#"Comptoir est arr\u00EAt\u00E9"#) == true, "\(server.log)")
            // Hummingbird's English notices, which Comptoir says in French, are left out.
            #expect(
                !lines.contains { $0.contains("Server started") || $0.contains("Shutting down") }, "\(server.log)")
        }
    }
}
