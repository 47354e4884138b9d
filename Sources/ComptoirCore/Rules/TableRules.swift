/// The rules of a domain whose line is one row of one table (`domains.md` §3): required
/// fields, references to the société's other tables, then an upsert on the key with its audit
/// columns. What a domain adds of its own is a `TableLineRule`.
public struct TableRules: LineImporter {
    /// A line ready for the société, with the reasons it is rejected if its row is new.
    public struct PreparedRow: Sendable {
        var line: LineValues
        /// The required fields the line does not hold, which only an update may leave out.
        let missingOnCreation: [String]
        /// Whether the line creates a row whose code the counter gives once it is accepted.
        let numbered: Bool
    }

    let description: TableDescription
    let catalogue: Catalogue
    let references: [Reference]
    /// Columns stored in upper case, as the codes that other tables name in upper case.
    let uppercased: [String]
    private(set) var specifics: [any TableLineRule]
    /// How new rows are numbered, if they can be.
    let numbering: Numbering?
    /// Whether the société's preference says `Automatique`: read by `settled(in:)`.
    private var isAutomatic = false
    let stamp: AuditStamp
    /// The reason of each required field, should the line lack it.
    private let requiredMessages: [String: String]
    /// The columns of the table but its key: a line's other fields are for its rules only.
    private let storedColumns: Set<String>

    init(
        _ description: TableDescription, catalogue: Catalogue, references: [Reference] = [],
        uppercased: [String] = [], specifics: [any TableLineRule] = [], numbering: Numbering? = nil,
        stamp: AuditStamp
    ) {
        self.description = description
        self.catalogue = catalogue
        self.references = references
        self.uppercased = uppercased
        self.specifics = specifics
        self.numbering = numbering
        self.stamp = stamp
        self.requiredMessages = Self.requiredMessages(of: catalogue)
        self.storedColumns = Set(description.columns.map(\.name)).subtracting(description.key)
    }

    public var table: String { description.name }

    public func settled(in store: some RecordStore) throws -> TableRules {
        var rules = self
        rules.specifics = try specifics.map { try $0.settled(in: store) }
        if case .everyLine(let preference)? = numbering?.scope {
            rules.isAutomatic = try store.preference(preference) == Numbering.automatic
        }
        return rules
    }

    /// A required field given empty is rejected; one left out only when the row is created
    /// (`domains.md` §3: an update changes only the columns present).
    public func prepare(_ values: LineValues) -> Result<PreparedRow, LineRejection> {
        var line = values
        var emptied: [String] = []
        var missingOnCreation: [String] = []
        for field in catalogue.requiredFields where line.text(field.name) == nil {
            let reason = requiredMessages[field.name]!
            if line[field.name] == nil { missingOnCreation.append(reason) } else { emptied.append(reason) }
        }
        guard emptied.isEmpty else { return .failure(LineRejection(missingKey(line, besides: emptied) + emptied)) }
        for column in uppercased {
            guard let code = line.text(column) else { continue }
            let upper = code.uppercased()
            // Upper case may lengthen a code (`ß` is `SS`): it is held to its length as stored.
            if let maxLength = catalogue.field(named: column)?.type.maximumLength, upper.count > maxLength {
                return .failure(LineRejection(["Le champ \(column) dépasse \(counted(maxLength, "caractère"))"]))
            }
            line.set(column, .text(upper))
        }
        for specific in specifics {
            if let reasons = specific.prepare(&line), !reasons.isEmpty {
                return .failure(LineRejection(missingForCreation(line, missingOnCreation) + reasons))
            }
        }
        if let numbering, numbering.numbers(line, automatic: isAutomatic) {
            // The file's code, if any, is ignored: the line creates a row, numbered once it is accepted.
            line = LineValues(line.fields.filter { $0.name != numbering.column })
            return .success(PreparedRow(line: line, missingOnCreation: missingOnCreation, numbered: true))
        }
        guard isKeyed(line) else {
            return .failure(LineRejection(missingForCreation(line, missingOnCreation)))
        }
        return .success(PreparedRow(line: line, missingOnCreation: missingOnCreation, numbered: false))
    }

    /// Whether a line gives every column of the key, so that it may name a row to update.
    private func isKeyed(_ line: LineValues) -> Bool {
        description.key.allSatisfy { line[$0] != nil && line[$0] != .null }
    }

    /// What a line that can only create a row lacks for it, all said at once: its key, when no
    /// counter gives it, and the fields a creation needs (`missingOnCreation`). Nothing when
    /// the line names a row, which it may update.
    private func missingForCreation(_ line: LineValues, _ missingOnCreation: [String]) -> [String] {
        let numbered = numbering?.numbers(line, automatic: isAutomatic) ?? false
        guard numbered || !isKeyed(line) else { return [] }
        let missing = missingKey(line, besides: missingOnCreation) + missingOnCreation
        return missing.isEmpty && !numbered ? [Self.missingCode] : missing
    }

    /// The reason of a missing key code (`domains.md` §3).
    static let missingCode = "Code manquant"

    /// `Code manquant` for a line without the key that no counter gives it, when no required
    /// field of the catalogue says so already (`ART_CODE` is required only where codes are
    /// not numbered), nor the line's other missing fields, `reasons` (a user's `USR_NAME`, which
    /// the key `USR_CODE` takes): said beside them.
    private func missingKey(_ line: LineValues, besides reasons: [String]) -> [String] {
        let keyIsRequired = description.key.contains { requiredMessages[$0] != nil }
        guard !keyIsRequired, !reasons.contains(Self.missingCode),
            !(numbering?.numbers(line, automatic: isAutomatic) ?? false), !isKeyed(line)
        else { return [] }
        return [Self.missingCode]
    }

    public func apply(_ prepared: consuming PreparedRow, to store: some RecordStore) throws -> LineOutcome {
        var line = prepared.line
        for specific in specifics {
            let reasons = try specific.completeKey(&line, store: store)
            if !reasons.isEmpty { return .rejected(LineRejection(reasons)) }
        }
        // A numbered row has its key once it is accepted; any other, from its line.
        var key = prepared.numbered ? nil : LineValues(description.key.map { ($0, line[$0]!) })
        let existingCount: Int?
        if let key, let audit = description.audit {
            existingCount = try store.updateCount(in: table, key: key, countColumn: audit.updateCount)
        } else if let key {
            existingCount = try store.exists(in: table, key: key) ? 0 : nil
        } else {
            existingCount = nil
        }
        let exists = existingCount != nil
        if let key, !exists, let unknown = numbering?.unknownCode {
            // Where new rows are numbered, a code only names an existing row: a line naming
            // none is refused for that alone, its other values checked against nothing.
            return .rejected(LineRejection([unknown(key.fields[0].value.text!)]))
        }
        var reasons = exists ? [] : prepared.missingOnCreation
        reasons += try RuleSupport.checkReferences(references, of: &line, store: store)
        var warnings: [LineWarning] = []
        for specific in specifics {
            let verdict = try specific.check(&line, exists: exists, store: store)
            reasons += verdict.reasons
            warnings += verdict.warnings
        }
        guard reasons.isEmpty else { return .rejected(LineRejection(reasons)) }
        if prepared.numbered, let numbering {
            guard let code = try nextCode(numbering, in: store) else {
                return .rejected(LineRejection(["Le compteur \(numbering.counter) n'existe pas dans la société"]))
            }
            line.set(numbering.column, .text(code))
            key = LineValues([(numbering.column, .text(code))])
            warnings.append(LineWarning(numbering.created(code), standsAlone: true))
        }

        var values = LineValues(
            line.fields.filter { storedColumns.contains($0.name) || Catalogue.isCustomFieldName($0.name) })
        description.audit?.stamp(&values, with: stamp, existingCount: existingCount)
        // An existing row given nothing but its key keeps all it holds: with audit columns, the
        // line is still an update, stamped as such; without, there is nothing to write.
        if !exists || !values.fields.isEmpty {
            try store.write(RecordChange(table: table, kind: exists ? .update : .create, key: key!, values: values))
        }
        for specific in specifics { try specific.written(line, store: store) }
        return .imported(warnings: warnings)
    }

    /// The counter's next code that names no row yet: a row created by hand, or before the
    /// codification became automatic, may hold one.
    private func nextCode(_ numbering: Numbering, in store: some RecordStore) throws -> String? {
        while let code = try store.nextNumber(of: numbering.counter) {
            if try !store.exists(in: table, key: LineValues([(numbering.column, .text(code))])) { return code }
        }
        return nil
    }

    /// The reason of each required field: `Code manquant` for the catalogue's first field and
    /// the codes (`*_CODE`, or a label `Code …` as `ART_AUTRE`'s), `Libellé manquant` and `Nom manquant` for labels and names, otherwise
    /// `Le champ <CHAMP> est obligatoire` (`domains.md` §3).
    private static func requiredMessages(of catalogue: Catalogue) -> [String: String] {
        var messages: [String: String] = [:]
        for (index, field) in catalogue.requiredFields.enumerated() {
            if field.name.hasSuffix("_LIB") {
                messages[field.name] = "Libellé manquant"
            } else if field.name.hasSuffix("_NOM") {
                messages[field.name] = "Nom manquant"
            } else if field.name.hasSuffix("_CODE") || field.label.hasPrefix("Code ")
                || (index == 0 && field == catalogue.fields.first)
            {
                messages[field.name] = missingCode
            } else {
                messages[field.name] = "Le champ \(field.name) est obligatoire"
            }
        }
        return messages
    }
}

/// What one domain adds to `TableRules`.
protocol TableLineRule: Sendable {
    /// This rule with what it takes from the société's settings, read once per request.
    func settled(in store: some RecordStore) throws -> any TableLineRule
    /// Completes a line before it reaches the société: defaults, columns renamed. Answers the
    /// reasons it is rejected, if any.
    func prepare(_ line: inout LineValues) -> [String]?
    /// Completes the line's key from the société, before its row is looked for. Answers the
    /// reasons the line is rejected, if any.
    func completeKey(_ line: inout LineValues, store: some RecordStore) throws -> [String]
    /// Checks and completes a line knowing whether its row exists.
    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict
    /// Writes what the line's row needs besides itself, once it is written.
    func written(_ line: LineValues, store: some RecordStore) throws
}

extension TableLineRule {
    func settled(in store: some RecordStore) throws -> any TableLineRule { self }
    func prepare(_ line: inout LineValues) -> [String]? { nil }
    func completeKey(_ line: inout LineValues, store: some RecordStore) throws -> [String] { [] }
    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict { LineVerdict() }
    func written(_ line: LineValues, store: some RecordStore) throws {}
}

/// The reasons a line is rejected, or the warnings it is imported with.
struct LineVerdict {
    var reasons: [String] = []
    var warnings: [LineWarning] = []
}

/// Codes of new rows taken from a counter of the société (`domains.md` §3).
struct Numbering: Sendable {
    static let automatic = "Automatique"

    /// Which lines create a numbered row.
    enum Scope: Sendable {
        /// Every line, when the preference `preference` is `Automatique` (articles, affaires):
        /// the file's code is then ignored.
        case everyLine(preference: String)
        /// The lines that give no code (actions). A line's code names an existing row; an
        /// unknown one is refused with `unknown(code)`.
        case linesWithoutCode(unknown: @Sendable (String) -> String)
    }

    /// The key column the counter fills.
    let column: String
    let scope: Scope
    /// The preference that holds the next code.
    let counter: String
    /// The journal line of a created row, written after the counts.
    let created: @Sendable (String) -> String

    /// Whether `line` creates a numbered row, the preference being `Automatique` or not.
    func numbers(_ line: LineValues, automatic: Bool) -> Bool {
        switch scope {
        case .everyLine: automatic
        case .linesWithoutCode: line.text(column) == nil
        }
    }

    /// The reason of a code that names no row, where codes only name existing rows.
    var unknownCode: (@Sendable (String) -> String)? {
        guard case .linesWithoutCode(let unknown) = scope else { return nil }
        return unknown
    }
}

/// A field required when the row is created (`REG_TYPE` of a new mode de règlement), which an
/// update may leave out but not empty: that would leave the row as no new row may be
/// (`domains.md` §3: a required field is rejected, not cleared).
struct RequiredOnCreation: TableLineRule {
    let column: String

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        guard line.text(column) == nil, !exists || line[column] != nil else { return LineVerdict() }
        return LineVerdict(reasons: ["Le champ \(column) est obligatoire"])
    }
}
