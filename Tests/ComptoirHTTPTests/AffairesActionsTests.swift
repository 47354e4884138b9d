import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

extension ReferentielsTests {
    static let tiersAndSection: [(Domaine, [String])] = [
        (.clients, ["PCF_CODE;PCF_RS;CPT_NUMERO", "C1;Client un;411C1"]),
        (.prospects, ["PCF_CODE;PCF_RS", "P1;Prospect un"]),
        (.sectionsAnalytiques, ["ANA_CODE;ANA_LIB;ANA_TYPE", "15;Pack 15;G", "REG;Regroupement;R"]),
    ]

    static let affairesCases: [ReferentielCase] = [
        ReferentielCase(
            domaine: .affaires, before: tiersAndSection,
            example: [
                "PRJ_CODE;PRJ_LIB;PRJ_ETAT;PRJ_GROUP1;PRJ_GROUP2;PRJ_DT_DEB;PRJ_DT_FIN",
                "COA2019;COA2019;ENC;COA;COA1;01/09/2019;15/19/2019",
                "STA2019;STA2019;ENC;STA;STA2;01/10/2019;15/10/2019",
            ],
            exampleWarnings: [
                "La ligne 1 comporte les avertissements suivants :",
                "La date 15/19/2019 du champ PRJ_DT_FIN n'est pas valide : elle est ignorée",
            ],
            rejected: [
                "PRJ_CODE;PRJ_LIB;PCF_CODE;ANA_CODE", "A1;Un;NOPE;", "A2;Deux;;999", "A3;;;", ";Quatre;;",
                "A5;Cinq;;REG",
            ],
            reasons: [
                "Le code tiers NOPE n'existe pas", "Le code section analytique 999 n'existe pas", "Libellé manquant",
                "Code manquant",
                "La section analytique REG est une section de regroupement : aucune affectation ne peut lui être faite",
            ],
            update: ["PRJ_CODE;PRJ_ETAT;PCF_CODE;ANA_CODE;PRJ_BUGLAC", "COA2019;FIN;P1;15;1 500,5"],
            updatedRow: "PRJ_CODE = 'COA2019'",
            updatedValues: [
                "PRJ_LIB": "COA2019", "PRJ_ETAT": "FIN", "PCF_CODE": "P1", "ANA_CODE": "15", "PRJ_BUGLAC": "1500.5000",
                "PRJ_DT_DEB": "2019-09-01", "PRJ_DT_FIN": nil, "PRJ_NUMMAJ": 2,
            ]),
        ReferentielCase(
            domaine: .actions, before: actionsBefore,
            // Gestimum's example.
            example: [
                "ACT_DATE;ACT_TYPE;ACT_OBJET;ACT_FILE;PRJ_CODE",
                "05/09/2019;IMPORT;Import d'actions;D:\\ImporterActions.txt;AFFAIRE1",
                "09/09/2019;IMPORT;Suite de l'import d'actions;D:\\ImporterActions2.txt;AFFAIRE1",
            ],
            exampleWarnings: ["L'action 1 a été créée", "L'action 2 a été créée"],
            rejected: [
                "ACT_NUMERO;ACT_TYPE;PCF_CODE;CCT_NUMERO;SAL_CODE;ACT_DMNDPR;PRJ_CODE;DOC_NUMERO;ACT_POUREA",
                "99;APPEL;;;;;;;", ";APPEL;NOPE;;;;;;", ";APPEL;;42;;;;;", ";APPEL;;;ZZZ;;;;", ";APPEL;;;;YYY;;;",
                ";APPEL;;;;;AFF9;;", ";APPEL;;;;;;FAC26-00001;", ";;;;;;;;", ";APPEL;P1;1;;;;;", ";APPEL;;;;;;;101",
                ";APPEL;;;;;;;-1",
            ],
            reasons: [
                "L'action 99 n'existe pas", "Le code tiers NOPE n'existe pas", "Le contact 42 n'existe pas",
                "Le code salarié ZZZ n'existe pas", "Le code salarié YYY n'existe pas",
                "Le code affaire AFF9 n'existe pas", "Le document FAC26-00001 n'existe pas",
                "Le champ ACT_TYPE est obligatoire", "Le contact 1 n'est pas un contact du tiers P1",
                "Le champ ACT_POUREA (% réalisé) vaut 101 : il doit être compris entre 0 et 100",
                "Le champ ACT_POUREA (% réalisé) vaut -1 : il doit être compris entre 0 et 100",
            ],
            update: [
                "ACT_NUMERO;ACT_ETAT;PCF_CODE;CCT_NUMERO;SAL_CODE;ACT_DMNDPR;ACT_TERMINE;ACT_DATFIN;ACT_POUREA",
                "1;FAIT;C1;1;BSP;BSP;1;06/09/2019 17:30;100",
            ],
            updatedRow: "ACT_NUMERO = '1'",
            updatedValues: [
                "ACT_TYPE": "IMPORT", "ACT_OBJET": "Import d'actions", "ACT_FILE": "D:\\ImporterActions.txt",
                "PRJ_CODE": "AFFAIRE1", "ACT_DATE": "2019-09-05 00:00:00", "ACT_ETAT": "FAIT", "PCF_CODE": "C1",
                "CCT_NUMERO": "1", "SAL_CODE": "BSP", "ACT_DMNDPR": "BSP", "ACT_TERMINE": 1,
                "ACT_DATFIN": "2019-09-06 17:30:00", "ACT_POUREA": 100, "ACT_NUMMAJ": 2,
            ]),
    ]

    /// What actions name: a tiers and its contact (`CCT_NUMERO` 1), a salarié, an affaire.
    static let actionsBefore: [(Domaine, [String])] =
        tiersAndSection + [
            (.contacts, ["CCT_CODE;CCT_NOM;CCT_ORIGIN", "CT1;Martin;C1"]),
            (.salaries, ["SAL_CODE;SAL_NOM", "BSP;SPANGHERO"]),
            (.affaires, ["PRJ_CODE;PRJ_LIB", "AFFAIRE1;Affaire un"]),
        ]
}

/// What Affaires and Actions do beyond one row per line.
@Suite("Affaires and actions")
struct AffairesActionsTests {
    @Test("automatic codification numbers affaires from COMPTEUR_AFFAIRES, ignoring the file's code")
    func automaticCodification() async throws {
        let server = try TestServer()
        try server.setPreference("CODIFICATION_AFFAIRES", to: "Automatique")
        try await server.run { client in
            let (_, answer) = try await client.importer(.affaires, ["PRJ_CODE;PRJ_LIB", "IGNORE;Première", ";Seconde"])
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterAffaires",
                        [
                            "L'import a été effectué avec succès.", "Nombre de lignes importées : 2",
                            "Nombre de lignes non importées : 0", "L'affaire AFF000001 a été créée",
                            "L'affaire AFF000002 a été créée",
                        ]))
        }
        #expect(
            try server.records("PROJETS", order: "PRJ_CODE").map { [$0["PRJ_CODE"], $0["PRJ_LIB"]] as [String?] } == [
                ["AFF000001", "Première"], ["AFF000002", "Seconde"],
            ])
        #expect(
            try server.record("PREFERENCES", "PRF_CODE = 'COMPTEUR_AFFAIRES'").value("PRF_VALEUR")
                == "AFF000003".databaseValue)
    }

    @Test(
        "actions without a number get increasing numbers across requests; a refused line takes none",
        arguments: TestBackend.available)
    func actionsAreNumbered(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, first) = try await client.importer(.actions, ["ACT_TYPE;ACT_OBJET", "APPEL;Un", "RDV;Deux"])
            #expect(first.journalMessages.suffix(4).prefix(2) == ["L'action 1 a été créée", "L'action 2 a été créée"])
            let (_, second) = try await client.importer(
                .actions, ["ACT_NUMERO;ACT_TYPE;ACT_OBJET;PCF_CODE", ";APPEL;Refusée;NOPE", ";APPEL;Trois;", "2;RDV;;"])
            #expect(second.statistics == statistics(imported: 2, rejected: 1))
            #expect(second.journalMessages.contains("L'action 3 a été créée"))
            #expect(!second.journalMessages.contains { $0.hasPrefix("L'action 2") })
            // An unknown number is refused for that alone: the line creates nothing to check.
            let (_, unknown) = try await client.importer(
                .actions, ["ACT_NUMERO;ACT_TYPE;PCF_CODE;PRJ_CODE", "99;APPEL;NOPE;AFF9"])
            #expect(
                unknown.journalMessages.suffix(4).prefix(2) == [
                    "La ligne 1 n'a pas pu être importée :", "L'action 99 n'existe pas",
                ])
        }
        #expect(
            try server.records("ACTIONS", order: "ACT_NUMMAJ, ACT_NUMERO").map {
                [$0["ACT_NUMERO"], $0["ACT_TYPE"], $0["ACT_OBJET"]] as [String?]
            } == [["1", "APPEL", "Un"], ["3", "APPEL", "Trois"], ["2", "RDV", nil]])
        #expect(
            try server.record("PREFERENCES", "PRF_CODE = 'COMPTEUR_ACTIONS'").value("PRF_VALEUR")
                == "4".databaseValue)
    }

    @Test(
        "an action's contact is one of its tiers', as the line gives them or as the action holds them",
        arguments: TestBackend.available)
    func contactOfTheTiers(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            for (domaine, lines) in ReferentielsTests.actionsBefore {
                _ = try await client.importer(domaine, lines)
            }
            _ = try await client.importer(.contacts, ["CCT_CODE;CCT_NOM", "LIBRE;Sans tiers"])
            let (_, created) = try await client.importer(
                .actions, ["ACT_TYPE;PCF_CODE;CCT_NUMERO", "APPEL;C1;1", "APPEL;P1;2", "APPEL;;1"])
            #expect(created.statistics == statistics(imported: 3, rejected: 0), "\(created.journalMessages)")
            // Action 1 holds C1 and its contact: another tiers alone, or another tiers' contact, is refused.
            for lines in [["ACT_NUMERO;PCF_CODE", "1;P1", "3;P1"], ["ACT_NUMERO;CCT_NUMERO", "2;1"]] {
                let (_, updated) = try await client.importer(.actions, lines)
                #expect(updated.statistics == statistics(imported: 0, rejected: lines.count - 1))
                #expect(
                    updated.journalMessages.filter { $0.hasPrefix("Le contact") }
                        == Array(repeating: "Le contact 1 n'est pas un contact du tiers P1", count: lines.count - 1),
                    "\(updated.journalMessages)")
            }
            // A column given empty clears it: the other tiers with no contact, or a contact with
            // no tiers, which is not checked; or the other tiers with its own contact.
            let (_, cleared) = try await client.importer(
                .actions, ["ACT_NUMERO;PCF_CODE;CCT_NUMERO", "1;P1;", "3;P1;", "2;;1", "1;P1;2"])
            #expect(cleared.statistics == statistics(imported: 4, rejected: 0), "\(cleared.journalMessages)")
        }
        #expect(
            try server.records("ACTIONS", order: "ACT_NUMERO").map { [$0["PCF_CODE"], $0["CCT_NUMERO"]] as [String?] }
                == [["P1", "2"], [nil, "1"], ["P1", nil]])
    }

    @Test(
        "an impossible date is ignored with a warning, on a new affaire and on an existing one",
        arguments: TestBackend.available)
    func impossibleDates(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, created) = try await client.importer(
                .affaires, ["PRJ_CODE;PRJ_LIB;PRJ_DT_DEB;PRJ_DT_FIN", "P1;Un;31/02/2020;2020-03-15"])
            #expect(created.statistics == statistics(imported: 1, rejected: 0))
            #expect(
                created.journalMessages.suffix(4).prefix(2) == [
                    "La ligne 1 comporte les avertissements suivants :",
                    "La date 31/02/2020 du champ PRJ_DT_DEB n'est pas valide : elle est ignorée",
                ])
            let (_, updated) = try await client.importer(
                .affaires, ["PRJ_CODE;PRJ_DT_DEB;PRJ_DT_FIN", "P1;01/03/2020;15/19/2019"])
            #expect(updated.statistics == statistics(imported: 1, rejected: 0))
            #expect(
                updated.journalMessages.contains(
                    "La date 15/19/2019 du champ PRJ_DT_FIN n'est pas valide : elle est ignorée"))
            // Read as text by the import, the dates are dates to the read API: a day in either
            // form, bounds, and the CSV's JJ/MM/AAAA.
            for query in ["PRJ_DT_DEB=01/03/2020", "PRJ_DT_DEB=2020-03-01", "PRJ_DT_FIN.min=01/03/2020"] {
                let page = try await client.lire("societes/DEMO/Affaires?\(query)")
                #expect(page.status == .ok, "\(query): \(page.text)")
                #expect(page.text.contains("\"PRJ_CODE\":\"P1\""), "\(query): \(page.text)")
            }
            let csv = try await client.lire("societes/DEMO/Affaires", accept: "text/csv")
            #expect(csv.text.contains(";01/03/2020;"), "\(csv.text)")
            #expect(!csv.text.contains("2020-03-01"), "\(csv.text)")
        }
        let affaire = try server.record("PROJETS", "PRJ_CODE = 'P1'")
        #expect(affaire.value("PRJ_DT_DEB") == "2020-03-01".databaseValue)
        #expect(affaire.value("PRJ_DT_FIN") == "2020-03-15".databaseValue)
    }
}
