/// The journal of a request: time-stamped French lines, in the order things happen (section 5).
public struct Journal: Sendable {
    /// Gives the current local time as `dd/MM/yyyy HH:mm:ss`.
    private let now: @Sendable () -> String
    public private(set) var lines: [String] = []

    public init(now: @escaping @Sendable () -> String) { self.now = now }

    public mutating func add(_ message: String) { lines.append(now() + " " + message) }

    /// The lines between `Lancement de la tâche` and `Tâche … terminée`: header notices, result,
    /// counts, then each rejected line's reasons and each warned line's warnings, the headed
    /// ones before those that stand alone. They are written at one instant, the end of the
    /// import, and carry its time.
    public mutating func add(report: ImportReport, notices: [String]) {
        let time = now() + " "
        func add(_ message: String) { lines.append(time + message) }
        for notice in notices { add(notice) }
        if report.importedCount > 0, report.rejectedCount == 0 { add("L'import a été effectué avec succès.") }
        add("Nombre de lignes importées : \(report.importedCount)")
        add("Nombre de lignes non importées : \(report.rejectedCount)")
        for entry in report.entries {
            switch entry.outcome {
            case .rejected(let rejection):
                add("La ligne \(entry.line) n'a pas pu être importée :")
                for reason in rejection.reasons { add(reason) }
            case .imported(let warnings):
                let headed = warnings.filter { !$0.standsAlone }
                if !headed.isEmpty { add("La ligne \(entry.line) comporte les avertissements suivants :") }
                for warning in headed { add(warning.message) }
                for warning in warnings where warning.standsAlone { add(warning.message) }
            }
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
        if let report {
            result.append(
                (
                    "statistiques",
                    .object([
                        ("nombre_lignes_importées", .string(String(report.importedCount))),
                        ("nombre_lignes_non_importées", .string(String(report.rejectedCount))),
                    ])
                )
            )
        }
        return .object([("result", .array([.object(result)]))])
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
