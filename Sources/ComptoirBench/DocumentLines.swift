import ComptoirCore

/// Sales-document lines for the benchmark: factures of 5 lines each, for 1,000 clients, on
/// 3,000 articles of three families at 20 %, 10 % and 5,5 %, with line discounts (one line in
/// five `10`, one `5+2`). Each document has its own `DOC_REFPCF`, so consecutive documents of
/// the same client stay apart.
struct DocumentLines: Sendable {
    static let header = "DOC_STYPE;PCF_CODE;DOC_DATE;DOC_REFPCF;ART_CODE;LIG_QTE;LIG_P_BRUT;LIG_REMISE"
    static let linesPerDocument = 5
    static let clients = 1_000
    static let articles = 3_000
    /// Each family's code and VAT rate; the first takes the société's nature, 20 %.
    static let families = [("F20", "20"), ("F10", "10"), ("F55", "5,5")]

    let count: Int

    static var clientLines: [String] {
        ["PCF_CODE;CPT_NUMERO;PCF_RS;PCF_CP;PCF_VILLE;PAY_CODE"]
            + (0..<clients).map { "C\($0);411C\($0);Client n°\($0);75011;Paris;FR" }
    }

    static var familyLines: [String] { ["FAR_CODE;FAR_LIB"] + families.map { "\($0.0);Taux \($0.1) %" } }

    static var natureLines: [String] {
        ["NAT_TABLE;NAT_ORIGIN;NAT_TYPE;NAT_CODE;NAT_TVATX"] + families.dropFirst().map { "FAR;\($0.0);V;001;\($0.1)" }
    }

    static var articleLines: [String] {
        ["ART_CODE;ART_LIB;FAR_CODE;ART_P_VTE;ART_P_PRV"]
            + (0..<articles).map { "D\($0);Article n°\($0);\(families[$0 % 3].0);\(price($0));1" }
    }

    /// The article's price: from 1,99 to 500,99.
    static func price(_ article: Int) -> String { "\(1 + article % 500),99" }

    /// The fields of line `index` (from 0).
    func fields(_ index: Int) -> [String] {
        let document = index / Self.linesPerDocument
        let position = index % Self.linesPerDocument
        let article = (document * 7 + position * 13) % Self.articles
        let discount =
            switch position {
            case 1: "10"
            case 3: "5+2"
            default: ""
            }
        return [
            "F", "C\(document % Self.clients)", "15/01/2026", "CMD\(document)", "D\(article)", String(1 + position),
            Self.price(article), discount,
        ]
    }

    func line(_ index: Int) -> String { fields(index).joined(separator: ";") }

    /// The VAT rate of article `article`.
    static func rate(_ article: Int) -> DecimalNumber {
        DecimalNumber(families[article % 3].1.replacing(",", with: "."))!
    }
}
