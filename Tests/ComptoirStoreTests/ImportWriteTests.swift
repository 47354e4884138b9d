import ComptoirTestSupport
import Foundation
import GRDB
import Testing

@testable import ComptoirCore
@testable import ComptoirStore

/// What an import writes to TIERS and COMPTES, driven through `Societe.write` with the real rules.
@Suite("Societe.write with the tiers import rules")
struct ImportWriteTests {
    private static let fullFields =
        "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_CAPITA;PCF_REMVAL;PCF_DATIMM;PCF_DORT;PCF_BLOQUE;PAY_CODE;DEV_CODE;PCF_VILLE;PCF_TC_DA"
    private static let fullLine = "ACME;Acme SARL;411ACME;1 234,5;12,5;28/02/2020;Oui;0;fr;eur;Paris;daa"

    private func tiers(_ societe: SQLiteSociete, _ code: String) throws -> Row? {
        try fetchRow(societe.path, table: "TIERS", keyColumn: "PCF_CODE", key: code)
    }

    private func compte(_ societe: SQLiteSociete, _ number: String) throws -> Row? {
        try fetchRow(societe.path, table: "COMPTES", keyColumn: "CPT_NUMERO", key: number)
    }

    @Test("a new client is stored with typed values and creation audit columns")
    func createClient() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let report = try await importTiers(into: societe, nomsChamps: Self.fullFields, lines: [Self.fullLine])
            #expect(report.importedCount == 1)
            #expect(report.rejectedCount == 0)

            let row = try #require(try tiers(societe, "ACME"))
            #expect(row["PCF_RS"] as String? == "Acme SARL")
            #expect(row["PCF_TYPE"] as String? == "C")
            #expect(row["CPT_NUMERO"] as String? == "411ACME")
            // Decimals as exact canonical text, never as floating point.
            #expect(row["PCF_CAPITA"] as DatabaseValue == "1234.5000".databaseValue)
            #expect(row["PCF_REMVAL"] as DatabaseValue == "12.500".databaseValue)
            // Dates as ISO text.
            #expect(row["PCF_DATIMM"] as DatabaseValue == "2020-02-28".databaseValue)
            // Checkboxes as integers 0/1; an absent checkbox keeps its default 0.
            #expect(row["PCF_DORT"] as DatabaseValue == 1.databaseValue)
            #expect(row["PCF_BLOQUE"] as DatabaseValue == 0.databaseValue)
            #expect(row["PCF_NPAI"] as DatabaseValue == 0.databaseValue)
            // Codes in their canonical case.
            #expect(row["PAY_CODE"] as String? == "FR")
            #expect(row["DEV_CODE"] as String? == "EUR")
            #expect(row["PCF_TC_DA"] as String? == "DAA")
            #expect(row["PCF_VILLE"] as String? == "Paris")
            // Absent fields stay empty.
            #expect((row["PCF_RUE"] as DatabaseValue).isNull)
            // Audit columns.
            #expect(row["PCF_DTCREE"] as String? == "2026-01-02 03:04:05")
            #expect(row["PCF_USRCRE"] as String? == "DEMO")
            #expect(row["PCF_DTMAJ"] as String? == "2026-01-02 03:04:05")
            #expect(row["PCF_USRMAJ"] as String? == "DEMO")
            #expect(row["PCF_NUMMAJ"] as DatabaseValue == 1.databaseValue)

            let account = try #require(try compte(societe, "411ACME"))
            #expect(account["CPT_TYPE"] as String? == "C")
            #expect(account["CPT_LIB"] as String? == "Acme SARL")
            #expect(account["CPT_COLLEC"] as String? == "411000")
            #expect(account["PCF_CODE"] as String? == "ACME")
            #expect(try count(societe.path, table: "COMPTES", where: importedAccounts) == 1)
        }
    }

    @Test("large amounts keep every digit")
    func exactAmounts() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(
                into: societe,
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_CAPITA;PCF_ENCMAX;PCF_HAUSSE",
                lines: ["BIG;Big;411BIG;1234567890123456,1234;-0,0001;99999,999"]
            )
            let row = try #require(try tiers(societe, "BIG"))
            #expect(row["PCF_CAPITA"] as DatabaseValue == "1234567890123456.1234".databaseValue)
            #expect(row["PCF_ENCMAX"] as DatabaseValue == "-0.0001".databaseValue)
            #expect(row["PCF_HAUSSE"] as DatabaseValue == "99999.999".databaseValue)
        }
    }

    @Test("an update changes only the fields present, keeps the creation audit and increments PCF_NUMMAJ")
    func updateClient() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: Self.fullFields, lines: [Self.fullLine])

            let later = AuditStamp(user: "ADMIN", time: "2026-03-04 05:06:07")
            let report = try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["ACME;Acme SA;411ACME"], stamp: later)
            #expect(report.importedCount == 1)

            var row = try #require(try tiers(societe, "ACME"))
            #expect(row["PCF_RS"] as String? == "Acme SA")
            #expect(row["PCF_VILLE"] as String? == "Paris")
            #expect(row["PCF_CAPITA"] as String? == "1234.5000")
            #expect(row["PCF_DORT"] as Int? == 1)
            #expect(row["PCF_DTCREE"] as String? == "2026-01-02 03:04:05")
            #expect(row["PCF_USRCRE"] as String? == "DEMO")
            #expect(row["PCF_DTMAJ"] as String? == "2026-03-04 05:06:07")
            #expect(row["PCF_USRMAJ"] as String? == "ADMIN")
            #expect(row["PCF_NUMMAJ"] as Int? == 2)

            let account = try #require(try compte(societe, "411ACME"))
            #expect(account["CPT_LIB"] as String? == "Acme SA")
            #expect(account["CPT_COLLEC"] as String? == "411000")
            #expect(try count(societe.path, table: "COMPTES", where: importedAccounts) == 1)
            #expect(try count(societe.path, table: "TIERS") == 1)

            try await importTiers(into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["ACME;Acme;411ACME"])
            row = try #require(try tiers(societe, "ACME"))
            #expect(row["PCF_NUMMAJ"] as Int? == 3)
            #expect(row["PCF_USRMAJ"] as String? == "DEMO")
        }
    }

    @Test("the same code twice in one request: the later line updates what the earlier one wrote")
    func sameCodeTwiceInOneRequest() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let report = try await importTiers(
                into: societe,
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_VILLE",
                lines: ["DUP;First;411DUP;Lyon", "DUP;Second;411DUP"]
            )
            #expect(report.importedCount == 2)
            let row = try #require(try tiers(societe, "DUP"))
            #expect(row["PCF_RS"] as String? == "Second")
            #expect(row["PCF_VILLE"] as String? == "Lyon")
            #expect(row["PCF_NUMMAJ"] as Int? == 2)
        }
    }

    @Test("a present column with an empty value clears the field; a checkbox goes back to 0")
    func emptyValueClears() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: Self.fullFields, lines: [Self.fullLine])
            try await importTiers(
                into: societe,
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_VILLE;PCF_DORT;PCF_CAPITA;PCF_DATIMM",
                lines: ["ACME;Acme SARL;411ACME;;;;"]
            )
            let row = try #require(try tiers(societe, "ACME"))
            #expect((row["PCF_VILLE"] as DatabaseValue).isNull)
            #expect((row["PCF_CAPITA"] as DatabaseValue).isNull)
            #expect((row["PCF_DATIMM"] as DatabaseValue).isNull)
            #expect(row["PCF_DORT"] as DatabaseValue == 0.databaseValue)
            #expect(row["PAY_CODE"] as String? == "FR")
        }
    }

    @Test("write commits when the closure returns: another connection sees the rows")
    func commitOnReturn() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["A;A;411A"])
            #expect(try count(societe.path, table: "TIERS") == 1)
            #expect(try count(societe.path, table: "COMPTES", where: importedAccounts) == 1)
            // Also after the société is opened again from its file.
            let reopened = try SQLiteSociete.open(at: societe.path)
            let names = try await reopened.read { db in try String.fetchAll(db, sql: "SELECT PCF_CODE FROM TIERS") }
            #expect(names == ["A"])
        }
    }

    @Test("write with rollback (tester) stores nothing, yet reports what the import would do")
    func rollbackStoresNothing() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let report = try await importTiers(
                into: societe,
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PAY_CODE",
                lines: ["A;A;411A;FR", "B;B;411B;ZZ", "C;C;411C"],
                rollback: true
            )
            #expect(report.importedCount == 2)
            #expect(report.rejectedCount == 1)
            #expect(rejections(report) == [2: ["Le code pays ZZ n'existe pas"]])
            #expect(try count(societe.path, table: "TIERS") == 0)
            #expect(try count(societe.path, table: "COMPTES", where: importedAccounts) == 0)
        }
    }

    @Test("write with rollback leaves an existing tiers exactly as it was")
    func rollbackKeepsExistingTiers() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: Self.fullFields, lines: [Self.fullLine])
            let before = try #require(try tiers(societe, "ACME"))
            let accountBefore = try #require(try compte(societe, "411ACME"))
            try await importTiers(
                into: societe,
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_VILLE",
                lines: ["ACME;Changed;411ACME;Nantes"],
                rollback: true,
                stamp: AuditStamp(user: "X", time: "2030-01-01 00:00:00")
            )
            #expect(try tiers(societe, "ACME") == before)
            #expect(try compte(societe, "411ACME") == accountBefore)
        }
    }

    private struct Abort: Error {}

    @Test("write rolls everything back when the closure throws")
    func throwingClosureStoresNothing() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let parametres = importParameters(
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;XXX_COULEUR", lines: ["A;A;411A;Rouge", "B;B;411B;Vert"])
            let layout = try FieldLayout(parametres: parametres, catalogue: .clients)
            let rules = TiersRules(type: .client, catalogue: .clients, stamp: demoStamp)
            await #expect(throws: Abort.self) {
                try await societe.write(rollback: false) { store in
                    let report = try ImportRun.run(parametres: parametres, layout: layout, rules: rules, store: store)
                    #expect(report.importedCount == 2)
                    throw Abort()
                }
            }
            #expect(try count(societe.path, table: "TIERS") == 0)
            #expect(try count(societe.path, table: "COMPTES", where: importedAccounts) == 0)
            #expect(!(try columnNames(societe.path, table: "TIERS").contains("XXX_COULEUR")))

            // The société is still usable afterwards.
            try await importTiers(into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["C;C;411C"])
            #expect(try count(societe.path, table: "TIERS") == 1)
        }
    }

    @Test("write returns the closure's result")
    func writeReturnsResult() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let exists = try await societe.write(rollback: true) { store in
                try store.exists(in: "PAYS", key: LineValues([("PAY_CODE", .text("DE"))]))
            }
            #expect(exists)
            let missing = try await societe.write(rollback: false) { store in
                try store.exists(in: "DEVISES", key: LineValues([("DEV_CODE", .text("XYZ"))]))
            }
            #expect(!missing)
        }
    }

    @Test("a custom field XXX_COULEUR gets its own column and its value")
    func customField() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            #expect(!(try columnNames(societe.path, table: "TIERS").contains("XXX_COULEUR")))
            try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;xxx_couleur", lines: ["A;A;411A;Bleu nuit"])
            #expect(try columnNames(societe.path, table: "TIERS").contains("XXX_COULEUR"))
            #expect(try tiers(societe, "A")?["XXX_COULEUR"] as String? == "Bleu nuit")

            // The column exists now: a second file with the field simply fills it.
            try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;XXX_COULEUR", lines: ["B;B;411B;Rouge"])
            #expect(try tiers(societe, "B")?["XXX_COULEUR"] as String? == "Rouge")
            #expect(try tiers(societe, "A")?["XXX_COULEUR"] as String? == "Bleu nuit")
        }
    }

    @Test("a custom field's column is gone again after a rolled-back run, and a later real run recreates it")
    func customFieldRolledBack() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let report = try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;XXX_COULEUR", lines: ["A;A;411A;Vert"],
                rollback: true)
            #expect(report.importedCount == 1)
            #expect(!(try columnNames(societe.path, table: "TIERS").contains("XXX_COULEUR")))
            #expect(try count(societe.path, table: "TIERS") == 0)

            // The same open société must not believe the column still exists.
            let real = try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;XXX_COULEUR", lines: ["A;A;411A;Vert"])
            #expect(real.importedCount == 1)
            #expect(try tiers(societe, "A")?["XXX_COULEUR"] as String? == "Vert")
        }
    }

    @Test("PAY_CODE and DEV_CODE are checked against PAYS and DEVISES")
    func countryAndCurrencyChecked() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let report = try await importTiers(
                into: societe,
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PAY_CODE;DEV_CODE",
                lines: ["A;A;411A;ZZ;EUR", "B;B;411B;DE;ZZZ", "C;C;411C;de;chf", "D;D;411D;ZZ;ZZZ"]
            )
            #expect(report.importedCount == 1)
            #expect(report.rejectedCount == 3)
            #expect(
                rejections(report) == [
                    1: ["Le code pays ZZ n'existe pas"],
                    2: ["Le code devise ZZZ n'existe pas"],
                    4: ["Le code pays ZZ n'existe pas", "Le code devise ZZZ n'existe pas"],
                ])
            // A rejected line never leaves a trace.
            #expect(try tiers(societe, "A") == nil)
            #expect(try compte(societe, "411A") == nil)
            #expect(try tiers(societe, "B") == nil)
            let row = try #require(try tiers(societe, "C"))
            #expect(row["PAY_CODE"] as String? == "DE")
            #expect(row["DEV_CODE"] as String? == "CHF")
            #expect(try count(societe.path, table: "COMPTES", where: importedAccounts) == 1)
        }
    }

    @Test("an account held by another tiers rejects the line")
    func accountHeldByAnotherTiers() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["A;A;411X"])
            let report = try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["B;B;411X"])
            #expect(rejections(report) == [1: ["Le compte 411X est déjà attribué au tiers A"]])
            #expect(try tiers(societe, "B") == nil)
            #expect(try compte(societe, "411X")?["PCF_CODE"] as String? == "A")
        }
    }

    @Test("a general account of COMPTES cannot be given to a tiers")
    func generalAccountRefused() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await openFile(societe.path).write { db in
                try db.execute(
                    sql: "INSERT INTO COMPTES (CPT_NUMERO, CPT_LIB, CPT_TYPE) VALUES ('512100', 'Banque', 'G')")
            }
            let report = try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["A;A;512100"])
            #expect(
                rejections(report) == [
                    1: ["Le compte 512100 est un compte général : il ne peut pas être attribué à un tiers"]
                ])
            #expect(try compte(societe, "512100")?["CPT_TYPE"] as String? == "G")
        }
    }

    @Test("a supplier goes to TIERS with type F and its account under 401000")
    func supplier() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let report = try await importTiers(
                .fournisseur, into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["F1;Fourni;401F1"])
            #expect(report.importedCount == 1)
            #expect(try tiers(societe, "F1")?["PCF_TYPE"] as String? == "F")
            let account = try #require(try compte(societe, "401F1"))
            #expect(account["CPT_TYPE"] as String? == "F")
            #expect(account["CPT_COLLEC"] as String? == "401000")
        }
    }

    @Test("PCF_CODE is unique across types: a client line on a supplier's code is rejected")
    func typeClash() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(.fournisseur, into: societe, nomsChamps: "PCF_CODE;PCF_RS", lines: ["T;Fourni"])
            let report = try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["T;Client;411T"])
            #expect(rejections(report) == [1: ["Le code T est déjà utilisé par un fournisseur"]])
            let row = try #require(try tiers(societe, "T"))
            #expect(row["PCF_TYPE"] as String? == "F")
            #expect(row["PCF_RS"] as String? == "Fourni")
        }
    }

    @Test("a client line on a prospect's code turns the prospect into a client")
    func prospectBecomesClient() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(
                .prospect, into: societe, nomsChamps: "PCF_CODE;PCF_RS;PCF_VILLE", lines: ["P1;Prospect;Lille"])
            #expect(try tiers(societe, "P1")?["PCF_TYPE"] as String? == "P")
            #expect(try count(societe.path, table: "COMPTES", where: importedAccounts) == 0)

            let report = try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["P1;Client;411P1"])
            #expect(warnings(report) == [1: ["Le prospect P1 a été transformé en client"]])
            let row = try #require(try tiers(societe, "P1"))
            #expect(row["PCF_TYPE"] as String? == "C")
            #expect(row["PCF_VILLE"] as String? == "Lille")
            #expect(row["PCF_NUMMAJ"] as Int? == 2)
            #expect(try compte(societe, "411P1")?["CPT_TYPE"] as String? == "C")
        }
    }

    @Test("a PCF_SIRET without PCF_SIREN fills PCF_SIREN")
    func siretFillsSiren() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            try await importTiers(
                into: societe, nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_SIRET", lines: ["S;S;411S;73282932000074"])
            #expect(try tiers(societe, "S")?["PCF_SIREN"] as String? == "732829320")
        }
    }

    @Test("an invalid value rejects its line and leaves no trace, other lines are stored")
    func invalidValueRejected() async throws {
        try await withTemporaryFolder { folder in
            let societe = try makeSociete(in: folder)
            let report = try await importTiers(
                into: societe,
                nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_DATIMM",
                lines: ["A;A;411A;31/02/2020", "", "B;B;411B;29/02/2024"]
            )
            #expect(report.importedCount == 1)
            #expect(report.rejectedCount == 1)
            #expect(rejections(report)[1] != nil)
            #expect(try tiers(societe, "A") == nil)
            #expect(try tiers(societe, "B")?["PCF_DATIMM"] as String? == "2024-02-29")
        }
    }
}
