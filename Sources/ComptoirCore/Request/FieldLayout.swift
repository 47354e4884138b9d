/// Which field each column of the file holds, from `noms_champs` or the header line
/// (contract, section 2).
public struct FieldLayout: Sendable {
    /// One entry per column, nil for a column that is ignored.
    public let columns: [FieldDefinition?]
    /// Journal lines about the header: unknown names, columns without a name.
    public let notices: [String]
    /// Whether the first line of the file is the header rather than data.
    public let skipsFirstLine: Bool

    /// The layout of the request's file, or why the request must be refused.
    public init(parametres: ImportParameters, catalogue: Catalogue) throws(RequestRefusal) {
        let names: [String]
        if !parametres.nomsChamps.isEmpty {
            // A file's first line copied into the parameter may bring its byte order mark, as
            // the header line may (`LineSplitter`): it is no part of the first name.
            let nomsChamps =
                parametres.nomsChamps.hasPrefix("\u{FEFF}")
                ? parametres.nomsChamps.dropFirst() : Substring(parametres.nomsChamps)
            names = nomsChamps.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        } else if parametres.entete, let header = parametres.lines.first {
            let splitter = LineSplitter(separator: parametres.separator, qualifier: parametres.qualifier)
            switch splitter.split(header) {
            case .success(let fields): names = fields
            case .failure(let error): throw RequestRefusal("La ligne d'en-tête est invalide : \(error.message)")
            }
        } else {
            throw Self.noNames(parametres.keyNames)
        }
        // A header of empty cells names nothing, as no header does.
        if names.allSatisfy(\.isEmpty) { throw Self.noNames(parametres.keyNames) }

        var columns: [FieldDefinition?] = []
        var notices: [String] = []
        var seen = Set<String>()
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                notices.append("La colonne \(index + 1) n'a pas de nom : colonne ignorée")
                columns.append(nil)
                continue
            }
            guard seen.insert(name.uppercased()).inserted else {
                throw RequestRefusal("Le champ \(name.uppercased()) est présent deux fois dans les noms de champs")
            }
            let field = catalogue.field(named: name)
            if field == nil { notices.append("Le champ \(name) est inconnu : colonne ignorée") }
            columns.append(field)
        }
        self.columns = columns
        self.notices = notices
        self.skipsFirstLine = parametres.entete
    }

    static func noNames(_ keys: ImportParameters.KeyNames) -> RequestRefusal {
        RequestRefusal(
            "Aucun nom de champ : renseignez \(keys.fieldNames) ou mettez \(keys.header) à Oui avec les noms en première ligne"
        )
    }

    /// The layout of a file whose format places its fields (Ecritures): every line is data.
    static let positional = FieldLayout(columns: [], notices: [], skipsFirstLine: false)

    private init(columns: [FieldDefinition?], notices: [String], skipsFirstLine: Bool) {
        self.columns = columns
        self.notices = notices
        self.skipsFirstLine = skipsFirstLine
    }

    /// The custom `XXX_` fields of the file, which the store must have columns for.
    public var customFields: [String] {
        columns.compactMap { field in field?.isCustom == true ? field?.name : nil }
    }
}
