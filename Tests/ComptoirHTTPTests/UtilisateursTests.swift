import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// `Utilisateurs/Importer` writes the users who sign in to the web service.
@Suite("Users imported are the users of the web service")
struct UtilisateursTests {
    @Test("only a user of group ADMIN may import users; the others get 403 in French", arguments: TestBackend.available)
    func onlyAdministrators(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try server.addUsers(["VENTE"])
        try await server.run { client in
            let (status, answer) = try await client.post(
                importBody(
                    root: Domaine.utilisateurs.rootKey, linesKey: Domaine.utilisateurs.linesKey, utilisateur: "VENTE",
                    motPasse: "vente", lines: ["USR_NAME;USR_GROUPE", "VENTE;ADMIN"]),
                to: Domaine.utilisateurs.importPath)
            #expect(status == .forbidden)
            #expect(
                answer
                    == Answer.error(
                        "L'utilisateur VENTE n'appartient pas au groupe ADMIN : il ne peut pas lancer la tâche ImporterUtilisateurs"
                    ))
        }
        #expect(try server.record("UTILISATEURS", "USR_CODE = 'VENTE'").value("USR_GROUPE") == "DEFAUT".databaseValue)
    }

    @Test(
        "a user imported signs in with its password, stored hashed; a new group is created",
        arguments: TestBackend.available)
    func importedUsersSignIn(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, created) = try await client.importer(
                .utilisateurs, ["USR_NAME;USR_PASSWD;USR_GROUPE", "COMPTA;s3cret;COMPTABLES"])
            #expect(created.statistics == statistics(imported: 1, rejected: 0))
            let signIn = { (password: String) in
                try await client.post(
                    importBody(
                        root: Domaine.pays.rootKey, linesKey: Domaine.pays.linesKey, utilisateur: "COMPTA",
                        motPasse: password, lines: ["PAY_CODE;PAY_NOM", "NEW;Nouveau"]),
                    to: Domaine.pays.importPath
                ).0
            }
            #expect(try await signIn("s3cret") == .ok)
            #expect(try await signIn("autre") == .unauthorized)
            // An empty password keeps the one the user has.
            _ = try await client.importer(.utilisateurs, ["USR_NAME;USR_PASSWD;USR_WSTLCU", "COMPTA;;1"])
            #expect(try await signIn("s3cret") == .ok)
        }
        let user = try server.record("UTILISATEURS", "USR_CODE = 'COMPTA'")
        #expect((user["USR_MDP_HASH"] as String?)?.hasPrefix("$2") == true)
        #expect(!user.columnNames.contains("USR_PASSWD"))
        #expect(user.value("USR_GROUPE") == "COMPTABLES".databaseValue)
        #expect(try server.records("TABLES", "TBL_ID = 'USR_GROUPE' AND TBL_CODE = 'COMPTABLES'").count == 1)
    }
}

/// The codes of a tiers line that the reference tables now own are checked like `PAY_CODE`.
@Suite("Codes on tiers lines")
struct TiersCodesTests {
    @Test(
        "REG_CODE, REP_CODE, NAT_CODE, DEP_CODE and TAR_CODE must name rows of the société",
        arguments: TestBackend.available)
    func codesAreChecked(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            _ = try await client.importer(.commerciaux, ["REP_CODE;REP_NOM", "GLE;LETERTRE"])
            let (_, answer) = try await client.importer(
                .clients,
                [
                    "PCF_CODE;PCF_RS;CPT_NUMERO;REG_CODE;REP_CODE;NAT_CODE;DEP_CODE;TAR_CODE",
                    "C1;Un;411C1;VIR30;GLE;002;001;", "C2;Deux;411C2;TRAITE;ZZ;009;999;GT9",
                ])
            #expect(answer.statistics == statistics(imported: 1, rejected: 1))
            #expect(
                answer.journalMessages
                    == server.journal(
                        "ImporterClients",
                        [
                            "Nombre de lignes importées : 1", "Nombre de lignes non importées : 1",
                            "La ligne 2 n'a pas pu être importée :", "Le code commercial ZZ n'existe pas",
                            "Le code dépôt 999 n'existe pas", "Le code grille de tarifs GT9 n'existe pas",
                            "Le code nature comptable 009 n'existe pas",
                            "Le code mode de règlement TRAITE n'existe pas",
                        ]))
            // A supplier's nature is a purchases nature.
            let (_, supplier) = try await client.importer(
                .fournisseurs, ["PCF_CODE;PCF_RS;CPT_NUMERO;NAT_CODE", "F1;Un;401F1;003"])
            #expect(supplier.statistics == statistics(imported: 1, rejected: 0))
        }
        #expect(try server.records("TIERS").map { $0["PCF_CODE"] as String? } == ["C1", "F1"])
    }
}
