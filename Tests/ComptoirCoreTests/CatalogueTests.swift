import Foundation
import Testing

@testable import ComptoirCore

/// The field catalogues compiled from `spec/fields/*.tsv`, and the domains that use them.
@Suite struct CatalogueTests {
    /// Each catalogue with its TSV file, its field count without `XXX_...`, its required fields,
    /// and whether it lists `XXX_...`.
    static let expectations:
        [(name: String, catalogue: Catalogue, file: String, count: Int, required: [String], custom: Bool)] = [
            ("clients", .clients, "clients.tsv", 85, ["PCF_CODE", "PCF_RS", "CPT_NUMERO"], true),
            ("fournisseurs", .fournisseurs, "fournisseurs.tsv", 85, ["PCF_CODE", "PCF_RS"], true),
            ("prospects", .prospects, "prospects.tsv", 85, ["PCF_CODE", "PCF_RS"], true),
            ("contacts", .contacts, "contacts.tsv", 14, ["CCT_CODE", "CCT_NOM"], true),
            ("adressesTiers", .adressesTiers, "adresses_tiers.tsv", 22, ["ADR_CODE", "ADR_NUMERO"], true),
            ("banquesTiers", .banquesTiers, "banques_tiers.tsv", 18, ["PCF_CODE", "RIB_ORDRE"], false),
            ("comptes", .comptes, "comptes.tsv", 19, ["CPT_NUMERO", "CPT_LIB", "PCF_CODE", "CPT_TYPE"], false),
        ]

    @Test func theSevenCataloguesLoadWithTheirFieldCounts() {
        for expected in Self.expectations {
            #expect(expected.catalogue.fields.count == expected.count, "\(expected.name)")
            #expect(expected.catalogue.acceptsCustomFields == expected.custom, "\(expected.name)")
            #expect(!expected.catalogue.fields.contains { $0.name == "XXX_..." }, "\(expected.name)")
            #expect(!expected.catalogue.fields.contains { $0.isCustom }, "\(expected.name)")
            let names = expected.catalogue.fields.map(\.name)
            #expect(Set(names).count == names.count, "\(expected.name) has a name twice")
        }
    }

    @Test func requiredFields() {
        for expected in Self.expectations {
            #expect(expected.catalogue.fields.filter(\.isRequired).map(\.name) == expected.required, "\(expected.name)")
        }
    }

    @Test func clientsCatalogueOrderAndLabels() throws {
        let fields = Catalogue.clients.fields
        #expect(fields.first?.name == "PCF_CODE")
        #expect(fields.first?.label == "Code client")
        #expect(fields.last?.name == "PCF_HAUSSE")
        #expect(Array(fields.prefix(4).map(\.name)) == ["PCF_CODE", "PCF_RS", "PCF_CIVILE", "PCF_DORT"])
    }

    @Test(arguments: [
        ("PCF_CODE", FieldType.text(maxLength: 20, codes: [])),
        ("PCF_RS", .text(maxLength: 60, codes: [])),
        ("CPT_NUMERO", .text(maxLength: 25, codes: [])),
        ("PCF_DORT", .checkbox),
        ("PCF_DATIMM", .date),
        ("PCF_CAPITA", .decimal(digits: 20, scale: 4)),
        ("PCF_REMVAL", .decimal(digits: 8, scale: 3)),
        ("PCF_MEMO", .unlimitedText),
        ("PCF_TC_DA", .text(maxLength: 3, codes: ["DSA", "DAA"])),
        ("PCF_REGBL", .text(maxLength: 1, codes: ["T", "1", "C", "D", "M"])),
        ("PCF_URGENT", .text(maxLength: 1, codes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])),
    ])
    func clientFieldTypes(name: String, type: FieldType) throws {
        let field = try #require(Catalogue.clients.field(named: name))
        #expect(field.type == type)
    }

    @Test func otherCataloguesFieldTypes() throws {
        #expect(Catalogue.prospects.field(named: "PCF_TC_DA")?.type == .text(maxLength: 3, codes: []))
        #expect(Catalogue.comptes.field(named: "CPT_TYPE")?.type == .text(maxLength: nil, codes: ["G", "R", "C", "F"]))
        #expect(Catalogue.comptes.field(named: "CPT_LET")?.type == .checkbox)
        #expect(Catalogue.banquesTiers.field(named: "RIB_CB_DTF")?.type == .date)
        #expect(
            Catalogue.banquesTiers.field(named: "RIB_SEQPRE")?.type
                == .text(maxLength: 4, codes: ["OOFF", "FRST", "RCUR", "FNAL"]))
        let ribType = try #require(Catalogue.banquesTiers.field(named: "RIB_TYPE"))
        guard case .text(let maxLength, let codes) = ribType.type else {
            Issue.record("RIB_TYPE is \(ribType.type)")
            return
        }
        #expect(maxLength == 3)
        #expect(codes.count == 56)
        #expect(Array(codes.prefix(3)) == ["GEN", "DE", "AD"])
        #expect(codes.last == "ZZZ")
        #expect(codes.contains("RCB") && codes.contains("FR") && codes.contains("US"))
    }

    @Test func lookupIgnoresCase() throws {
        for name in ["PCF_RS", "pcf_rs", "Pcf_Rs", "pCF_rS"] {
            let field = try #require(Catalogue.clients.field(named: name))
            #expect(field.name == "PCF_RS")
            #expect(field.isCustom == false)
        }
        #expect(Catalogue.contacts.field(named: "cct_nom")?.name == "CCT_NOM")
    }

    @Test func unknownNamesAreNil() {
        #expect(Catalogue.clients.field(named: "PCF_FOO") == nil)
        #expect(Catalogue.clients.field(named: "") == nil)
        #expect(Catalogue.clients.field(named: "XXX_...") == nil)
        #expect(Catalogue.fournisseurs.field(named: "CCT_NOM") == nil)
    }

    @Test(arguments: [
        ("XXX_FOO", "XXX_FOO"), ("xxx_foo", "XXX_FOO"), ("Xxx_Couleur_2", "XXX_COULEUR_2"), ("XXX_1", "XXX_1"),
    ])
    func customFieldsAreAccepted(name: String, canonical: String) throws {
        let field = try #require(Catalogue.clients.field(named: name))
        #expect(field.name == canonical)
        #expect(field.isCustom)
        #expect(field.isRequired == false)
        #expect(field.type == .unlimitedText)
        #expect(field.label == "Champ personnalisé")
    }

    @Test func customFieldsOfTheOtherDomains() {
        #expect(Catalogue.fournisseurs.field(named: "XXX_A")?.isCustom == true)
        #expect(Catalogue.prospects.field(named: "XXX_A")?.isCustom == true)
        #expect(Catalogue.contacts.field(named: "XXX_A")?.isCustom == true)
        #expect(Catalogue.adressesTiers.field(named: "XXX_A")?.isCustom == true)
        #expect(Catalogue.banquesTiers.field(named: "XXX_A") == nil)
        #expect(Catalogue.comptes.field(named: "XXX_A") == nil)
    }

    @Test(arguments: [
        "XXX_", "XXX", "XXX_FOO-BAR", "XXX_FOO BAR", "XXX_ÉTÉ", "XXX_été", "XXX_A.B", "XXX_A;B", "YYY_FOO", "XX_FOO",
        "XXX_" + String(repeating: "A", count: 60),
    ])
    func badCustomNamesAreRefused(name: String) {
        #expect(Catalogue.clients.field(named: name) == nil)
    }

    /// PostgreSQL's longest name: one character more would be cut there, and meet another name.
    @Test func customNameOfSixtyThreeCharactersIsAccepted() {
        let name = "XXX_" + String(repeating: "A", count: 59)
        #expect(Catalogue.clients.field(named: name)?.name == name)
    }

    @Test func codesOfAValuesColumn() {
        #expect(Catalogue.codes(in: "Valeurs possibles : / GEN : Générique / DE : Allemagne") == ["GEN", "DE"])
        #expect(Catalogue.codes(in: "DSA / DAA") == ["DSA", "DAA"])
        #expect(Catalogue.codes(in: "T : Tous / 1 : Un seul / C : Par commande") == ["T", "1", "C"])
        #expect(Catalogue.codes(in: "0 / 1 / 2") == ["0", "1", "2"])
        #expect(Catalogue.codes(in: "") == [])
        #expect(Catalogue.codes(in: "Valeurs possibles :") == [])
        #expect(Catalogue.codes(in: "  GEN : Générique  /  DE : Allemagne ") == ["GEN", "DE"])
    }

    @Test func catalogueFromTSVText() {
        let catalogue = Catalogue(
            tsv: """
                champ\tdescription\ttype\tlongueur\tvaleurs\tpresence
                A_CODE\tCode\tTexte\t5\t\tObligatoire
                A_MODE\tMode\tTexte\t1\tX : Un / Y : Deux\tFacultatif
                A_DATE\tDate\tDate\t\tFormat : JJ/MM/AAAA\tFacultatif
                A_OK\tOK\tCase à cocher\t\t0 : Non / 1 : Oui\tFacultatif
                XXX_...\tChamps personnalisés\t\t\t\tFacultatif
                """
        )
        #expect(
            catalogue.fields == [
                FieldDefinition(name: "A_CODE", label: "Code", type: .text(maxLength: 5, codes: []), isRequired: true),
                FieldDefinition(
                    name: "A_MODE", label: "Mode", type: .text(maxLength: 1, codes: ["X", "Y"]), isRequired: false),
                FieldDefinition(name: "A_DATE", label: "Date", type: .date, isRequired: false),
                FieldDefinition(name: "A_OK", label: "OK", type: .checkbox, isRequired: false),
            ])
        #expect(catalogue.acceptsCustomFields)
    }

    /// Every catalogue the server serves, with the text it is compiled from.
    static let compiled: [(text: String, catalogue: Catalogue)] = [
        (CatalogueTexts.actions, .actions), (CatalogueTexts.adressesTiers, .adressesTiers),
        (CatalogueTexts.affaires, .affaires), (CatalogueTexts.articles, .articles),
        (CatalogueTexts.banquesTiers, .banquesTiers), (CatalogueTexts.clients, .clients),
        (CatalogueTexts.commerciaux, .commerciaux), (CatalogueTexts.composantsNomenclatures, .composantsNomenclatures),
        (CatalogueTexts.comptes, .comptes), (CatalogueTexts.comptesReporting, .comptesReporting),
        (CatalogueTexts.contacts, .contacts), (CatalogueTexts.devises, .devises),
        (CatalogueTexts.documentsAchat, .documentsAchat), (CatalogueTexts.documentsStock, .documentsStock),
        (CatalogueTexts.documentsVente, .documentsVente), (CatalogueTexts.equivalencesArticles, .equivalencesArticles),
        (CatalogueTexts.famillesArticles, .famillesArticles), (CatalogueTexts.fournisseurs, .fournisseurs),
        (CatalogueTexts.glossaires, .glossaires), (CatalogueTexts.grillesTarifs, .grillesTarifs),
        (CatalogueTexts.immobilisations, .immobilisations), (CatalogueTexts.modesReglements, .modesReglements),
        (CatalogueTexts.naturesComptables, .naturesComptables), (CatalogueTexts.pays, .pays),
        (CatalogueTexts.prospects, .prospects), (CatalogueTexts.referencesClientsArticles, .referencesClientsArticles),
        (CatalogueTexts.salaries, .salaries), (CatalogueTexts.sectionsAnalytiques, .sectionsAnalytiques),
        (CatalogueTexts.sousfamillesArticles, .sousfamillesArticles), (CatalogueTexts.tarifsArticles, .tarifsArticles),
        (CatalogueTexts.tarifsFournisseursArticles, .tarifsFournisseursArticles),
        (CatalogueTexts.utilisateurs, .utilisateurs), (CatalogueTexts.villes, .villes),
    ]

    /// Each compiled catalogue is its TSV text, field for field: name, label, presence and type.
    @Test func everyCatalogueIsItsText() {
        for (text, catalogue) in Self.compiled {
            let lines = text.split(separator: "\n").dropFirst()
                .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            let rows = lines.filter { $0.first != "XXX_..." }
            let file = rows.first?.first ?? "?"
            #expect(catalogue.fields.map(\.name) == rows.map { $0[0] }, "\(file)")
            #expect(catalogue.fields.map(\.label) == rows.map { $0[1] }, "\(file)")
            #expect(
                catalogue.fields.map(\.isRequired) == rows.map { $0.count > 5 && $0[5] == "Obligatoire" }, "\(file)")
            #expect(catalogue.acceptsCustomFields == (lines.count != rows.count), "\(file)")
            for (field, row) in zip(catalogue.fields, rows) {
                switch row.count > 2 ? row[2] : "" {
                case "Texte illimité", "": #expect(field.type == .unlimitedText, "\(field.name)")
                case "Case à cocher": #expect(field.type == .checkbox, "\(field.name)")
                case "Date": #expect(field.type == .date, "\(field.name)")
                case "Date et heure": #expect(field.type == .dateTime, "\(field.name)")
                case "Nombre entier", "Entier": #expect(field.type == .integer, "\(field.name)")
                case "Montant": #expect(field.type == .decimal(digits: 20, scale: 4), "\(field.name)")
                case "Nombre à virgule": #expect(field.type == .decimal(digits: 8, scale: 3), "\(field.name)")
                default:
                    guard case .text(let maxLength, _) = field.type else {
                        Issue.record("\(field.name) should be text")
                        continue
                    }
                    #expect(maxLength == (row.count > 3 ? Int(row[3]) : nil), "\(field.name)")
                }
            }
        }
    }

    /// The compiled texts are the contract's files, byte for byte: `scripts/copier-catalogues.sh`
    /// was run since the contract last changed. Only the project's workspace has the contract.
    @Test(
        .enabled(
            if: SpecFiles.exists("fields/clients.tsv"),
            "needs ../shared/spec, which only the project's workspace has: the copy is checked against it there"))
    func theCompiledTextsAreTheContractFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SpecFiles.url("fields").path)
        // The écritures catalogue lays out formats (`EcritureLayout`) rather than one import's fields.
        let texts = Set(Self.compiled.map(\.text) + [CatalogueTexts.ecritures])
        #expect(files.count == texts.count)
        for file in files {
            let contract = try SpecFiles.text("fields/" + file)
            let isCopied = texts.contains(contract.hasSuffix("\n") ? String(contract.dropLast()) : contract)
            #expect(isCopied, "\(file) differs from its copy: run scripts/copier-catalogues.sh")
        }
    }
}

/// The import domains of the tiers family (contract, section 1).
@Suite struct DomaineTests {
    @Test(arguments: [
        (Domaine.clients, "importer_clients", "fichier_clients", "ImporterClients", true),
        (.fournisseurs, "importer_fournisseurs", "fichier_fournisseurs", "ImporterFournisseurs", true),
        (.prospects, "importer_prospects", "fichier_prospects", "ImporterProspects", true),
        (.contacts, "importer_contacts", "fichier_contacts", "ImporterContacts", false),
        (.adressesTiers, "importer_adresses_tiers", "fichier_adresses_tiers", "ImporterAdressesTiers", false),
        (.banquesTiers, "importer_banques_tiers", "fichier_banques_tiers", "ImporterBanquesTiers", true),
        (.comptes, "importer_comptes", "fichier_comptes", "ImporterComptes", true),
    ])
    func keysAndTaskNames(domaine: Domaine, rootKey: String, linesKey: String, taskName: String, tester: Bool) {
        #expect(domaine.rootKey == rootKey)
        #expect(domaine.linesKey == linesKey)
        #expect(domaine.taskName == taskName)
        #expect(domaine.acceptsTester == tester)
        // Issue 3: the tiers domains take calculer_code_tiers / calculer_numero_compte too.
        #expect(domaine.acceptsAccountComputation == [.clients, .fournisseurs, .prospects, .comptes].contains(domaine))
    }

    @Test func tiersTypes() {
        #expect(TiersType.client.rawValue == "C")
        #expect(TiersType.fournisseur.rawValue == "F")
        #expect(TiersType.prospect.rawValue == "P")
    }

    @Test func domainCatalogues() {
        #expect(Domaine.clients.catalogue.fields.filter(\.isRequired).count == 3)
        #expect(Domaine.contacts.catalogue.fields.first?.name == "CCT_CODE")
        #expect(Domaine.adressesTiers.catalogue.fields.first?.name == "ADR_CODE")
        #expect(Domaine.banquesTiers.catalogue.fields.first?.name == "PCF_CODE")
        #expect(Domaine.comptes.catalogue.fields.first?.name == "CPT_NUMERO")
        #expect(Domaine.named("Clients") == .clients)
        #expect(Domaine.named("clients") == .clients)
        #expect(Domaine.named("Ecritures") == .ecritures)
        #expect(Domaine.named("Inventaires") == nil)
    }
}
