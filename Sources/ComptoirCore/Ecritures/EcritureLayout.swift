/// The six formats of `Ecritures` (`domains.md` §4).
public enum EcritureFormat: String, Sendable, CaseIterable {
    case gestimumComptaVariable = "GestimumComptaVariable"
    case gestimumComptaFixe = "GestimumComptaFixe"
    case gestimumComptaV15 = "GestimumComptaV15"
    case gestimumGescomV15 = "GestimumGescomV15"
    case ebpV5V2000 = "EBPV5V2000"
    case ebpV3 = "EBPV3"

    var isEBP: Bool { self == .ebpV5V2000 || self == .ebpV3 }

    /// The format `name` names, matched without regard to case.
    public static func named(_ name: String) -> EcritureFormat? {
        allCases.first { $0.rawValue.lowercased() == name.lowercased() }
    }
}

/// The kinds of line of an écritures file, as the catalogue's `enregistrement` names them.
public enum EcritureRecord: String, Sendable {
    case ecriture = "écriture"
    case echeance = "échéance"
    case analytique = "analytique"
    case compte = "compte"

    /// The letter of the journal's detail lines (`ERR E 3 : …`); accounts are reported as
    /// their écriture.
    var marker: String {
        switch self {
        case .ecriture, .compte: "E"
        case .echeance: "H"
        case .analytique: "S"
        }
    }
}

/// What a field of a line means to the rules, whatever its label in a format.
enum EcritureRole: Sendable {
    case journal, date, compte, libelle, piece, montant, sens, debit, credit, echeance, mode, lettrage, devise
    case plan, section, sectionLabel, accountLabel, pourcentage

    /// The role of a field by its label in the catalogue (labels repeat across formats); nil
    /// for a field the rules do not use.
    init?(label: String, record: EcritureRecord) {
        let label = label.replacing("’", with: "'").lowercased()
        switch label {
        case "code journal": self = .journal
        case "date d'écriture", "date de l'écriture", "date": self = .date
        case "date d'échéance": self = record == .ecriture ? .echeance : .date
        case "numéro de compte": self = .compte
        case "libellé", "libellé de l'écriture": self = .libelle
        case "numéro de pièce": self = .piece
        case "montant", "montant de l'échéance", "montant de le ventilation analytique": self = .montant
        case "sens": self = .sens
        case "montant au débit": self = .debit
        case "montant au crédit": self = .credit
        case "code mode de règlement", "mode de règlement", "mode de règlement de la 1è échéance",
            "code mode de règlement de la 1è échéance":
            self = .mode
        case "code lettrage": self = .lettrage
        case "code devise": self = .devise
        case "code plan analytique": self = .plan
        case "code section analytique", "code de la section analytiques": self = .section
        case "libellé de la section analytiques": self = .sectionLabel
        case "libellé du compte", "intitulé du compte": self = .accountLabel
        case "pourcentage", "pourcentage du montant de la ligne d'écriture": self = .pourcentage
        default: return nil
        }
    }
}

/// How a format lays out one kind of line, read from `ecritures.tsv`: each field with its place,
/// its order in the variable formats or its columns in the fixed ones.
struct EcritureLayout: Sendable {
    enum Place: Sendable, Equatable {
        /// The field's order among the separated fields, from 1.
        case order(Int)
        /// The field's first and last column, from 1.
        case columns(ClosedRange<Int>)
    }

    enum Kind: Sendable, Equatable {
        case text(maxLength: Int?)
        case date
        case amount
        case number
    }

    struct Field: Sendable {
        let label: String
        let role: EcritureRole?
        let kind: Kind
        let place: Place

        /// How a reason names the field: its label and where it is.
        var naming: String {
            switch place {
            case .order(let order): "\(label) (champ \(order))"
            case .columns(let columns): "\(label) (colonnes \(columns.lowerBound) à \(columns.upperBound))"
            }
        }
    }

    let fields: [Field]

    /// `GestimumComptaFixe`'s columns by order: the catalogue gives none, `domains.md` §4 gives
    /// those of Gestimum's export of the format, and the pointage fills the gap after the sens.
    static let comptaFixeColumns: [Int: ClosedRange<Int>] = [
        1: 1...5, 2: 6...15, 3: 16...23, 4: 24...31, 5: 32...46, 6: 47...71, 7: 72...131, 8: 132...144, 9: 145...145,
        10: 146...163, 11: 164...223, 12: 224...231, 13: 232...246, 14: 247...306,
    ]

    /// Every layout of the catalogue, by format and kind of line.
    static let all: [EcritureFormat: [EcritureRecord: EcritureLayout]] = {
        var fields: [EcritureFormat: [EcritureRecord: [Field]]] = [:]
        for row in CatalogueTexts.ecritures.split(separator: "\n").dropFirst() {
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let column = { (index: Int) in index < columns.count ? columns[index] : "" }
            guard let record = EcritureRecord(rawValue: column(7)), let order = Int(column(8)) else { continue }
            for name in column(6).split(separator: ",") {
                guard let format = EcritureFormat(rawValue: name.trimmingSpaces()) else { continue }
                let length = Int(column(3))
                let place: Place
                if format == .gestimumComptaFixe {
                    place = .columns(comptaFixeColumns[order]!)
                } else if let start = Int(column(9)), let length {
                    place = .columns(start...(start + length - 1))
                } else {
                    place = .order(order)
                }
                let role = EcritureRole(label: column(0), record: record)
                // GestimumComptaFixe's catalogue gives no type to its dates.
                let kind: Kind =
                    switch (column(2), role) {
                    case ("Date", _), (_, .date?), (_, .echeance?): .date
                    case ("Montant", _), ("Numérique", _): .amount
                    case ("Nombre à virgule", _): .number
                    default: .text(maxLength: format == .gestimumComptaFixe ? nil : length)
                    }
                fields[format, default: [:]][record, default: []].append(
                    Field(label: column(0), role: role, kind: kind, place: place))
            }
        }
        // The older variable formats' lengths are what their software wrote, and Gestimum's own
        // GestimumGescomV15 example exceeds its pièce's 8: a field may be as long as in
        // GestimumComptaVariable, whose lengths are Comptoir's columns.
        let variable = fields[.gestimumComptaVariable]?[.ecriture] ?? []
        for format in [EcritureFormat.gestimumGescomV15, .ebpV5V2000, .ebpV3] {
            let own = fields[format]?[.ecriture] ?? []
            fields[format]?[.ecriture] = own.map { field in
                guard case .text(let own?) = field.kind, let role = field.role,
                    let longest = variable.first(where: { $0.role == role }), case .text(let other?) = longest.kind
                else { return field }
                return Field(
                    label: field.label, role: role, kind: .text(maxLength: max(own, other)), place: field.place)
            }
        }
        return fields.mapValues { $0.mapValues(EcritureLayout.init(fields:)) }
    }()
}
