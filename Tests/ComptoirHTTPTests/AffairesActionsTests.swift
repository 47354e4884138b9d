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
        (.sectionsAnalytiques, ["ANA_CODE;ANA_LIB;ANA_TYPE", "15;Pack 15;G"]),
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
            rejected: ["PRJ_CODE;PRJ_LIB;PCF_CODE;ANA_CODE", "A1;Un;NOPE;", "A2;Deux;;999", "A3;;;", ";Quatre;;"],
            reasons: [
                "Le code tiers NOPE n'existe pas", "Le code section analytique 999 n'existe pas", "Libellé manquant",
                "Code manquant",
            ],
            update: ["PRJ_CODE;PRJ_ETAT;PCF_CODE;ANA_CODE;PRJ_BUGLAC", "COA2019;FIN;P1;15;1 500,5"],
            updatedRow: "PRJ_CODE = 'COA2019'",
            updatedValues: [
                "PRJ_LIB": "COA2019", "PRJ_ETAT": "FIN", "PCF_CODE": "P1", "ANA_CODE": "15", "PRJ_BUGLAC": "1500.5000",
                "PRJ_DT_DEB": "2019-09-01", "PRJ_DT_FIN": nil, "PRJ_NUMMAJ": 2,
            ])
    ]
}

/// What Affaires and Actions do beyond one row per line.
@Suite("Affaires and actions")
struct AffairesActionsTests {
    @Test("automatic codification numbers affaires from COMPTEUR_AFFAIRES, ignoring the file's code")
    func automaticCodification() async throws {
        let server = try TestServer()
        try server.write { db in
            try db.execute(
                sql: "UPDATE PREFERENCES SET PRF_VALEUR = 'Automatique' WHERE PRF_CODE = 'CODIFICATION_AFFAIRES'")
        }
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

    @Test("an impossible date is ignored with a warning, on a new affaire and on an existing one")
    func impossibleDates() async throws {
        let server = try TestServer()
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
        }
        let affaire = try server.record("PROJETS", "PRJ_CODE = 'P1'")
        #expect(affaire.value("PRJ_DT_DEB") == "2020-03-01".databaseValue)
        #expect(affaire.value("PRJ_DT_FIN") == "2020-03-15".databaseValue)
    }
}
