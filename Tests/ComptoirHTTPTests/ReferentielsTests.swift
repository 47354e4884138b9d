import ComptoirCore
import ComptoirTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// One reference domain through HTTP: Gestimum's example, a rejected line, an update on the key.
struct ReferentielCase: Sendable, CustomTestStringConvertible {
    let domaine: Domaine
    /// Imports that must come first, as `domains.md` §6 orders them.
    var before: [(Domaine, [String])] = []
    /// The example of Gestimum's page (or of `domains.md`), header first.
    let example: [String]
    /// The journal lines of the example after the counts.
    var exampleWarnings: [String] = []
    /// A file whose every line is rejected, and the journal lines of the rejections.
    let rejected: [String]
    let reasons: [String]
    /// A line updating a row of the example, the row (an SQL condition), and what it then holds.
    let update: [String]
    let updatedRow: String
    let updatedValues: [String: Stored]

    var testDescription: String { domaine.name }
}

@Suite("The reference and catalogue domains, through HTTP")
struct ReferentielsTests {
    static let familles = [
        "FAR_CODE;FAR_LIB;FAR_TYPE;FAR_CATEG", "FAR1;Famille d'articles 1;P;F", "FAR2;Famille d'articles 2;P;F",
    ]
    static let sousFamilles = ["SFA_CODE;SFA_LIB;FAR_CODE;SFA_TYPE", "SFAR1;Sous-famille 1;FAR1;V"]
    static let articles = [
        "ART_CODE;ART_LIB;ART_P_ACH;ART_P_COEF;ART_P_VTE;ART_TYPE", "A10;Article10;10;2;20;P",
        "A20;Article20;20;2;40;P",
        "N30;Nomenclature 30;;;;N",
    ]
    static let catalogue: [(Domaine, [String])] = [
        (.famillesArticles, familles), (.sousFamillesArticles, sousFamilles), (.articles, articles),
    ]

    static let cases: [ReferentielCase] = referentiels + catalogueCases + affairesCases

    static let catalogueCases: [ReferentielCase] = [
        ReferentielCase(
            domaine: .famillesArticles, example: familles,
            rejected: ["FAR_CODE;FAR_LIB;FAR_TYPE", "FAR3;;P", "FAR4;Quatre;Z"],
            reasons: [
                "Libellé manquant", "Le champ FAR_TYPE n'accepte pas la valeur Z (valeurs possibles : P, C, N, F, V)",
            ],
            update: ["FAR_CODE;FAR_QTEDFT", "FAR1;1 234,5"], updatedRow: "FAR_CODE = 'FAR1'",
            updatedValues: ["FAR_LIB": "Famille d'articles 1", "FAR_QTEDFT": "1234.500", "FAR_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .sousFamillesArticles, before: [(.famillesArticles, familles)],
            example: [
                "SFA_CODE;SFA_LIB;SFA_TYPE;SFA_CATEG", "SFAR1;Sous-famille d'articles 1;P;F",
                "SFAR2;Sous-famille d'articles 2;P;F",
            ],
            rejected: ["SFA_CODE;FAR_CODE", "SF9;NOPE"], reasons: ["Le code famille NOPE n'existe pas"],
            update: ["SFA_CODE;FAR_CODE", "SFAR1;FAR1"], updatedRow: "SFA_CODE = 'SFAR1'",
            updatedValues: ["SFA_LIB": "Sous-famille d'articles 1", "FAR_CODE": "FAR1", "SFA_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .articles,
            before: [
                (.famillesArticles, familles), (.sousFamillesArticles, sousFamilles),
                (.fournisseurs, ["PCF_CODE;PCF_RS;CPT_NUMERO", "F10;Fournisseur dix;401F10"]),
            ],
            example: [
                "ART_CODE;ART_LIB;ART_P_ACH;ART_P_COEF;ART_P_VTE", "A10;Article10;10;2;20", "A20;Article20;20;2;40",
            ],
            rejected: [
                "ART_CODE;ART_LIB;FAR_CODE;SFA_CODE;PCF_CODE;ART_P_VTE", "A30;Trente;ZZZ;;;", "A31;;;;;",
                "A32;Trente-deux;;;F404;", "A33;Trente-trois;FAR2;SFAR1;;", "A34;Trente-quatre;;;;1,23456",
            ],
            reasons: [
                "Le code famille ZZZ n'existe pas", "Libellé manquant", "Le code fournisseur F404 n'existe pas",
                "La sous-famille SFAR1 n'appartient pas à la famille FAR2",
                "Le champ ART_P_VTE comporte plus de 4 décimales : 1,23456",
            ],
            update: ["ART_CODE;ART_P_VTE;PCF_CODE", "A10;1 234,5678;F10"], updatedRow: "ART_CODE = 'A10'",
            updatedValues: [
                "ART_LIB": "Article10", "ART_P_ACH": "10.0000", "ART_P_VTE": "1234.5678", "PCF_CODE": "F10",
                "ART_NUMMAJ": 2,
            ]),
        ReferentielCase(
            domaine: .tarifsArticles, before: catalogue,
            example: ["ART_CODE;ART_P_ACH;ART_P_COEF;ART_P_VTE;DEV_CODE", "A10;10;2;20;EUR", "A20;20;2;40;EUR"],
            rejected: ["ART_CODE;DEV_CODE;ART_P_VTE", "A99;;5", "A10;ZZZ;5"],
            reasons: ["Le code article A99 n'existe pas", "Le code devise ZZZ n'existe pas"],
            update: ["ART_CODE;ART_P_VTE", "A10;25"],
            updatedRow: "ART_CODE = 'A10' AND DEV_CODE = 'EUR' AND ART_GAMME = ''",
            updatedValues: ["ART_P_ACH": "10.0000", "ART_P_VTE": "25.0000"]),
        ReferentielCase(
            domaine: .referencesClientsArticles,
            before: catalogue + [(.clients, ["PCF_CODE;PCF_RS;CPT_NUMERO", "CLI1;Client un;411CLI1"])],
            example: ["ART_CODE;PCF_CODE;ART_PCLIENT;ART_REFCLI", "A10;CLI1;5;A10001"],
            // Gestimum's own example: its clients C1 and C2 do not exist.
            rejected: ["ART_CODE;PCF_CODE;ART_PCLIENT;ART_REFCLI", "A10;C1;5;A10001", "A10;C2;5;A10002"],
            reasons: ["Code manquant"],
            update: ["ART_CODE;PCF_CODE;ART_PCLIENT;ART_PAYEUR", "A10;CLI1;5;1"],
            updatedRow: "PCF_CODE = 'CLI1' AND ART_CODE = 'A10' AND ART_PCLIENT = '5'",
            updatedValues: ["ART_REFCLI": "A10001", "ART_PAYEUR": 1, "ART_GAMME": ""]),
        ReferentielCase(
            domaine: .tarifsFournisseursArticles,
            before: catalogue + [(.fournisseurs, ["PCF_CODE;PCF_RS;CPT_NUMERO", "F10;Fournisseur dix;401F10"])],
            example: ["ART_CODE;ART_P_ACH;DEV_CODE;PCF_CODE;ART_PFOURN", "A10;8;EUR;F10;5"],
            rejected: ["ART_CODE;PCF_CODE;DEV_CODE;ART_PFOURN", "A10;F99;EUR;", "A99;F10;EUR;", "A10;F10;EUR;x"],
            reasons: [
                "Le code fournisseur F99 n'existe pas", "Le code article A99 n'existe pas",
                "Le champ ART_PFOURN n'accepte pas la valeur x (valeurs possibles : 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)",
            ],
            update: ["ART_CODE;PCF_CODE;ART_PFOURN;ART_REFFRS", "A10;F10;5;REF-F10"],
            updatedRow: "PCF_CODE = 'F10' AND ART_CODE = 'A10' AND ART_PFOURN = '5'",
            updatedValues: ["ART_P_ACH": "8.0000", "ART_REFFRS": "REF-F10", "DEV_CODE": "EUR"]),
        ReferentielCase(
            domaine: .equivalencesArticles, before: catalogue,
            example: ["ART_CODE;ART_AUTRE;ART_PAUTRE", "A10;A20;5"],
            rejected: ["ART_CODE;ART_AUTRE;ART_PAUTRE", "A10;A10;5", "A10;A99;5", "A10;A20;", "A10;;5"],
            reasons: [
                "Le champ ART_AUTRE doit désigner un autre article que A10", "Le code article A99 n'existe pas",
                "Le champ ART_PAUTRE est obligatoire", "Code manquant",
            ],
            update: ["ART_CODE;ART_AUTRE;ART_PAUTRE", "A10;A20;3"],
            updatedRow: "ART_CODE = 'A10' AND ART_AUTRE = 'A20'",
            updatedValues: ["ART_PAUTRE": "3"]),
        ReferentielCase(
            domaine: .composantsNomenclatures, before: catalogue,
            example: ["ART_CODE;PRD_CODE", "N30;A10", "N30;A20"],
            rejected: ["ART_CODE;PRD_CODE", "A10;A20", "N30;N30", "N30;A99"],
            reasons: [
                "L'article A10 n'est ni une nomenclature ni un forfait",
                "L'article N30 ne peut pas être son propre composant (cycle N30 → N30)",
                "Le code article A99 n'existe pas",
            ],
            update: ["ART_CODE;PRD_CODE;PRD_QTE", "N30;A20;2,5"], updatedRow: "ART_CODE = 'N30' AND PRD_CODE = 'A20'",
            // A nomenclature's component is priced as its article (Gestimum's help).
            updatedValues: ["PRD_QTE": "2.500", "PRD_LIGNE": 2, "PRD_PRIX": "40.0000"]),
        ReferentielCase(
            domaine: .grillesTarifs, before: catalogue,
            example: [
                "TAR_CODE;TAR_LIB;ART_CODE;TAR_PRIX;TAR_REMISE", "GT1;GT1;A10;59", "GT1;GT1;A20;;10", "GT1;GT1;N30;;20",
            ],
            rejected: [
                "TAR_CODE;TAR_LIB;ART_CODE;FAR_CODE;TAR_REMISE;TAR_BORNE", "GT2;;A10;;", "GT3;Trois;;;",
                "GT4;Quatre;A10;;10+abc", "GT5;Cinq;;ZZ;", "GT6;Six;A10;;1+1+1+1+1+1+1", "GT7;Sept;A10;;;-5",
                "GT8;Huit;;;5;",
            ],
            reasons: [
                "Libellé manquant", "Code article, famille ou sous-famille manquant",
                "La remise 10+abc n'est pas valide",
                "Le code famille ZZ n'existe pas", "La remise 1+1+1+1+1+1+1 n'est pas valide",
                "Le seuil TAR_BORNE ne peut pas être négatif : -5", "Code article, famille ou sous-famille manquant",
            ],
            update: ["TAR_CODE;ART_CODE;TAR_PRIX;TAR_LIB", "GT1;A10;45;"],
            updatedRow: "TAR_CODE = 'GT1' AND ART_CODE = 'A10' AND DEV_CODE = 'EUR' AND TAR_BORNE = '0.000'",
            updatedValues: ["TAR_PRIX": "45.0000", "FAR_CODE": "", "TAR_REMISE": nil]),
    ]

    static let referentiels: [ReferentielCase] = [
        ReferentielCase(
            domaine: .devises,
            example: ["DEV_CODE;DEV_LIB;DEV_COURS", "AUD;Dollar Australien;1,60", "CAD;Dollar Canadien;1,5101"],
            exampleWarnings: [1, 2].flatMap { line in
                [
                    "La ligne \(line) comporte les avertissements suivants :",
                    "La date d'actualisation et le cours de la devise ne sont modifiables que par l'assistant d'actualisation des devises.",
                ]
            },
            rejected: ["DEV_CODE;DEV_LIB", "XYZ;"], reasons: ["Libellé manquant"],
            update: ["DEV_CODE;DEV_SYMBOL", "aud;$"], updatedRow: "DEV_CODE = 'AUD'",
            updatedValues: ["DEV_LIB": "Dollar Australien", "DEV_SYMBOL": "$", "DEV_COURS": nil, "DEV_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .pays,
            example: ["PAY_CODE;PAY_NOM", "NEW;Nouveau"],
            // `ßßß` is `SSSSSS` in upper case: too long for its 3 characters.
            rejected: ["PAY_CODE;PAY_NOM;DEV_CODE;PAY_NATVTE", "XX;Pays X;ZZZ;009", "ßßß;Strasse;;"],
            reasons: [
                "Le code devise ZZZ n'existe pas", "Le code nature comptable 009 n'existe pas",
                "Le champ PAY_CODE dépasse 3 caractères",
            ],
            update: ["PAY_CODE;PAY_NATVTE;DEV_CODE", "NEW;002;eur"], updatedRow: "PAY_CODE = 'NEW'",
            updatedValues: ["PAY_NOM": "Nouveau", "PAY_NATVTE": "002", "DEV_CODE": "EUR", "PAY_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .villes,
            example: ["VIL_CODE;VIL_NOM;PAY_CODE", "78333;Rambouillet Cedex 333;FR"],
            rejected: ["VIL_CODE;VIL_NOM;PAY_CODE", "99999;Nulle part;QQ"], reasons: ["Le code pays QQ n'existe pas"],
            update: ["VIL_CODE;VIL_NOM;VIL_POPULA", "78333;Rambouillet Cedex 333;26000"],
            updatedRow: "VIL_CODE = '78333'", updatedValues: ["PAY_CODE": "FR", "VIL_POPULA": 26000, "VIL_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .modesReglements,
            example: ["REG_CODE;REG_LIB;REG_TYPE;REG_NBJ;REG_FDM", "CHQ45;Chèque 45 jours fin de mois;CHQ;45;1"],
            rejected: [
                "REG_CODE;REG_LIB;REG_TYPE;JRN_CODE;CPT_NUMERO", "SANS;Sans type;;;", "NEUF;Neuf;TRAITE;ZZ;999",
                // A seeded mode, which an empty type would leave as no new mode may be.
                "CHQ;Chèque;;;",
            ],
            reasons: [
                "Le champ REG_TYPE est obligatoire", "Le code type de règlement TRAITE n'existe pas",
                "Le compte 999 n'existe pas", "Le code journal ZZ n'existe pas", "Le champ REG_TYPE est obligatoire",
            ],
            update: ["REG_CODE;REG_LIB;JRN_CODE", "CHQ45;Chèque à 45 jours fin de mois;BQ"],
            updatedRow: "REG_CODE = 'CHQ45'",
            updatedValues: [
                "REG_LIB": "Chèque à 45 jours fin de mois", "REG_TYPE": "CHQ", "REG_NBJ": 45, "REG_FDM": 1,
                "JRN_CODE": "BQ", "REG_NUMMAJ": 2,
            ]),
        ReferentielCase(
            domaine: .naturesComptables,
            example: ["NAT_TYPE;NAT_CODE;NAT_LIB", "A;008;Achats Chine", "V;004;Ventes USA"],
            rejected: [
                "NAT_TABLE;NAT_ORIGIN;NAT_TYPE;NAT_CODE;NAT_TVATX;NAT_TVACPT", "FAR;LIVRES;V;001;5,5;445713",
                "SOC;LIVRES;V;005;5,5;445713", "SOC;;V;006;5,5;445799",
            ],
            reasons: [
                "Le code famille LIVRES n'existe pas",
                "Le champ NAT_ORIGIN doit être vide pour une nature de la société (NAT_TABLE SOC)",
                "Le compte 445799 n'existe pas",
            ],
            update: ["NAT_TYPE;NAT_CODE;CPT_NUMERO;NAT_TVATX", "V;004;707300;0"],
            updatedRow: "NAT_TABLE = 'SOC' AND NAT_TYPE = 'V' AND NAT_CODE = '004'",
            updatedValues: ["NAT_LIB": "Ventes USA", "CPT_NUMERO": "707300", "NAT_TVATX": "0.000", "NAT_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .commerciaux,
            example: [
                "REP_CODE;REP_CIVILE;REP_PRENOM;REP_NOM;REP_TELB;REP_TELM",
                "GLE;Monsieur;Grégoire;LETERTRE;0134840984;0613257896",
            ],
            rejected: ["REP_CODE;REP_NOM;PAY_CODE", "XYZ;Nom;QQ"], reasons: ["Le code pays QQ n'existe pas"],
            update: ["REP_CODE;REP_EMAIL;PAY_CODE", "GLE;gregoire.letertre@exemple.fr;fr"],
            updatedRow: "REP_CODE = 'GLE'",
            updatedValues: [
                "REP_NOM": "LETERTRE", "REP_EMAIL": "gregoire.letertre@exemple.fr", "PAY_CODE": "FR", "REP_NUMMAJ": 2,
            ]),
        ReferentielCase(
            domaine: .salaries,
            example: [
                "SAL_CODE;SAL_PRENOM;SAL_NOM", "BSP;Bastien;SPANGHERO", "MBL;Mélodie;BLONDEAU", "EGA;Esther;GAUDIN",
            ],
            rejected: ["SAL_CODE;SAL_NOM;REP_CODE;SAL_DDEF", "ZZZ;Zorro;ABC;999", "YYY;;;"],
            reasons: ["Le code commercial ABC n'existe pas", "Le code dépôt 999 n'existe pas", "Nom manquant"],
            update: ["SAL_CODE;SAL_DDEF;XXX_BADGE", "BSP;001;B-12"], updatedRow: "SAL_CODE = 'BSP'",
            updatedValues: ["SAL_NOM": "SPANGHERO", "SAL_DDEF": "001", "XXX_BADGE": "B-12", "SAL_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .sectionsAnalytiques,
            example: ["ANA_CODE;ANA_LIB;ANA_TYPE;ANA_PLAN;ANA_COUT", "15;Pack Equipement 15;G;001;SC"],
            rejected: ["ANA_CODE;ANA_LIB;ANA_TYPE;ANA_PLAN", "16;Seize;G;009"],
            reasons: ["Le code plan analytique 009 n'existe pas"],
            update: ["ANA_CODE;ANA_LIB;ANA_TYPE;ANA_PLAN", "15;Pack 15;R;"], updatedRow: "ANA_CODE = '15'",
            updatedValues: [
                "ANA_LIB": "Pack 15", "ANA_TYPE": "R", "ANA_PLAN": "001", "ANA_COUT": "SC", "ANA_NUMMAJ": 2,
            ]),
        ReferentielCase(
            domaine: .comptesReporting,
            example: ["RPT_COMPTE;RPT_LIB;RPT_TYPE", "6;Charges;R", "600;Charges Commerciales;G"],
            rejected: ["RPT_COMPTE;RPT_LIB;RPT_TYPE", "7;Produits;X", "70;;G"],
            reasons: ["Le champ RPT_TYPE n'accepte pas la valeur X (valeurs possibles : G, R)", "Libellé manquant"],
            update: ["RPT_COMPTE;RPT_LIB", "6;Charges d'exploitation"], updatedRow: "RPT_COMPTE = '6'",
            updatedValues: ["RPT_LIB": "Charges d'exploitation", "RPT_TYPE": "R", "RPT_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .immobilisations,
            before: [(.fournisseurs, ["PCF_CODE;PCF_RS;CPT_NUMERO", "F10;Fournisseur dix;401F10"])],
            example: [
                "IMO_CODE;IMO_LIB;IMO_TYPE;IMO_CAT;IMO_DTACQ;IMO_DTSERV",
                "IMMEUBLE1;Immeuble1;B;C;01/09/2019;05/09/2019",
            ],
            rejected: [
                "IMO_CODE;IMO_LIB;IMO_TYPE;IMO_CPT;IMO_JRNACQ;IMO_NBJAMO;IMO_PRXACH", ";Sans code;B;;;;",
                "IMO2;;B;;;;", "IMO3;Trois;Z;;;;", "IMO4;Quatre;B;999;;;", "IMO5;Cinq;B;;ZZ;;", "IMO6;Six;B;;;300;",
                "IMO7;Sept;B;;;;douze",
            ],
            reasons: [
                "Code manquant", "Libellé manquant",
                "Le champ IMO_TYPE n'accepte pas la valeur Z (valeurs possibles : A, B, C, L)",
                "Le compte 999 n'existe pas", "Le code journal ZZ n'existe pas",
                "Le champ IMO_NBJAMO n'accepte pas la valeur 300 (valeurs possibles : 360, 365)",
            ],
            update: ["IMO_CODE;IMO_CPTFRN;IMO_JRNACQ;IMO_PRXACH", "IMMEUBLE1;401F10;ACH;150000,50"],
            updatedRow: "IMO_CODE = 'IMMEUBLE1'",
            updatedValues: [
                "IMO_LIB": "Immeuble1", "IMO_TYPE": "B", "IMO_DTACQ": "2019-09-01", "IMO_CPTFRN": "401F10",
                "IMO_JRNACQ": "ACH", "IMO_PRXACH": "150000.5000", "IMO_NUMMAJ": 2,
            ]),
        ReferentielCase(
            domaine: .glossaires,
            example: [
                "TXT_CODE;TXT_MEMO", "SERVICELIVRAISON;Information : Nous avons un nouveau service de livraison ...",
                "LOREMIPSUM;Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
            ],
            rejected: ["TXT_CODE;TXT_LIB;TXT_MEMO", "DOUBLE;Court;Long", "VIDE;;"],
            reasons: ["Les champs TXT_LIB et TXT_MEMO ne peuvent pas être renseignés tous les deux", "Texte manquant"],
            update: ["TXT_CODE;TXT_LIB", "SERVICELIVRAISON;Livraison en 24 h"],
            updatedRow: "TXT_CODE = 'SERVICELIVRAISON'",
            updatedValues: ["TXT_LIB": "Livraison en 24 h", "TXT_MEMO": nil, "TXT_NUMMAJ": 2]),
        ReferentielCase(
            domaine: .utilisateurs,
            before: [
                (
                    .salaries,
                    [
                        "SAL_CODE;SAL_PRENOM;SAL_NOM", "BSP;Bastien;SPANGHERO", "MBL;Mélodie;BLONDEAU",
                        "EGA;Esther;GAUDIN",
                    ]
                )
            ],
            example: ["USR_NAME;USR_GROUPE;SAL_CODE", "BSP;ADMIN;BSP", "MBL;ADMIN;MBL", "EGA;ADMIN;EGA"],
            rejected: ["USR_NAME;SAL_CODE;USR_GROUPE", "ZED;ZZZ;", "DEMO;;DEFAUT", "DEMO;;", ";;X"],
            reasons: [
                "Le code salarié ZZZ n'existe pas",
                "L'utilisateur DEMO lance cet import : il ne peut pas quitter le groupe ADMIN",
                "L'utilisateur DEMO lance cet import : il ne peut pas quitter le groupe ADMIN", "Code manquant",
            ],
            update: ["USR_NAME;USR_GROUPE;USR_WSTLCU", "BSP;COMPTA;1"], updatedRow: "USR_CODE = 'BSP'",
            updatedValues: [
                "USR_GROUPE": "COMPTA", "SAL_CODE": "BSP", "USR_WSTLCU": 1, "USR_NOM": "BSP", "USR_NUMMAJ": 2,
            ]),
    ]

    @Test("Gestimum's example is imported with its journal", arguments: TestBackend.available, cases)
    func example(backend: TestBackend, _ test: ReferentielCase) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            for (domaine, lines) in test.before { _ = try await client.importer(domaine, lines) }
            let (status, answer) = try await client.importer(test.domaine, test.example)
            #expect(status == .ok)
            let count = test.example.count - 1
            #expect(answer.statistics == statistics(imported: count, rejected: 0))
            #expect(
                answer.journalMessages
                    == server.journal(
                        test.domaine.taskName,
                        (test.domaine.writesSuccessLine ? ["L'import a été effectué avec succès."] : [])
                            + ["Nombre de lignes importées : \(count)", "Nombre de lignes non importées : 0"]
                            + test.exampleWarnings))
        }
    }

    @Test("a rejected line gives its reasons and leaves nothing behind", arguments: TestBackend.available, cases)
    func rejection(backend: TestBackend, _ test: ReferentielCase) async throws {
        let server = try await TestServer(backend)
        let table = test.domaine.table.name
        try await server.run { client in
            for (domaine, lines) in test.before { _ = try await client.importer(domaine, lines) }
            let rowsBefore = try server.count("SELECT COUNT(*) FROM \(table)")
            let (status, answer) = try await client.importer(test.domaine, test.rejected)
            #expect(status == .ok)
            let count = test.rejected.count - 1
            #expect(answer.statistics == statistics(imported: 0, rejected: count))
            let journal = answer.journalMessages
            for reason in test.reasons { #expect(journal.contains(reason), "\(reason)") }
            #expect(journal.filter { $0.hasSuffix("n'a pas pu être importée :") }.count == count)
            #expect(try server.count("SELECT COUNT(*) FROM \(table)") == rowsBefore)
        }
    }

    @Test("a line on an existing key updates only what it gives", arguments: TestBackend.available, cases)
    func update(backend: TestBackend, _ test: ReferentielCase) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            for (domaine, lines) in test.before { _ = try await client.importer(domaine, lines) }
            _ = try await client.importer(test.domaine, test.example)
            let rowsBefore = try server.count("SELECT COUNT(*) FROM \(test.domaine.table.name)")
            let (status, answer) = try await client.importer(test.domaine, test.update)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 1, rejected: 0))
            #expect(try server.count("SELECT COUNT(*) FROM \(test.domaine.table.name)") == rowsBefore)
        }
        let row = try server.record(test.domaine.table.name, test.updatedRow)
        for (column, stored) in test.updatedValues { #expect(row.value(column) == stored.value, "\(column)") }
        if let audit = test.domaine.table.audit { #expect(row.value(audit.updateUser) == "DEMO".databaseValue) }
    }

    @Test(
        "a fixed asset's purchase amounts must agree, its accounts take amounts, its pièces are in capitals",
        arguments: TestBackend.available)
    func immobilisationsChecks(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try await server.run { client in
            let (_, comptes) = try await client.importer(
                .comptes, ["CPT_NUMERO;CPT_LIB;PCF_CODE;CPT_TYPE", "21;Immobilisations incorporelles;;R"])
            #expect(comptes.statistics == statistics(imported: 1, rejected: 0))
            let (_, answer) = try await client.importer(
                .immobilisations,
                [
                    "IMO_CODE;IMO_LIB;IMO_CPT;IMO_PIEFRN;IMO_PIESOR;IMO_PRXACH;IMO_TVAPXA;IMO_PRATTC",
                    "IM1;Un;;fac-12;sor-1;1000;200;1200", "IM2;Deux;;;;1000;200;5000", "IM3;Trois;21;;;;;",
                ])
            #expect(answer.statistics == statistics(imported: 1, rejected: 2))
            let journal = answer.journalMessages
            #expect(journal.contains("Le prix d'achat TTC (5000) n'est pas le prix HT (1000) plus sa TVA (200)"))
            #expect(
                journal.contains("Le compte 21 est un compte de regroupement : aucun montant ne peut lui être attribué")
            )
            // An update is checked with the amounts the asset holds where the line gives none.
            let (_, update) = try await client.importer(.immobilisations, ["IMO_CODE;IMO_PRATTC", "IM1;1300"])
            #expect(update.statistics == statistics(imported: 0, rejected: 1))
            #expect(
                update.journalMessages.contains(
                    "Le prix d'achat TTC (1300) n'est pas le prix HT (1000) plus sa TVA (200)"))
        }
        let row = try server.record("IMMOBILISATIONS", "IMO_CODE = 'IM1'")
        #expect(row.value("IMO_PIEFRN") == "FAC-12".databaseValue)
        #expect(row.value("IMO_PIESOR") == "SOR-1".databaseValue)
        #expect(row.value("IMO_PRATTC") == "1200.0000".databaseValue)
    }

    @Test("a user created without a group joins DEFAUT, as `comptoir utilisateur creer` puts it")
    func newUserGroup() async throws {
        let server = try TestServer()
        try await server.run { client in
            let (_, answer) = try await client.importer(.utilisateurs, ["USR_NAME;USR_GROUPE", "ZED;", "ZOE;"])
            #expect(answer.statistics == statistics(imported: 2, rejected: 0))
            let (_, absent) = try await client.importer(.utilisateurs, ["USR_NAME", "ZIA"])
            #expect(absent.statistics == statistics(imported: 1, rejected: 0))
        }
        for user in ["ZED", "ZOE", "ZIA"] {
            #expect(
                try server.record("UTILISATEURS", "USR_CODE = '\(user)'").value("USR_GROUPE") == "DEFAUT".databaseValue)
        }
    }

    @Test("a line that can only create a row is told all it lacks at once, its code among them")
    func everythingMissingAtOnce() async throws {
        let server = try TestServer()
        try await server.run { client in
            for (domaine, lines, reasons) in [
                (
                    Domaine.naturesComptables, ["NAT_TABLE;NAT_CODE", "FAR;001"],
                    ["Le champ NAT_TYPE est obligatoire", "Le champ NAT_ORIGIN est obligatoire"]
                ),
                // An override without its origin is told so once.
                (
                    Domaine.naturesComptables, ["NAT_TABLE;NAT_ORIGIN;NAT_TYPE;NAT_CODE", "FAR;;V;001"],
                    ["Le champ NAT_ORIGIN est obligatoire"]
                ),
                (
                    .glossaires, ["TXT_LIB;TXT_MEMO", "Bonjour;Salut"],
                    ["Code manquant", "Les champs TXT_LIB et TXT_MEMO ne peuvent pas être renseignés tous les deux"]
                ),
            ] {
                let (_, answer) = try await client.importer(domaine, lines)
                #expect(
                    answer.journalMessages
                        == server.journal(
                            domaine.taskName,
                            [
                                "Nombre de lignes importées : 0", "Nombre de lignes non importées : 1",
                                "La ligne 1 n'a pas pu être importée :",
                            ] + reasons))
            }
        }
    }

    @Test(
        "a nature override that gives every column copies nothing from its société nature, on every store",
        arguments: TestBackend.available)
    func overrideGivingEveryColumn(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        let columns = Catalogue.naturesComptables.fields.map(\.name).filter { !$0.hasPrefix("XXX_") }
        let values = columns.map {
            [
                "NAT_TABLE": "FAR", "NAT_TYPE": "V", "NAT_ORIGIN": "LIVRES", "NAT_CODE": "001",
                "NAT_LIB": "Livres", "NAT_TVATX": "5,5",
            ][$0] ?? ""
        }
        try await server.run { client in
            let (_, famille) = try await client.importer(.famillesArticles, ["FAR_CODE;FAR_LIB", "LIVRES;Livres"])
            #expect(famille.statistics == statistics(imported: 1, rejected: 0))
            let (status, answer) = try await client.importer(
                .naturesComptables, [columns.joined(separator: ";"), values.joined(separator: ";")])
            #expect(status == .ok, "\(answer)")
            #expect(answer.statistics == statistics(imported: 1, rejected: 0), "\(answer.journalMessages)")
        }
        let row = try server.record("NATURES", "NAT_TABLE = 'FAR' AND NAT_ORIGIN = 'LIVRES'")
        #expect(row["NAT_LIB"] == "Livres")
        #expect(row["NAT_TVATX"] == "5.500")
    }

    @Test(
        "a section's plan is 001 when created without one or given empty; an update that leaves it out keeps it",
        arguments: TestBackend.available)
    func sectionPlan(backend: TestBackend) async throws {
        let server = try await TestServer(backend)
        try server.execute("INSERT INTO TABLES (TBL_ID, TBL_CODE, TBL_LIB) VALUES ('ANA_PLAN', 'P2', 'Plan deux')")
        try await server.run { client in
            for (lines, plan) in [
                (["ANA_CODE;ANA_LIB;ANA_TYPE;ANA_PLAN", "B1;Section;G;P2"], "P2"),
                (["ANA_CODE;ANA_LIB", "B1;Renommée"], "P2"),
                (["ANA_CODE;ANA_PLAN", "B1;"], "001"),
            ] {
                let (_, answer) = try await client.importer(.sectionsAnalytiques, lines)
                #expect(answer.statistics == statistics(imported: 1, rejected: 0), "\(answer.journalMessages)")
                #expect(try server.record("ANALYTIQUES", "ANA_CODE = 'B1'")["ANA_PLAN"] == plan, "\(lines)")
            }
        }
    }

    @Test("tester does not exist for these requests", arguments: cases)
    func testerIsRefused(_ test: ReferentielCase) async throws {
        let server = try TestServer()
        try await server.run { client in
            let (status, answer) = try await client.importer(
                test.domaine, test.example, parametres: parametres(("tester", "Oui")))
            #expect(status == .badRequest)
            #expect(
                answer == Answer.error("Le paramètre tester n'existe pas pour la requête \(test.domaine.name)/Importer")
            )
        }
    }
}

/// A stored value the tests expect, written as a literal: text, an integer, or NULL (`nil`).
struct Stored: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    let value: DatabaseValue

    init(stringLiteral text: String) { value = text.databaseValue }
    init(integerLiteral integer: Int) { value = integer.databaseValue }
    init(nilLiteral: ()) { value = .null }
}
