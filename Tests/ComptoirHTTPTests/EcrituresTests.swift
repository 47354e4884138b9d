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

    /// Gestimum's example with some of its lines replaced, by index.
    static func variable(replacing replaced: [Int: String]) -> [String] {
        variable.enumerated().map { index, line in replaced[index] ?? line }
    }

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

    /// The general accounts Gestimum's examples post to, and the analytic plan of their split,
    /// `P1`, which a new société does not have.
    static func accounts(_ server: TestServer, _ numbers: [String] = ["411070001", "445710", "707100"]) throws {
        for number in numbers {
            try server.execute(
                "INSERT INTO COMPTES (CPT_NUMERO, CPT_LIB, CPT_TYPE) VALUES (?, ?, 'G') ON CONFLICT DO NOTHING",
                [number, "Compte \(number)"])
        }
        try server.execute(
            "INSERT INTO TABLES (TBL_ID, TBL_CODE, TBL_LIB) VALUES ('ANA_PLAN', 'P1', 'Plan P1') ON CONFLICT DO NOTHING"
        )
    }

    static func parametres(_ format: String, _ extra: (String, String)...) -> [(String, String)] {
        [("journal", "Oui"), ("statistiques", "Oui"), ("format", format)] + extra
    }

    /// Imports `lines` in `GestimumComptaVariable` with `extra` parameters (by default,
    /// sections created), and gives the answer.
    static func importVariable(
        _ client: some TestClientProtocol, _ lines: [String],
        _ extra: [(String, String)] = [("creer_sections_analytiques", "Oui")]
    ) async throws -> JSONValue {
        let (status, answer) = try await client.importer(
            .ecritures, lines, parametres: parametres("GestimumComptaVariable") + extra)
        #expect(status == .ok)
        return answer
    }

    /// Imports `lines`, Gestimum's example changed, and expects its pièce refused whole, for
    /// the reasons of `details`.
    @discardableResult
    static func expectExampleRefused(
        _ client: some TestClientProtocol, _ server: TestServer, _ lines: [String], echeances: Int = 1,
        details: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let answer = try await importVariable(client, lines)
        #expect(
            answer.journalMessages
                == server.journal(
                    "ImporterEcritures",
                    report(ecritures: (0, 3), echeances: (0, echeances), errors: details.count, details: details)),
            sourceLocation: sourceLocation)
        return answer
    }

    @Test(arguments: TestBackend.available) func gestimumsVariableExampleIsImportedWithItsReport(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try await server.run { client in
            let answer = try await Self.importVariable(client, Self.variable)
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
        // The created section is one SectionsAnalytiques would create: general, with its audit columns.
        let section = try server.record("ANALYTIQUES", "ANA_CODE = 'S1'")
        #expect(section["ANA_PLAN"] as String? == "001")
        #expect(section["ANA_TYPE"] as String? == "G")
        #expect(section["ANA_USRCRE"] as String? == "DEMO")
    }

    @Test(arguments: TestBackend.available) func unknownCurrenciesAndPlansRefuseTheirPiece(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try await server.run { client in
            let unknown = Self.variable(replacing: [
                0: Self.variable[0].replacing(",EUR,", with: ",ZZZ,"), 4: ">P9,S1,100,100.00,100,1.0",
            ])
            try await Self.expectExampleRefused(
                client, server, unknown,
                details: [
                    "ERR E 1 : Le code devise ZZZ n'existe pas",
                    "ERR S 5 : Le code plan analytique P9 n'existe pas",
                ])
            // Sections are created in `plan_analytique`, which must exist too.
            let (_, unknownPlan) = try await client.importer(
                .ecritures, Self.variable,
                parametres: Self.parametres(
                    "GestimumComptaVariable", ("creer_sections_analytiques", "Oui"), ("plan_analytique", "P2")))
            #expect(
                unknownPlan.journalMessages.contains("ERR S 5 : Le code plan analytique P2 n'existe pas"),
                "\(unknownPlan.journalMessages)")
            // A currency in lower case is the currency.
            let lower = Self.variable(replacing: [0: Self.variable[0].replacing(",EUR,", with: ",eur,")])
            let accepted = try await Self.importVariable(client, lower)
            #expect(
                accepted.statistics == Self.statistics(ecritures: (3, 0), echeances: (1, 0), analytiques: (1, 0)),
                "\(accepted.journalMessages)")
        }
        #expect(try server.rows("ECRITURES").map { $0["DEV_CODE"] } == ["EUR", "EUR", "EUR"])
    }

    @Test(
        "a line of a pièce that cannot be read rejects its whole pièce, not only the lines before it",
        arguments: [
            (#"31/12/2019,VTE,445710"#, #"31/02/2019,VTE,445710"#, "n'est pas une date valide : 31/02/2019"),
            (#",42,EUR,20.00,D"#, #",4200000000000000,EUR,20.00,D"#, "dépasse 15 caractères : 4200000000000000"),
            (
                #","Vente d'ordinateur FAC19-000482","#, #","Vente d'ordinateur FAC19-000482,"#,
                "identificateur de texte"
            ),
        ])
    func anUnreadableLineRejectsItsWholePiece(replaced: String, by replacement: String, reason: String) async throws {
        let server = try await TestServer(.sqlite)
        try Self.accounts(server)
        try await server.run { client in
            let lines = Self.variable(replacing: [2: Self.variable[2].replacing(replaced, with: replacement)])
            let answer = try await Self.importVariable(client, lines)
            let errors = answer.journalMessages.filter { $0.hasPrefix("ERR E ") }
            #expect(
                errors.count == 1 && errors[0].hasPrefix("ERR E 3 : ") && errors[0].contains(reason),
                "\(answer.journalMessages)")
            #expect(
                answer.statistics
                    == Self.statistics(errors: 1, ecritures: (0, 3), echeances: (0, 1), analytiques: (0, 1)))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test("a pièce whose date cannot be read is refused alone when its journal or number is another's")
    func anUnreadableDateLeavesTheOtherPieces() async throws {
        let server = try await TestServer(.sqlite)
        try Self.accounts(server)
        try await server.run { client in
            let lines = [("A", "04/12/2026"), ("B", "31/02/2026"), ("C", "05/12/2026")].flatMap { piece, date in
                [
                    #"1,\#(date),VTE,445710,,"Pièce \#(piece)",\#(piece),EUR,10.00,D"#,
                    #"2,\#(date),VTE,707100,,"Pièce \#(piece)",\#(piece),EUR,10.00,C"#,
                ]
            }
            let answer = try await Self.importVariable(client, lines)
            #expect(
                answer.statistics
                    == Self.statistics(errors: 2, ecritures: (4, 2), echeances: (0, 0), analytiques: (0, 0)),
                "\(answer.journalMessages)")
        }
        #expect(
            try server.rows("ECRITURES").map { $0["ECR_LIB"] ?? nil }
                == ["Pièce A", "Pièce A", "Pièce C", "Pièce C"])
    }

    @Test("an écriture without libellé nor pièce keeps them empty, read back as null", arguments: TestBackend.available)
    func emptyLibelleAndPiece(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try await server.run { client in
            let answer = try await Self.importVariable(
                client, ["1,05/12/2026,VTE,445710,,,,EUR,10.00,D", #"2,05/12/2026,VTE,707100,,"",,EUR,10.00,C"#])
            #expect(
                answer.statistics
                    == Self.statistics(errors: 0, ecritures: (2, 0), echeances: (0, 0), analytiques: (0, 0)),
                "\(answer.journalMessages)")
            let page = try await client.lire("societes/DEMO/Ecritures").json()
            guard case .array(let records) = page["enregistrements"] else { return #expect(Bool(false)) }
            #expect(records.count == 2)
            for record in records { #expect(record["ECR_LIB"] == .null && record["ECR_PIECE"] == .null, "\(record)") }
        }
    }

    @Test("a Sens other than D or C refuses its line, and its pièce")
    func unknownSens() async throws {
        let server = try await TestServer(.sqlite)
        try Self.accounts(server)
        try await server.run { client in
            try await Self.expectExampleRefused(
                client, server, Self.variable(replacing: [2: Self.variable[2].replacing("20.00,D", with: "20.00,X")]),
                details: ["ERR E 3 : Le champ Sens (champ 10) n'accepte pas la valeur X (valeurs possibles : D, C)"])
        }
    }

    @Test("a field no table keeps is still checked as the format describes it")
    func unkeptFieldsAreChecked() async throws {
        let server = try await TestServer(.sqlite)
        try Self.accounts(server)
        try await server.run { client in
            let line = Self.variable[0].replacing(
                #",0,,"TEST","test variable""#, with: #",abc,,"TEST","test variable",31/02/2026"#)
            try await Self.expectExampleRefused(
                client, server, Self.variable(replacing: [0: line]),
                details: [
                    "ERR E 1 : Le champ Quantité (champ 13) n'est pas un nombre valide : abc",
                    "ERR E 1 : Le champ Date de pièce complémentaire (champ 17) n'est pas une date valide : 31/02/2026",
                ])
        }
    }

    @Test("the parameters of a delimited file are ignored, whatever they say")
    func delimitedFileParametersAreIgnored() async throws {
        let server = try await TestServer(.sqlite)
        try Self.accounts(server)
        try await server.run { client in
            let answer = try await Self.importVariable(
                client, Self.variable,
                [
                    ("creer_sections_analytiques", "Oui"), ("separateur_champs", ";;"), ("identificateur_texte", "xx"),
                    ("entete", "Peut"), ("noms_champs", "A;A"),
                ])
            #expect(
                answer.statistics == Self.statistics(ecritures: (3, 0), echeances: (1, 0), analytiques: (1, 0)),
                "\(answer)")
        }
    }

    @Test(arguments: TestBackend.available) func anUnbalancedPieceIsRejectedWhole(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        let lines = Self.variable(replacing: [
            3: Self.variable[3].replacing("100.00,D", with: "90.00,D"), 4: ">P1,S1,100,90.00,100,1.0",
        ])
        try await server.run { client in
            let answer = try await Self.expectExampleRefused(
                client, server, lines, details: ["ERR E 1 : La pièce n'est pas équilibrée : débit 110, crédit 120"])
            #expect(
                answer.statistics
                    == Self.statistics(errors: 1, ecritures: (0, 3), echeances: (0, 1), analytiques: (0, 1)))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
        #expect(try server.count("SELECT COUNT(*) FROM ANALYTIQUES WHERE ANA_CODE = 'S1'") == 0)
    }

    @Test(arguments: TestBackend.available) func echeancesAndSplitsMustAddUpToTheirLine(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        let lines = Self.variable(replacing: [1: "E31/12/2019,CB,0,100.00,125", 4: ">P1,S1,80,,100,1.0"])
        try await server.run { client in
            try await Self.expectExampleRefused(
                client, server, lines,
                details: [
                    "ERR E 1 : Le total des échéances (100) ne correspond pas au montant de la ligne (120)",
                    "ERR E 4 : Le total des ventilations analytiques (80) ne correspond pas au montant de la ligne (100)",
                ])
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test("an échéance or a split is a share of its line: never negative, never over 100 %")
    func sharesAreNeitherNegativeNorOverAHundredPercent() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        // Each line's shares add up to it: only their signs and percentages are wrong.
        let lines = [
            Self.variable[0], "E31/12/2019,CB,0,150.00,1", "E31/12/2019,CB,0,-30.00,2", Self.variable[2],
            Self.variable[3], ">P1,S1,120,0,100,1.0", ">P1,S1,-20,0,100,1.0",
        ]
        try await server.run { client in
            try await Self.expectExampleRefused(
                client, server, lines, echeances: 2,
                details: [
                    "ERR H 3 : Le champ Montant (champ 5) ne peut pas être négatif : -30.00",
                    "ERR S 6 : Le champ Pourcentage du montant de la ligne d’écriture (champ 4) dépasse 100 % : 120",
                    "ERR S 7 : Le champ Pourcentage du montant de la ligne d’écriture (champ 4) ne peut pas être négatif : -20",
                ])
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test(arguments: TestBackend.available) func percentagesOfAHundredAddUpToTheirLine(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        let lines = [
            #"1,31/12/2019,VTE,411070001,FA12,"Vente",42,EUR,100.00,C,,,0,,"TEST","test""#,
            "E31/12/2019,CB,33.333,0,1", "E31/12/2019,CB,33.333,0,2", "E31/12/2019,CB,33.333,0,3",
            #"2,31/12/2019,VTE,707100,FA12,"Vente",42,EUR,100.00,D,,,0,,"TEST","test""#,
            ">P1,S1,33.333,0,100,1.0", ">P1,S1,66.667,0,100,1.0",
        ]
        try await server.run { client in
            let answer = try await Self.importVariable(client, lines)
            #expect(
                answer.statistics == Self.statistics(ecritures: (2, 0), echeances: (3, 0), analytiques: (2, 0)),
                "\(answer.journalMessages)")
        }
        // Each rounded to the cent, the last taking what the others leave, also when the
        // percentages make 100 only once rounded to the hundredth.
        #expect(try server.rows("ECR_ECH").map { $0["ECH_MONTANT"] } == ["33.33", "33.33", "33.34"])
        #expect(try server.rows("ECR_ANAREP").map { $0["ANA_MONTANT"] } == ["33.33", "66.67"])
    }

    @Test(arguments: TestBackend.available) func anEcheanceHasADateAndALineOneSide(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try server.execute("INSERT INTO JOURNAUX (JRN_CODE, JRN_LIB) VALUES ('VT', 'Ventes')")
        try await server.run { client in
            try await Self.expectExampleRefused(
                client, server, Self.variable(replacing: [1: "E,,CB,0,120.00,125"]),
                details: ["ERR H 2 : Le champ Date de l'échéance est obligatoire"])
            let (_, bothSides) = try await client.importer(
                .ecritures,
                [
                    EcrituresFormatCase.comptaV15("707100", debit: "10", credit: "10"),
                    EcrituresFormatCase.comptaV15("445710", debit: "", credit: ""),
                ],
                parametres: Self.parametres("GestimumComptaV15"))
            #expect(
                bothSides.journalMessages.contains(
                    "ERR E 1 : La ligne porte à la fois un débit (10) et un crédit (10)"),
                "\(bothSides.journalMessages)")
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    /// Amounts are stored in cents: a third decimal would be rounded away, and could store an
    /// unbalanced pièce.
    @Test(arguments: TestBackend.available) func amountsHaveTwoDecimalsAndSixteenDigits(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        let lines = Self.variable(replacing: [
            0: Self.variable[0].replacing("120.00,C", with: "120.005,C"),
            2: Self.variable[2].replacing("20.00,D", with: "12345678901234567.00,D"),
        ])
        try await server.run { client in
            // Nothing is said of the totals or the balance of amounts that could not be read.
            try await Self.expectExampleRefused(
                client, server, lines,
                details: [
                    "ERR E 1 : Le champ Montant (champ 9) comporte plus de 2 décimales : 120.005",
                    "ERR E 3 : Le champ Montant (champ 9) dépasse 16 chiffres avant la virgule : 12345678901234567.00",
                ])
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test(
        "an amount may carry a sign and spaces between its digit groups, as any Montant",
        arguments: TestBackend.available)
    func amountsWithASignAndGroups(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        let pieceFA13 = [
            #"4,31/12/2019,VTE,411070001,FA13,"Grosse vente",42,EUR,1 200.00,D,,,0,,"TEST","test variable""#,
            #"5,31/12/2019,VTE,707100,FA13,"Grosse vente",42,EUR,+1 200.00,C,,,0,,"TEST","test variable""#,
        ]
        let lines = Self.variable(replacing: [0: Self.variable[0].replacing("120.00,C", with: "+120.00,C")]) + pieceFA13
        try await server.run { client in
            _ = try await Self.importVariable(client, lines)
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 5)
        #expect(
            try server.count("SELECT COUNT(*) FROM ECRITURES WHERE ECR_DEBIT = '1200.00' OR ECR_CREDIT = '1200.00'")
                == 2)
    }

    @Test(
        "no amount goes to a regroupement account nor to a regroupement section: their pièce is refused",
        arguments: TestBackend.available)
    func regroupementsTakeNoAmount(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try server.execute("UPDATE COMPTES SET CPT_TYPE = 'R' WHERE CPT_NUMERO = '707100'")
        try server.execute(
            "INSERT INTO ANALYTIQUES (ANA_CODE, ANA_LIB, ANA_PLAN, ANA_TYPE) VALUES ('S1', 'Regroupement', 'P1', 'R')")
        try await server.run { client in
            try await Self.expectExampleRefused(
                client, server, Self.variable,
                details: [
                    "ERR E 4 : Le compte 707100 est un compte de regroupement : aucun montant ne peut lui être attribué",
                    "ERR S 5 : La section analytique S1 est une section de regroupement : aucune affectation ne peut lui être faite",
                ])
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test(arguments: TestBackend.available) func anUnknownSectionIsIgnoredWithAWarningUnlessCreated(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try await server.run { client in
            try await Self.expectSplitsIgnored(
                client, server, Self.variable, analytiques: 1,
                warning: "AV S 5 : La section analytique S1 n'existe pas : la ventilation est ignorée")
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECR_ANAREP") == 0)
    }

    /// Imports `lines`, Gestimum's example changed, sections not created, and expects its pièce
    /// imported but its `analytiques` splits, ignored with `warning`.
    static func expectSplitsIgnored(
        _ client: some TestClientProtocol, _ server: TestServer, _ lines: [String], analytiques: Int,
        warning: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let answer = try await importVariable(client, lines, [])
        #expect(
            answer.journalMessages
                == server.journal(
                    "ImporterEcritures",
                    report(ecritures: (3, 0), echeances: (1, 0), warnings: 1, details: [warning])),
            sourceLocation: sourceLocation)
        #expect(
            answer.statistics
                == statistics(warnings: 1, ecritures: (3, 0), echeances: (1, 0), analytiques: (0, analytiques)),
            sourceLocation: sourceLocation)
    }

    /// The analytic sections `codes` of plan `plan`, which the société then has.
    static func sections(_ server: TestServer, plan: String, _ codes: [String]) throws {
        try server.execute(
            "INSERT INTO TABLES (TBL_ID, TBL_CODE, TBL_LIB) VALUES ('ANA_PLAN', ?, ?) ON CONFLICT DO NOTHING",
            [plan, "Plan \(plan)"])
        for code in codes {
            try server.execute(
                "INSERT INTO ANALYTIQUES (ANA_CODE, ANA_LIB, ANA_PLAN, ANA_TYPE) VALUES (?, ?, ?, 'G')",
                [code, "Section \(code)", plan])
        }
    }

    @Test(arguments: TestBackend.available) func aLineIsSplitInEachOfSeveralPlans(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try Self.sections(server, plan: "P1", ["S1"])
        try Self.sections(server, plan: "P2", ["S2", "S3"])
        // Each plan's splits add up to the line: 100 in P1, 60 + 40 in P2.
        let lines =
            Self.variable + [">P2,S2,60,,100,1.0", ">P2,S3,,40.00,100,1.0"]
        try await server.run { client in
            let answer = try await Self.importVariable(client, lines, [])
            #expect(
                answer.statistics
                    == Self.statistics(ecritures: (3, 0), echeances: (1, 0), analytiques: (3, 0)),
                "\(answer.journalMessages)")
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECR_ANAREP WHERE ANA_PLAN = 'P1'") == 1)
        #expect(try server.count("SELECT COUNT(*) FROM ECR_ANAREP WHERE ANA_PLAN = 'P2'") == 2)
    }

    @Test(arguments: TestBackend.available) func anUnknownSectionLeavesOutItsLinesVentilationInItsPlan(
        backend: TestBackend
    ) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try Self.sections(server, plan: "P1", ["S1"])
        let lines = Self.variable(replacing: [4: ">P1,S1,60,60.00,100,1.0"]) + [">P1,SX,40,40.00,100,1.0"]
        try await server.run { client in
            try await Self.expectSplitsIgnored(
                client, server, lines, analytiques: 2,
                warning: "AV S 6 : La section analytique SX n'existe pas : la ventilation est ignorée")
        }
        // What would be kept of the line's ventilation, 60 of 100, is not.
        #expect(try server.count("SELECT COUNT(*) FROM ECR_ANAREP") == 0)
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 3)
    }

    @Test(arguments: TestBackend.available) func aLineWithoutItsDateRefusesItsWholePiece(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        // Its pièce is unknown: the lines before and after it are not written as a pièce without it.
        let lines = Self.variable(replacing: [2: Self.variable[2].replacing("31/12/2019", with: "")])
        try await server.run { client in
            try await Self.expectExampleRefused(
                client, server, lines, details: ["ERR E 3 : Le champ Date d'écriture est obligatoire"])
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test("an échéance ignored for its line's own date refuses nothing; a share needs its amount or percentage")
    func ignoredEcheancesAndEmptyShares() async throws {
        let server = try await TestServer(.sqlite)
        try Self.accounts(server)
        let ownDate = Self.variable[0].replacing(",,,0,", with: ",,31/01/2020,0,")
        try #require(ownDate != Self.variable[0])
        try await server.run { client in
            let answer = try await Self.importVariable(
                client, Self.variable(replacing: [0: ownDate, 1: "E31/02/2019,CB,0,120.00,125"]))
            #expect(
                answer.statistics
                    == Self.statistics(warnings: 1, ecritures: (3, 0), echeances: (0, 1), analytiques: (1, 0)),
                "\(answer.journalMessages)")
            try await Self.expectExampleRefused(
                client, server, Self.variable(replacing: [1: "E31/12/2019,CB,,,125"]),
                details: ["ERR H 2 : Le champ Montant (champ 5) ou le champ Pourcentage (champ 4) est obligatoire"])
        }
    }

    @Test(arguments: TestBackend.available) func anUnknownAccountIsAnAnomalyInTheVariableFormat(backend: TestBackend)
        async throws
    {
        let server = try await TestServer(backend)
        try Self.accounts(server, ["411070001", "445710"])
        try await server.run { client in
            let answer = try await Self.importVariable(client, Self.variable)
            #expect(answer.journalMessages.contains("ERR E 4 : Le compte 707100 n'existe pas"))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test func testerReportsTheSameAndLeavesTheSocieteUnchanged() async throws {
        let server = try TestServer()
        try Self.accounts(server)
        let before = try server.snapshot()
        try await server.run { client in
            let answer = try await Self.importVariable(
                client, Self.variable, [("creer_sections_analytiques", "Oui"), ("tester", "Oui")])
            #expect(
                answer.journalMessages
                    == server.journal("ImporterEcritures", Self.report(ecritures: (3, 0), echeances: (1, 0))))
        }
        #expect(try server.snapshot() == before)
    }

    @Test(arguments: TestBackend.available) func simulationMarksTheEcritures(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try Self.accounts(server)
        try await server.run { client in
            _ = try await Self.importVariable(
                client, Self.variable, [("creer_sections_analytiques", "Oui"), ("simulation", "Oui")])
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES WHERE ECR_SIMUL = 1") == 3)
    }

    @Test(arguments: TestBackend.available) func anUnknownFormatIsRefused(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (status, answer) = try await client.importer(
                .ecritures, Self.variable, parametres: Self.parametres("Ciel"))
            #expect(status == .badRequest)
            #expect(answer == Answer.error("Format Ciel inconnu"))
        }
    }

    /// An account line that cannot be read would otherwise be created unseen, under the default label.
    @Test(arguments: TestBackend.available) func anUnreadableAccountLineIsRefused(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let accounts = try server.count("SELECT COUNT(*) FROM COMPTES")
        let ebp = #"1,010103,VE,411ART,FA, "Ventes", "123",75.00,D,010303"#
        try await server.run { client in
            for (comptes, reason) in [
                (
                    [#""411ART","Client Art""#, #""411BIS","Client "#],
                    "La ligne 2 de fichier_comptes ne peut pas être lue"
                ),
                ([#","Sans numéro""#], "La ligne 1 de fichier_comptes ne peut pas être lue : Aucun numéro de compte"),
            ] {
                let (status, answer) = try await EcrituresFormatsTests.post(
                    client, format: "EBPV3", [ebp], comptes: comptes)
                #expect(status == .badRequest)
                #expect(answer.errorMessage?.hasPrefix(reason) == true, "\(answer)")
            }
        }
        #expect(try server.count("SELECT COUNT(*) FROM COMPTES") == accounts)
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }
}

/// One format's examples: Gestimum's own, a pièce that does not balance, and what the format
/// does with an unknown account.
struct EcrituresFormatCase: Sendable, CustomTestStringConvertible {
    let format: String
    /// Gestimum's example, from the format's help page (fixed formats rebuilt at their columns,
    /// since the page's spaces are collapsed).
    let example: [String]
    /// The journals and accounts the example needs; `unbalanced` tells whether the example
    /// pièce balances (Gestimum's examples are often one line).
    var journals: [String] = []
    var accounts: [String] = []
    var balanced = false
    var comptes: [String] = []
    /// The example's rows in `ECRITURES`: account, debit, credit.
    let rows: [[String?]]
    var echeances = (0, 0)
    var analytiques = (0, 0)
    /// The warnings the example's report gives: the payment modes of another software.
    var warnings: [String] = []
    /// Two lines of one pièce that do not balance.
    let unbalanced: [String]
    let unbalancedReason: String
    /// A line on an unknown account, and the journal lines, or the account created.
    let unknownAccount: [String]
    var unknownAccountReason: String?
    var createdAccount: (String, String)?

    var testDescription: String { format }
}

/// A line of a fixed-width format: each text at its columns, padded with spaces.
func fixedLine(_ fields: [(String, ClosedRange<Int>)], rightAligned: Set<Int> = []) -> String {
    var line = [Character](repeating: " ", count: fields.map(\.1.upperBound).max() ?? 0)
    for (text, columns) in fields {
        let width = columns.count
        let padded =
            rightAligned.contains(columns.lowerBound)
            ? String(repeating: " ", count: max(0, width - text.count)) + text : text
        for (offset, character) in padded.prefix(width).enumerated() {
            line[columns.lowerBound - 1 + offset] = character
        }
    }
    return String(line)
}

extension EcrituresFormatCase {
    static func comptaFixe(
        _ compte: String, _ amount: String, _ sens: String, label: String = "", section: String = "",
        sectionLabel: String = ""
    ) -> String {
        fixedLine(
            [
                ("1", 1...5), ("VT", 6...15), ("20030920", 16...23), ("20020930", 24...31), ("FA000013", 32...46),
                (compte, 47...71), ("Vente client durand", 72...131), (amount, 132...144), (sens, 145...145),
                (label, 164...223), (section, 232...246), (sectionLabel, 247...306),
            ], rightAligned: [132])
    }

    static func comptaV15(_ compte: String, debit: String, credit: String) -> String {
        fixedLine(
            [
                ("VT", 1...3), ("20092003", 4...11), ("FA000013", 12...19), (compte, 20...29),
                ("Vente client Durand", 30...64), (debit, 76...90), (credit, 91...105),
            ], rightAligned: [76, 91])
    }

    static let all: [EcrituresFormatCase] = [
        EcrituresFormatCase(
            format: "GestimumComptaFixe", example: [comptaFixe("707100", "45.73", "C")], journals: ["VT"],
            rows: [["707100", "0.00", "45.73"]],
            unbalanced: [comptaFixe("707100", "45.73", "C"), comptaFixe("411000", "40.00", "D")],
            unbalancedReason: "ERR E 1 : La pièce n'est pas équilibrée : débit 40, crédit 45,73",
            unknownAccount: [comptaFixe("411DURAND", "45.73", "D", label: "Durand")],
            createdAccount: ("411DURAND", "Durand")),
        EcrituresFormatCase(
            format: "GestimumComptaV15", example: [comptaV15("707100", debit: "", credit: "45.73")], journals: ["VT"],
            accounts: ["707100"], rows: [["707100", "0.00", "45.73"]],
            unbalanced: [
                comptaV15("707100", debit: "", credit: "45.73"), comptaV15("707100", debit: "45", credit: ""),
            ],
            unbalancedReason: "ERR E 1 : La pièce n'est pas équilibrée : débit 45, crédit 45,73",
            unknownAccount: [comptaV15("411DURAND", debit: "45.73", credit: "")],
            unknownAccountReason: "ERR E 1 : Le compte 411DURAND n'existe pas"),
        EcrituresFormatCase(
            format: "GestimumGescomV15",
            example: [#""VTE",14/01/2003,"411020002","FA 0000066","BUDUM SA",14/01/2003,"",2001.69,0.00"#],
            accounts: ["411020002"], rows: [["411020002", "2001.69", "0.00"]],
            unbalanced: [
                #""VTE",14/01/2003,"411020002","FA 0000066","BUDUM SA",14/01/2003,"",2001.69,0.00"#,
                #""VTE",14/01/2003,"411020002","FA 0000066","BUDUM SA",14/01/2003,"",0.00,2000.00"#,
            ],
            unbalancedReason: "ERR E 1 : La pièce n'est pas équilibrée : débit 2001,69, crédit 2000",
            unknownAccount: [#""VTE",14/01/2003,"411NOUVEAU","FA 0000067","BUDUM SA",14/01/2003,"",2001.69,0.00"#],
            unknownAccountReason: "ERR E 1 : Le compte 411NOUVEAU n'existe pas"),
        EcrituresFormatCase(
            format: "EBPV5V2000",
            example: [
                #"1,010103,VE,411ART,, "Ventes d’ordinateur ", "123 ",75.00,D,,D,EUR"#, "E010303,75.00,T060",
            ],
            journals: ["VE"], comptes: [#""411ART","Client Art""#], rows: [["411ART", "75.00", "0.00"]],
            echeances: (1, 0),
            // Stored as given, and said, as Gestimum's import says them (#21310).
            warnings: [
                "AV E 1 : Le code mode de règlement EUR n'existe pas",
                "AV H 2 : Le code mode de règlement T060 n'existe pas",
            ],
            unbalanced: [
                #"1,010103,VE,411ART,FA, "Ventes d’ordinateur ", "123 ",75.00,D,010303"#,
                #"2,010103,VE,411ART,FA, "Ventes d’ordinateur ", "123 ",70.00,C,010303"#,
            ],
            unbalancedReason: "ERR E 1 : La pièce n'est pas équilibrée : débit 75, crédit 70",
            unknownAccount: [#"1,010103,VE,411NOUVEAU,FA, "Ventes", "124",75.00,D,010303"#],
            createdAccount: ("411NOUVEAU", "Compte créé pendant transfert")),
        EcrituresFormatCase(
            format: "EBPV3",
            example: [#"1,010103,VE,411ART,FA, "Ventes d’ordinateur ", "123 ",75.00,D,010303"#, ">S1,100.00,75.00"],
            journals: ["VE"], rows: [["411ART", "75.00", "0.00"]], analytiques: (1, 0),
            unbalanced: [
                #"1,010103,VE,411ART,FA, "Ventes d’ordinateur ", "123 ",75.00,D,010303"#,
                #"2,010103,VE,411ART,FA, "Ventes d’ordinateur ", "123 ",70.00,C,010303"#,
            ],
            unbalancedReason: "ERR E 1 : La pièce n'est pas équilibrée : débit 75, crédit 70",
            unknownAccount: [#"1,010103,VE,411NOUVEAU,FA, "Ventes", "124",75.00,D,010303"#],
            createdAccount: ("411NOUVEAU", "Compte créé pendant transfert")),
    ]
}

@Suite("Ecritures, in each format")
struct EcrituresFormatsTests {
    /// The journals and accounts a case needs, and a société that takes unbalanced pièces
    /// when its example is one.
    static func prepare(_ server: TestServer, _ test: EcrituresFormatCase, unbalancedAllowed: Bool) throws {
        for journal in test.journals {
            try server.execute("INSERT INTO JOURNAUX (JRN_CODE, JRN_LIB) VALUES (?, ?)", [journal, journal])
        }
        if unbalancedAllowed {
            try server.setPreference("ECRITURES_DESEQUILIBREES", to: "Oui")
        }
        try EcrituresTests.accounts(server, test.accounts)
    }

    func importer(_ client: some TestClientProtocol, _ test: EcrituresFormatCase, _ lines: [String]) async throws
        -> JSONValue
    {
        let (status, answer) = try await Self.post(client, format: test.format, lines, comptes: test.comptes)
        #expect(status == .ok, "\(answer)")
        return answer
    }

    /// Posts `lines` in `format`, with `comptes` as `fichier_comptes` when there are any.
    static func post(_ client: some TestClientProtocol, format: String, _ lines: [String], comptes: [String])
        async throws -> (HTTPResponse.Status, JSONValue)
    {
        var members: [(key: String, value: JSONValue)] = EcrituresTests.parametres(
            format, ("creer_sections_analytiques", "Oui")
        ).map { ($0.0, .string($0.1)) }
        members.append(("fichier_ecritures", .array(lines.map(JSONValue.string))))
        if !comptes.isEmpty { members.append(("fichier_comptes", .array(comptes.map(JSONValue.string)))) }
        let body = JSONValue.object([
            (
                "importer_ecritures",
                .object([
                    ("societe", .object([("fichier", .string("DEMO.Gestimum")), ("utilisateur", .string("DEMO"))])),
                    ("parametres", .object(members)),
                ])
            )
        ]).asciiText
        return try await client.post(body, to: Domaine.ecritures.importPath)
    }

    @Test("Gestimum's example is imported with its report", arguments: TestBackend.available, EcrituresFormatCase.all)
    func example(backend: TestBackend, _ test: EcrituresFormatCase) async throws {
        let server = try await TestServer(backend)
        try Self.prepare(server, test, unbalancedAllowed: !test.balanced)
        try await server.run { client in
            let answer = try await importer(client, test, test.example)
            let count = test.rows.count
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterEcritures",
                        EcrituresTests.report(
                            ecritures: (count, 0), echeances: test.echeances, warnings: test.warnings.count,
                            details: test.warnings)))
            #expect(
                answer.statistics
                    == EcrituresTests.statistics(
                        warnings: test.warnings.count, ecritures: (count, 0), echeances: test.echeances,
                        analytiques: test.analytiques))
        }
        #expect(
            try server.rows("ECRITURES").map { [$0["CPT_NUMERO"]!, $0["ECR_DEBIT"]!, $0["ECR_CREDIT"]!] } == test.rows)
    }

    @Test(
        "a GestimumComptaFixe line's own unknown section is created with its label, or left out with a warning",
        arguments: [true, false])
    func fixedFormatSection(created: Bool) async throws {
        let server = try await TestServer(.sqlite)
        let test = EcrituresFormatCase.all[0]
        try Self.prepare(server, test, unbalancedAllowed: true)
        try await server.run { client in
            let line = EcrituresFormatCase.comptaFixe(
                "707100", "45.73", "C", section: "SECY", sectionLabel: "Section Y")
            let (status, answer) = try await client.importer(
                .ecritures, [line],
                parametres: EcrituresTests.parametres(
                    "GestimumComptaFixe", ("creer_sections_analytiques", created ? "Oui" : "Non")))
            #expect(status == .ok)
            #expect(
                answer.statistics
                    == EcrituresTests.statistics(
                        warnings: created ? 0 : 1, ecritures: (1, 0), echeances: (0, 0), analytiques: (0, 0)),
                "\(answer.journalMessages)")
            #expect(
                answer.journalMessages.contains {
                    $0.hasSuffix("La section analytique SECY n'existe pas : l'écriture est importée sans section")
                } == !created, "\(answer.journalMessages)")
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES WHERE ANA_CODE = 'SECY'") == (created ? 1 : 0))
        #expect(try server.count("SELECT COUNT(*) FROM ANALYTIQUES WHERE ANA_LIB = 'Section Y'") == (created ? 1 : 0))
    }

    @Test("an unbalanced pièce is rejected whole", arguments: TestBackend.available, EcrituresFormatCase.all)
    func unbalanced(backend: TestBackend, _ test: EcrituresFormatCase) async throws {
        let server = try await TestServer(backend)
        try Self.prepare(server, test, unbalancedAllowed: false)
        try EcrituresTests.accounts(server, ["411000", "411ART"].filter { !test.accounts.contains($0) })
        try await server.run { client in
            let answer = try await importer(client, test, test.unbalanced)
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterEcritures",
                        EcrituresTests.report(
                            ecritures: (0, 2), echeances: (0, 0), errors: 1, details: [test.unbalancedReason])))
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test(
        "in EBP's formats too, échéances and analytic splits must add up to their line",
        arguments: TestBackend.available,
        [
            (
                EcrituresFormatCase.all[3],
                [#"1,010103,VE,411ART,, "Ventes d’ordinateur ", "123 ",75.00,D,,D,EUR"#, "E010303,70.00,T060"],
                "ERR E 1 : Le total des échéances (70) ne correspond pas au montant de la ligne (75)"
            ),
            (
                EcrituresFormatCase.all[4],
                [#"1,010103,VE,411ART,FA, "Ventes d’ordinateur ", "123 ",75.00,D,010303"#, ">S1,80.00,60.00"],
                "ERR E 1 : Le total des ventilations analytiques (60) ne correspond pas au montant de la ligne (75)"
            ),
        ])
    func ebpSumsMustAddUp(
        backend: TestBackend, sums: (test: EcrituresFormatCase, lines: [String], reason: String)
    ) async throws {
        let (test, lines, reason) = sums
        let server = try await TestServer(backend)
        try Self.prepare(server, test, unbalancedAllowed: true)
        try await server.run { client in
            let answer = try await importer(client, test, lines)
            #expect(answer.journalMessages.contains(reason), "\(answer.journalMessages)")
        }
        #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
    }

    @Test(
        "an unknown account is created or refused as the format says", arguments: TestBackend.available,
        EcrituresFormatCase.all)
    func unknownAccount(backend: TestBackend, _ test: EcrituresFormatCase) async throws {
        let server = try await TestServer(backend)
        try Self.prepare(server, test, unbalancedAllowed: true)
        try await server.run { client in
            let answer = try await importer(client, test, test.unknownAccount)
            if let reason = test.unknownAccountReason { #expect(answer.journalMessages.contains(reason)) }
        }
        if let (number, label) = test.createdAccount {
            #expect(try server.rows("COMPTES", where: "CPT_NUMERO = '\(number)'").map { $0["CPT_LIB"] } == [label])
            #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 1)
        } else {
            #expect(try server.count("SELECT COUNT(*) FROM ECRITURES") == 0)
        }
    }
}
