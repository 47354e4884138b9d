import ComptoirCore

// What the tests of every layer build imports with, and read their reports with.

/// The `parametres` of a test import: journal and statistics asked for, the contract's
/// defaults for everything else not given.
public func importParameters(
    nomsChamps: String = "",
    entete: Bool = false,
    separator: Unicode.Scalar = ";",
    qualifier: Unicode.Scalar? = nil,
    lines: [String] = [],
    journal: Bool = true,
    statistiques: Bool = true,
    tester: Bool = false
) -> ImportParameters {
    ImportParameters(
        journal: journal,
        statistiques: statistiques,
        entete: entete,
        nomsChamps: nomsChamps,
        separator: separator,
        qualifier: qualifier,
        lines: StringList(lines),
        tester: tester,
        calculerCodeTiers: false,
        calculerNumeroCompte: false
    )
}

/// A line's values from `name: text` pairs, in order; an empty text is a present, empty column.
public func lineValues(_ pairs: KeyValuePairs<String, String>) -> LineValues {
    LineValues(pairs.map { (name: $0.key, value: $0.value.isEmpty ? FieldValue.null : .text($0.value)) })
}

/// The rejection reasons of each rejected line of `report`, by line number.
public func rejections(_ report: ImportReport) -> [Int: [String]] {
    var reasons: [Int: [String]] = [:]
    for entry in report.entries {
        if case .rejected(let rejection) = entry.outcome { reasons[entry.line] = rejection.reasons }
    }
    return reasons
}

/// The warnings of each imported line of `report` that has some, by line number.
public func warnings(_ report: ImportReport) -> [Int: [LineWarning]] {
    var warnings: [Int: [LineWarning]] = [:]
    for entry in report.entries {
        if case .imported(let lineWarnings) = entry.outcome { warnings[entry.line] = lineWarnings }
    }
    return warnings
}

/// The messages of an import's journal, undated: the opening and closing lines of `task` on
/// the société at `societe`, around `body`.
public func journalMessages(task: String, societe: String, _ body: [String]) -> [String] {
    ["Ouverture de la société \(societe)", "Société \(societe) ouverte", "Lancement de la tâche \(task)"] + body
        + ["Tâche \(task) terminée", "Fermeture de la société \(societe)"]
}

/// The `statistiques` object of an answer.
public func statistics(imported: Int, rejected: Int) -> JSONValue {
    .object([
        ("nombre_lignes_importées", .string(String(imported))),
        ("nombre_lignes_non_importées", .string(String(rejected))),
    ])
}

extension AuditStamp {
    /// The stamp of the imports that create the records of a test.
    public static let creation = AuditStamp(user: "DEMO", time: "2024-03-15 10:20:30")
    /// The stamp of a later import, by another user.
    public static let later = AuditStamp(user: "ADM", time: "2024-03-16 08:00:00")
}

/// Hashes a password by reversing it: the rules' tests check where a hash goes, not bcrypt.
public struct ReversedPasswords: PasswordHashing {
    public init() {}
    public func hash(_ password: String) -> String { "haché:" + String(password.reversed()) }
}

extension RuleContext {
    /// The context of a test's request of `parametres` stamped `stamp`.
    public static func test(stamp: AuditStamp, parametres: ImportParameters = importParameters()) -> RuleContext {
        RuleContext(stamp: stamp, parametres: parametres, passwords: ReversedPasswords())
    }
}

extension Domaine {
    /// The domain's rules for a test's request of `parametres` stamped `stamp`.
    public func rules(stamp: AuditStamp, parametres: ImportParameters = importParameters()) -> any DomainRules {
        rules(.test(stamp: stamp, parametres: parametres))
    }
}

/// The body of an import request, with the contract's keys.
public func importBody(
    root: String = "importer_clients",
    linesKey: String = "fichier_clients",
    fichier: String = "DEMO.Gestimum",
    utilisateur: String = "DEMO",
    motPasse: String = "",
    deconnecter: Bool = false,
    exclusif: Bool = false,
    lines: [String],
    parametres: [(String, String)] = parametres()
) -> String {
    let societe: JSONValue = .object([
        ("fichier", .string(fichier)), ("utilisateur", .string(utilisateur)), ("mot_passe", .string(motPasse)),
        ("deconnecter", .string(deconnecter ? "Oui" : "Non")), ("exclusif", .string(exclusif ? "Oui" : "Non")),
    ])
    var members: [(key: String, value: JSONValue)] = parametres.map { ($0.0, .string($0.1)) }
    members.append((linesKey, .array(lines.map(JSONValue.string))))
    return JSONValue.object([
        (root, .object([("societe", societe), ("parametres", .object(members))]))
    ]).asciiText
}

/// The parameters of an import with journal, statistics and a header line, plus `extra`.
public func parametres(_ extra: (String, String)...) -> [(String, String)] {
    [("journal", "Oui"), ("statistiques", "Oui"), ("entete", "Oui")] + extra
}
