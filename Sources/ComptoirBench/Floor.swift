import ComptoirStore
import Foundation
import GRDB

/// The storage floor: the rows an import writes (the tiers, its account, its billing address),
/// written into the same schema of a fresh société by the simplest program — one transaction,
/// one prepared statement per table, reused, no parsing and no validation.
enum Floor {
    /// The seconds it takes.
    static func run(folder: String, lines: ClientLines) throws -> Double {
        let path = try SocieteFolder(path: folder).create(name: "PLANCHER", user: "BENCH", password: "", hashCost: 4)
        let rows = (0..<lines.count).map(lines.fields)
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let start = ContinuousClock.now
        try queue.write { db in
            let tiers = try db.makeStatement(
                sql: """
                    INSERT INTO TIERS (PCF_CODE, CPT_NUMERO, PCF_RS, PCF_RUE, PCF_COMP, PCF_CP, PCF_VILLE, PAY_CODE,
                        PCF_SIRET, PCF_EMAIL, PCF_TEL1, PCF_DATIMM, PCF_SIREN, PCF_TYPE, PCF_DTCREE, PCF_USRCRE,
                        PCF_DTMAJ, PCF_USRMAJ, PCF_NUMMAJ)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, substr(?9, 1, 9), 'C', ?13, 'BENCH', ?13, 'BENCH', 1)
                    ON CONFLICT (PCF_CODE) DO UPDATE SET CPT_NUMERO = ?2, PCF_RS = ?3, PCF_RUE = ?4, PCF_COMP = ?5,
                        PCF_CP = ?6, PCF_VILLE = ?7, PAY_CODE = ?8, PCF_SIRET = ?9, PCF_EMAIL = ?10, PCF_TEL1 = ?11,
                        PCF_DATIMM = ?12, PCF_SIREN = substr(?9, 1, 9), PCF_DTMAJ = ?13, PCF_USRMAJ = 'BENCH',
                        PCF_NUMMAJ = PCF_NUMMAJ + 1
                    """)
            let account = try db.makeStatement(
                sql: """
                    INSERT INTO COMPTES (CPT_NUMERO, CPT_LIB, CPT_TYPE, PCF_CODE, CPT_COLLEC) VALUES (?, ?, 'C', ?, '411000')
                    ON CONFLICT (CPT_NUMERO) DO UPDATE SET CPT_LIB = excluded.CPT_LIB
                    """)
            let address = try db.makeStatement(
                sql: """
                    INSERT INTO ADRESSES (ADR_TBL, ADR_CODE, ADR_NUMERO, ADR_RUE, ADR_COMP, ADR_CP, ADR_VILLE, PAY_CODE,
                        ADR_EMAIL, ADR_TEL1) VALUES ('PCF', ?1, '001', ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                    ON CONFLICT (ADR_TBL, ADR_CODE, ADR_NUMERO) DO UPDATE SET ADR_RUE = ?2, ADR_COMP = ?3, ADR_CP = ?4,
                        ADR_VILLE = ?5, PAY_CODE = ?6, ADR_EMAIL = ?7, ADR_TEL1 = ?8
                    """)
            let now = "2026-01-01 00:00:00"
            for row in rows {
                try tiers.execute(arguments: StatementArguments(row + [now]))
                try account.execute(arguments: [row[1], row[2], row[0]])
                try address.execute(arguments: [row[0], row[3], row[4], row[5], row[6], row[7], row[9], row[10]])
            }
        }
        let seconds = (ContinuousClock.now - start).seconds
        try queue.close()
        return seconds
    }
}
