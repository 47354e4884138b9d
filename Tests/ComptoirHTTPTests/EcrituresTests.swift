import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// Journal entries in Gestimum's formats, through the web service (`domains.md` §4).
@Suite("Ecritures")
struct EcrituresTests {
    /// Gestimum's example of `GestimumComptaVariable`: a pièce of three lines, the first with an
    /// échéance, the last with an analytic split.
    static let variable = [
        #"1,31/12/2019,VTE,411070001,FA12,"Vente d'ordinateurs FAC19-000482",42,EUR,120.00,C,,,0,,"TEST","test variable""#,
        "E31/12/2019,CB,0,120.00,125",
        #"2,31/12/2019,VTE,445710,FA12,"Vente d'ordinateur FAC19-000482",42,EUR,20.00,D,,,0,,"TEST","test variable""#,
        #"3,31/12/2019,VTE,707100,FA12,"Vente d'ordinateurs FAC19-000482",42,EUR,100.00,D,,,0,,"TEST","test variable""#,
        ">P1,S1,100,100.00,100,1.0",
    ]

    static let legend = [
        "Légende :", "ERR : Erreur provoquant le rejet de la ligne",
        "AV : Avertissement ne provoquant pas le rejet de la ligne", "E : Ligne d'écriture", "S : Section analytique",
        "H : Ligne d'échéance",
    ]

    /// The journal block of an import, with its detail lines.
    static func report(
        ecritures: (Int, Int), echeances: (Int, Int), errors: Int = 0, warnings: Int = 0, details: [String] = []
    ) -> [String] {
        let rule = String(repeating: "#", count: 60)
        return [
            "Ci-dessous le rapport d'import :", rule, "Résumé", "Lignes d'écritures importables : \(ecritures.0)",
            "Lignes d'écritures rejetables : \(ecritures.1)", "Lignes d'échéances importables : \(echeances.0)",
            "Lignes d'échéances rejetables : \(echeances.1)", "ERREURS : \(errors)", "AVERTISSEMENTS : \(warnings)",
            rule,
            "Fichier d'écritures importé : Ecritures.txt",
        ] + details + legend
    }

    static func statistics(
        errors: Int = 0, warnings: Int = 0, ecritures: (Int, Int), echeances: (Int, Int), analytiques: (Int, Int)
    ) -> JSONValue {
        .object(
            [
                ("nombre_erreurs", errors), ("nombre_avertissements", warnings),
                ("nombre_lignes_écritures_importées", ecritures.0), ("nombre_lignes_écritures_rejetées", ecritures.1),
                ("nombre_lignes_échéances_importées", echeances.0), ("nombre_lignes_échéances_rejetées", echeances.1),
                ("nombre_lignes_analytiques_importées", analytiques.0),
                ("nombre_lignes_analytiques_rejetées", analytiques.1),
            ].map { ($0.0, .string(String($0.1))) })
    }

    /// The general accounts and the journal Gestimum's examples post to.
    static func accounts(_ server: TestServer, _ numbers: [String] = ["411070001", "445710", "707100"]) throws {
        try server.write { db in
            for number in numbers {
                try db.execute(
                    sql: "INSERT INTO COMPTES (CPT_NUMERO, CPT_LIB, CPT_TYPE) VALUES (?, ?, 'G')",
                    arguments: [number, "Compte \(number)"])
            }
        }
    }

    static func parametres(_ format: String, _ extra: (String, String)...) -> [(String, String)] {
        [("journal", "Oui"), ("statistiques", "Oui"), ("format", format)] + extra
    }

    @Test func gestimumsVariableExampleIsImportedWithItsReport() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        try await server.run { client in
            let (status, answer) = try await client.importer(
                .ecritures, Self.variable,
                parametres: Self.parametres("GestimumComptaVariable", ("creer_sections_analytiques", "Oui")))
            #expect(status == .ok)
            #expect(
                answer.journalMessages
                    == server.journal("ImporterEcritures", Self.report(ecritures: (3, 0), echeances: (1, 0))))
            #expect(
                answer.statistics
                    == Self.statistics(ecritures: (3, 0), echeances: (1, 0), analytiques: (1, 0)))
        }
        let ecritures = try server.rows("ECRITURES")
        #expect(ecritures.map { $0["CPT_NUMERO"] } == ["411070001", "445710", "707100"])
        #expect(ecritures.map { $0["ECR_CREDIT"] } == ["120.00", "0.00", "0.00"])
        #expect(ecritures.map { $0["ECR_DATE"] } == ["2019-12-31", "2019-12-31", "2019-12-31"])
        #expect(ecritures.map { $0["ECR_PIECE"] } == ["42", "42", "42"])
        #expect(try server.rows("ECR_ECH").map { $0["ECH_MONTANT"] } == ["120.00"])
        #expect(try server.rows("ECR_ANAREP").map { $0["ANA_CODE"] } == ["S1"])
        #expect(try server.rows("ANALYTIQUES", where: "ANA_CODE = 'S1'").map { $0["ANA_PLAN"] } == ["001"])
    }

    @Test func anUnbalancedPieceIsRejectedWhole() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        var unbalanced = Self.variable
        unbalanced[3] = unbalanced[3].replacing("100.00,D", with: "90.00,D")
        unbalanced[4] = ">P1,S1,100,90.00,100,1.0"
        let lines = unbalanced
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .ecritures, lines,
                parametres: Self.parametres("GestimumComptaVariable", ("creer_sections_analytiques", "Oui")))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterEcritures",
                        Self.report(
                            ecritures: (0, 3), echeances: (0, 1), errors: 1,
                            details: ["ERR E 1 : La pièce n'est pas équilibrée : débit 110, crédit 120"])))
            #expect(
                answer.statistics
                    == Self.statistics(errors: 1, ecritures: (0, 3), echeances: (0, 1), analytiques: (0, 1)))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
        #expect(try server.count("SELECT COUNT(*) FROM ANALYTIQUES WHERE ANA_CODE = 'S1'") == 0)
    }

    @Test func echeancesAndSplitsMustAddUpToTheirLine() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        var wrong = Self.variable
        wrong[1] = "E31/12/2019,CB,0,100.00,125"
        wrong[4] = ">P1,S1,80,,100,1.0"
        let lines = wrong
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .ecritures, lines,
                parametres: Self.parametres("GestimumComptaVariable", ("creer_sections_analytiques", "Oui")))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterEcritures",
                        Self.report(
                            ecritures: (0, 3), echeances: (0, 1), errors: 2,
                            details: [
                                "ERR E 1 : Le total des échéances (100) ne correspond pas au montant de la ligne (120)",
                                "ERR E 4 : Le total des ventilations analytiques (80) ne correspond pas au montant de la ligne (100)",
                            ])))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test func anUnknownSectionIsIgnoredWithAWarningUnlessCreated() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .ecritures, Self.variable, parametres: Self.parametres("GestimumComptaVariable"))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterEcritures",
                        Self.report(
                            ecritures: (3, 0), echeances: (1, 0), warnings: 1,
                            details: ["AV S 5 : La section analytique S1 n'existe pas : la ventilation est ignorée"])))
            #expect(
                answer.statistics
                    == Self.statistics(warnings: 1, ecritures: (3, 0), echeances: (1, 0), analytiques: (0, 1)))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECR_ANAREP") == 0)
    }

    @Test func anUnknownAccountIsAnAnomalyInTheVariableFormat() async throws {
        let server = try TestServer()
        try Self.accounts(server, ["411070001", "445710"])
        try await server.run { client in
            let (_, answer) = try await client.importer(
                .ecritures, Self.variable,
                parametres: Self.parametres("GestimumComptaVariable", ("creer_sections_analytiques", "Oui")))
            #expect(answer.journalMessages.contains("ERR E 4 : Le compte 707100 n'existe pas"))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test func testerReportsTheSameAndLeavesTheSocieteUnchanged() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        let before = try server.snapshot()
        try await server.run { client in
            let (status, answer) = try await client.importer(
                .ecritures, Self.variable,
                parametres: Self.parametres(
                    "GestimumComptaVariable", ("creer_sections_analytiques", "Oui"), ("tester", "Oui")))
            #expect(status == .ok)
            #expect(
                answer.journalMessages
                    == server.journal("ImporterEcritures", Self.report(ecritures: (3, 0), echeances: (1, 0))))
        }
        #expect(try server.snapshot() == before)
    }

    @Test func simulationMarksTheEcritures() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        try await server.run { client in
            _ = try await client.importer(
                .ecritures, Self.variable,
                parametres: Self.parametres(
                    "GestimumComptaVariable", ("creer_sections_analytiques", "Oui"), ("simulation", "Oui")))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES WHERE ECR_SIMUL = 1") == 3)
    }

    @Test func anUnknownFormatIsRefused() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (status, answer) = try await client.importer(
                .ecritures, Self.variable, parametres: Self.parametres("Ciel"))
            #expect(status == .badRequest)
            #expect(answer == Answer.error("Format Ciel inconnu"))
        }
    }
}
