import AsyncHTTPClient
import Foundation
import NIOCore

/// A `comptoir` server started for a measure, on a fresh data folder with the société BENCH.
final class ServerProcess {
    static let societe = "BENCH"
    let port: Int
    let folder: String
    private let process: Process

    private init(process: Process, port: Int, folder: String) {
        self.process = process
        self.port = port
        self.folder = folder
    }

    var societePath: String { folder + "/\(Self.societe).Gestimum" }

    /// Starts a server whose société, kept in `storage`, has the user `BENCH` and, for concurrent
    /// clients, the users `otherUsers` (Gestimum lets one user hold one session on a société at a
    /// time). With `openFilesSoftLimit`, the server starts with that soft limit, as from a shell
    /// that sets it.
    static func start(
        binary: String, folder: String, port: Int, client: HTTPClient, otherUsers: [String] = [],
        storage: SocieteStorage = .sqlite, openFilesSoftLimit: Int? = nil, options: [String] = []
    ) async throws -> ServerProcess {
        try createSociete(binary: binary, folder: folder, otherUsers: otherUsers, storage: storage)
        return try await serve(
            binary: binary, folder: folder, port: port, client: client, openFilesSoftLimit: openFilesSoftLimit,
            options: options)
    }

    /// Creates the société BENCH in `folder`, kept in `storage`, with its users.
    static func createSociete(
        binary: String, folder: String, otherUsers: [String] = [], storage: SocieteStorage = .sqlite
    ) throws {
        try run(
            binary,
            ["societe", "creer", societe, "--utilisateur", societe, "--dossier", folder] + storage.creationOptions)
        for user in otherUsers {
            try run(binary, ["utilisateur", "creer", user, "--societe", societe, "--dossier", folder])
        }
    }

    /// Starts a server on `folder` as it is, once it answers: a second server shares the société
    /// of the first.
    static func serve(
        binary: String, folder: String, port: Int, client: HTTPClient, openFilesSoftLimit: Int? = nil,
        options: [String] = []
    ) async throws -> ServerProcess {
        let process = Process()
        let arguments = ["demarrer", "--dossier", folder, "--port", String(port)] + options
        if let openFilesSoftLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -Sn \(openFilesSoftLimit) && exec \"$0\" \"$@\"", binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = ServerProcess(process: process, port: port, folder: folder)
        for _ in 0..<200 {
            // Stopped at once (its port taken, say): what answers on the port is another server.
            guard process.isRunning else {
                throw BenchFailure("le serveur \(binary) s'est arrêté au démarrage, sur le port \(port)")
            }
            if let response = try? await client.execute(
                server.endpoint.request("Outils/%22Version%22"), timeout: .seconds(1)),
                response.status == .ok
            {
                return server
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop()
        throw BenchFailure("le serveur \(binary) ne répond pas sur le port \(port)")
    }

    var endpoint: Endpoint { Endpoint(port: port) }

    /// The server's peak resident memory so far (`VmHWM`), in bytes.
    var peakMemoryBytes: Int { Self.peakMemoryBytes(of: process.processIdentifier) }

    /// The peak resident memory (`VmHWM`) of the process `pid` so far, in bytes; 0 once it has
    /// ended.
    static func peakMemoryBytes(of pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// Stops the server and waits for it; nothing when it has stopped already.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    static func run(_ binary: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure("\(binary) \(arguments.joined(separator: " ")) a échoué")
        }
    }
}

/// Where a server listens, and the requests to it.
struct Endpoint: Sendable {
    let port: Int

    /// A request to `/api/rest/<path>`, a POST of `body` when there is one.
    func request(_ path: String, body: ByteBuffer? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/rest/\(path)")
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        return request
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The body of an import request of client lines, built directly as bytes.
func clientsImportBody(
    lines: some Sequence<String>, tester: Bool, journal: Bool, user: String = ServerProcess.societe
) -> ByteBuffer {
    importBody(
        fileKey: "clients", header: ClientLines.header, lines: lines, tester: tester, journal: journal, user: user)
}

/// The body of an import of `fileKey` (`importer_<fileKey>`, `fichier_<fileKey>`), header first;
/// `tester` only where the domain takes it.
func importBody(
    fileKey: String, header: String?, lines: some Sequence<String>, tester: Bool? = nil, journal: Bool,
    user: String = ServerProcess.societe, parametres: String = ""
) -> ByteBuffer {
    var body = ByteBuffer()
    let testerParameter = tester.map { #""tester":"\#($0 ? "Oui" : "Non")","# } ?? ""
    body.writeString(
        """
        {"importer_\(fileKey)":{"societe":{"fichier":"\(ServerProcess.societe)","utilisateur":"\(user)","mot_passe":""},\
        "parametres":{"journal":"\(journal ? "Oui" : "Non")","statistiques":"Oui","entete":"Oui",\(testerParameter)\(parametres)\
        "fichier_\(fileKey)":[
        """)
    // A format's file (Ecritures) has no header line.
    var first = true
    if let header {
        body.writeString("\"\(header)\"")
        first = false
    }
    for line in lines {
        body.writeString(first ? "\"" : ",\"")
        first = false
        body.writeString(line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))
        body.writeString("\"")
    }
    body.writeString("]}}}")
    return body
}

/// The first result of an import's answer, nil when the answer is no such JSON.
private func firstResult(_ answer: String) -> [String: Any]? {
    let json = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
    return (json?["result"] as? [[String: Any]])?.first
}

/// Whether an answer says "succès" and rejected no line.
func rejectsNothing(_ answer: String) -> Bool {
    guard let result = firstResult(answer), result["resultat"] as? String == "succès" else { return false }
    let statistiques = result["statistiques"] as? [String: String] ?? [:]
    return statistiques.allSatisfy { key, value in
        !(key.hasPrefix("nombre_lignes_non_import") || key == "nombre_erreurs") || value == "0"
    }
}

/// The number of imported lines an answer's statistics give, however the answer is laid out
/// (the bench also measures earlier servers).
func importedCount(_ answer: String) -> Int? {
    let statistiques = firstResult(answer)?["statistiques"] as? [String: String]
    // Ecritures counts its écriture lines under a key of its own.
    return (statistiques?["nombre_lignes_importées"] ?? statistiques?["nombre_lignes_écritures_importées"]).flatMap {
        Int($0)
    }
}
