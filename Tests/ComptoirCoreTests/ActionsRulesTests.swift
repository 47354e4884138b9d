import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// An action's `DOC_NUMERO` against documents written straight into the store, since no import
/// creates them yet: an internal number, else a pièce, vente before achat before stock.
@Suite struct ActionsRulesTests {
    /// A société holding an achat and a vente of the same pièce, and a stock document.
    private func societe() -> MemoryStore {
        let store = MemoryStore()
        store.preferences["COMPTEUR_ACTIONS"] = "1"
        var documents: [String: MemoryStore.Row] = [:]
        for (number, type, piece) in [
            ("0000000001", "A", "FAC26-00001"), ("0000000002", "V", "FAC26-00001"), ("0000000003", "S", "ENT26-00001"),
        ] {
            documents[number] = ["DOC_NUMERO": .text(number), "DOC_TYPE": .text(type), "DOC_PIECE": .text(piece)]
        }
        store.tables["DOCUMENTS"] = documents
        return store
    }

    private func importAction(document: String, into store: MemoryStore) throws -> LineOutcome {
        let rules = try #require(Domaine.actions.rules(stamp: .creation) as? any LineImporter)
        return try rules.importLine(lineValues(["ACT_TYPE": "APPEL", "DOC_NUMERO": document]), into: store)
    }

    @Test(arguments: [
        // An internal number, even that of an achat whose pièce a vente shares.
        ("0000000001", "0000000001"),
        // A pièce of a vente and of an achat: the vente's, whatever the case given.
        ("fac26-00001", "0000000002"),
        ("ENT26-00001", "0000000003"),
    ])
    func aDocumentIsFoundAndItsInternalNumberStored(given: String, stored: String) throws {
        let store = societe()
        #expect(
            try importAction(document: given, into: store)
                == .imported(warnings: [LineWarning("L'action 1 a été créée", standsAlone: true)]))
        #expect(store.row("ACTIONS", "1")?["DOC_NUMERO"] == .text(stored))
    }

    @Test func anUnknownDocumentIsRefused() throws {
        let store = societe()
        #expect(
            try importAction(document: "AVC26-00009", into: store)
                == .rejected(LineRejection(["Le document AVC26-00009 n'existe pas"])))
        #expect(store.tables["ACTIONS"] == nil)
        #expect(store.preferences["COMPTEUR_ACTIONS"] == "1")
    }
}
