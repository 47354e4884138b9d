/// The tables documents are written to (`documents.md`): `DOCUMENTS` and `LIGNES`, the stock
/// movements `ART_MVT` and the stock `ART_STOCK`.
public enum DocumentTables {
    public static let documents = "DOCUMENTS"
    public static let lines = "LIGNES"

    /// The columns of each VAT base of a document: its base, rate and VAT.
    static let vatBaseColumns = (1...DocumentRules.maximumRates).map { index in
        (base: "DOC_TVA_B\(index)", rate: "DOC_TVA_T\(index)", vat: "DOC_TVA_M\(index)")
    }

    /// What a document holds besides its catalogue's fields: its numbers, its nature and
    /// currency, and its footer (`documents.md` §7).
    static let computedDocumentColumns: [TableDescription.Column] =
        [.init("DOC_TYPE"), .init("NAT_CODE"), .init("DEV_CODE")]
        + ["DOC_BRUT", "DOC_MT_RFAC", "DOC_MT_HT", "DOC_MT_TVA", "DOC_MT_TTC", "DOC_MT_NET"].map { .init($0, .decimal) }
        + vatBaseColumns.flatMap { [.init($0.base, .decimal), .init($0.rate, .decimal), .init($0.vat, .decimal)] }

    /// `DOCUMENTS`, keyed by the internal number shared by the three families; a pièce number
    /// is unique within its family.
    public static let documentsTable = TableDescription(
        name: documents, key: ["DOC_NUMERO"],
        columns: [.init("DOC_NUMERO")]
            + fields(of: [.documentsVente, .documentsAchat, .documentsStock], lines: false)
            + computedDocumentColumns,
        audit: .documents, indexes: [(["DOC_TYPE", "DOC_PIECE"], true)])

    /// `LIGNES`: the lines of vente and achat documents, numbered from 1 in each document.
    public static let linesTable = TableDescription(
        name: lines, key: ["DOC_NUMERO", "LIG_NUMERO"],
        columns: [.init("DOC_NUMERO"), .init("LIG_NUMERO", .integer)]
            + fields(of: [.documentsVente, .documentsAchat], lines: true)
            + computedLineColumns.map { TableDescription.Column($0, .decimal) })

    /// What a line holds besides its catalogue's fields: its net price, amount and VAT rate.
    static let computedLineColumns = ["LIG_P_NET", "LIG_TOTAL", "LIG_TXTVA"]

    /// The columns of the fields of `catalogues` given for each line (`lines`) or for the
    /// document, each once, in the first catalogue's order.
    static func fields(of catalogues: [Catalogue], lines: Bool) -> [TableDescription.Column] {
        var seen: Set<String> = []
        return catalogues.flatMap(\.fields).filter { field in
            field.isLineField == lines && seen.insert(field.name).inserted
        }.map { field in TableDescription.Column(field.name, TableDescription.columnType(of: field.type)) }
    }
}
