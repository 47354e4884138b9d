import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// Each domain's rules and the parameters it takes (contract, section 1; issue 3).
@Suite struct DomaineRulesTests {

    private func parametres(codeFromNumber: Bool, numberFromCode: Bool) -> ImportParameters {
        var parametres = importParameters()
        parametres.calculerCodeTiers = codeFromNumber
        parametres.calculerNumeroCompte = numberFromCode
        return parametres
    }

    @Test(arguments: [
        (Domaine.clients, TiersType.client), (.fournisseurs, .fournisseur), (.prospects, .prospect),
    ])
    func tiersDomainsGetTiersRules(domaine: Domaine, type: TiersType) throws {
        for (code, number) in [(false, false), (true, false), (false, true), (true, true)] {
            let rules = try #require(
                domaine.rules(
                    stamp: AuditStamp.creation, parametres: parametres(codeFromNumber: code, numberFromCode: number))
                    as? TiersRules)
            #expect(rules.table == "TIERS")
            #expect(rules.type == type)
            #expect(rules.stamp == AuditStamp.creation)
            #expect(rules.catalogue.fields == domaine.catalogue.fields)
            #expect(rules.computation == AccountComputation(codeFromNumber: code, numberFromCode: number))
        }
    }

    @Test func contactsGetContactsRules() throws {
        let rules = try #require(
            Domaine.contacts.rules(stamp: AuditStamp.creation, parametres: importParameters()) as? ContactsRules)
        #expect(rules.table == "CONTACTS")
        #expect(rules.stamp == AuditStamp.creation)
    }

    @Test func adressesTiersGetAdressesRules() throws {
        let rules = try #require(
            Domaine.adressesTiers.rules(stamp: AuditStamp.creation, parametres: importParameters()) as? AdressesRules)
        #expect(rules.table == "ADRESSES")
        #expect(rules.stamp == AuditStamp.creation)
    }

    @Test func banquesTiersGetBanquesRules() throws {
        let rules = Domaine.banquesTiers.rules(stamp: AuditStamp.creation, parametres: importParameters())
        #expect(rules is BanquesRules)
        #expect(rules.table == "TIERS_RIB")
    }

    @Test func comptesGetComptesRules() throws {
        for (code, number) in [(false, false), (true, false), (false, true), (true, true)] {
            let rules = try #require(
                Domaine.comptes.rules(
                    stamp: AuditStamp.creation, parametres: parametres(codeFromNumber: code, numberFromCode: number))
                    as? ComptesRules)
            #expect(rules.table == "COMPTES")
            #expect(rules.computation == AccountComputation(codeFromNumber: code, numberFromCode: number))
        }
    }

    @Test func eachDomainsTable() {
        for domaine in Domaine.all {
            #expect(domaine.rules(stamp: AuditStamp.creation).table == domaine.table.name, "\(domaine.name)")
        }
    }

    @Test func accountComputationDomains() {
        #expect(
            Domaine.all.filter(\.acceptsAccountComputation) == [.clients, .fournisseurs, .prospects, .comptes])
        #expect(
            Domaine.all.filter(\.acceptsTester) == [
                .clients, .fournisseurs, .prospects, .banquesTiers, .comptes, .documentsVente, .documentsAchat,
                .documentsStock, .ecritures,
            ])
    }

    // MARK: The parameters of each domain's request

    private func decode(_ domaine: Domaine, parametres: String) throws -> ImportRequest {
        let text =
            #"{"\#(domaine.rootKey)": {"societe": {"fichier": "DEMO", "utilisateur": "DEMO"}, "parametres": {\#(parametres), "\#(domaine.linesKey)": ["a"]}}}"#
        return try ImportRequest.decode(body: try JSONValue.parse(Array(text.utf8)), domaine: domaine)
    }

    @Test(arguments: [Domaine.clients, .fournisseurs, .prospects, .comptes])
    func calculerIsAccepted(domaine: Domaine) throws {
        let request = try decode(domaine, parametres: #""calculer_code_tiers": "Oui", "calculer_numero_compte": "Oui""#)
        #expect(request.domaine == domaine)
        #expect(request.parametres.calculerCodeTiers)
        #expect(request.parametres.calculerNumeroCompte)
        #expect(request.parametres.lines == ["a"])
        // And reach the rules.
        let rules = domaine.rules(stamp: AuditStamp.creation, parametres: request.parametres)
        let computation = (rules as? TiersRules)?.computation ?? (rules as? ComptesRules)?.computation
        #expect(computation == AccountComputation(codeFromNumber: true, numberFromCode: true))
    }

    @Test(arguments: [Domaine.contacts, .adressesTiers, .banquesTiers])
    func calculerIsRefused(domaine: Domaine) {
        #expect(
            throws: RequestRefusal(
                "Le paramètre calculer_code_tiers n'existe pas pour la requête \(domaine.name)/Importer")
        ) {
            try decode(domaine, parametres: #""calculer_code_tiers": "Non""#)
        }
        #expect(
            throws: RequestRefusal(
                "Le paramètre calculer_numero_compte n'existe pas pour la requête \(domaine.name)/Importer")
        ) {
            try decode(domaine, parametres: #""calculer_numero_compte": "Oui""#)
        }
    }

    @Test(arguments: [Domaine.clients, .fournisseurs, .prospects, .banquesTiers, .comptes])
    func testerIsAccepted(domaine: Domaine) throws {
        #expect(try decode(domaine, parametres: #""tester": "Oui""#).parametres.tester)
        #expect(try !decode(domaine, parametres: #""tester": "Non""#).parametres.tester)
    }

    /// `tester=Oui` is refused where it cannot be honoured; `Non`, or empty, asks for nothing.
    @Test(arguments: [Domaine.contacts, .adressesTiers])
    func testerIsRefused(domaine: Domaine) throws {
        #expect(throws: RequestRefusal("Le paramètre tester n'existe pas pour la requête \(domaine.name)/Importer")) {
            try decode(domaine, parametres: #""tester": "Oui""#)
        }
        for value in ["Non", ""] {
            #expect(try !decode(domaine, parametres: #""tester": "\#(value)""#).parametres.tester)
        }
    }
}

/// The reasons a line without its key is refused with: each said once.
@Suite struct MissingKeyReasonsTests {
    private func outcome(_ domaine: Domaine, _ line: KeyValuePairs<String, String>) throws -> LineOutcome {
        let rules = try #require(Domaine.all.first { $0 == domaine }?.rules(stamp: .creation) as? any LineImporter)
        let store = MemoryStore()
        store.preferences["DEVISE_SOCIETE"] = "EUR"
        return try rules.importLine(lineValues(line), into: store)
    }

    @Test func aUserWithoutItsCodeIsToldOnce() throws {
        #expect(
            try outcome(.utilisateurs, ["USR_NAME": "", "USR_GROUPE": "X"])
                == .rejected(LineRejection(["Code manquant"])))
    }

    @Test func aGrilleLineWithoutItsTargetIsToldThatAlone() throws {
        #expect(
            try outcome(
                .grillesTarifs,
                [
                    "TAR_CODE": "GNEW", "TAR_LIB": "Nouvelle", "ART_CODE": "", "FAR_CODE": "", "SFA_CODE": "",
                    "TAR_REMISE": "5",
                ])
                == .rejected(LineRejection(["Code article, famille ou sous-famille manquant"])))
    }
}
