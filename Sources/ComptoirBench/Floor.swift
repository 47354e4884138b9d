import ComptoirCore
import ComptoirStore
import Foundation
import GRDB

/// The storage floor: the rows an import writes (the tiers, its account, its billing address),
/// written into the same schema of a fresh société by the simplest program — one transaction,
/// one prepared statement per table, reused, no parsing and no validation — and SQLite's own
/// ceiling for the same rows.
enum Floor {
    /// The fields of each client line as the floor and the ceiling write them: the line's,
    /// then the SIREN, taken from the SIRET.
    static func rows(of lines: ClientLines) -> [[String]] {
        (0..<lines.count).map { index in
            let fields = lines.fields(index)
            return fields + [String(fields[8].prefix(9))]
        }
    }

    /// The fields of each article line: the line's own.
    static func rows(of lines: ArticleLines) -> [[String]] { (0..<lines.count).map(lines.fields) }

    /// The fields of each sales-document line as the import stores them: the document's
    /// numbers, the line's fields, its net price, amount and rate, and its document's totals
    /// (`RowWrite.documents` names them).
    static func rows(of lines: DocumentLines) -> [[String]] {
        let perDocument = DocumentLines.linesPerDocument
        return stride(from: 0, to: lines.count, by: perDocument).flatMap { first in
            let document = first / perDocument
            let priced = (first..<min(first + perDocument, lines.count)).map { index in
                let fields = lines.fields(index)
                let gross = DecimalNumber(fields[6].replacing(",", with: "."))!
                let net = fields[7].isEmpty ? gross.rounded(to: 4) : Discount(parsing: fields[7])!.netPrice(gross)!
                let amount = (DecimalNumber(fields[5])! * net)!.rounded(to: 2)
                return (fields: fields, net: net, amount: amount, rate: DocumentLines.rate(Int(fields[4].dropFirst())!))
            }
            let totals = DocumentTotals(lines: priced.map { ($0.amount, $0.rate) }, remise: nil, includingTax: false)!
            let bases = (0..<3).flatMap { index in
                guard index < totals.bases.count else { return ["", "", ""] }
                let base = totals.bases[index]
                return [base.base.rounded(to: 4), base.rate.rounded(to: 3), base.vat.rounded(to: 4)].map(\.description)
            }
            let numero = String(document + 1).paddedLeft(to: 10)
            let piece = "FAC26-" + String(document + 1).paddedLeft(to: 5)
            let footer = [totals.brut, totals.ht, totals.tva, totals.ttc].map { $0.rounded(to: 4).description }
            return priced.enumerated().map { position, line in
                let fields = line.fields
                let quantity = DecimalNumber(fields[5])!.rounded(to: 3).description
                let gross = DecimalNumber(fields[6].replacing(",", with: "."))!.rounded(to: 4).description
                return [
                    numero, String(position + 1), piece, fields[1], "2026-01-15", fields[3], fields[4], quantity, gross,
                    fields[7], line.net.rounded(to: 4).description, line.amount.rounded(to: 4).description,
                    line.rate.rounded(to: 3).description, "Article n°\(fields[4].dropFirst())", "1.0000",
                ] + footer + bases + ["Client n°\(fields[1].dropFirst())"]
            }
        }
    }

    /// The seconds the floor takes for client lines.
    static func run(folder: String, lines: ClientLines) throws -> Double {
        try measure(folder: folder, name: "PLANCHER", rows: rows(of: lines)) { db, rows in
            let statements = try RowWrite.clients.map { try db.makeStatement(sql: $0.sql(from: .parameters)) }
            return {
                for row in rows {
                    for (write, statement) in zip(RowWrite.clients, statements) {
                        try statement.execute(arguments: StatementArguments(write.fields.map { row[$0 - 1] }))
                    }
                }
            }
        }
    }

    /// The seconds SQLite alone takes: the same rows, already in an in-memory table, copied
    /// into the same schema by one statement per table. No program writes these rows faster
    /// on this machine, whatever it does around SQLite.
    /// The fields of each écriture line as the import stores them: its number, pièce, account,
    /// label, debit and credit, whether it has an échéance and a split, and their amounts
    /// (`RowWrite.ecritures` names them).
    static func rows(of lines: EcritureLines) -> [[String]] {
        (0..<(lines.ecritureCount / 3)).flatMap(EcritureLines.ecritures).enumerated().map { index, ecriture in
            [
                String(index + 1), String(ecriture.piece), ecriture.compte, ecriture.libelle, ecriture.debit,
                ecriture.credit, ecriture.echeance ? "1" : "0", ecriture.split ? "1" : "0", "120.00", "100.00",
            ]
        }
    }

    static func ceiling(folder: String, writes: [RowWrite], rows: [[String]], also: [String] = []) throws -> Double {
        try measure(folder: folder, name: "PLAFOND", rows: rows) { db, rows in
            let fields = (1...rows[0].count).map { "f\($0)" }
            try db.execute(sql: "CREATE TEMP TABLE SOURCE (\(fields.joined(separator: ", ")))")
            let insert = try db.makeStatement(
                sql: "INSERT INTO temp.SOURCE VALUES (\(fields.map { _ in "?" }.joined(separator: ", ")))")
            for row in rows { try insert.execute(arguments: StatementArguments(row)) }
            return {
                for write in writes { try db.execute(sql: write.sql(from: .sourceTable)) }
                for statement in also { try db.execute(sql: statement) }
            }
        }
    }

    /// Creates a fresh société `name` in `folder`, lets `prepare` set up its writes of `rows`,
    /// and times the writes, in one transaction committed to disk.
    private static func measure(
        folder: String, name: String, rows: [[String]],
        prepare: (Database, [[String]]) throws -> () throws -> Void
    ) throws -> Double {
        let path = try SocieteFolder(path: folder).create(name: name, user: "BENCH", password: "", hashCost: 4)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // As the server does: its import copies the log into the file (the checkpoint)
            // after its answer, never inside the time measured, and the ceiling's source table
            // stays in memory, as its name says.
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction { db in
            let writes = try prepare(db, rows)
            let start = ContinuousClock.now
            try db.inTransaction {
                try writes()
                return .commit
            }
            return (ContinuousClock.now - start).seconds
        }
    }
}

/// One of the rows a line writes, as the import writes it: the line's fields (numbered from 1)
/// into its columns, the columns the import fills itself, and what an existing row takes.
struct RowWrite {
    let table: String
    let key: [String]
    let filled: [(column: String, field: Int)]
    let fixed: [(column: String, value: String)]
    let updates: [String]
    /// Which lines write this row, when not all of them do.
    var condition = "true"

    var fields: [Int] { filled.map(\.field) }

    /// The three rows of a client line: the 12 fields of `ClientLines`, then the SIREN.
    static let clients = [
        RowWrite(
            table: "TIERS", key: ["PCF_CODE"],
            filled: [
                ("PCF_CODE", 1), ("CPT_NUMERO", 2), ("PCF_RS", 3), ("PCF_RUE", 4), ("PCF_COMP", 5), ("PCF_CP", 6),
                ("PCF_VILLE", 7), ("PAY_CODE", 8), ("PCF_SIRET", 9), ("PCF_EMAIL", 10), ("PCF_TEL1", 11),
                ("PCF_DATIMM", 12), ("PCF_SIREN", 13),
            ],
            fixed: [
                ("PCF_TYPE", "'C'"), ("PCF_DTCREE", "'2026-01-01 00:00:00'"), ("PCF_USRCRE", "'BENCH'"),
                ("PCF_DTMAJ", "'2026-01-01 00:00:00'"), ("PCF_USRMAJ", "'BENCH'"), ("PCF_NUMMAJ", "1"),
            ],
            updates: [
                "PCF_DTMAJ = excluded.PCF_DTMAJ", "PCF_USRMAJ = excluded.PCF_USRMAJ", "PCF_NUMMAJ = PCF_NUMMAJ + 1",
            ]),
        RowWrite(
            table: "COMPTES", key: ["CPT_NUMERO"], filled: [("CPT_NUMERO", 2), ("CPT_LIB", 3), ("PCF_CODE", 1)],
            fixed: [("CPT_TYPE", "'C'"), ("CPT_COLLEC", "'411000'")], updates: []),
        RowWrite(
            table: "ADRESSES", key: ["ADR_TBL", "ADR_CODE", "ADR_NUMERO"],
            filled: [
                ("ADR_CODE", 1), ("ADR_RUE", 4), ("ADR_COMP", 5), ("ADR_CP", 6), ("ADR_VILLE", 7), ("PAY_CODE", 8),
                ("ADR_EMAIL", 10), ("ADR_TEL1", 11),
            ],
            fixed: [("ADR_TBL", "'PCF'"), ("ADR_NUMERO", "'001'")], updates: []),
    ]

    /// The row of an article line: its 30 fields, and the audit columns.
    static let articles = [
        RowWrite(
            table: "ARTICLES", key: ["ART_CODE"],
            filled: ArticleLines.header.split(separator: ";").enumerated().map { (String($1), $0 + 1) },
            fixed: [
                ("ART_DTCREE", "'2026-01-01'"), ("ART_USRCRE", "'BENCH'"),
                ("ART_DTMAJ", "'2026-01-01 00:00:00'"), ("ART_USRMAJ", "'BENCH'"), ("ART_NUMMAJ", "1"),
            ],
            updates: [
                "ART_DTMAJ = excluded.ART_DTMAJ", "ART_USRMAJ = excluded.ART_USRMAJ", "ART_NUMMAJ = ART_NUMMAJ + 1",
            ])
    ]

    /// The rows of a sales-document line (`Floor.rows(of: DocumentLines)`): the document, on
    /// its first line, the line and its movement. The stock is `stockOfDocuments`.
    static let documents: [RowWrite] = {
        let audit = [
            ("DOC_DTCREE", "'2026-01-01 00:00:00'"), ("DOC_USRCRE", "'BENCH'"), ("DOC_DTMAJ", "'2026-01-01 00:00:00'"),
            ("DOC_USRMAJ", "'BENCH'"), ("DOC_NUMMAJ", "1"),
        ]
        let vatBases = (1...3).flatMap { ["DOC_TVA_B\($0)", "DOC_TVA_T\($0)", "DOC_TVA_M\($0)"] }
        var document = RowWrite(
            table: "DOCUMENTS", key: ["DOC_NUMERO"],
            filled: [
                ("DOC_NUMERO", 1), ("DOC_PIECE", 3), ("PCF_CODE", 4), ("DOC_DATE", 5), ("DOC_REFPCF", 6),
                ("DOC_BRUT", 16), ("DOC_MT_HT", 17), ("DOC_MT_TVA", 18), ("DOC_MT_TTC", 19), ("DOC_MT_NET", 19),
                ("DOC_F_RS", 29), ("DOC_L_RS", 29),
            ] + vatBases.enumerated().map { ($1, $0 + 20) },
            fixed: [
                ("DOC_STYPE", "'F'"), ("DOC_TYPE", "'V'"), ("DOC_EN_TTC", "0"), ("DEP_CODE", "'001'"),
                ("DEV_CODE", "'EUR'"), ("NAT_CODE", "'001'"), ("PAY_CODE", "'FR'"), ("DOC_L_PAYS", "'FR'"),
                ("DOC_F_CP", "'75011'"), ("DOC_F_VILL", "'Paris'"), ("DOC_L_CP", "'75011'"), ("DOC_L_VILL", "'Paris'"),
                ("DOC_MT_RFAC", "'0.0000'"),
            ] + audit,
            updates: [])
        document.condition = "f2 = '1'"
        let line = RowWrite(
            table: "LIGNES", key: ["DOC_NUMERO", "LIG_NUMERO"],
            filled: [
                ("DOC_NUMERO", 1), ("LIG_NUMERO", 2), ("ART_CODE", 7), ("LIG_QTE", 8), ("LIG_P_BRUT", 9),
                ("LIG_REMISE", 10), ("LIG_P_NET", 11), ("LIG_TOTAL", 12), ("LIG_TXTVA", 13), ("LIG_LIB", 14),
                ("LIG_P_PRV", 15),
            ],
            fixed: [], updates: [])
        let movement = RowWrite(
            table: "ART_MVT", key: ["DOC_NUMERO", "MVT_NUMERO"],
            filled: [
                ("DOC_NUMERO", 1), ("MVT_NUMERO", 2), ("LIG_NUMERO", 2), ("PCF_CODE", 4), ("DOC_DATE", 5),
                ("ART_CODE", 7), ("MVT_QTE", 8), ("MVT_PACH", 15),
            ],
            fixed: [
                ("DOC_TYPE", "'V'"), ("DOC_STYPE", "'F'"), ("DEP_CODE", "'001'"), ("ART_GAMME", "''"),
                ("MVT_STOCK", "'STK_SORTIE'"),
            ],
            updates: [])
        return [document, line, movement]
    }()

    /// The rows of an écriture line (`Floor.rows(of: EcritureLines)`): the écriture, and its
    /// échéance and analytic split when it has them.
    static let ecritures: [RowWrite] = {
        var echeance = RowWrite(
            table: "ECR_ECH", key: ["ECR_NUMERO", "ECH_LIGNE"], filled: [("ECR_NUMERO", 1), ("ECH_MONTANT", 9)],
            fixed: [("ECH_LIGNE", "1"), ("ECH_DATE", "'2026-02-15'"), ("REG_CODE", "'CHQ'")], updates: [])
        echeance.condition = "f7 = '1'"
        var split = RowWrite(
            table: "ECR_ANAREP", key: ["ECR_NUMERO", "ANA_LIGNE"], filled: [("ECR_NUMERO", 1), ("ANA_MONTANT", 10)],
            fixed: [("ANA_LIGNE", "1"), ("ANA_PLAN", "'001'"), ("ANA_CODE", "'S1'")], updates: [])
        split.condition = "f8 = '1'"
        let ecriture = RowWrite(
            table: "ECRITURES", key: ["ECR_NUMERO"],
            filled: [
                ("ECR_NUMERO", 1), ("ECR_PIECE", 2), ("CPT_NUMERO", 3), ("ECR_LIB", 4), ("ECR_DEBIT", 5),
                ("ECR_CREDIT", 6),
            ],
            fixed: [
                ("JRN_CODE", "'VTE'"), ("ECR_DATE", "'2026-01-15'"), ("DEV_CODE", "'EUR'"), ("ECR_SIMUL", "0"),
                ("ECR_DTCREE", "'2026-01-01 00:00:00'"), ("ECR_USRCRE", "'BENCH'"),
                ("ECR_DTMAJ", "'2026-01-01 00:00:00'"), ("ECR_USRMAJ", "'BENCH'"), ("ECR_NUMMAJ", "1"),
            ],
            updates: [])
        return [ecriture, echeance, split]
    }()

    /// The stock the sales documents leave: the sorties of each article.
    static let stockOfDocuments = """
        INSERT INTO ART_STOCK (DEP_CODE, ART_CODE, ART_GAMME, STK_ENTREE, STK_SORTIE, STK_PERTES, STK_ALTERA,
            STK_CMDCLI, STK_CMDFRS)
        SELECT '001', f7, '', '0.000', printf('%.3f', sum(f8)), '0.000', '0.000', '0.000', '0.000'
        FROM temp.SOURCE GROUP BY f7
        """

    /// Where the fields come from: bound parameters, or the in-memory table `SOURCE` (not `LIGNES`, which documents write).
    enum Source {
        case parameters
        case sourceTable
    }

    /// The upsert of this row for every line of `source`.
    func sql(from source: Source) -> String {
        let columns = filled.map(\.column) + fixed.map(\.column)
        let values = filled.map { source == .parameters ? "?" : "f\($0.field)" } + fixed.map(\.value)
        let rows =
            source == .parameters
            ? "VALUES (\(values.joined(separator: ", ")))"
            // `WHERE true` tells SQLite that `ON CONFLICT` starts the upsert, not a join.
            : "SELECT \(values.joined(separator: ", ")) FROM temp.SOURCE WHERE \(condition) ORDER BY rowid"
        let changes = filled.map(\.column).filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" } + updates
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) \(rows)
            ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(changes.joined(separator: ", "))
            """
    }
}
