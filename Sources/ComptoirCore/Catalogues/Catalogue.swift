/// The type of a field, as the catalogue's `type`, `longueur` and `valeurs` columns give it.
public enum FieldType: Sendable, Equatable {
    /// `Texte`: at most `maxLength` characters (none when the catalogue gives no length);
    /// when `codes` is not empty, only those codes.
    case text(maxLength: Int?, codes: [String])
    /// `Texte illimité`.
    case unlimitedText
    /// `Case à cocher`.
    case checkbox
    /// `Date`, stored as ISO `AAAA-MM-JJ`.
    case date
    /// `Date et heure`: a date, then optionally a space or `T` and `HH:MM[:SS]`; stored as
    /// `AAAA-MM-JJ HH:MM:SS`.
    case dateTime
    /// `Montant` and `Nombre à virgule`: exact decimals of at most `digits` digits, `scale` of them decimals.
    case decimal(digits: Int, scale: Int)
    /// `Nombre entier` and `Entier`: an optional sign, then digits; stored as an integer.
    case integer

    static let montant = FieldType.decimal(digits: 20, scale: 4)
    static let nombreAVirgule = FieldType.decimal(digits: 8, scale: 3)

    /// The characters a text holds at most, when the catalogue gives a length.
    public var maximumLength: Int? {
        if case .text(let maxLength, _) = self { maxLength } else { nil }
    }

    /// The digits a decimal type holds before the point; none for the other types.
    var integerDigits: Int {
        if case .decimal(let digits, let scale) = self { digits - scale } else { 0 }
    }
}

/// One field of an import domain.
public struct FieldDefinition: Sendable, Equatable {
    public let name: String
    public let label: String
    public let type: FieldType
    public let isRequired: Bool
    /// Whether this is a custom field `XXX_<NAME>`, which has a column only once a file used it.
    public let isCustom: Bool
    /// Whether a document's catalogue gives it for each line (`enregistrement` `ligne`) rather
    /// than for the document.
    public let isLineField: Bool

    public init(
        name: String, label: String, type: FieldType, isRequired: Bool, isCustom: Bool = false,
        isLineField: Bool = false
    ) {
        self.name = name
        self.label = label
        self.type = type
        self.isRequired = isRequired
        self.isCustom = isCustom
        self.isLineField = isLineField
    }

    /// The same field with another type, or another presence.
    func with(type: FieldType? = nil, isRequired: Bool? = nil) -> FieldDefinition {
        FieldDefinition(
            name: name, label: label, type: type ?? self.type, isRequired: isRequired ?? self.isRequired,
            isCustom: isCustom, isLineField: isLineField)
    }

    /// A custom field `XXX_<NAME>`: free text, stored as given.
    static func custom(_ name: String) -> FieldDefinition {
        FieldDefinition(
            name: name, label: "Champ personnalisé", type: .unlimitedText, isRequired: false, isCustom: true)
    }
}

/// The fields an import domain knows, read from its catalogue (`spec/fields/<domaine>.tsv`).
public struct Catalogue: Sendable {
    /// The catalogue's fields, in its order, without the `XXX_...` placeholder.
    public let fields: [FieldDefinition]
    /// The fields the catalogue says are required (`Obligatoire`), in its order.
    public let requiredFields: [FieldDefinition]
    /// Whether the catalogue lists `XXX_...`: the domain accepts custom fields.
    public let acceptsCustomFields: Bool
    private let fieldsByName: [String: FieldDefinition]

    /// Parses a catalogue's TSV text. The texts are the contract's, compiled in: a malformed one
    /// is a programming error caught by the tests, not a run-time condition.
    init(tsv: String) {
        var fields: [FieldDefinition] = []
        var acceptsCustomFields = false
        for row in tsv.split(separator: "\n").dropFirst() {
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let name = columns[0]
            if name == "XXX_..." {
                acceptsCustomFields = true
                continue
            }
            let column = { (index: Int) in index < columns.count ? columns[index] : "" }
            fields.append(
                FieldDefinition(
                    name: name,
                    label: column(1),
                    type: Self.fieldType(type: column(2), length: column(3), values: column(4)),
                    // `Obligatoire *` marks a conditional rule that the domain's rules code.
                    isRequired: column(5) == "Obligatoire",
                    isLineField: column(6) == "ligne"
                )
            )
        }
        self.init(fields: fields, acceptsCustomFields: acceptsCustomFields)
    }

    private init(fields: [FieldDefinition], acceptsCustomFields: Bool) {
        self.fields = fields
        self.requiredFields = fields.filter(\.isRequired)
        self.acceptsCustomFields = acceptsCustomFields
        self.fieldsByName = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
    }

    /// The same catalogue, with the text field `name` restricted to `codes`: a list that
    /// Gestimum's help gives and the contract's catalogue does not.
    func restricting(_ name: String, to codes: [String]) -> Catalogue {
        Catalogue(
            fields: fields.map { field in
                guard field.name == name, case .text(let maxLength, _) = field.type else { return field }
                return field.with(type: .text(maxLength: maxLength, codes: codes))
            },
            acceptsCustomFields: acceptsCustomFields)
    }

    /// The same catalogue, with `names` read as free text whatever their type: fields that the
    /// rules take as given, or drop, without checking them.
    func readingAsText(_ names: Set<String>) -> Catalogue {
        Catalogue(
            fields: fields.map { field in
                names.contains(field.name) ? field.with(type: .unlimitedText) : field
            },
            acceptsCustomFields: acceptsCustomFields)
    }

    /// This catalogue with `added` fields after its own, never required, and custom fields
    /// accepted: what a domain's import takes beyond its contract's catalogue, on Gestimum's word.
    func adding(_ added: [FieldDefinition], acceptingCustomFields: Bool) -> Catalogue {
        Catalogue(
            fields: fields + added.map { $0.with(isRequired: false) },
            acceptsCustomFields: acceptsCustomFields || acceptingCustomFields)
    }

    /// The definition of a field named in a file, or nil when the domain does not know it.
    /// Names are matched without regard to case; custom fields must be `XXX_` then letters,
    /// digits or `_`, since they become column names.
    public func field(named name: String) -> FieldDefinition? {
        let upper = name.uppercased()
        if let field = fieldsByName[upper] { return field }
        guard acceptsCustomFields, Self.isCustomFieldName(upper) else { return nil }
        return .custom(upper)
    }

    /// The most custom fields a table takes: PostgreSQL holds at most 1,600 columns a table,
    /// and SQLite 2,000, the table's own columns included.
    public static let maximumCustomFields = 1_000

    /// The longest custom field name: PostgreSQL cuts longer names to 63 bytes, which would make
    /// two names one column there and two in SQLite.
    static let customFieldNameLength = 63

    static func isCustomFieldName(_ upper: String) -> Bool {
        guard upper.hasPrefix("XXX_"), upper.count > 4, upper.utf8.count <= customFieldNameLength else { return false }
        return upper.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
    }

    private static func fieldType(type: String, length: String, values: String) -> FieldType {
        switch type {
        case "Texte illimité", "": .unlimitedText
        case "Nombre entier", "Entier": .integer
        case "Case à cocher": .checkbox
        case "Date": .date
        case "Date et heure": .dateTime
        case "Montant": .montant
        case "Nombre à virgule": .nombreAVirgule
        default: .text(maxLength: Int(length), codes: codes(in: values))
        }
    }

    /// The codes of a `valeurs` column: `DSA / DAA`, `T : Tous / 1 : Un seul`, or
    /// `Valeurs possibles : / GEN : Générique / …` (whose first part is only a title).
    static func codes(in values: String) -> [String] {
        values.split(separator: " / ").compactMap { part in
            let trimmed = part.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasSuffix(":") { return nil }
            return (trimmed.split(separator: " : ").first ?? Substring(trimmed)).trimmingSpaces()
        }
    }
}

extension Catalogue {
    public static let clients = Catalogue(tsv: CatalogueTexts.clients)
    public static let fournisseurs = Catalogue(tsv: CatalogueTexts.fournisseurs)
    public static let prospects = Catalogue(tsv: CatalogueTexts.prospects)
    public static let contacts = Catalogue(tsv: CatalogueTexts.contacts)
    public static let adressesTiers = Catalogue(tsv: CatalogueTexts.adressesTiers)
    public static let banquesTiers = Catalogue(tsv: CatalogueTexts.banquesTiers)
    public static let comptes = Catalogue(tsv: CatalogueTexts.comptes)
    public static let devises = Catalogue(tsv: CatalogueTexts.devises)
    public static let pays = Catalogue(tsv: CatalogueTexts.pays)
    public static let villes = Catalogue(tsv: CatalogueTexts.villes)
    public static let modesReglements = Catalogue(tsv: CatalogueTexts.modesReglements)
    public static let naturesComptables = Catalogue(tsv: CatalogueTexts.naturesComptables)
    public static let commerciaux = Catalogue(tsv: CatalogueTexts.commerciaux)
    public static let salaries = Catalogue(tsv: CatalogueTexts.salaries)
    public static let sectionsAnalytiques = Catalogue(tsv: CatalogueTexts.sectionsAnalytiques)
    public static let comptesReporting = Catalogue(tsv: CatalogueTexts.comptesReporting)
    public static let glossaires = Catalogue(tsv: CatalogueTexts.glossaires)
    public static let utilisateurs = Catalogue(tsv: CatalogueTexts.utilisateurs)
    public static let famillesArticles = Catalogue(tsv: CatalogueTexts.famillesArticles)
    public static let sousfamillesArticles = Catalogue(tsv: CatalogueTexts.sousfamillesArticles)
    public static let articles = Catalogue(tsv: CatalogueTexts.articles)
    public static let tarifsArticles = Catalogue(tsv: CatalogueTexts.tarifsArticles)
    public static let referencesClientsArticles = Catalogue(tsv: CatalogueTexts.referencesClientsArticles)
    public static let tarifsFournisseursArticles = Catalogue(tsv: CatalogueTexts.tarifsFournisseursArticles)
    public static let equivalencesArticles = Catalogue(tsv: CatalogueTexts.equivalencesArticles)
    public static let composantsNomenclatures = Catalogue(tsv: CatalogueTexts.composantsNomenclatures)
    public static let grillesTarifs = Catalogue(tsv: CatalogueTexts.grillesTarifs)
    public static let affaires = Catalogue(tsv: CatalogueTexts.affaires)
    public static let actions = Catalogue(tsv: CatalogueTexts.actions)
    public static let documentsVente = Catalogue(tsv: CatalogueTexts.documentsVente)
    public static let documentsAchat = Catalogue(tsv: CatalogueTexts.documentsAchat)
    public static let documentsStock = Catalogue(tsv: CatalogueTexts.documentsStock)
    public static let immobilisations = Catalogue(tsv: CatalogueTexts.immobilisations)
}

extension StringProtocol {
    /// The text without the spaces around it: as `LineSplitter` trims a field, any character up
    /// to U+0020 (a tab, an end of line).
    func trimmingSpaces() -> String {
        let isBlank = { (character: Character) in character.unicodeScalars.allSatisfy { $0.value <= 0x20 } }
        guard let start = firstIndex(where: { !isBlank($0) }) else { return "" }
        let end = lastIndex(where: { !isBlank($0) })!
        return String(self[start...end])
    }
}
