/// The journal of a request: time-stamped French lines, in the order things happen (section 5).
public struct Journal: Sendable {
    /// Gives the current local time as `dd/MM/yyyy HH:mm:ss`.
    private let now: @Sendable () -> String
    public private(set) var lines: [String] = []

    public init(now: @escaping @Sendable () -> String) { self.now = now }

    public mutating func add(_ message: String) { lines.append(now() + " " + message) }

    /// The lines between `Lancement de la tâche` and `Tâche … terminée`: header notices, result,
    /// counts, then each rejected line's reasons and each warned line's warnings. They are
    /// written at one instant, the end of the import, and carry its time.
    public mutating func add(report: ImportReport, notices: [String], successLine: Bool = true) {
        let time = addSummary(of: report, notices: notices, successLine: successLine)
        for entry in report.entries {
            for message in Self.messages(of: entry) { lines.append(time + message) }
        }
        addClosing(of: report, time: time)
    }

    /// The header notices, the result and the counts of `report`. Returns the time they carry
    /// (`dd/MM/yyyy HH:mm:ss `, with its space), which the lines' entries carry too. Without
    /// `successLine`, no `L'import a été effectué avec succès.`, as Gestimum's GrillesTarifs.
    @discardableResult
    public mutating func addSummary(of report: ImportReport, notices: [String], successLine: Bool = true) -> String {
        let time = now() + " "
        for notice in notices { lines.append(time + notice) }
        if let counts = report.ecritures {
            lines += Self.ecrituresSummary(counts).map { time + $0 }
            return time
        }
        if successLine, report.importedCount > 0, report.rejectedCount == 0 {
            lines.append(time + "L'import a été effectué avec succès.")
        }
        lines.append(time + "Nombre de lignes importées : \(report.importedCount)")
        lines.append(time + "Nombre de lignes non importées : \(report.rejectedCount)")
        return time
    }

    /// What follows the lines' entries, at `time`: the legend of an Ecritures report.
    public mutating func addClosing(of report: ImportReport, time: String) {
        guard report.ecritures != nil else { return }
        lines += [
            "Légende :", "ERR : Erreur provoquant le rejet de la ligne",
            "AV : Avertissement ne provoquant pas le rejet de la ligne", "E : Ligne d'écriture",
            "S : Section analytique", "H : Ligne d'échéance",
        ].map { time + $0 }
    }

    /// The block that replaces the counts of an Ecritures import (`domains.md` §4).
    static func ecrituresSummary(_ counts: EcrituresCounts) -> [String] {
        let rule = String(repeating: "#", count: 60)
        return [
            "Ci-dessous le rapport d'import :", rule, "Résumé",
            "Lignes d'écritures importables : \(counts.ecrituresImported)",
            "Lignes d'écritures rejetables : \(counts.ecrituresRejected)",
            "Lignes d'échéances importables : \(counts.echeancesImported)",
            "Lignes d'échéances rejetables : \(counts.echeancesRejected)", "ERREURS : \(counts.errors)",
            "AVERTISSEMENTS : \(counts.warnings)", rule, "Fichier d'écritures importé : \(counts.fichier)",
        ]
    }

    /// The journal messages of one line's entry, without their time: its reasons under their
    /// heading, or its warnings, the headed ones before those that stand alone.
    public static func messages(of entry: ImportReport.LineEntry) -> [String] {
        if let marker = entry.marker {
            return switch entry.outcome {
            case .rejected(let rejection): rejection.reasons.map { "ERR \(marker) \(entry.line) : \($0)" }
            case .imported(let warnings): warnings.map { "AV \(marker) \(entry.line) : \($0.message)" }
            }
        }
        switch entry.outcome {
        case .rejected(let rejection):
            return ["La ligne \(entry.line) n'a pas pu être importée :"] + rejection.reasons
        case .imported(let warnings):
            let headed = warnings.filter { !$0.standsAlone }.map(\.message)
            let heading = headed.isEmpty ? [] : ["La ligne \(entry.line) comporte les avertissements suivants :"]
            return heading + headed + warnings.filter(\.standsAlone).map(\.message)
        }
    }
}

/// The bodies of the web service's answers.
public enum Answer {
    /// `{"result":[{"resultat":"succès","message":"terminé", …}]}` with the journal and the
    /// statistics when the request asked for them.
    public static func importDone(journal: [String]?, report: ImportReport?) -> JSONValue {
        var result: [(key: String, value: JSONValue)] = [
            ("resultat", .string("succès")), ("message", .string("terminé")),
        ]
        if let journal { result.append(("journal", .array(journal.map(JSONValue.string)))) }
        if let report { result.append(("statistiques", statistics(report))) }
        return .object([("result", .array([.object(result)]))])
    }

    /// The text of `importDone` with a journal, in two parts: what comes before the journal's
    /// first line and what comes after its last, so that a large journal can be written
    /// between them line by line. Each line is a JSON string, the lines separated by commas.
    public static func importDoneAround(journalOf report: ImportReport, statistiques: Bool) -> (String, String) {
        let marker = "journal"
        // The journal's one line marks where the lines go; `marker` needs no escape.
        let whole = importDone(journal: [marker], report: statistiques ? report : nil).asciiText
        let range = whole.firstRange(of: "[\"\(marker)\"]")!
        return (String(whole[..<range.lowerBound]) + "[", "]" + String(whole[range.upperBound...]))
    }

    /// The statistics of `report`, by Gestimum's keys: the answer's `statistiques` and a
    /// tâche's `Statistiques` file.
    public static func statistics(of report: ImportReport) -> [(key: String, value: String)] {
        if let counts = report.ecritures {
            return [
                ("nombre_erreurs", counts.errors), ("nombre_avertissements", counts.warnings),
                ("nombre_lignes_écritures_importées", counts.ecrituresImported),
                ("nombre_lignes_écritures_rejetées", counts.ecrituresRejected),
                ("nombre_lignes_échéances_importées", counts.echeancesImported),
                ("nombre_lignes_échéances_rejetées", counts.echeancesRejected),
                ("nombre_lignes_analytiques_importées", counts.analytiquesImported),
                ("nombre_lignes_analytiques_rejetées", counts.analytiquesRejected),
            ].map { ($0.0, String($0.1)) }
        }
        return [
            ("nombre_lignes_importées", String(report.importedCount)),
            ("nombre_lignes_non_importées", String(report.rejectedCount)),
        ]
    }

    /// The keys of `statistiques` in the answers of `domaine`'s imports, in order: what the
    /// OpenAPI document describes.
    public static func statisticsKeys(of domaine: Domaine) -> [String] {
        var report = ImportReport()
        if domaine.takesFormat { report.ecritures = EcrituresCounts(fichier: "") }
        return statistics(of: report).map(\.key)
    }

    private static func statistics(_ report: ImportReport) -> JSONValue {
        .object(statistics(of: report).map { ($0.key, .string($0.value)) })
    }

    /// `{"result":[{"resultat":"succès","message":"<message>"}]}`, as `Outils` requests answer.
    public static func message(_ message: String) -> JSONValue {
        .object([("result", .array([.object([("resultat", .string("succès")), ("message", .string(message))])]))])
    }

    /// `{"error":"<message>"}`, the answer of a refused request.
    public static func error(_ message: String) -> JSONValue {
        .object([("error", .string(message))])
    }
}
