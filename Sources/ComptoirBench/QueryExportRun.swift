import Foundation
import GRDB

/// `ExporterRequeteBaseDonnees` of every client of a société of `rows` clients, run as a cron
/// job runs it (`comptoir tache`): its time and the tâche's peak memory, which must not grow
/// with the rows, since they are streamed to the file.
enum QueryExportRun {
    struct Figures {
        let seconds: Double
        let peakMemoryBytes: Int
        let fileBytes: Int
    }

    static func run(binary: String, folder: String, rows: Int) throws -> Figures {
        let societe = ServerProcess.societe
        try ServerProcess.run(binary, ["societe", "creer", societe, "--utilisateur", societe, "--dossier", folder])
        try addClients(rows, to: folder + "/\(societe).Gestimum")
        let ini = folder + "/export.ini"
        try """
        [Tâche]
        Nom=ExporterRequeteBaseDonnees
        [Société]
        Fichier=\(societe)
        Utilisateur=\(societe)
        [Paramètres]
        FichierDestination=export.csv
        Requete=SELECT PCF_CODE, PCF_RS, CPT_NUMERO, PCF_VILLE FROM TIERS ORDER BY PCF_CODE
        NomColonnes=Oui
        """.write(toFile: ini, atomically: true, encoding: .isoLatin1)
        let start = ContinuousClock.now
        let peak = try runMeasuringMemory(binary, ["tache", ini, "--dossier", folder])
        let seconds = (ContinuousClock.now - start).seconds
        let size = (try FileManager.default.attributesOfItem(atPath: folder + "/export.csv")[.size] as? Int) ?? 0
        return Figures(seconds: seconds, peakMemoryBytes: peak, fileBytes: size)
    }

    /// Runs `binary` to its end and returns its peak resident memory, its `VmHWM` read every
    /// few milliseconds while it runs. Its `rusage` would not do: Linux keeps in it the peak of
    /// the memory it was started from, the benchmark's own.
    private static func runMeasuringMemory(_ binary: String, _ arguments: [String]) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        // The journal it prints is not the benchmark's.
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var peak = 0
        while process.isRunning {
            peak = max(peak, ServerProcess.peakMemoryBytes(of: process.processIdentifier))
            usleep(5_000)
        }
        guard process.terminationStatus == 0 else {
            throw BenchFailure("la tâche d'export a échoué (statut \(process.terminationStatus))")
        }
        return peak
    }

    /// Writes `rows` clients straight into the société at `path`: what the reads then go through.
    static func addClients(_ rows: Int, to path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO TIERS (PCF_CODE, PCF_TYPE, PCF_RS, CPT_NUMERO, PCF_VILLE)
                    SELECT 'C' || i, 'C', 'Client ' || i, '411C' || i, 'Rambouillet' FROM n
                    """, arguments: [rows])
        }
        try queue.close()
    }
}
