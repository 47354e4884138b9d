import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// Whole imports of the new domains through `ImportRun`, with the journal and statistics of the
/// contract's section 5 (issue 3).
@Suite struct TiersFamilyImportRunTests {
    /// The answer of a request that asked for the journal and the statistics.
    private func answer(_ journal: [String], imported: Int, rejected: Int) -> JSONValue {
        .object([
            (
                "result",
                .array([
                    .object([
                        ("resultat", .string("succès")), ("message", .string("terminé")),
                        ("journal", .array(journal.map(JSONValue.string))),
                        ("statistiques", statistics(imported: imported, rejected: rejected)),
                    ])
                ])
            )
        ])
    }

    /// A store with the client C42 and the supplier F1, created by the Clients and Fournisseurs imports.
    private func storeWithTiers() throws -> MemoryStore {
        let store = MemoryStore()
        let clients = try runImport(
            .clients, ["PCF_CODE;PCF_RS;CPT_NUMERO;PCF_VILLE", "C42;SPORT25;411C42;RAMBOUILLET"], store: store)
        #expect(clients.report.importedCount == 1 && clients.report.rejectedCount == 0)
        let fournisseurs = try runImport(.fournisseurs, ["PCF_CODE;PCF_RS", "F1;Papeterie Durand"], store: store)
        #expect(fournisseurs.report.importedCount == 1 && fournisseurs.report.rejectedCount == 0)
        return store
    }

    // MARK: Contacts

    @Test func contacts() throws {
        let store = try storeWithTiers()
        let run = try runImport(
            .contacts,
            [
                "CCT_CODE;CCT_NOM;CCT_PRENOM;CCT_ORIGIN;CCT_EMAIL;XXX_BUREAU;FOO",
                "K1;Dupont;Jean;C42;jean.dupont@sport25.fr;B12;x",
                "K2;;Paul;C42;;;",
                "",
                "K3;Durand;Marie;X9;;;",
                "K4;Martin;Luc;;luc@martin;;",
                "K1;Dupont;Jean-Pierre",
                "K5;" + String(repeating: "a", count: 31) + ";;;;;",
            ], store: store)
        let journal = expectedJournal(
            .contacts,
            [
                "Le champ FOO est inconnu : colonne ignorée",
                "Nombre de lignes importées : 3",
                "Nombre de lignes non importées : 3",
                "La ligne 2 n'a pas pu être importée :",
                "Nom manquant",
                "La ligne 4 n'a pas pu être importée :",
                "Le code tiers X9 n'existe pas",
                "La ligne 5 comporte les avertissements suivants :",
                "L'adresse e-mail luc@martin n'est pas valide",
                "La ligne 7 n'a pas pu être importée :",
                "Le champ CCT_NOM dépasse 30 caractères",
            ])
        #expect(run.journal == journal)
        #expect(run.answer == answer(journal, imported: 3, rejected: 3))
        #expect(store.customColumns["CONTACTS"] == ["XXX_BUREAU"])
        #expect(
            store.row("CONTACTS", "K1") == [
                "CCT_CODE": .text("K1"), "CCT_NOM": .text("Dupont"), "CCT_PRENOM": .text("Jean-Pierre"),
                "CCT_ORIGIN": .text("C42"), "CCT_TABLE": .text("PCF"), "CCT_EMAIL": .text("jean.dupont@sport25.fr"),
                "XXX_BUREAU": .text("B12"), "CCT_DTCREE": .text("2024-03-15 10:20:30"), "CCT_USRCRE": .text("DEMO"),
                "CCT_DTMAJ": .text("2024-03-15 10:20:30"), "CCT_USRMAJ": .text("DEMO"), "CCT_NUMMAJ": .integer(2),
            ])
        #expect(store.row("CONTACTS", "K4")?["CCT_ORIGIN"] == .null)
        #expect(store.row("CONTACTS", "K4")?["CCT_TABLE"] == .null)
        #expect(store.tables["CONTACTS"]?.keys.sorted() == ["K1", "K4"])
    }

    // MARK: AdressesTiers

    @Test func adressesTiers() throws {
        let store = try storeWithTiers()
        let run = try runImport(
            .adressesTiers,
            [
                "ADR_CODE;ADR_NUMERO;ADR_RS;ADR_RUE;ADR_CP;ADR_VILLE;PAY_CODE;ADR_NPAI",
                "C42;001;SPORT25;5 rue Cugnot;78120;RAMBOUILLET;FR;0",
                "C42;002;SPORT25 entrepôt;ZI Nord;78000;Versailles;FR;",
                "C42;003;SPORT25 retours;1 quai;75001;Paris;fr;Oui",
                "C42;1;X;;;;;",
                "C42;1000;X;;;;;",
                "X9;002;;;;;;",
                "C42;004;;;;;;2",
            ], store: store)
        let journal = expectedJournal(
            .adressesTiers,
            [
                "Nombre de lignes importées : 3",
                "Nombre de lignes non importées : 4",
                "La ligne 4 n'a pas pu être importée :",
                "Le numéro d'adresse 1 doit avoir trois chiffres, de 001 à 999",
                "La ligne 5 n'a pas pu être importée :",
                "Le champ ADR_NUMERO dépasse 3 caractères",
                "La ligne 6 n'a pas pu être importée :",
                "Le code tiers X9 n'existe pas",
                "La ligne 7 n'a pas pu être importée :",
                "Le champ ADR_NPAI n'est pas une case à cocher valide : 2 (0 ou 1 attendu)",
            ])
        #expect(run.journal == journal)
        #expect(run.answer == answer(journal, imported: 3, rejected: 4))
        #expect(store.tables["ADRESSES"]?.keys.sorted() == ["PCF|C42|001", "PCF|C42|002", "PCF|C42|003", "PCF|F1|001"])
        #expect(store.row("ADRESSES", "PCF", "C42", "002")?["ADR_NPAI"] == .null)
        #expect(store.row("ADRESSES", "PCF", "C42", "003")?["ADR_NPAI"] == .integer(1))
        #expect(store.row("ADRESSES", "PCF", "C42", "003")?["PAY_CODE"] == .text("FR"))
        // Address 001 went to the tiers' billing columns.
        let tiers = try #require(store.tiersRows["C42"])
        #expect(tiers["PCF_RUE"] == .text("5 rue Cugnot"))
        #expect(tiers["PCF_CP"] == .text("78120"))
        #expect(tiers["PCF_VILLE"] == .text("RAMBOUILLET"))
        #expect(tiers["PAY_CODE"] == .text("FR"))
        #expect(tiers["PCF_NPAI"] == .integer(0))
        #expect(tiers["PCF_NUMMAJ"] == .integer(2))
        #expect(tiers["PCF_RS"] == .text("SPORT25"))
    }

    // MARK: BanquesTiers

    static let ribTypes =
        "GEN, DE, AD, SA, AT, BE, BA, BR, BG, CA, RCB, CCP, CN, CY, HR, DK, ES, EE, US, FI, FR, GI, GR, GL, HU, FO, IE, "
        + "IS, IL, IT, LV, LI, LT, LU, MK, MT, MA, MC, NO, NL, PL, PT, CZ, RO, GB, SM, RS, SK, SI, SE, CH, DTA, LSV, TN, "
        + "TR, ZZZ"

    @Test func banquesTiers() throws {
        let store = try storeWithTiers()
        let run = try runImport(
            .banquesTiers,
            [
                "PCF_CODE;RIB_ORDRE;RIB_TYPE;RIB_BQ_NOM;RIB_AGENCE;RIB_GUICHE;RIB_COMPTE;RIB_CLE;RIB_IBAN;RIB_ASWIFT;RIB_DT_SM;RIB_SEQPRE",
                "C42;01;FR;Banque de Rambouillet;20041;01005;0500013M026;06;FR14;PSSTFRPPXXX;01/02/2024;RCUR",
                "C42;02;fr;Autre banque;20041;01005;0500013M026;07;FR14;;;",
                "C42;03;XX;;;;;;;;;",
                "C42;04;GEN;;;;;;;;31/02/2024;ABCD",
                "X9;01;;;;;;;;;;",
                ";01;;;;;;;;;;",
            ], store: store)
        let journal = expectedJournal(
            .banquesTiers,
            [
                "Nombre de lignes importées : 2",
                "Nombre de lignes non importées : 4",
                "Attention ! Le numéro BBAN 20041010050500013M02607 n'est pas valide.",
                "La ligne 3 n'a pas pu être importée :",
                "Le champ RIB_TYPE n'accepte pas la valeur XX (valeurs possibles : \(Self.ribTypes))",
                "La ligne 4 n'a pas pu être importée :",
                "Le champ RIB_DT_SM n'est pas une date valide : 31/02/2024",
                "Le champ RIB_SEQPRE n'accepte pas la valeur ABCD (valeurs possibles : OOFF, FRST, RCUR, FNAL)",
                "La ligne 5 n'a pas pu être importée :",
                "Le code tiers X9 n'existe pas",
                "La ligne 6 n'a pas pu être importée :",
                "Code tiers manquant",
            ])
        #expect(run.journal == journal)
        #expect(run.answer == answer(journal, imported: 2, rejected: 4))
        #expect(
            store.row("TIERS_RIB", "C42", "01") == [
                "PCF_CODE": .text("C42"), "RIB_ORDRE": .text("01"), "RIB_TYPE": .text("FR"),
                "RIB_BQ_NOM": .text("Banque de Rambouillet"), "RIB_AGENCE": .text("20041"),
                "RIB_GUICHE": .text("01005"),
                "RIB_COMPTE": .text("0500013M026"), "RIB_CLE": .text("06"), "RIB_IBAN": .text("FR14"),
                "RIB_ASWIFT": .text("PSSTFRPPXXX"), "RIB_DT_SM": .text("2024-02-01"), "RIB_SEQPRE": .text("RCUR"),
            ])
        #expect(store.row("TIERS_RIB", "C42", "02")?["RIB_TYPE"] == .text("FR"))
        #expect(store.row("TIERS_RIB", "C42", "02")?["RIB_CLE"] == .text("07"))
        #expect(store.tables["TIERS_RIB"]?.count == 2)
    }

    // MARK: Comptes

    @Test func comptesWithComputedNumbers() throws {
        let store = try storeWithTiers()
        let run = try runImport(
            .comptes,
            [
                "CPT_NUMERO;CPT_LIB;CPT_TYPE;PCF_CODE",
                "512000;Banque de Rambouillet;G;",
                ";Papeterie Durand (fournitures);F;F1",
            ], calculerNumeroCompte: true, store: store)
        let journal = expectedJournal(
            .comptes,
            [
                "L'import a été effectué avec succès.",
                "Nombre de lignes importées : 2",
                "Nombre de lignes non importées : 0",
            ])
        #expect(run.journal == journal)
        #expect(run.answer == answer(journal, imported: 2, rejected: 0))
        #expect(
            store.row("COMPTES", "512000") == [
                "CPT_NUMERO": .text("512000"), "CPT_LIB": .text("Banque de Rambouillet"), "CPT_TYPE": .text("G"),
                "PCF_CODE": .null,
            ])
        #expect(
            store.row("COMPTES", "401F1") == [
                "CPT_NUMERO": .text("401F1"), "CPT_LIB": .text("Papeterie Durand (fournitures)"),
                "CPT_TYPE": .text("F"),
                "PCF_CODE": .text("F1"), "CPT_COLLEC": .text("401000"),
            ])
    }

    @Test func comptesRejections() throws {
        let store = try storeWithTiers()
        _ = try runImport(.comptes, ["CPT_NUMERO;CPT_LIB;CPT_TYPE", "512000;Banque;G"], store: store)
        let run = try runImport(
            .comptes,
            [
                "CPT_NUMERO;CPT_LIB;CPT_TYPE;PCF_CODE;CPT_LET",
                "512000;;;;1",
                "411X;Client X;C;;",
                "512100;Banque;X;;",
                ";Sans numéro;G;;",
                "401C42;Mauvais;F;C42;",
                "411C42;;;;",
            ], calculerNumeroCompte: true, store: store)
        let journal = expectedJournal(
            .comptes,
            [
                "Nombre de lignes importées : 2",
                "Nombre de lignes non importées : 4",
                "La ligne 2 n'a pas pu être importée :",
                "Le code tiers est obligatoire pour un compte client ou fournisseur",
                "La ligne 3 n'a pas pu être importée :",
                "Le champ CPT_TYPE n'accepte pas la valeur X (valeurs possibles : G, R, C, F)",
                "La ligne 4 n'a pas pu être importée :",
                "Numéro de compte manquant",
                "La ligne 5 n'a pas pu être importée :",
                "Le tiers C42 n'est pas un fournisseur : c'est un client",
            ])
        #expect(run.journal == journal)
        #expect(run.answer == answer(journal, imported: 2, rejected: 4))
        #expect(
            store.row("COMPTES", "512000") == [
                "CPT_NUMERO": .text("512000"), "CPT_LIB": .text("Banque"), "CPT_TYPE": .text("G"),
                "CPT_LET": .integer(1),
            ])
        // The client's account, created by the Clients import, is left as it was by the empty values.
        #expect(
            store.row("COMPTES", "411C42") == [
                "CPT_NUMERO": .text("411C42"), "CPT_TYPE": .text("C"), "CPT_LIB": .text("SPORT25"),
                "CPT_COLLEC": .text("411000"), "PCF_CODE": .text("C42"),
            ])
    }

    // MARK: The whole family

    /// A client created by the Clients import, then given contacts, three addresses and two bank
    /// accounts by these imports, is found again whole.
    @Test func aClientWithItsContactsAddressesAndBankAccounts() throws {
        let store = MemoryStore()
        let imports: [(Domaine, [String])] = [
            (
                .clients,
                [
                    "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_RUE;PCF_CP;PCF_VILLE",
                    "C42;SPORT25;411C42;5 rue Cugnot;78120;RAMBOUILLET",
                ]
            ),
            (.contacts, ["CCT_CODE;CCT_NOM;CCT_ORIGIN", "K1;Dupont;C42", "K2;Martin;C42"]),
            (
                .adressesTiers,
                [
                    "ADR_CODE;ADR_NUMERO;ADR_RUE;ADR_CP;ADR_VILLE", "C42;001;5 rue Cugnot;78120;RAMBOUILLET",
                    "C42;002;ZI Nord;78000;Versailles", "C42;003;1 quai;75001;Paris",
                ]
            ),
            (
                .banquesTiers,
                [
                    "PCF_CODE;RIB_ORDRE;RIB_TYPE;RIB_AGENCE;RIB_GUICHE;RIB_COMPTE;RIB_CLE;RIB_IBAN",
                    "C42;01;FR;20041;01005;0500013M026;06;FR14", "C42;02;FR;30002;00550;0000157845Z;02;FR70",
                ]
            ),
        ]
        for (domaine, lines) in imports {
            let run = try runImport(domaine, lines, store: store)
            #expect(run.report.rejectedCount == 0, "\(domaine)")
            #expect(run.report.entries == [], "\(domaine)")
            #expect(run.report.importedCount == lines.count - 1, "\(domaine)")
            #expect(run.journal[3] == "15/03/2024 10:20:30 L'import a été effectué avec succès.", "\(domaine)")
        }
        #expect(store.tiersRows["C42"]?["PCF_TYPE"] == .text("C"))
        #expect(store.accountRows["411C42"]?["PCF_CODE"] == .text("C42"))
        #expect(
            store.tables["CONTACTS"]?.values.filter { $0["CCT_ORIGIN"] == .text("C42") }.count == 2)
        #expect(store.tables["ADRESSES"]?.values.filter { $0["ADR_CODE"] == .text("C42") }.count == 3)
        #expect(store.tables["TIERS_RIB"]?.values.filter { $0["PCF_CODE"] == .text("C42") }.count == 2)
        #expect(store.tiersRows["C42"]?["PCF_VILLE"] == .text("RAMBOUILLET"))
    }
}
