/// Realistic article lines for the benchmark: 30 fields with accents and prices, each article
/// in one of 50 sous-familles of 10 families; one line in ten updates the article of an earlier
/// line. Values are written as the import stores them (`12.5000`, `2.000`), so that the
/// ceiling's copy writes the same rows.
struct ArticleLines: Sendable {
    static let header = [
        "ART_CODE", "ART_LIB", "FAR_CODE", "SFA_CODE", "ART_TYPE", "ART_CATEG", "ART_P_ACH", "ART_P_COEF", "ART_P_VTE",
        "ART_CBAR", "ART_REF", "ART_LIBC", "ART_UC_VTE", "ART_CD_VTE", "ART_POIDSN", "ART_POIDSB", "ART_LONG",
        "ART_LARG", "ART_HAUT", "ART_VOLUME", "ART_DELAI", "ART_NII", "ART_T_APP", "ART_F_APP", "ART_STOCK",
        "ART_TLOT", "ART_GROUPE", "ART_REMMAX", "ART_DELCOM", "ART_MEMO",
    ].joined(separator: ";")
    static let families = 10
    static let sousFamillesPerFamily = 5

    let count: Int

    private static let kinds = ["Chaise", "Table", "Étagère", "Lampe", "Fauteuil", "Bureau", "Armoire"]
    private static let materials = ["chêne", "hêtre", "métal brossé", "noyer", "rotin", "bambou", "frêne"]

    /// The lines that create the families and sous-familles the articles are in.
    static var familyLines: [String] {
        ["FAR_CODE;FAR_LIB;FAR_TYPE"] + (0..<families).map { "F\($0);Famille n°\($0) — mobilier;P" }
    }

    static var sousFamilleLines: [String] {
        ["SFA_CODE;SFA_LIB;FAR_CODE"]
            + (0..<families * sousFamillesPerFamily).map {
                "SF\($0);Sous-famille n°\($0) — intérieur;F\($0 / sousFamillesPerFamily)"
            }
    }

    /// The fields of line `index` (from 0).
    func fields(_ index: Int) -> [String] {
        let article = index % 10 == 9 ? index / 2 : index
        let sousFamille = article % (Self.families * Self.sousFamillesPerFamily)
        let cents = 500 + article % 100_000
        let purchase = "\(cents / 100).\(String(format2: cents % 100))00"
        let sale = "\(cents * 2 / 100).\(String(format2: cents * 2 % 100))00"
        return [
            "A" + String(article), "\(Self.kinds[article % 7]) en \(Self.materials[(article / 7) % 7]) n°\(article)",
            "F\(sousFamille / Self.sousFamillesPerFamily)", "SF\(sousFamille)", "P", "F", purchase, "2.000", sale,
            "376" + String(article).paddedLeft(to: 10), "RÉF-\(article)", "Réf. courte \(article % 1000)", "pièce",
            "1.000", "\(article % 50 + 1).250", "\(article % 50 + 2).000", "120.000", "60.000", "75.000", "0.540",
            String(article % 30 + 1), "9403" + String(article % 10_000).paddedLeft(to: 4), "Éco-part.",
            "1.5000", "M", "L", "G\(article % 20)", "15.0000", String(article % 15 + 1),
            "Montage facile, livré en kit, garantie deux ans.",
        ]
    }

    func line(_ index: Int) -> String { fields(index).joined(separator: ";") }
}
