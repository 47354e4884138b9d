import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirCore

// Shared helpers of the ComptoirCore tests.

extension Result {
    /// The success value, or nil.
    var successValue: Success? {
        if case .success(let value) = self { value } else { nil }
    }

    /// The failure, or nil.
    var failureValue: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}

/// The contract's files (`/work/shared/spec`), which sit next to the package in the project's
/// workspace but not in a user's clone of the package alone.
enum SpecFiles {
    /// `<workspace>/shared/spec`, found from this file: `<workspace>/main/Tests/ComptoirCoreTests/`.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ComptoirCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // main
        .deletingLastPathComponent()  // workspace
        .appendingPathComponent("shared/spec")

    static func url(_ relativePath: String) -> URL {
        folder.appendingPathComponent(relativePath)
    }

    static func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relativePath).path)
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relativePath)))
    }

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }
}

/// The contract's example request and answer, copied into the project's `docs/exemples`.
enum Examples {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ComptoirCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("docs/exemples")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

/// The outcome of a line rejected for `reasons`, in order.
func rejected(_ reasons: String...) -> LineOutcome {
    .rejected(LineRejection(reasons))
}

/// Runs `lines` of `domaine` through its rules, as the web service does, with the journal and
/// statistics asked for; the journal's lines are dated `15/03/2024 10:20:30`.
func runImport(
    _ domaine: Domaine,
    _ lines: [String],
    nomsChamps: String = "",
    calculerCodeTiers: Bool = false,
    calculerNumeroCompte: Bool = false,
    store: MemoryStore
) throws -> (report: ImportReport, journal: [String], answer: JSONValue) {
    var parametres = importParameters(
        nomsChamps: nomsChamps, entete: nomsChamps.isEmpty, lines: lines, journal: true, statistiques: true)
    parametres.calculerCodeTiers = calculerCodeTiers
    parametres.calculerNumeroCompte = calculerNumeroCompte
    let layout = try FieldLayout(parametres: parametres, catalogue: domaine.catalogue)
    let report = try domaine.run(.test(stamp: .creation, parametres: parametres), layout: layout, store: store)
    let chemin = "/srv/comptoir/DEMO.Gestimum"
    var journal = Journal(now: { "15/03/2024 10:20:30" })
    journal.add("Ouverture de la société \(chemin)")
    journal.add("Société \(chemin) ouverte")
    journal.add("Lancement de la tâche \(domaine.taskName)")
    journal.add(report: report, notices: layout.notices)
    journal.add("Tâche \(domaine.taskName) terminée")
    journal.add("Fermeture de la société \(chemin)")
    return (report, journal.lines, Answer.importDone(journal: journal.lines, report: report))
}

/// The journal of a `runImport`: its fixed opening and closing lines around `body`, all dated.
func expectedJournal(_ domaine: Domaine, _ body: [String]) -> [String] {
    journalMessages(task: domaine.taskName, societe: "/srv/comptoir/DEMO.Gestimum", body).map {
        "15/03/2024 10:20:30 " + $0
    }
}
