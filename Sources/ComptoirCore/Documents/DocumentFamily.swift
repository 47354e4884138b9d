/// The three families of documents (`documents.md`): what sets each apart for the engine.
public enum DocumentFamily: Sendable {
    case vente
    case achat
    case stock

    /// `DOC_TYPE` of its documents, and the letter of its counters (`COMPTEUR_<V|A|S>_<DOC_STYPE>`).
    var letter: String {
        switch self {
        case .vente: "V"
        case .achat: "A"
        case .stock: "S"
        }
    }

    /// The fields whose change starts a new document (`documents.md` §2).
    var breakFields: [String] { self == .stock ? Self.stockBreakFields : Self.breakFields }

    /// Where the break fields that name a record by its code (`DocumentRules.exactCodes`) are
    /// among `breakFields`.
    var exactCodePositions: [Int] { self == .stock ? Self.stockExactCodePositions : Self.exactCodePositions }

    // Made once: a document's lines each read them.
    private static let breakFields = [
        "DOC_STYPE", "PCF_CODE", "DOC_DATE", "DOC_PIECE", "DEP_CODE", "REP_CODE", "PRJ_CODE", "DOC_REFPCF",
    ]
    private static let stockBreakFields = ["DOC_STYPE", "DEP_CODE", "PCF_CODE", "DOC_PIECE", "DOC_TDEPOT"]
    private static let exactCodePositions = breakFields.indices.filter {
        DocumentRules.exactCodes.contains(breakFields[$0])
    }
    private static let stockExactCodePositions = stockBreakFields.indices.filter {
        DocumentRules.exactCodes.contains(stockBreakFields[$0])
    }

    /// The journal's last line of a refused document.
    var notCreated: String {
        switch self {
        case .vente: "Le document de vente n'a pas été créé."
        case .achat: "Le document d'achat n'a pas été créé."
        case .stock: "Le document de stock n'a pas été créé."
        }
    }

    /// The table of its lines, which a custom field goes to when that table has its column and
    /// `DOCUMENTS` has not.
    var lineTable: String { self == .stock ? StockMovements.table : DocumentTables.lines }

    /// The quantity of a line.
    var quantityField: String { self == .stock ? "MVT_QTE" : "LIG_QTE" }

    /// What a document of sub-type `subType` does to the stock (`documents.md` §3).
    func effect(of subType: String) -> StockEffect {
        switch (self, subType) {
        case (.vente, "C"): .move(.commandesClients)
        case (.vente, "B"), (.vente, "F"), (.achat, "R"), (.achat, "A"), (.stock, "S"): .move(.sorties)
        case (.vente, "R"), (.vente, "A"), (.achat, "B"), (.achat, "F"), (.stock, "E"): .move(.entrees)
        case (.achat, "C"): .move(.commandesFournisseurs)
        case (.stock, "X"): .move(.pertes)
        case (.stock, "M"): .move(.ecarts)
        case (.stock, "T"): .transfer
        case (.stock, "O"): .assembly
        default: .none
        }
    }

    /// Its sub-types (`DOC_STYPE`).
    var subTypes: [String] {
        switch self {
        case .vente: ["P", "D", "C", "B", "R", "F", "A", "1", "0"]
        case .achat: ["D", "C", "B", "R", "F", "A", "1", "0"]
        case .stock: ["E", "S", "X", "M", "T", "O"]
        }
    }

    /// Whether sub-type `subType` is an avoir, financial or not.
    func isAvoir(_ subType: String) -> Bool { self != .stock && (subType == "A" || subType == "0") }

    /// The counters of its sub-types.
    var counters: [String] { subTypes.map(counter(of:)) }

    /// The counter of sub-type `subType`: financial factures and avoirs use those of the others.
    func counter(of subType: String) -> String {
        let counted =
            switch subType {
            case "1": "F"
            case "0": "A"
            default: subType
            }
        return "COMPTEUR_\(letter)_\(counted)"
    }
}

/// What a document does to the stock of its lines' articles.
enum StockEffect: Equatable {
    case none
    /// Adds each line's quantity to one column of the stock.
    case move(StockColumn)
    /// Takes each line's quantity out of `DEP_CODE` and into `DOC_TDEPOT`.
    case transfer
    /// Adds the nomenclature and takes its components out, in the same dépôt.
    case assembly
}

/// The quantities kept for each dépôt, article and gamme in `ART_STOCK` (`documents.md` §9).
public enum StockColumn: String, Sendable, CaseIterable {
    case entrees = "STK_ENTREE"
    case sorties = "STK_SORTIE"
    case pertes = "STK_PERTES"
    case ecarts = "STK_ALTERA"
    case commandesClients = "STK_CMDCLI"
    case commandesFournisseurs = "STK_CMDFRS"

    /// What `quantity` in this column adds to the stock actuel: entrées − sorties − pertes +
    /// écarts; orders count only in the stock théorique.
    func actuelChange(of quantity: DecimalNumber) -> DecimalNumber {
        switch self {
        case .entrees, .ecarts: quantity
        case .sorties, .pertes: DecimalNumber.zero - quantity
        case .commandesClients, .commandesFournisseurs: DecimalNumber.zero
        }
    }
}
