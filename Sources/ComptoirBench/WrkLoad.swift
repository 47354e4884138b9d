import AsyncHTTPClient
import Foundation
import GRDB

/// The small requests again, sent by `wrk`, an outside load generator, when it is installed:
/// one-line client imports, each by one of `users` users in turn (a user's requests wait for
/// each other's session), every code new. Then the société is checked to hold every import
/// `wrk` saw acknowledged.
enum WrkLoad {
    struct Figures {
        let requestsPerSecond: Double
        let p50: Double
        let p99: Double
        let acknowledged: Int
        let stored: Int
    }

    static let users = 32

    /// `wrk`'s path, or nil when it is not installed.
    static var executable: String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":")
        return folders.map { "\($0)/wrk" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(
        wrk: String, binary: String, folder: String, port: Int, threads: Int, connections: Int, seconds: Int
    ) async throws -> Figures {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let userNames = (0..<users).map { "W\($0)" }
        let server = try await ServerProcess.start(
            binary: binary, folder: folder, port: port, client: client, otherUsers: userNames)
        defer { server.stop() }
        // Each user's password is checked once (bcrypt, tens of milliseconds), then remembered:
        // that first check is paid before the measure, not inside it.
        for user in userNames {
            let body = clientsImportBody(lines: [], tester: true, journal: false, user: user)
            _ = try await client.execute(
                server.endpoint.request("Clients/%22Importer%22", body: body), timeout: .seconds(30))
        }
        try await client.shutdown()
        let script = folder + "/petites.lua"
        try luaScript(usersPerThread: users / threads).write(toFile: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = [
            "-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script,
            "http://127.0.0.1:\(port)/api/rest/Clients/%22Importer%22",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        server.stop()

        guard let requestsPerSecond = number(after: "Requests/sec:", in: text),
            let total = number(after: "requests in", in: text, before: true),
            let p50 = duration(after: "50%", in: text), let p99 = duration(after: "99%", in: text)
        else { throw BenchFailure("wrk : sortie illisible\n\(text)") }
        let failed = number(after: "Non-2xx or 3xx responses:", in: text) ?? 0
        let queue = try DatabaseQueue(path: server.societePath)
        let stored = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM TIERS") ?? 0 }
        try queue.close()
        return Figures(
            requestsPerSecond: requestsPerSecond, p50: p50, p99: p99, acknowledged: Int(total - failed),
            stored: stored)
    }

    /// Each thread (`id`, from `setup`) takes its own users in turn and numbers its codes.
    private static func luaScript(usersPerThread: Int) -> String {
        """
        local threads = 0
        function setup(thread)
          thread:set("id", threads)
          threads = threads + 1
        end
        local counter = 0
        request = function()
          counter = counter + 1
          local user = "W" .. (id * \(usersPerThread) + counter % \(usersPerThread))
          local code = "T" .. id .. "-" .. counter
          local body = string.format('{"importer_clients":{"societe":{"fichier":"\(ServerProcess.societe)",'
            .. '"utilisateur":"%s","mot_passe":""},"parametres":{"journal":"Non","statistiques":"Oui",'
            .. '"entete":"Oui","fichier_clients":["PCF_CODE;CPT_NUMERO;PCF_RS","%s;411%s;Client %s"]}}}',
            user, code, code, code)
          return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
        end
        """
    }

    /// The number after `label` on its line (before it, with `before`).
    private static func number(after label: String, in text: String, before: Bool = false) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        let words = line.split(separator: " ")
        if before {
            guard let index = words.firstIndex(where: { label.hasPrefix($0) }), index > 0 else { return nil }
            return Double(words[index - 1])
        }
        return line.components(separatedBy: label).last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The seconds of a `wrk` latency (`812.00us`, `3.12ms`, `1.02s`) after `label`.
    private static func duration(after label: String, in text: String) -> Double? {
        guard
            let line = text.split(separator: "\n").first(where: {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix(label)
            }),
            let value = line.split(separator: " ").last
        else { return nil }
        for (unit, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0)] where value.hasSuffix(unit) {
            return Double(value.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }
}
