/// An import domain, described once: its request, its catalogue, its table and its rules. The
/// routing, the request's keys, the schema and the store's statements follow from it.
public struct Domaine: Sendable {
    /// The class of the URL and of the task, e.g. `Clients`.
    public let name: String
    /// Other classes the URL accepts (`SousFamilles`).
    public let aliases: [String]
    /// What `importer_<x>` and `fichier_<x>` are made of, e.g. `adresses_tiers`.
    public let fileKey: String
    public let catalogue: Catalogue
    /// The table its lines are written to, and its custom fields.
    public let table: TableDescription
    /// Other tables its lines write to (the grilles of GrillesTarifs).
    public let otherTables: [TableDescription]
    /// Whether its journal says `L'import a été effectué avec succès.` (all but GrillesTarifs).
    public let writesSuccessLine: Bool
    /// Whether the domain takes `tester`.
    public let acceptsTester: Bool
    /// Whether the domain takes `calculer_code_tiers` and `calculer_numero_compte`.
    public let acceptsAccountComputation: Bool
    /// The group a user must belong to to run this import, if any.
    public let requiredGroup: String?
    /// Whether its lines are laid out by a `format` (Ecritures, `domains.md` §4) rather than
    /// named by `noms_champs` or a header: the request then takes Ecritures' parameters.
    public let takesFormat: Bool
    /// How the read API shows its records.
    public let reading: RecordView
    private let makeRules: @Sendable (RuleContext) -> any DomainRules
    private let runLines:
        @Sendable (
            RuleContext, FieldLayout, any RecordStore, any ReadAhead, (any LineEntrySink)?, () -> Bool
        ) throws -> ImportReport

    /// A domain whose lines are imported one by one.
    init<Rules: LineImporter>(
        name: String, aliases: [String] = [], fileKey: String? = nil, catalogue: Catalogue, table: TableDescription,
        otherTables: [TableDescription] = [], writesSuccessLine: Bool = true, acceptsTester: Bool = false,
        acceptsAccountComputation: Bool = false, requiredGroup: String? = nil,
        readScope: [(column: String, value: String)] = [], readSources: [String: RecordView.Source] = [:],
        numberedKey: Set<String> = [], rules: @escaping @Sendable (RuleContext) -> Rules
    ) {
        self.init(
            name: name, aliases: aliases, fileKey: fileKey, catalogue: catalogue, table: table,
            otherTables: otherTables, writesSuccessLine: writesSuccessLine, acceptsTester: acceptsTester,
            acceptsAccountComputation: acceptsAccountComputation, requiredGroup: requiredGroup, takesFormat: false,
            reading: RecordView(
                table: table, scope: readScope, children: [], sources: readSources, numberedKey: numberedKey),
            makeRules: rules
        ) { context, layout, store, readAhead, sink, stop in
            // Compiled for this domain's rules: their prepared lines go through the run's loop
            // without generic indirection.
            try ImportRun.run(
                parametres: context.parametres, layout: layout, rules: rules(context), store: store,
                readAhead: readAhead, sink: sink, stop: stop)
        }
    }

    /// A family of documents, whose lines are grouped into documents (`documents.md`). Their
    /// counters and stock belong to the request's transaction, so they take `tester`.
    init(documents family: DocumentFamily, name: String, fileKey: String, catalogue: Catalogue) {
        let rules = { @Sendable (context: RuleContext) in
            DocumentRules(family: family, catalogue: catalogue, stamp: context.stamp)
        }
        // A stock document's lines are the movements its lines gave, each line's own.
        let lines: RecordView.Child =
            family == .stock
            ? .init("lignes", table: StockMovements.movementsTable, link: ["DOC_NUMERO"], oneRowPer: "LIG_NUMERO")
            : .init("lignes", table: DocumentTables.linesTable, link: ["DOC_NUMERO"])
        self.init(
            name: name, aliases: [], fileKey: fileKey, catalogue: catalogue, table: DocumentTables.documentsTable,
            otherTables: [DocumentTables.linesTable, StockMovements.movementsTable, StockLevels.description],
            writesSuccessLine: true, acceptsTester: true, acceptsAccountComputation: false, requiredGroup: nil,
            takesFormat: false,
            reading: RecordView(
                table: DocumentTables.documentsTable, scope: [("DOC_TYPE", family.letter)],
                children: [lines]),
            makeRules: rules
        ) { context, layout, store, readAhead, sink, stop in
            try DocumentRun.run(
                parametres: context.parametres, layout: layout, rules: rules(context), store: store,
                readAhead: readAhead, sink: sink, stop: stop)
        }
    }

    /// Journal entries (`domains.md` §4): pièces read by their format's layout, each checked
    /// and written whole, as documents are. Its counters belong to the transaction: it takes
    /// `tester`.
    init(ecritures name: String) {
        let rules = { @Sendable (context: RuleContext) in
            EcrituresRules(
                parametres: context.parametres.ecritures ?? EcrituresParameters(format: .gestimumComptaVariable),
                stamp: context.stamp)
        }
        let tables = EcrituresRules.tables
        self.init(
            name: name, aliases: [], fileKey: nil, catalogue: Catalogue(tsv: ""), table: tables[0],
            otherTables: Array(tables.dropFirst()), writesSuccessLine: false, acceptsTester: true,
            acceptsAccountComputation: false, requiredGroup: nil, takesFormat: true,
            reading: RecordView(
                table: tables[0], scope: [],
                children: [
                    .init("echeances", table: tables[1], link: ["ECR_NUMERO"]),
                    .init("analytiques", table: tables[2], link: ["ECR_NUMERO"]),
                ], numberedKey: ["ECR_NUMERO"]),
            makeRules: rules
        ) { context, layout, store, readAhead, sink, stop in
            try EcrituresRun.run(
                parametres: context.parametres, layout: layout, rules: rules(context), store: store,
                readAhead: readAhead, sink: sink, stop: stop)
        }
    }

    private init(
        name: String, aliases: [String], fileKey: String?, catalogue: Catalogue, table: TableDescription,
        otherTables: [TableDescription], writesSuccessLine: Bool, acceptsTester: Bool,
        acceptsAccountComputation: Bool, requiredGroup: String?, takesFormat: Bool, reading: RecordView,
        makeRules: @escaping @Sendable (RuleContext) -> any DomainRules,
        runLines:
            @escaping @Sendable (
                RuleContext, FieldLayout, any RecordStore, any ReadAhead, (any LineEntrySink)?, () -> Bool
            ) throws -> ImportReport
    ) {
        self.name = name
        self.aliases = aliases
        self.fileKey = fileKey ?? name.lowercased()
        self.catalogue = catalogue
        self.table = table
        self.otherTables = otherTables
        self.writesSuccessLine = writesSuccessLine
        self.acceptsTester = acceptsTester
        self.acceptsAccountComputation = acceptsAccountComputation
        self.requiredGroup = requiredGroup
        self.takesFormat = takesFormat
        self.reading = reading.accepting(codesOf: catalogue)
        self.makeRules = makeRules
        self.runLines = runLines
    }

    /// The body's root key, e.g. `importer_clients`.
    public var rootKey: String { "importer_" + fileKey }
    /// The key of the lines array, e.g. `fichier_clients`.
    public var linesKey: String { "fichier_" + fileKey }
    /// The task named in the journal, e.g. `ImporterClients`.
    public var taskName: String { "Importer" + name }

    /// The import rules of this domain, for a request made by `context.stamp.user`.
    public func rules(_ context: RuleContext) -> any DomainRules { makeRules(context) }

    /// Which field each column of the request's file holds: by `noms_champs` or the header, or
    /// none for a domain whose format lays its lines out.
    public func layout(for parametres: ImportParameters) throws(RequestRefusal) -> FieldLayout {
        takesFormat ? .positional : try FieldLayout(parametres: parametres, catalogue: catalogue)
    }

    /// Runs the lines of a request through this domain's rules (`ImportRun.run`).
    public func run(
        _ context: RuleContext,
        layout: FieldLayout,
        store: any RecordStore,
        readAhead: any ReadAhead = InlineReading(),
        sink: (any LineEntrySink)? = nil,
        stop: () -> Bool = { false }
    ) throws -> ImportReport {
        try runLines(context, layout, store, readAhead, sink, stop)
    }

    /// Every domain Comptoir serves.
    public static let all: [Domaine] =
        tiersFamily + referentiels + catalogueArticles + [grillesTarifs] + affairesFamily + documents
        + comptabilite

    /// The domain of a URL's class, matched without regard to case as Gestimum's server does.
    public static func named(_ name: String) -> Domaine? {
        let lowercased = name.lowercased()
        return all.first { domaine in
            domaine.name.lowercased() == lowercased || domaine.aliases.contains { $0.lowercased() == lowercased }
        }
    }

    /// A domain whose line is one row of one table.
    /// `readAsText`: fields that the rules read as free text and check themselves (a date
    /// warned of and ignored when wrong, say); the table keeps their catalogue's type, as the
    /// read API gives them.
    static func table(
        _ name: String, aliases: [String] = [], fileKey: String? = nil, catalogue typed: Catalogue,
        readAsText: Set<String> = [], table: String, key: [String], auditPrefix: String?,
        references: [Reference] = [], uppercased: [String] = [], adding: [TableDescription.Column] = [],
        numbering: Numbering? = nil, numberedKey: Set<String> = [],
        specifics: @escaping @Sendable (RuleContext, TableDescription) -> [any TableLineRule] = { _, _ in [] }
    ) -> Domaine {
        let description = TableDescription(
            name: table, key: key, auditPrefix: auditPrefix, catalogue: typed, adding: adding)
        let catalogue = typed.readingAsText(readAsText)
        return Domaine(
            name: name, aliases: aliases, fileKey: fileKey, catalogue: catalogue, table: description,
            numberedKey: numberedKey
        ) { context in
            TableRules(
                description, catalogue: catalogue, references: references, uppercased: uppercased,
                specifics: specifics(context, description), numbering: numbering, stamp: context.stamp)
        }
    }

}

extension Domaine: Equatable {
    public static func == (lhs: Domaine, rhs: Domaine) -> Bool { lhs.name == rhs.name }
}

/// What a domain's rules take from the request.
public struct RuleContext: Sendable {
    /// Who imports, and when, for the audit columns.
    public let stamp: AuditStamp
    public let parametres: ImportParameters
    /// How passwords are hashed before they are stored.
    public let passwords: any PasswordHashing

    public init(stamp: AuditStamp, parametres: ImportParameters, passwords: any PasswordHashing) {
        self.stamp = stamp
        self.parametres = parametres
        self.passwords = passwords
    }
}

/// Turns a password into what is stored of it. The host gives it: the core stays free of the
/// hash's implementation.
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) -> String
}

/// The kind of a tiers, `PCF_TYPE` in `TIERS`.
public enum TiersType: String, Sendable {
    case client = "C"
    case fournisseur = "F"
    case prospect = "P"

    /// How a message names a tiers of this kind: `un client`, `un fournisseur`, `un prospect`.
    var withArticle: String {
        switch self {
        case .client: "un client"
        case .fournisseur: "un fournisseur"
        case .prospect: "un prospect"
        }
    }
}

extension Domaine: CustomStringConvertible {
    public var description: String { name }
}
