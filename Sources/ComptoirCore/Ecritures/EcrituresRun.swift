/// What an Ecritures import counts (`domains.md` §4), for its journal block and its statistics.
public struct EcrituresCounts: Sendable, Equatable {
    /// How the journal names the imported file.
    public let fichier: String
    public var ecrituresImported = 0
    public var ecrituresRejected = 0
    public var echeancesImported = 0
    public var echeancesRejected = 0
    public var analytiquesImported = 0
    public var analytiquesRejected = 0
    public var errors = 0
    public var warnings = 0

    init(fichier: String) { self.fichier = fichier }

    /// Counts one line's outcome.
    mutating func count(_ outcome: EcrituresRules.Outcome) {
        errors += outcome.reasons.count
        warnings += outcome.warnings.count
        let imported = outcome.imported ? 1 : 0
        switch outcome.record {
        case .ecriture, .compte:
            ecrituresImported += imported
            ecrituresRejected += 1 - imported
        case .echeance:
            echeancesImported += imported
            echeancesRejected += 1 - imported
        case .analytique:
            analytiquesImported += imported
            analytiquesRejected += 1 - imported
        }
    }
}

/// Runs the lines of an écritures file: consecutive lines of one pièce are checked and written
/// together by `EcrituresRules`, as documents are (`ImportRun.forEachGroup`).
enum EcrituresRun {
    static func run(
        parametres: ImportParameters,
        layout: FieldLayout,
        rules: EcrituresRules,
        store: any RecordStore,
        readAhead: any ReadAhead,
        sink: (any LineEntrySink)?,
        stop: () -> Bool
    ) throws -> ImportReport {
        var report = try ImportReport(parametres: parametres, sink: sink)
        var counts = EcrituresCounts(fichier: rules.parametres.fichier)
        let reader = EcritureReader(format: rules.parametres.format)
        let rules = try rules.settled(in: store)
        try ImportRun.forEachGroup(
            of: parametres, layout: layout, readAhead: readAhead, stop: stop, read: reader.read, place: \.groupPlace,
            group: { piece in
                for outcome in try rules.apply(piece, to: store) {
                    counts.count(outcome)
                    try report.record(ecriture: outcome)
                }
            })
        report.ecritures = counts
        return report
    }
}

extension ImportReport {
    /// Records one line of an écritures file: the écriture lines make the common counts, and
    /// each reason or warning is an entry of its own (`ERR E 3 : …`).
    mutating func record(ecriture outcome: EcrituresRules.Outcome) throws {
        if outcome.record == .ecriture {
            if outcome.imported { importedCount += 1 } else { rejectedCount += 1 }
        }
        let marker = outcome.record.marker
        if !outcome.reasons.isEmpty {
            try add(LineEntry(line: outcome.line, outcome: .rejected(LineRejection(outcome.reasons)), marker: marker))
        }
        if !outcome.warnings.isEmpty {
            try add(
                LineEntry(
                    line: outcome.line, outcome: .imported(warnings: outcome.warnings.map { LineWarning($0) }),
                    marker: marker))
        }
    }
}
