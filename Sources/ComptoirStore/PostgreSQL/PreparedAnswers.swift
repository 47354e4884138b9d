import ComptoirCore

/// What the database answered, before a chunk of lines was applied, to the reads they
/// announced (`PlannedRead`). An answer holds until a write reaches what it read: then it is
/// forgotten, and only it, so that the other lines of the chunk still read nothing.
struct PreparedAnswers {
    struct TiersPair: Hashable {
        let code: String
        let number: String
    }

    private var tiers: [TiersPair: TiersAndAccount] = [:]
    /// The pairs by code, by number and by the other holder of their number: what a write
    /// reaches.
    private var pairsByCode: [String: [TiersPair]] = [:]
    private var pairsByNumber: [String: [TiersPair]] = [:]
    private var pairsByHolder: [String: [TiersPair]] = [:]

    /// By table: the keys whose existence was asked, by their columns, and those found.
    private var presence: [String: Presence] = [:]

    private struct Presence {
        let columns: [String]
        var asked: Set<[FieldValue]>
        var found: Set<[FieldValue]>
    }

    var isEmpty: Bool { tiers.isEmpty && presence.isEmpty }

    mutating func remember(_ answers: [TiersPair: TiersAndAccount]) {
        for (pair, answer) in answers {
            tiers[pair] = answer
            pairsByCode[pair.code, default: []].append(pair)
            pairsByNumber[pair.number, default: []].append(pair)
            if let holder = answer.otherHolder { pairsByHolder[holder, default: []].append(pair) }
        }
    }

    mutating func remember(
        keys asked: Set<[FieldValue]>, found: Set<[FieldValue]>, of table: String, by columns: [String]
    ) {
        presence[table] = Presence(columns: columns, asked: asked, found: found)
    }

    func tiersAndAccount(code: String, number: String) -> TiersAndAccount? {
        tiers[TiersPair(code: code, number: number)]
    }

    /// Whether the database held a row of `table` keyed `key` when asked; nil when it was not.
    func existed(in table: String, key: LineValues) -> Bool? {
        guard let known = presence[table], known.columns == key.fields.map(\.name) else { return nil }
        let values = key.fields.map(\.value)
        return known.asked.contains(values) ? known.found.contains(values) : nil
    }

    /// Forgets what `update` may change. A tiers's update changes the answers of its code,
    /// and, when it changes its account number, those of that number and those it held; an
    /// account's, those of its number. Which keys exist, no update changes.
    mutating func forget(changedBy update: RecordChange) {
        guard update.table == "TIERS" || update.table == "COMPTES", !tiers.isEmpty else { return }
        let value = update.key.fields.first?.value.text ?? ""
        switch (update.table, update.key.fields.map(\.name)) {
        case ("TIERS", ["PCF_CODE"]):
            forget(pairsByCode.removeValue(forKey: value))
            if let number = update.values["CPT_NUMERO"] {
                forget(pairsByNumber.removeValue(forKey: number.text ?? ""))
                forget(pairsByHolder.removeValue(forKey: value))
            }
        case ("COMPTES", ["CPT_NUMERO"]):
            forget(pairsByNumber.removeValue(forKey: value))
        default:
            forgetTiers()
        }
    }

    private mutating func forget(_ pairs: [TiersPair]?) {
        for pair in pairs ?? [] { tiers[pair] = nil }
    }

    /// Forgets what was read of `table`: rows of it reached the database unseen.
    mutating func forget(table: String) {
        presence[table] = nil
        if table == "TIERS" || table == "COMPTES" { forgetTiers() }
    }

    /// Keeps the tables' room: each chunk fills them about as much as the one before.
    private mutating func forgetTiers() {
        tiers.removeAll(keepingCapacity: true)
        pairsByCode.removeAll(keepingCapacity: true)
        pairsByNumber.removeAll(keepingCapacity: true)
        pairsByHolder.removeAll(keepingCapacity: true)
    }

    mutating func forgetAll() {
        forgetTiers()
        presence.removeAll(keepingCapacity: true)
    }
}
