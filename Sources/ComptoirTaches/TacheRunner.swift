import ComptoirCore
import ComptoirService
import ComptoirStore
import Foundation

/// Runs the tâche an `.ini` describes (`comptoir tache <fichier.ini>`), as Gestimum's
/// `/tache:` does, through the same import service as the web service: same rules, same
/// transaction, same sessions, same journal lines.
public struct TacheRunner: Sendable {
    /// The exit codes of `taches.md` §3.
    public enum ExitCode: Int32, Sendable {
        case success = 0
        case rejectedLines = 1
        case refused = 2
        case invalidTache = 3
        case internalError = 4
    }

    let service: ImportService
    let folder: SocieteFolder
    /// Where the journal's lines and the refusals are shown: standard output and error.
    let standardOutput: @Sendable (String) -> Void
    let standardError: @Sendable (String) -> Void

    public init(
        folder: String, lockWait: Duration,
        standardOutput: @escaping @Sendable (String) -> Void = { print($0) },
        standardError: @escaping @Sendable (String) -> Void = {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
    ) {
        self.service = ImportService(folder: folder, lockWait: lockWait)
        self.folder = SocieteFolder(path: folder)
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// What a tâche ran to: its journal's lines, its statistics, its exit code, and what failed
    /// once its work was done (a file it could not rename), which makes it exit 4.
    struct Outcome {
        var statistics: [(key: String, value: String)]
        var exitCode: ExitCode
        var failures: [TacheFailure] = []
    }

    /// Runs the tâche of the `.ini` at `iniPath` and returns its exit code. A refused tâche
    /// writes why on standard error, and in its journal when it has one.
    public func run(iniPath: String) async -> ExitCode {
        // The société file alone then holds what the tâche wrote: no log is left beside it.
        defer { service.closeSocietes() }
        let iniPath = URL(fileURLWithPath: iniPath).standardizedFileURL.path
        var journal: TacheJournal?
        var statistiquesPath: String?
        var encoding = TextEncoding.windows1252
        do {
            guard let bytes = FileManager.default.contents(atPath: iniPath) else {
                throw TacheRefusal(.invalidTache, "Le fichier de tâche \(iniPath) est introuvable ou illisible")
            }
            let text: String
            (text, encoding) = try TextEncoding.decode(bytes, of: iniPath)
            let request: TacheRequest
            let iniFolder = (iniPath as NSString).deletingLastPathComponent
            let ini = try IniFile(text: text)
            do {
                request = try TacheRequest(file: ini, folder: iniFolder)
            } catch {
                journal = TacheRequest.path(of: "Journal", in: ini, folder: iniFolder).flatMap {
                    try? TacheJournal(path: $0, encoding: encoding, show: standardOutput)
                }
                statistiquesPath = TacheRequest.path(of: "Statistiques", in: ini, folder: iniFolder)
                // The body throws only `TacheRefusal`s.
                guard TextEncoding.looksLikeUTF8WithoutBOM(bytes) else { throw error }
                let hint = Self.utf8Hint(iniPath)
                throw TacheRefusal(error.kind, "\(error.message) (\(hint))")
            }
            statistiquesPath = request.statistiquesPath
            let opened = try TacheJournal(path: request.journalPath, encoding: encoding, show: standardOutput)
            journal = opened
            if TextEncoding.looksLikeUTF8WithoutBOM(bytes) { warn(Self.utf8Hint(iniPath), journal: opened) }
            let outcome = try await perform(request, encoding: encoding, journal: opened)
            // The work is done, an import committed: what fails from here is an internal error
            // (exit 4), after the journal and the statistics are written as far as they can be,
            // never a refusal, which would say that nothing was stored.
            var failures = outcome.failures
            do {
                try writeStatistics(outcome.statistics, to: statistiquesPath, encoding: encoding)
            } catch {
                failures.append(TacheFailure(Self.failure(error).0))
            }
            statistiquesPath = nil
            if !failures.isEmpty { throw TacheFailure(failures.map(\.message).joined(separator: " ; ")) }
            try journal?.close()
            return outcome.exitCode
        } catch {
            let (message, code) = Self.failure(error)
            standardError(message)
            if code == .internalError, !(error is TacheFailure) { standardError(String(describing: error)) }
            journal?.write(LocalTime.journal(Date()) + " " + message, show: false)
            do {
                try journal?.close()
            } catch {
                standardError(error.message)
            }
            // A refused tâche still rewrites its statistics, empty: the last run's counts would
            // otherwise read as this one's.
            try? writeStatistics([], to: statistiquesPath, encoding: encoding)
            return code
        }
    }

    /// The statistics file: `[statistiques]` and a line per count.
    private func writeStatistics(
        _ statistics: [(key: String, value: String)], to path: String?, encoding: TextEncoding
    ) throws {
        guard let path else { return }
        let file = try TextFileWriter(path: path, encoding: encoding, appending: false)
        try file.writeLine("[statistiques]")
        for (key, value) in statistics { try file.writeLine("\(key)=\(value)") }
        try file.close()
    }

    /// The French message and the exit code of what stopped a tâche.
    private static func failure(_ error: any Error) -> (String, ExitCode) {
        switch error {
        case let refusal as TacheRefusal: (refusal.message, refusal.kind == .invalidTache ? .invalidTache : .refused)
        case let refusal as ImportRefusal: (refusal.message, .refused)
        case let failure as StorageFailure: (failure.message, .refused)
        case let refusal as QueryRefusal: (refusal.message, .refused)
        case let error as SocieteError: (error.message, .refused)
        // Written while the import ran: it was rolled back.
        case let failure as JournalSpillFailure: (failure.message, .refused)
        case let failure as TacheFailure: (failure.message, .internalError)
        default: ("Erreur interne (référence \(UUID().uuidString.prefix(8).lowercased()))", .internalError)
        }
    }

    private func perform(_ request: TacheRequest, encoding: TextEncoding, journal: TacheJournal) async throws
        -> Outcome
    {
        // A mistyped `--dossier` would otherwise make every société missing.
        guard FileManager.default.isFolder(atPath: folder.path) else {
            throw TacheRefusal(.refused, "Le dossier des sociétés \(folder.path) n'existe pas")
        }
        switch request.tache.action {
        case .importer(let domaine): return try await importer(domaine, request, journal: journal)
        case .afficherMessageTest:
            return try await withSociete(request, journal: journal) { _, lines in
                lines.add("Message de test")
                return Outcome(statistics: [], exitCode: .success)
            }
        case .exporterRequeteBaseDonnees:
            return try await withSociete(request, journal: journal) { societe, lines in
                let count = try export(request, from: societe, encoding: encoding)
                lines.add("Nombre de lignes exportées : \(count)")
                return Outcome(statistics: [("nombre_lignes_exportées", String(count))], exitCode: .success)
            }
        case .creerFichierDemo:
            return try await withSociete(request, journal: journal) { _, lines in
                let model = try folder.writeDemoModel(from: request.societe.fichier)
                lines.add("Fichier de démonstration créé : \(model)")
                return Outcome(statistics: [], exitCode: .success)
            }
        }
    }

    /// Runs `work` on the société of `request`, its session open, between the journal's
    /// opening lines and its closing ones.
    private func withSociete(
        _ request: TacheRequest, journal: TacheJournal,
        _ work: (Societe, inout Journal) async throws -> Outcome
    ) async throws -> Outcome {
        let opened = try await service.openSession(request.societe, taskName: request.tache.name)
        var lines = opened.journal
        let outcome: Outcome
        do {
            outcome = try await work(opened.societe, &lines)
            await service.close(opened)
        } catch {
            await service.close(opened)
            throw error
        }
        lines.add("Tâche \(request.tache.name) terminée")
        lines.add("Fermeture de la société \(opened.path)")
        for line in lines.lines { journal.write(line) }
        return outcome
    }

    /// An `Importer…` tâche: its file read, then imported as the web service's request is.
    private func importer(_ domaine: Domaine, _ request: TacheRequest, journal: TacheJournal) async throws
        -> Outcome
    {
        let file = request.value(domaine.takesFormat ? "FichierEcritures" : "FichierImporter")!
        // A wrong .ini (exit 3) before a missing file (exit 2): the format first, and whether it
        // takes the accounts file the .ini names, its name standing for its lines.
        if domaine.takesFormat {
            _ = try ecrituresParameters(
                request, file: file, comptes: request.value("FichierComptes").map { [$0] } ?? [])
        }
        let (text, notice) = try Self.readDataFile(file)
        let comptes = try domaine.takesFormat ? request.value("FichierComptes").map(Self.readDataFile) : nil
        // Before the import's own journal, which opens with the société.
        for notice in [notice, comptes?.notice].compactMap(\.self) { warn(notice, journal: journal) }
        let separator = request.value("SeparateurChamps")?.unicodeScalars.first ?? ";"
        let qualifier = request.value("IdentificateurTexte")?.unicodeScalars.first
        guard qualifier != separator else {
            throw TacheRefusal(
                .invalidTache, "Le séparateur de champs et l'identificateur de texte doivent être différents")
        }
        let tester = request.isYes("Tester")
        let importRequest = ImportRequest(
            domaine: domaine, societe: request.societe,
            parametres: ImportParameters(
                journal: true, statistiques: true, entete: request.isYes("PremiereLigneContientNomsChamps"),
                nomsChamps: request.value("Champs") ?? "", separator: separator, qualifier: qualifier,
                lines: StringList(textLines(text)), tester: tester,
                calculerCodeTiers: request.isYes("CalculerCodeTiers"),
                calculerNumeroCompte: request.isYes("CalculerNumeroCompte"),
                ecritures: domaine.takesFormat
                    ? try ecrituresParameters(request, file: file, comptes: comptes.map { textLines($0.text) } ?? [])
                    : nil, keyNames: .tache))
        let result = try await service.importer(importRequest)
        let rejected = result.report.rejectedCount > 0
        if rejected {
            // Cron mails what comes out on standard error: the journal alone would go unread.
            standardError(
                "Lignes non importées : \(result.report.rejectedCount) ; leurs raisons sont dans le journal"
                    + (request.journalPath.map { " \($0)" } ?? ""))
        }
        // Once the import is committed; never for a test, which stores nothing. A file that
        // cannot be renamed does not keep the journal of what was committed from being written.
        var renamed: [(String, String)] = []
        var failures: [TacheFailure] = []
        func rename(_ file: String, _ move: () throws -> String) {
            do {
                renamed.append((file, try move()))
            } catch {
                failures.append(TacheFailure(Self.failure(error).0))
            }
        }
        if !tester {
            if request.isYes("RenommerFichier") { rename(file) { try FileRenaming.markImported(file) } }
            for (key, renamedFile) in [
                ("RenommerFichierEcritures", file), ("RenommerFichierComptes", request.value("FichierComptes")),
            ] {
                guard let names = request.value(key), let renamedFile else { continue }
                let choices = names.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                guard let name = rejected ? choices.dropFirst().first : choices.first, !name.isEmpty else { continue }
                rename(renamedFile) { try FileRenaming.rename(renamedFile, to: name, iniFolder: request.folder) }
            }
        }
        let time = LocalTime.journal(Date())
        try await result.journal?.forEachLine(
            insertingBeforeEnding: renamed.map { "\(time) Fichier \($0.0) renommé en \($0.1)" }
        ) { line in journal.write(line) }
        return Outcome(
            statistics: Answer.statistics(of: result.report), exitCode: rejected ? .rejectedLines : .success,
            failures: failures)
    }

    /// ImporterEcritures' parameters: its format, the lines of its accounts' file, its options.
    private func ecrituresParameters(_ request: TacheRequest, file: String, comptes: [String]) throws
        -> EcrituresParameters
    {
        do {
            return try EcrituresParameters(
                formatNamed: request.value("FormatFichier")!, comptes: StringList(comptes),
                comptesKey: "FichierComptes",
                simulation: request.isYes("Simulation"),
                creerSectionsAnalytiques: request.isYes("CreerSectionAnalytique"),
                planAnalytique: request.value("PlanAnalytique")!, fichier: file)
        } catch {
            throw TacheRefusal(.invalidTache, error.message)
        }
    }

    /// The text of a data file, in its encoding, and a notice when it seems to be in UTF-8
    /// without a BOM.
    static func readDataFile(_ path: String) throws -> (text: String, notice: String?) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TacheRefusal(.refused, "Le fichier \(path) est introuvable")
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw TacheRefusal(.refused, "Le fichier \(path) est illisible")
        }
        let text = try TextEncoding.decode(bytes, of: path).text
        let notice: String? = TextEncoding.looksLikeUTF8WithoutBOM(bytes) ? utf8Hint(path) : nil
        return (text, notice)
    }

    /// Warns of `text` in the journal, before the import's own lines, and on standard error,
    /// which cron mails.
    private func warn(_ text: String, journal: TacheJournal) {
        journal.write("\(LocalTime.journal(Date())) Attention : \(text)")
        standardError("Attention : \(text)")
    }

    /// Why a file's accents may read wrong, and what to do.
    static func utf8Hint(_ path: String) -> String {
        "le fichier \(path) semble écrit en UTF-8 sans BOM, il est lu en Windows-1252 : enregistrez-le en ANSI ou en UTF-8 avec BOM"
    }

    /// `ExporterRequeteBaseDonnees`: the query's rows, as they are read, to the CSV file.
    private func export(_ request: TacheRequest, from societe: Societe, encoding: TextEncoding) throws -> Int {
        var destination = request.value("FichierDestination")!
        if FileManager.default.isFolder(atPath: destination) {
            destination = (destination as NSString).appendingPathComponent("ExporterRequeteBaseDonnees.csv")
        }
        let file = try TextFileWriter(path: destination, encoding: encoding, appending: false)
        let count = try societe.export(query: request.value("Requete")!) { names in
            if request.isYes("NomColonnes") { try file.writeLine(CSV.line(names)) }
        } row: { values in
            try file.writeLine(CSV.line(values.map { $0 ?? "" }))
        }
        try file.close()
        return count
    }
}

/// What went wrong after a tâche's import was committed (its file could not be renamed).
struct TacheFailure: FrenchError {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The CSV of `ExporterRequeteBaseDonnees`: fields separated by `;`, enclosed in `"` when they
/// hold `;`, `"` or a line break, with inner `"` doubled.
enum CSV {
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ";")
    }
}
