import Testing

@testable import ComptoirCore

/// Decoding the body of an import request (contract, section 2).
@Suite struct ImportRequestTests {
    static let societe = #""fichier": "DEMO.Gestimum", "utilisateur": "DEMO""#

    /// A body `{"<root>": {"societe": {<societe>}, "parametres": {<parametres>}}}`.
    private func body(
        root: String = "importer_clients", societe: String = Self.societe, parametres: String
    ) -> String {
        #"{"\#(root)": {"societe": {\#(societe)}, "parametres": {\#(parametres)}}}"#
    }

    private func decode(_ text: String, _ domaine: Domaine = .clients) throws -> ImportRequest {
        try ImportRequest.decode(body: try JSONValue.parse(Array(text.utf8)), domaine: domaine)
    }

    private func parametres(_ parametres: String, _ domaine: Domaine = .clients) throws -> ImportParameters {
        try decode(body(root: domaine.rootKey, parametres: parametres), domaine).parametres
    }

    private func refusal(_ message: String) -> RequestRefusal { RequestRefusal(message) }

    // MARK: Defaults and values

    @Test func defaults() throws {
        let request = try decode(body(parametres: #""fichier_clients": []"#))
        #expect(request.domaine == .clients)
        #expect(
            request.societe
                == SocieteParameters(
                    fichier: "DEMO.Gestimum", utilisateur: "DEMO", motPasse: "", deconnecter: false, exclusif: false))
        #expect(
            request.parametres
                == ImportParameters(
                    journal: false, statistiques: false, entete: false, nomsChamps: "", separator: ";", qualifier: nil,
                    lines: [], tester: false, calculerCodeTiers: false, calculerNumeroCompte: false))
    }

    /// DataSnap's clients wrap a method's one parameter in `{"_parameters":[…]}`.
    @Test func dataSnapsWrapperIsUnwrapped() throws {
        let inner = body(parametres: #""fichier_clients": ["C1;411C1;A"]"#)
        let wrapped = try decode(#"{"_parameters":["# + inner + "]}")
        #expect(wrapped == (try decode(inner)))
        #expect(Array(wrapped.parametres.lines) == ["C1;411C1;A"])
        // Anything else under `_parameters` is refused as any other root key.
        for other in [#"{"_parameters":[]}"#, #"{"_parameters":[1]}"#, #"{"_parameters":[\#(inner), \#(inner)]}"#] {
            #expect(throws: refusal("Le corps de la requête doit avoir une seule clé racine, importer_clients")) {
                try decode(other)
            }
        }
    }

    @Test func everyParameterGiven() throws {
        let request = try decode(
            body(
                societe: #"""
                    "fichier": "C:\\ProgramData\\Gestimum\\DEMO.Gestimum", "utilisateur": "ADM",
                    "mot_passe": "secret", "deconnecter": "Oui", "exclusif": "oui"
                    """#,
                parametres: #"""
                    "journal": "Oui", "statistiques": "OUI", "entete": "oUi", "noms_champs": "PCF_CODE;PCF_RS",
                    "separateur_champs": "|", "identificateur_texte": "\"", "tester": "Oui",
                    "fichier_clients": ["PCF_CODE|PCF_RS", "", "C1|\"Nom|Prénom\""]
                    """#
            ))
        #expect(
            request.societe
                == SocieteParameters(
                    fichier: #"C:\ProgramData\Gestimum\DEMO.Gestimum"#, utilisateur: "ADM", motPasse: "secret",
                    deconnecter: true, exclusif: true))
        #expect(
            request.parametres
                == ImportParameters(
                    journal: true, statistiques: true, entete: true, nomsChamps: "PCF_CODE;PCF_RS", separator: "|",
                    qualifier: "\"", lines: ["PCF_CODE|PCF_RS", "", "C1|\"Nom|Prénom\""], tester: true,
                    calculerCodeTiers: false, calculerNumeroCompte: false))
    }

    @Test(arguments: [
        ("Oui", true), ("OUI", true), ("oui", true), ("oUI", true), ("Non", false), ("NON", false),
        ("non", false), ("nOn", false), ("", false),
    ])
    func yesNoIgnoresCase(text: String, value: Bool) throws {
        for key in ["journal", "statistiques", "entete", "tester"] {
            let parametres = try parametres(#""\#(key)": "\#(text)", "noms_champs": "A", "fichier_clients": []"#)
            let decoded =
                switch key {
                case "journal": parametres.journal
                case "statistiques": parametres.statistiques
                case "entete": parametres.entete
                default: parametres.tester
                }
            #expect(decoded == value, "\(key)")
        }
        let societe = try decode(
            body(
                societe: Self.societe + #", "deconnecter": "\#(text)", "exclusif": "\#(text)""#,
                parametres: #""fichier_clients": []"#)
        ).societe
        #expect(societe.deconnecter == value)
        #expect(societe.exclusif == value)
    }

    @Test func separatorDefaultsToSemicolonAlsoWhenEmpty() throws {
        #expect(try parametres(#""fichier_clients": []"#).separator == ";")
        #expect(try parametres(#""separateur_champs": "", "fichier_clients": []"#).separator == ";")
    }

    @Test(arguments: [("\\t", "\t"), ("|", "|"), (",", ","), ("§", "§"), ("\\u00a7", "§"), (" ", " ")])
    func separatorIsOneCharacter(json: String, separator: String) throws {
        let decoded = try parametres(#""separateur_champs": "\#(json)", "fichier_clients": []"#).separator
        #expect(String(decoded) == separator)
    }

    @Test func emptyQualifierMeansNone() throws {
        #expect(try parametres(#""identificateur_texte": "", "fichier_clients": []"#).qualifier == nil)
        #expect(try parametres(#""fichier_clients": []"#).qualifier == nil)
        #expect(try parametres(#""identificateur_texte": "'", "fichier_clients": []"#).qualifier == "'")
    }

    @Test func linesAreKeptAsGiven() throws {
        let lines = try parametres(#""fichier_clients": ["a;b", "", "  é ;\"x\" "]"#).lines
        #expect(lines == ["a;b", "", "  é ;\"x\" "])
    }

    @Test func unknownKeysAreIgnored() throws {
        let request = try decode(
            body(
                societe: Self.societe + #", "langue": "fr""#,
                parametres: #""fichier_clients": [], "format_date": "JJ/MM/AAAA", "futur": {"a": [1]}"#))
        #expect(request.parametres.lines == [])
    }

    @Test func theContractExampleRequest() throws {
        let request = try decode(
            #"""
            {
                "importer_clients": {
                    "societe": {
                        "fichier": "DEMO.Gestimum",
                        "utilisateur": "DEMO",
                        "mot_passe": "",
                        "deconnecter": "Non",
                        "exclusif": "Non"
                    },
                    "parametres": {
                        "journal": "Oui",
                        "statistiques": "Oui",
                        "entete": "Oui",
                        "noms_champs": "",
                        "separateur_champs": ";",
                        "identificateur_texte": "",
                        "fichier_clients": [
                            "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_RUE;PCF_COMP;PCF_CP;PCF_VILLE",
                            "C42;411C42;SPORT25;5 rue Cugnot;ZA Du Pâtis;78120;RAMBOUILLET"
                        ]
                    }
                }
            }
            """#)
        #expect(request.societe.fichier == "DEMO.Gestimum")
        #expect(request.societe.utilisateur == "DEMO")
        #expect(request.parametres.journal && request.parametres.statistiques && request.parametres.entete)
        #expect(!request.parametres.tester)
        #expect(request.parametres.separator == ";" && request.parametres.qualifier == nil)
        #expect(request.parametres.lines.count == 2)
        #expect(request.parametres.lines[1] == "C42;411C42;SPORT25;5 rue Cugnot;ZA Du Pâtis;78120;RAMBOUILLET")
    }

    @Test func otherDomains() throws {
        let fournisseurs = try decode(
            body(root: "importer_fournisseurs", parametres: #""fichier_fournisseurs": ["x"]"#), .fournisseurs)
        #expect(fournisseurs.domaine == .fournisseurs)
        #expect(fournisseurs.parametres.lines == ["x"])
        let banques = try parametres(#""tester": "Oui", "fichier_banques_tiers": []"#, .banquesTiers)
        #expect(banques.tester)
        let comptes = try parametres(
            #""calculer_code_tiers": "Oui", "calculer_numero_compte": "oui", "fichier_comptes": []"#, .comptes)
        #expect(comptes.calculerCodeTiers && comptes.calculerNumeroCompte)
        let comptesDefaults = try parametres(#""fichier_comptes": []"#, .comptes)
        #expect(!comptesDefaults.calculerCodeTiers && !comptesDefaults.calculerNumeroCompte)
        let contacts = try parametres(#""fichier_contacts": ["a"]"#, .contacts)
        #expect(!contacts.tester)
    }

    // MARK: Refusals

    @Test func bodyMustBeAnObject() {
        #expect(throws: refusal("Le corps de la requête doit être un objet JSON avec la clé importer_clients")) {
            try decode("[]")
        }
        #expect(throws: refusal("Le corps de la requête doit être un objet JSON avec la clé importer_clients")) {
            try decode(#""importer_clients""#)
        }
    }

    @Test func wrongRootKeyIsRefused() {
        let message = "Le corps de la requête doit avoir une seule clé racine, importer_clients"
        #expect(throws: refusal(message)) {
            try decode(body(root: "importer_fournisseurs", parametres: #""fichier_clients": []"#))
        }
        #expect(throws: refusal(message)) {
            try decode(body(root: "Importer_Clients", parametres: #""fichier_clients": []"#))
        }
        #expect(throws: refusal(message)) { try decode("{}") }
        #expect(throws: refusal("Le corps de la requête doit avoir une seule clé racine, importer_prospects")) {
            try decode(body(parametres: #""fichier_clients": []"#), .prospects)
        }
    }

    @Test func severalRootKeysAreRefused() {
        let inner = #"{"societe": {\#(Self.societe)}, "parametres": {"fichier_clients": []}}"#
        #expect(throws: refusal("Le corps de la requête doit avoir une seule clé racine, importer_clients")) {
            try decode(#"{"importer_clients": \#(inner), "importer_fournisseurs": \#(inner)}"#)
        }
        #expect(throws: refusal("Le corps de la requête doit avoir une seule clé racine, importer_clients")) {
            try decode(#"{"importer_clients": \#(inner), "x": 1}"#)
        }
    }

    @Test func rootValueMustBeAnObject() {
        #expect(throws: refusal("Le paramètre importer_clients doit être un objet, pas un tableau")) {
            try decode(#"{"importer_clients": []}"#)
        }
        #expect(throws: refusal("Le paramètre importer_clients doit être un objet, pas null")) {
            try decode(#"{"importer_clients": null}"#)
        }
    }

    @Test func societeMissingOrNotAnObject() {
        #expect(throws: refusal("Paramètre societe manquant")) {
            try decode(#"{"importer_clients": {"parametres": {"fichier_clients": []}}}"#)
        }
        #expect(throws: refusal("Le paramètre societe doit être un objet, pas une chaîne")) {
            try decode(#"{"importer_clients": {"societe": "DEMO", "parametres": {"fichier_clients": []}}}"#)
        }
    }

    @Test func parametresMissingOrNotAnObject() {
        #expect(throws: refusal("Paramètre parametres manquant")) {
            try decode(#"{"importer_clients": {"societe": {\#(Self.societe)}}}"#)
        }
        #expect(throws: refusal("Le paramètre parametres doit être un objet, pas un tableau")) {
            try decode(#"{"importer_clients": {"societe": {\#(Self.societe)}, "parametres": []}}"#)
        }
        #expect(throws: refusal("Le paramètre parametres doit être un objet, pas un nombre")) {
            try decode(#"{"importer_clients": {"societe": {\#(Self.societe)}, "parametres": 1}}"#)
        }
    }

    @Test func societeRequiredValues() {
        #expect(throws: refusal("Paramètre fichier manquant")) {
            try decode(body(societe: #""utilisateur": "DEMO""#, parametres: #""fichier_clients": []"#))
        }
        #expect(throws: refusal("Paramètre fichier manquant")) {
            try decode(body(societe: #""fichier": "", "utilisateur": "DEMO""#, parametres: #""fichier_clients": []"#))
        }
        #expect(throws: refusal("Paramètre utilisateur manquant")) {
            try decode(body(societe: #""fichier": "DEMO""#, parametres: #""fichier_clients": []"#))
        }
        #expect(throws: refusal("Le paramètre mot_passe doit être une chaîne, pas un nombre")) {
            try decode(body(societe: Self.societe + #", "mot_passe": 1234"#, parametres: #""fichier_clients": []"#))
        }
    }

    @Test func linesMissing() {
        #expect(throws: refusal("Paramètre fichier_clients manquant")) { try decode(body(parametres: "")) }
        #expect(throws: refusal("Paramètre fichier_clients manquant")) {
            try decode(body(parametres: #""fichier_fournisseurs": []"#))
        }
        #expect(throws: refusal("Paramètre fichier_contacts manquant")) {
            try decode(body(root: "importer_contacts", parametres: #""fichier_clients": []"#), .contacts)
        }
    }

    @Test func linesMustBeAnArrayOfStrings() {
        #expect(throws: refusal("Le paramètre fichier_clients doit être un tableau de chaînes")) {
            try decode(body(parametres: #""fichier_clients": "C1;Nom""#))
        }
        #expect(throws: refusal("Le paramètre fichier_clients doit être un tableau de chaînes")) {
            try decode(body(parametres: #""fichier_clients": {"1": "a"}"#))
        }
        #expect(throws: refusal("Le paramètre fichier_clients doit être un tableau de chaînes : il contient un nombre"))
        {
            try decode(body(parametres: #""fichier_clients": ["a", 1]"#))
        }
        #expect(throws: refusal("Le paramètre fichier_clients doit être un tableau de chaînes : il contient null")) {
            try decode(body(parametres: #""fichier_clients": [null]"#))
        }
        #expect(
            throws: refusal("Le paramètre fichier_clients doit être un tableau de chaînes : il contient un tableau")
        ) {
            try decode(body(parametres: #""fichier_clients": [["a"]]"#))
        }
    }

    @Test(arguments: ["journal", "statistiques", "entete", "tester"])
    func valueNotYesOrNoIsRefused(key: String) {
        #expect(throws: refusal("Le paramètre \(key) doit valoir Oui ou Non, pas « Peut-être »")) {
            try decode(body(parametres: #""\#(key)": "Peut-être", "fichier_clients": []"#))
        }
        #expect(throws: refusal("Le paramètre \(key) doit valoir Oui ou Non, pas « 1 »")) {
            try decode(body(parametres: #""\#(key)": "1", "fichier_clients": []"#))
        }
        #expect(throws: refusal("Le paramètre \(key) doit être une chaîne, pas un booléen")) {
            try decode(body(parametres: #""\#(key)": true, "fichier_clients": []"#))
        }
    }

    @Test func societeYesNoValuesAreChecked() {
        #expect(throws: refusal("Le paramètre exclusif doit valoir Oui ou Non, pas « true »")) {
            try decode(body(societe: Self.societe + #", "exclusif": "true""#, parametres: #""fichier_clients": []"#))
        }
        #expect(throws: refusal("Le paramètre deconnecter doit valoir Oui ou Non, pas « O »")) {
            try decode(body(societe: Self.societe + #", "deconnecter": "O""#, parametres: #""fichier_clients": []"#))
        }
    }

    @Test func separatorOfTwoCharactersIsRefused() {
        #expect(throws: refusal("Le séparateur de champs (separateur_champs) doit être un seul caractère, pas « ;; »"))
        {
            try decode(body(parametres: #""separateur_champs": ";;", "fichier_clients": []"#))
        }
        #expect(throws: refusal("Le séparateur de champs (separateur_champs) doit être un seul caractère, pas « \\t »"))
        {
            try decode(body(parametres: #""separateur_champs": "\\t", "fichier_clients": []"#))
        }
    }

    @Test func qualifierOfTwoCharactersIsRefused() {
        #expect(
            throws: refusal(
                "L'identificateur de texte (identificateur_texte) doit être un seul caractère, pas « \"\" »")
        ) {
            try decode(body(parametres: #""identificateur_texte": "\"\"", "fichier_clients": []"#))
        }
    }

    @Test func separatorEqualToQualifierIsRefused() {
        let message = "Le séparateur de champs et l'identificateur de texte doivent être différents"
        #expect(throws: refusal(message)) {
            try decode(
                body(parametres: #""separateur_champs": "|", "identificateur_texte": "|", "fichier_clients": []"#))
        }
        // The default separator counts too.
        #expect(throws: refusal(message)) {
            try decode(body(parametres: #""identificateur_texte": ";", "fichier_clients": []"#))
        }
        #expect(throws: refusal(message)) {
            try decode(
                body(parametres: #""separateur_champs": "", "identificateur_texte": ";", "fichier_clients": []"#))
        }
    }

    @Test func testerIsRefusedWhereTheDomainDoesNotTakeIt() {
        #expect(throws: refusal("Le paramètre tester n'existe pas pour la requête Contacts/Importer")) {
            try decode(
                body(root: "importer_contacts", parametres: #""tester": "Oui", "fichier_contacts": []"#), .contacts)
        }

        #expect(throws: refusal("Le paramètre tester n'existe pas pour la requête AdressesTiers/Importer")) {
            try decode(
                body(root: "importer_adresses_tiers", parametres: #""tester": "Oui", "fichier_adresses_tiers": []"#),
                .adressesTiers)
        }
    }

    /// Issue 3: Clients, Fournisseurs and Prospects take calculer_code_tiers and
    /// calculer_numero_compte, with the same meaning as Comptes.
    @Test(arguments: [Domaine.clients, .fournisseurs, .prospects, .comptes])
    func accountComputationIsAcceptedByTheTiersAndComptes(domaine: Domaine) throws {
        let lines = "\"\(domaine.linesKey)\": []"
        let both = try parametres(
            #""calculer_code_tiers": "Oui", "calculer_numero_compte": "oui", "# + lines, domaine)
        #expect(both.calculerCodeTiers && both.calculerNumeroCompte)
        let codeOnly = try parametres(
            #""calculer_code_tiers": "OUI", "calculer_numero_compte": "Non", "# + lines, domaine)
        #expect(codeOnly.calculerCodeTiers && !codeOnly.calculerNumeroCompte)
        let numberOnly = try parametres(#""calculer_numero_compte": "Oui", "# + lines, domaine)
        #expect(!numberOnly.calculerCodeTiers && numberOnly.calculerNumeroCompte)
        let neither = try parametres(lines, domaine)
        #expect(!neither.calculerCodeTiers && !neither.calculerNumeroCompte)
        #expect(throws: refusal("Le paramètre calculer_code_tiers doit valoir Oui ou Non, pas « 1 »")) {
            try parametres(#""calculer_code_tiers": "1", "# + lines, domaine)
        }
    }

    @Test(arguments: [Domaine.contacts, .adressesTiers, .banquesTiers])
    func accountComputationIsRefusedElsewhere(domaine: Domaine) {
        let lines = "\"\(domaine.linesKey)\": []"
        for key in ["calculer_code_tiers", "calculer_numero_compte"] {
            for value in ["Oui", "Non"] {
                #expect(
                    throws: refusal("Le paramètre \(key) n'existe pas pour la requête \(domaine.name)/Importer")
                ) {
                    try parametres("\"\(key)\": \"\(value)\", " + lines, domaine)
                }
            }
        }
    }
}
