/// The parameters only `Ecritures` takes (`domains.md` §4).
public struct EcrituresParameters: Sendable, Equatable {
    public var format: EcritureFormat
    /// `fichier_comptes`: the accounts of the EBP formats.
    public var comptes: StringList
    public var simulation: Bool
    public var creerSectionsAnalytiques: Bool
    public var planAnalytique: String
    /// How the journal names the imported file: `Ecritures.txt` in the web service, the
    /// absolute path in a tâche.
    public var fichier: String

    public init(
        format: EcritureFormat, comptes: StringList = StringList([]), simulation: Bool = false,
        creerSectionsAnalytiques: Bool = false, planAnalytique: String = "001", fichier: String = "Ecritures.txt"
    ) {
        self.format = format
        self.comptes = comptes
        self.simulation = simulation
        self.creerSectionsAnalytiques = creerSectionsAnalytiques
        self.planAnalytique = planAnalytique
        self.fichier = fichier
    }

    /// The parameters a request (`format`, `fichier_comptes`…) or a tâche (`FormatFichier`,
    /// `FichierComptes`…) gives, checked alike: a known format, accounts only with EBP's, under
    /// the name `comptesKey` the request or the tâche gives them.
    public init(
        formatNamed name: String, comptes: StringList, comptesKey: String = "fichier_comptes", simulation: Bool,
        creerSectionsAnalytiques: Bool, planAnalytique: String, fichier: String = "Ecritures.txt"
    ) throws(RequestRefusal) {
        guard let format = EcritureFormat.named(name) else { throw RequestRefusal("Format \(name) inconnu") }
        if !format.isEBP, comptes.count > 0 {
            throw RequestRefusal("Le paramètre \(comptesKey) n'existe que pour les formats EBPV5V2000 et EBPV3")
        }
        // An account that cannot be read would be created unseen under the default label.
        let reader = EcritureReader(format: format)
        for index in 0..<comptes.count where !comptes[index].trimmingSpaces().isEmpty {
            let account = reader.readAccount(comptes[index])
            if let reason = account.reasons.first ?? (account.texts[.compte] == nil ? "Aucun numéro de compte" : nil) {
                throw RequestRefusal("La ligne \(index + 1) de \(comptesKey) ne peut pas être lue : \(reason)")
            }
        }
        self.init(
            format: format, comptes: comptes, simulation: simulation,
            creerSectionsAnalytiques: creerSectionsAnalytiques,
            planAnalytique: planAnalytique, fichier: fichier)
    }
}

/// The rules of one pièce (`domains.md` §4): every line checked against the société without
/// writing anything, then the whole pièce written, or none of it.
struct EcrituresRules: DomainRules {
    static let ecritures = "ECRITURES"
    static let echeances = "ECR_ECH"
    static let analytiques = "ECR_ANAREP"
    static let numberCounter = "COMPTEUR_ECRITURES"

    let parametres: EcrituresParameters
    let stamp: AuditStamp
    let table = ecritures
    /// Whether a pièce may be unbalanced (preference `ECRITURES_DESEQUILIBREES`).
    var unbalancedAllowed = false
    /// The accounts of `fichier_comptes`, by number: their label.
    var accountLabels: [String: String] = [:]

    /// The one outcome of a line, for the report.
    struct Outcome {
        let line: Int
        let record: EcritureRecord
        var reasons: [String] = []
        var warnings: [String] = []
        var imported: Bool
    }

    init(parametres: EcrituresParameters, stamp: AuditStamp) {
        self.parametres = parametres
        self.stamp = stamp
    }

    /// Reads the preference and, in the EBP formats, the accounts file.
    func settled(in store: some RecordStore) throws -> EcrituresRules {
        var rules = self
        rules.unbalancedAllowed = try store.preference("ECRITURES_DESEQUILIBREES")?.lowercased() == "oui"
        let reader = EcritureReader(format: parametres.format)
        for index in 0..<parametres.comptes.count where !parametres.comptes[index].isEmpty {
            let account = reader.readAccount(parametres.comptes[index])
            if let number = account.texts[.compte], let label = account.texts[.accountLabel] {
                rules.accountLabels[number] = label
            }
        }
        return rules
    }

    /// Checks a pièce and writes it when no line is refused. Returns each line's outcome.
    func apply(_ piece: [(number: Int, line: EcritureLine)], to store: some RecordStore) throws -> [Outcome] {
        var outcomes = piece.map {
            Outcome(line: $0.number, record: $0.line.record, reasons: $0.line.reasons, imported: false)
        }
        var createdAccounts: [(number: String, label: String)] = []
        var createdSections: [CreatedSection] = []
        var ignored: Set<Int> = []
        // Écriture lines whose own section (GestimumComptaFixe) is unknown and not created.
        var sectionsLeftOut: Set<Int> = []
        var debit = DecimalNumber.zero
        var credit = DecimalNumber.zero
        let shares = Self.shares(in: piece, defaultPlan: parametres.planAnalytique)
        var index = 0
        while index < piece.count {
            let line = piece[index].line
            // The échéances and splits that follow this line.
            var end = index + 1
            while end < piece.count, piece[end].line.record != .ecriture { end += 1 }
            guard line.record == .ecriture else {
                for orphan in index..<end {
                    outcomes[orphan].reasons.append("Cette ligne ne suit aucune ligne d'écriture")
                }
                index = end
                continue
            }
            var reasons: [String] = []
            // A line that could not be read has its reason already: what is missing is not said besides.
            for (role, name) in [(EcritureRole.journal, "Code journal"), (.compte, "Numéro de compte")]
            where line.texts[role] == nil && line.reasons.isEmpty {
                reasons.append("Le champ \(name) est obligatoire")
            }
            if line.dates[.date] == nil, line.reasons.isEmpty {
                reasons.append("Le champ Date d'écriture est obligatoire")
            }
            if line.amounts[.montant] == nil, line.amounts[.debit] == nil, line.amounts[.credit] == nil,
                line.reasons.isEmpty
            {
                reasons.append("Le champ Montant est obligatoire")
            }
            // A format of two columns gives a line one side: both would be netted unseen.
            if let debit = line.amounts[.debit], let credit = line.amounts[.credit], !debit.isZero, !credit.isZero {
                reasons.append("La ligne porte à la fois un débit (\(debit)) et un crédit (\(credit))")
            }
            if let journal = line.texts[.journal],
                try !store.exists(in: "JOURNAUX", key: LineValues([("JRN_CODE", .text(journal))]))
            {
                reasons.append("Le code journal \(journal) n'existe pas")
            }
            reasons += try Self.unknownCodes(of: line, store: store)
            outcomes[index].warnings += try Self.unknownMode(of: line, store: store)
            if let number = line.texts[.compte] {
                if let account = try store.account(number: number) {
                    if account.type == "R" { reasons.append(RuleSupport.regroupementAccount(number)) }
                } else if !createdAccounts.contains(where: { $0.number == number }) {
                    if let label = newAccountLabel(number, line: line) {
                        createdAccounts.append((number, label))
                    } else {
                        reasons.append("Le compte \(number) n'existe pas")
                    }
                }
            }
            let amount = line.signedAmount
            if amount.isNegative { credit += amount.magnitude } else { debit += amount }
            // Échéances count only when the line gives no date d'échéance.
            let echeances = (index + 1..<end).filter { piece[$0].line.record == .echeance }
            if line.dates[.echeance] != nil {
                // Not read, as Gestimum ignores them: their own faults refuse nothing.
                for position in echeances {
                    ignored.insert(position)
                    outcomes[position].reasons = []
                    outcomes[position].warnings.append(
                        "La ligne d'écriture donne sa date d'échéance : cette échéance est ignorée")
                }
            } else if !echeances.isEmpty, line.reasons.isEmpty, echeances.allSatisfy({ piece[$0].line.reasons.isEmpty })
            {
                // Totals are compared with amounts that could be read.
                let total = echeances.reduce(DecimalNumber.zero) { $0 + shares[$1]! }
                if total != amount.magnitude {
                    reasons.append(
                        "Le total des échéances (\(total.french)) ne correspond pas au montant de la ligne (\(amount.magnitude.french))"
                    )
                }
            }
            for position in index + 1..<end where !ignored.contains(position) {
                let following = piece[position].line
                outcomes[position].reasons += try Self.unknownCodes(of: following, store: store)
                outcomes[position].warnings += try Self.unknownMode(of: following, store: store)
                if following.record == .echeance, following.dates[.date] == nil, following.reasons.isEmpty {
                    outcomes[position].reasons.append("Le champ Date de l'échéance est obligatoire")
                }
            }
            // Each plan's splits share the whole line (several plans for one line, #25766).
            for splits in Self.shareGroups(
                of: .analytique, following: index, until: end, in: piece, defaultPlan: parametres.planAnalytique)
            {
                let total = splits.reduce(DecimalNumber.zero) { $0 + shares[$1]! }
                if total != amount.magnitude, line.reasons.isEmpty,
                    splits.allSatisfy({ piece[$0].line.reasons.isEmpty })
                {
                    reasons.append(
                        "Le total des ventilations analytiques (\(total.french)) ne correspond pas au montant de la ligne (\(amount.magnitude.french))"
                    )
                }
                for position in splits {
                    guard let section = piece[position].line.texts[.section] else {
                        if piece[position].line.reasons.isEmpty {
                            outcomes[position].reasons.append("Le champ Code section analytique est obligatoire")
                        }
                        continue
                    }
                    if let type = try Self.sectionType(section, created: createdSections, store: store) {
                        if type == "R" { outcomes[position].reasons.append(RuleSupport.regroupementSection(section)) }
                        continue
                    }
                    if parametres.creerSectionsAnalytiques {
                        if let reason = try unknownPlanOfCreatedSections(store: store) {
                            outcomes[position].reasons.append(reason)
                        }
                        createdSections.append(CreatedSection(code: section, label: section))
                    } else {
                        ignored.insert(position)
                        outcomes[position].warnings.append(
                            "La section analytique \(section) n'existe pas : la ventilation est ignorée")
                    }
                }
                // The line's ventilation in that plan is ignored whole: what would be kept of it
                // would not add up to the line.
                if splits.contains(where: ignored.contains) { ignored.formUnion(splits) }
            }
            // A section written on the écriture line itself (GestimumComptaFixe), with its label.
            if let section = line.texts[.section] {
                if let type = try Self.sectionType(section, created: createdSections, store: store) {
                    if type == "R" { reasons.append(RuleSupport.regroupementSection(section)) }
                } else if parametres.creerSectionsAnalytiques {
                    if let reason = try unknownPlanOfCreatedSections(store: store) { reasons.append(reason) }
                    createdSections.append(CreatedSection(code: section, label: line.texts[.sectionLabel] ?? section))
                } else {
                    sectionsLeftOut.insert(index)
                    outcomes[index].warnings.append(
                        "La section analytique \(section) n'existe pas : l'écriture est importée sans section")
                }
            }
            outcomes[index].reasons += reasons
            index = end
        }
        // A pièce is balanced or not once each of its écritures' amounts could be read.
        if !unbalancedAllowed, debit != credit,
            piece.allSatisfy({ $0.line.record != .ecriture || $0.line.reasons.isEmpty }),
            let first = outcomes.firstIndex(where: { $0.record == .ecriture })
        {
            outcomes[first].reasons.append(
                "La pièce n'est pas équilibrée : débit \(debit.french), crédit \(credit.french)")
        }
        // An anomaly on any line rejects the whole pièce (#22553).
        guard outcomes.allSatisfy(\.reasons.isEmpty) else { return outcomes }
        for (number, label) in createdAccounts {
            try store.write(
                RecordChange(
                    table: "COMPTES", kind: .create, key: LineValues([("CPT_NUMERO", .text(number))]),
                    values: LineValues([("CPT_LIB", .text(label)), ("CPT_TYPE", .text("G"))])))
        }
        for created in createdSections {
            // A section as SectionsAnalytiques creates one: general (`G`), with its audit columns.
            var values = LineValues([
                ("ANA_LIB", .text(created.label)), ("ANA_PLAN", .text(parametres.planAnalytique)),
                ("ANA_TYPE", .text("G")),
            ])
            Domaine.sectionsAnalytiques.table.audit?.stamp(&values, with: stamp, existingCount: nil)
            try store.write(
                RecordChange(
                    table: "ANALYTIQUES", kind: .create, key: LineValues([("ANA_CODE", .text(created.code))]),
                    values: values))
        }
        try write(piece, ignored: ignored, sectionsLeftOut: sectionsLeftOut, shares: shares, store: store)
        for position in outcomes.indices where !ignored.contains(position) { outcomes[position].imported = true }
        return outcomes
    }

    /// The warning of a payment mode that the line's société does not have. It is stored as
    /// given: the EBP formats carry their own software's codes (`T060` in Gestimum's example),
    /// which no société has. It is said all the same, as Gestimum's import says it (#21310).
    private static func unknownMode(of line: EcritureLine, store: some RecordStore) throws -> [String] {
        guard let mode = line.texts[.mode] else { return [] }
        return try RuleSupport.unknownCodes(
            [ReferenceCode(reference: .modeReglement, code: mode, given: mode)], in: store)
    }

    /// The reasons of the codes a line names that its société does not have (`domains.md` §3):
    /// its currency, a split's plan.
    private static func unknownCodes(of line: EcritureLine, store: some RecordStore) throws -> [String] {
        var codes: [ReferenceCode] = []
        if let devise = line.texts[.devise] {
            codes.append(ReferenceCode(reference: .devise, code: devise, given: devise))
        }
        if line.record == .analytique, let plan = line.texts[.plan] {
            codes.append(ReferenceCode(reference: .planAnalytique, code: plan, given: plan))
        }
        return try RuleSupport.unknownCodes(codes, in: store)
    }

    /// A section a pièce creates, in `plan_analytique` (`domains.md` §4).
    private struct CreatedSection {
        let code: String
        let label: String
    }

    /// The type of section `code` (`G`, or `R` for a regroupement), as the société holds it or
    /// this pièce creates it; nil when neither has it.
    private static func sectionType(_ code: String, created: [CreatedSection], store: some RecordStore) throws
        -> String?
    {
        if let type = try store.sectionType(code: code) { return type }
        return created.contains { $0.code == code } ? "G" : nil
    }

    /// Why the sections this request creates cannot be: `plan_analytique` names no plan.
    private func unknownPlanOfCreatedSections(store: some RecordStore) throws -> String? {
        let plan = parametres.planAnalytique
        return try RuleSupport.unknownCodes(
            [ReferenceCode(reference: .planAnalytique, code: plan, given: plan)], in: store
        ).first
    }

    /// The label of an unknown account that the format creates, or nil when it is an anomaly.
    private func newAccountLabel(_ number: String, line: EcritureLine) -> String? {
        if parametres.format == .gestimumComptaFixe { return line.texts[.accountLabel] ?? "Compte à créer" }
        if parametres.format.isEBP { return accountLabels[number] ?? "Compte créé pendant transfert" }
        return nil
    }

    /// The amount of each échéance and split of `piece`, by position: its own `Montant`, or its
    /// percentage of its line's, rounded to the cent. When all the échéances (or all the splits)
    /// of a line go by percentage and add up to 100 %, the last takes what the rounding of the
    /// others leaves, so that they add up to their line: 33.333 % three times, of 100.
    static func shares(in piece: [(number: Int, line: EcritureLine)], defaultPlan: String) -> [Int: DecimalNumber] {
        var shares: [Int: DecimalNumber] = [:]
        var index = 0
        while index < piece.count {
            var end = index + 1
            while end < piece.count, piece[end].line.record != .ecriture { end += 1 }
            let amount = piece[index].line.signedAmount.magnitude
            for record in [EcritureRecord.echeance, .analytique] {
                for positions in shareGroups(
                    of: record, following: index, until: end, in: piece, defaultPlan: defaultPlan)
                {
                    var sum = DecimalNumber.zero
                    var percentages: DecimalNumber? = .zero
                    for position in positions {
                        let line = piece[position].line
                        if let own = line.amounts[.montant], !own.isZero || line.amounts[.pourcentage] == nil {
                            shares[position] = own
                            percentages = nil
                        } else {
                            let percentage = line.amounts[.pourcentage] ?? .zero
                            shares[position] = (percentage.hundredth * amount)?.rounded(to: 2) ?? .zero
                            percentages = percentages.map { $0 + percentage }
                        }
                        sum += shares[position]!
                    }
                    // Percentages written to the thousandth that make 100 once rounded to the
                    // hundredth (33,333 three times) leave the last share the rest.
                    if percentages?.rounded(to: 2) == .hundred, let last = positions.last {
                        shares[last] = amount - (sum - shares[last]!)
                    }
                }
            }
            index = end
        }
        return shares
    }

    /// The positions of the lines of `record` between `index`, an écriture line, and `end`,
    /// by what adds up to that line: its échéances together, its splits plan by plan (a split
    /// names its plan, or is of `defaultPlan`), in the order they come.
    static func shareGroups(
        of record: EcritureRecord, following index: Int, until end: Int,
        in piece: [(number: Int, line: EcritureLine)], defaultPlan: String
    ) -> [[Int]] {
        let positions = (index + 1..<end).filter { piece[$0].line.record == record }
        guard record == .analytique else { return positions.isEmpty ? [] : [positions] }
        var plans: [String] = []
        var byPlan: [String: [Int]] = [:]
        for position in positions {
            let plan = piece[position].line.texts[.plan] ?? defaultPlan
            if byPlan[plan] == nil { plans.append(plan) }
            byPlan[plan, default: []].append(position)
        }
        return plans.map { byPlan[$0]! }
    }

    /// Writes the pièce's écritures, each with its échéances and analytic splits but the
    /// `ignored` ones.
    private func write(
        _ piece: [(number: Int, line: EcritureLine)], ignored: Set<Int>, sectionsLeftOut: Set<Int>,
        shares: [Int: DecimalNumber], store: some RecordStore
    ) throws {
        var numero = ""
        var amount = DecimalNumber.zero
        var echeance = 0
        var split = 0
        // Written together, once numbered: a store may write several rows by one statement.
        var changes: [RecordChange] = []
        for (position, (_, line)) in piece.enumerated() {
            switch line.record {
            case .ecriture:
                numero = try store.nextNumber(of: Self.numberCounter)!
                amount = line.signedAmount
                (echeance, split) = (0, 0)
                var values = LineValues([
                    ("JRN_CODE", .text(line.texts[.journal]!)), ("ECR_DATE", .text(line.dates[.date]!.iso)),
                    // A pièce or libellé left empty is stored empty (null), as any field is.
                    ("ECR_PIECE", line.texts[.piece].map(FieldValue.text) ?? .null),
                    ("CPT_NUMERO", .text(line.texts[.compte]!)),
                    ("ECR_LIB", line.texts[.libelle].map(FieldValue.text) ?? .null),
                    ("ECR_DEBIT", (amount.isNegative ? .zero : amount).stored(scale: 2)),
                    ("ECR_CREDIT", (amount.isNegative ? amount.magnitude : .zero).stored(scale: 2)),
                    ("ECR_SIMUL", .integer(parametres.simulation ? 1 : 0)),
                ])
                for (role, column) in [
                    (EcritureRole.mode, "REG_CODE"), (.lettrage, "ECR_LETTRAGE"), (.devise, "DEV_CODE"),
                    (.section, "ANA_CODE"),
                ] where role != .section || !sectionsLeftOut.contains(position) {
                    if let text = line.texts[role] { values.append(column, .text(text)) }
                }
                if let date = line.dates[.echeance] { values.append("ECR_ECHEANCE", .text(date.iso)) }
                AuditColumns.ecritures.stamp(&values, with: stamp, existingCount: nil)
                changes.append(
                    RecordChange(
                        table: Self.ecritures, kind: .create, key: LineValues([("ECR_NUMERO", .text(numero))]),
                        values: values))
            case .echeance:
                guard !ignored.contains(position) else { continue }
                echeance += 1
                var values = LineValues([
                    ("ECH_DATE", line.dates[.date].map { .text($0.iso) } ?? .null),
                    ("ECH_MONTANT", shares[position]!.stored(scale: 2)),
                ])
                if let mode = line.texts[.mode] { values.append("REG_CODE", .text(mode)) }
                changes.append(
                    RecordChange(
                        table: Self.echeances, kind: .create,
                        key: LineValues([("ECR_NUMERO", .text(numero)), ("ECH_LIGNE", .integer(echeance))]),
                        values: values))
            case .analytique:
                guard !ignored.contains(position) else { continue }
                split += 1
                changes.append(
                    RecordChange(
                        table: Self.analytiques, kind: .create,
                        key: LineValues([("ECR_NUMERO", .text(numero)), ("ANA_LIGNE", .integer(split))]),
                        values: LineValues([
                            ("ANA_PLAN", .text(line.texts[.plan] ?? parametres.planAnalytique)),
                            ("ANA_CODE", .text(line.texts[.section]!)),
                            ("ANA_MONTANT", shares[position]!.stored(scale: 2)),
                        ])))
            case .compte: continue
            }
        }
        try store.write(contentsOf: changes)
    }

    /// The tables écritures are written to.
    static let tables = [
        TableDescription(
            name: ecritures, key: ["ECR_NUMERO"],
            columns: [
                .init("ECR_NUMERO"), .init("JRN_CODE"), .init("ECR_DATE", .date), .init("ECR_PIECE"),
                .init("CPT_NUMERO"), .init("ECR_LIB"), .init("ECR_DEBIT", .decimal), .init("ECR_CREDIT", .decimal),
                .init("ECR_ECHEANCE", .date), .init("REG_CODE"), .init("ECR_LETTRAGE"), .init("DEV_CODE"),
                .init("ANA_CODE"), .init("ECR_SIMUL", .checkbox),
            ], audit: .ecritures),
        TableDescription(
            name: echeances, key: ["ECR_NUMERO", "ECH_LIGNE"],
            columns: [
                .init("ECR_NUMERO"), .init("ECH_LIGNE", .integer), .init("ECH_DATE", .date), .init("REG_CODE"),
                .init("ECH_MONTANT", .decimal),
            ]),
        TableDescription(
            name: analytiques, key: ["ECR_NUMERO", "ANA_LIGNE"],
            columns: [
                .init("ECR_NUMERO"), .init("ANA_LIGNE", .integer), .init("ANA_PLAN"), .init("ANA_CODE"),
                .init("ANA_MONTANT", .decimal),
            ]),
    ]
}
