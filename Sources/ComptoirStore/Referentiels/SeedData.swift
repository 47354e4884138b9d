import ComptoirCore
import GRDB

/// The reference rows that no import creates, which every société holds (`domains.md` §5): a
/// new one from its creation, an older one from its migration. A row the société already has
/// is left as it is.
public enum SeedData {
    static let depots = [("001", "Dépôt principal")]
    static let journaux = [
        ("VTE", "Ventes"), ("ACH", "Achats"), ("BQ", "Banque"), ("OD", "Opérations diverses"), ("AN", "À-nouveaux"),
    ]
    static let typesReglement = [
        ("CHQ", "Chèque"), ("VIR", "Virement"), ("CB", "Carte bancaire"), ("ESP", "Espèces"), ("PRE", "Prélèvement"),
        ("LCR", "Lettre de change relevé"),
    ]
    /// Code, label, type and days.
    static let modesReglement: [(String, String, String, Int?)] = [
        ("CHQ", "Chèque à réception", "CHQ", nil), ("VIR", "Virement à réception", "VIR", nil),
        ("VIR30", "Virement à 30 jours", "VIR", 30), ("CB", "Carte bancaire", "CB", nil),
        ("PRE", "Prélèvement", "PRE", nil), ("ESP", "Espèces", "ESP", nil),
    ]
    public static let comptesGeneraux = [
        ("411000", "Clients"), ("401000", "Fournisseurs"), ("512000", "Banque"), ("530000", "Caisse"),
        ("707000", "Ventes de marchandises"), ("707200", "Ventes UE"), ("707300", "Ventes export"),
        ("607000", "Achats de marchandises"), ("607200", "Achats UE"), ("607300", "Achats hors UE"),
        ("445711", "TVA collectée 20 %"), ("445712", "TVA collectée 10 %"), ("445713", "TVA collectée 5,5 %"),
        ("445714", "TVA collectée 2,1 %"), ("445661", "TVA déductible 20 %"), ("445662", "TVA déductible 10 %"),
        ("445663", "TVA déductible 5,5 %"), ("445664", "TVA déductible 2,1 %"),
    ]
    /// Type, code, label, account, VAT rate, VAT account and journal of the société's natures.
    static let natures: [(String, String, String, String, String, String?, String?)] = [
        ("V", "001", "Ventes France", "707000", "20.000", "445711", "VTE"),
        ("V", "002", "Ventes UE", "707200", "0.000", nil, nil),
        ("V", "003", "Ventes export", "707300", "0.000", nil, nil),
        ("A", "001", "Achats France", "607000", "20.000", "445661", "ACH"),
        ("A", "002", "Achats UE", "607200", "0.000", nil, nil),
        ("A", "003", "Achats hors UE", "607300", "0.000", nil, nil),
    ]
    /// The members of the European Union other than France, whose natures are `002`.
    static let unionEuropeenne = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
        "MT",
        "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ]
    /// Lists of `TABLES` that no import fills, by `TBL_ID`.
    static let codeLists: [(String, [(String, String)])] = [
        (CodeLists.typesReglement, typesReglement),
        (CodeLists.plansAnalytiques, [("001", "Plan principal")]),
        (CodeLists.groupesUtilisateurs, UtilisateursGroups.seeded),
        (CodeLists.typesEcart, [("CA", "Comptage"), ("ER", "Erreur de saisie")]),
        (CodeLists.typesPerte, [("C", "Casse"), ("V", "Vol"), ("P", "Péremption")]),
    ]
    /// The prefix of each document counter (`documents.md` §3), as `COMPTEUR_<famille>_<DOC_STYPE>`.
    static let documentCounters = [
        ("V_P", "PFC"), ("V_D", "DVC"), ("V_C", "ARC"), ("V_B", "BLC"), ("V_R", "BRC"), ("V_F", "FAC"), ("V_A", "AVC"),
        ("A_D", "DPF"), ("A_C", "BCF"), ("A_B", "BLF"), ("A_R", "BRF"), ("A_F", "FAF"), ("A_A", "AVF"),
        ("S_E", "ENT"), ("S_S", "STI"), ("S_X", "PTE"), ("S_M", "ECT"), ("S_T", "TFT"), ("S_O", "ASS"),
    ]
    static let preferences = [
        ("DEVISE_SOCIETE", "EUR"), ("DEPOT_DEFAUT", "001"), ("CODIFICATION_ARTICLES", "Manuelle"),
        ("CODIFICATION_AFFAIRES", "Manuelle"), ("COMPTEUR_ARTICLES", "ART000001"), ("COMPTEUR_AFFAIRES", "AFF000001"),
        ("NATURE_VENTE", "001"), ("NATURE_ACHAT", "001"), ("ECRITURES_DESEQUILIBREES", "Non"),
        ("COMPTEUR_DOCUMENTS", "0000000001"), ("COMPTEUR_ECRITURES", "1"),
    ]

    /// Inserts the rows; `year` (`AAAA`) starts the document counters.
    static func insert(into db: Database, year: String) throws {
        try db.execute(
            sql: """
                CREATE TABLE DEPOT (DEP_CODE TEXT NOT NULL PRIMARY KEY, DEP_LIB TEXT NOT NULL);
                CREATE TABLE JOURNAUX (JRN_CODE TEXT NOT NULL PRIMARY KEY, JRN_LIB TEXT NOT NULL);
                CREATE TABLE TABLES (
                    TBL_ID TEXT NOT NULL, TBL_CODE TEXT NOT NULL, TBL_LIB TEXT NOT NULL, PRIMARY KEY (TBL_ID, TBL_CODE)
                );
                """)
        func insert(_ table: String, _ columns: [String], _ values: [any DatabaseValueConvertible & Sendable]) throws {
            let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            try db.execute(
                sql: "INSERT OR IGNORE INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))",
                arguments: StatementArguments(values.map { $0 as DatabaseValueConvertible? }))
        }
        for (code, libelle) in depots { try insert("DEPOT", ["DEP_CODE", "DEP_LIB"], [code, libelle]) }
        for (code, libelle) in journaux { try insert("JOURNAUX", ["JRN_CODE", "JRN_LIB"], [code, libelle]) }
        for (id, codes) in codeLists {
            for (code, libelle) in codes {
                try insert("TABLES", ["TBL_ID", "TBL_CODE", "TBL_LIB"], [id, code, libelle])
            }
        }
        for (code, libelle, type, days) in modesReglement {
            try insert(
                "MODE_REG", ["REG_CODE", "REG_LIB", "REG_TYPE", "REG_NBJ", "REG_NUMMAJ"],
                [code, libelle, type, days.map(DatabaseValue.init(value:)) ?? .null, 0])
        }
        for (numero, libelle) in comptesGeneraux {
            try insert("COMPTES", ["CPT_NUMERO", "CPT_LIB", "CPT_TYPE"], [numero, libelle, "G"])
        }
        for (type, code, libelle, compte, taux, compteTVA, journal) in natures {
            try insert(
                "NATURES",
                [
                    "NAT_TABLE", "NAT_TYPE", "NAT_ORIGIN", "NAT_CODE", "NAT_LIB", "CPT_NUMERO", "NAT_TVATX",
                    "NAT_TVACPT",
                    "JRN_CODE", "NAT_NUMMAJ",
                ],
                [
                    "SOC", type, "", code, libelle, compte, taux, compteTVA.map(DatabaseValue.init(value:)) ?? .null,
                    journal.map(DatabaseValue.init(value:)) ?? .null, 0,
                ])
        }
        let europe = unionEuropeenne.map { "'\($0)'" }.joined(separator: ", ")
        try db.execute(
            sql: """
                UPDATE PAYS SET PAY_NATVTE = coalesce(PAY_NATVTE, n), PAY_NATACH = coalesce(PAY_NATACH, n)
                FROM (SELECT PAY_CODE AS c, CASE WHEN PAY_CODE IN ('FR', 'MC') THEN '001'
                      WHEN PAY_CODE IN (\(europe)) THEN '002' ELSE '003' END AS n FROM PAYS)
                WHERE PAY_CODE = c
                """)
        for (counter, prefix) in documentCounters {
            try insert(
                "PREFERENCES", ["PRF_CODE", "PRF_VALEUR"], ["COMPTEUR_\(counter)", "\(prefix)\(year.suffix(2))-00001"])
        }
        try insertPreferences(into: db)
    }

    /// Inserts the preferences the société lacks: a migration adds those of a newer version.
    static func insertPreferences(into db: Database) throws {
        for (code, value) in preferences {
            try db.execute(
                sql: "INSERT OR IGNORE INTO PREFERENCES (PRF_CODE, PRF_VALEUR) VALUES (?, ?)", arguments: [code, value])
        }
    }
}
