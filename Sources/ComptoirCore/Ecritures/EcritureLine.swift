/// One line of an écritures file, read by its format's layout: its kind, its values by role, and
/// why it cannot be imported, if it cannot.
struct EcritureLine: Sendable {
    let record: EcritureRecord
    var texts: [EcritureRole: String] = [:]
    var dates: [EcritureRole: CalendarDate] = [:]
    var amounts: [EcritureRole: DecimalNumber] = [:]
    var reasons: [String] = []
    /// Whether its journal, date or number was given but cannot be read, or the line cannot be
    /// split into its fields: its pièce is unknown.
    var pieceUnknown = false

    /// The roles whose values say which pièce an écriture line belongs to.
    static let pieceRoles: Set<EcritureRole> = [.journal, .date, .piece]

    /// Where an écriture line stands: in the pièce of its journal, date and number as written
    /// (`domains.md` §4), or an unknown one; échéances and analytic splits belong to the line
    /// before them.
    var groupPlace: GroupPlace {
        guard record == .ecriture else { return .following }
        let parts = [texts[.journal], dates[.date]?.iso, texts[.piece]]
        // A part missing or unreadable is unknown: the next line may be of its pièce.
        guard !pieceUnknown else { return .unknown(readable: parts) }
        return .keyed(parts.map { $0 ?? "" })
    }

    /// The écriture's amount, signed: debits positive, credits negative. `Sens` is `D` unless
    /// it says `C` (any other value refuses the line); formats without one give a debit and a
    /// credit column.
    var signedAmount: DecimalNumber {
        if let amount = amounts[.montant] {
            return texts[.sens]?.uppercased() == "C" ? .zero - amount : amount
        }
        return (amounts[.debit] ?? .zero) - (amounts[.credit] ?? .zero)
    }
}

/// Reads the lines of one format (`domains.md` §4).
struct EcritureReader: Sendable {
    let format: EcritureFormat
    private let layouts: [EcritureRecord: EcritureLayout]
    private let splitter = LineSplitter(separator: ",", qualifier: "\"")

    init(format: EcritureFormat) {
        self.format = format
        self.layouts = EcritureLayout.all[format] ?? [:]
    }

    /// An écriture, échéance or analytic line of the écritures file.
    func read(_ line: String) -> EcritureLine {
        // In the variable formats an échéance starts with `E` and its date follows it; an
        // analytic split starts with `>`.
        if layouts[.echeance] != nil, line.hasPrefix("E"),
            line.dropFirst().first.map({ $0.isASCIIDigit || $0 == "," }) == true
        {
            return read(String(line.dropFirst()), as: .echeance, firstOrder: 2)
        }
        if layouts[.analytique] != nil, line.hasPrefix(">") {
            return read(String(line.dropFirst()), as: .analytique, firstOrder: 2)
        }
        return read(line, as: .ecriture, firstOrder: 1)
    }

    /// What `Sens` may say, in either case: a debit or a credit.
    private static let sens: Set<String> = ["D", "C"]

    /// An amount as écriture files write it: an optional sign and spaces between digit groups,
    /// as any `Montant` (`webservice.md` §3), but `.` alone as the decimal separator
    /// (`domains.md` §4). Nil when it is no number.
    static func amount(_ value: String) -> DecimalNumber? {
        guard !value.contains(",") else { return nil }
        if let amount = DecimalNumber(value) { return amount.normalized }
        // The rarer forms: their shape checked as any `Montant`'s, then read without them.
        guard ExactDecimal.parse(value, digits: 38, scale: 38) != .failure(.notANumber) else { return nil }
        let digits = value.drop { $0 == "+" }.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" }
        return DecimalNumber(String(digits))?.normalized
    }

    /// A line of `fichier_comptes` (EBP formats).
    func readAccount(_ line: String) -> EcritureLine { read(line, as: .compte, firstOrder: 1) }

    private func read(_ text: String, as record: EcritureRecord, firstOrder: Int) -> EcritureLine {
        var line = EcritureLine(record: record)
        guard let layout = layouts[record] else { return line }
        var separated: [String] = []
        if case .order = layout.fields.first?.place {
            // A marker written as a field of its own (`E,010303,…`) leaves an empty first field.
            let text = firstOrder > 1 && text.hasPrefix(",") ? String(text.dropFirst()) : text
            switch splitter.split(text) {
            case .success(let fields): separated = fields
            case .failure(let error):
                line.reasons.append(error.message)
                line.pieceUnknown = true
                return line
            }
        }
        var writtenPieceRoles: Set<EcritureRole> = []
        // A field no table of Comptoir's keeps (a quantity, a reference…) is still checked, as
        // the format describes it: a file Gestimum would refuse is refused here too.
        for field in layout.fields {
            guard let raw = value(of: field, in: text, separated: separated, firstOrder: firstOrder) else { continue }
            let role = field.role
            var value = raw.trimmingSpaces()
            // A separated field was unquoted by the splitter, which leaves a doubled quote as one
            // (`"""X"""` is `"X"`); a field in columns may still be quoted.
            if case .columns = field.place, value.utf8.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = value.dropFirst().dropLast().trimmingSpaces()
            }
            if value.isEmpty { continue }
            if let role, EcritureLine.pieceRoles.contains(role) { writtenPieceRoles.insert(role) }
            switch field.kind {
            case .text(let maxLength):
                // No more bytes than the length: no more characters either, without counting them.
                if let maxLength, value.utf8.count > maxLength, value.count > maxLength {
                    line.reasons.append(
                        "Le champ \(field.naming) dépasse \(counted(maxLength, "caractère")) : \(value)")
                } else if role == .sens, !Self.sens.contains(value.uppercased()) {
                    line.reasons.append(
                        "Le champ \(field.naming) n'accepte pas la valeur \(value) (valeurs possibles : D, C)")
                } else if let role {
                    // A currency is a code in upper case, as every domain stores it.
                    line.texts[role] = role == .devise ? value.uppercased() : value
                }
            case .date:
                if let date = Self.date(value, format: format) {
                    if let role { line.dates[role] = date }
                } else {
                    line.reasons.append("Le champ \(field.naming) n'est pas une date valide : \(value)")
                }
            case .amount, .number:
                guard let amount = Self.amount(value) else {
                    line.reasons.append("Le champ \(field.naming) n'est pas un nombre valide : \(value)")
                    continue
                }
                // Amounts are stored in cents, as exact decimals: a third decimal would be rounded
                // away, and could leave a stored pièce unbalanced. Percentages have three.
                let (integerDigits, scale) =
                    field.kind == .amount
                    ? (FieldType.montant.integerDigits, 2) : (FieldType.nombreAVirgule.integerDigits, 3)
                if amount.scale > scale {
                    line.reasons.append("Le champ \(field.naming) comporte plus de \(scale) décimales : \(value)")
                } else if amount.integerDigitCount > integerDigits {
                    line.reasons.append(
                        "Le champ \(field.naming) dépasse \(integerDigits) chiffres avant la virgule : \(value)")
                } else if record != .ecriture, role == .montant || role == .pourcentage, amount.isNegative {
                    // A share of its line's amount, whose sign its line gives: a negative one
                    // would let another share exceed the line and still add up.
                    line.reasons.append("Le champ \(field.naming) ne peut pas être négatif : \(value)")
                } else if role == .pourcentage, DecimalNumber.hundred < amount {
                    line.reasons.append("Le champ \(field.naming) dépasse 100 % : \(value)")
                } else if let role {
                    line.amounts[role] = amount
                }
            }
        }
        // A share of its line gives its amount or its percentage: with neither, it would be
        // stored as a share of nothing.
        if record == .echeance || record == .analytique, line.reasons.isEmpty, line.amounts[.montant] == nil,
            line.amounts[.pourcentage] == nil, let amount = layout.fields.first(where: { $0.role == .montant })
        {
            let percentage = layout.fields.first { $0.role == .pourcentage }
            line.reasons.append(
                "Le champ \(amount.naming)\(percentage.map { " ou le champ \($0.naming)" } ?? "") est obligatoire")
        }
        // A line whose journal or date is missing, or could not be read, cannot say which pièce
        // it belongs to: one bad line would otherwise cut its pièce in two.
        line.pieceUnknown =
            writtenPieceRoles.contains { line.texts[$0] == nil && line.dates[$0] == nil }
            || line.texts[.journal] == nil || line.dates[.date] == nil
        return line
    }

    /// The text of `field`: its separated field, or its columns (padding trimmed later).
    private func value(of field: EcritureLayout.Field, in text: String, separated: [String], firstOrder: Int)
        -> String?
    {
        switch field.place {
        case .order(var order):
            // A 9-field GestimumGescomV15 line has no lettrage and no mode (Gestimum's example).
            if format == .gestimumGescomV15, separated.count == 9 {
                if order == 8 || order == 11 { return nil }
                if order > 8 { order -= 1 }
            }
            let index = order - firstOrder
            return index >= 0 && index < separated.count ? separated[index] : nil
        case .columns(let columns):
            let characters = Array(text)
            guard columns.lowerBound <= characters.count else { return nil }
            return String(characters[(columns.lowerBound - 1)..<min(columns.upperBound, characters.count)])
        }
    }

    /// `JJMMAA`, `JJMMAAAA`, `JJ/MM/AA` or `JJ/MM/AAAA`; `AAAAMMJJ` in `GestimumComptaFixe`. Two-digit
    /// years are 20xx.
    static func date(_ text: String, format: EcritureFormat) -> CalendarDate? {
        let digits = text.filter { $0 != "/" }
        guard digits.allSatisfy(\.isASCIIDigit), digits.count == 6 || digits.count == 8 else { return nil }
        if text.contains("/") {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 2, parts[1].count == 2 else { return nil }
        }
        let day: Substring
        let month: Substring
        let year: Substring
        if format == .gestimumComptaFixe {
            guard digits.count == 8 else { return nil }
            (year, month, day) = (digits.prefix(4), digits.dropFirst(4).prefix(2), digits.suffix(2))
        } else {
            (day, month, year) = (digits.prefix(2), digits.dropFirst(2).prefix(2), digits.dropFirst(4))
        }
        return CalendarDate(parsing: "\(day)/\(month)/\(year.count == 2 ? "20" + year : String(year))")
    }
}
