import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// The import rules of Contacts: `CONTACTS` keyed on `CCT_CODE` (issue 3).
@Suite struct ContactsRulesTests {

    private func store() -> MemoryStore {
        let store = MemoryStore()
        store.addTiers("C42", .client, account: "411C42")
        store.addTiers("F1", .fournisseur)
        store.addTiers("P1", .prospect)
        return store
    }

    @discardableResult
    private func importLine(
        _ pairs: KeyValuePairs<String, String>, into store: MemoryStore, stamp: AuditStamp = AuditStamp.creation
    ) throws -> LineOutcome {
        try ContactsRules(stamp: stamp).importLine(lineValues(pairs), into: store)
    }

    private let key = LineValues([("CCT_CODE", .text("K1"))])

    // MARK: Required fields

    @Test func requiredFields() throws {
        let store = store()
        #expect(try importLine([:], into: store) == rejected("Code manquant", "Nom manquant"))
        #expect(
            try importLine(["CCT_CODE": "", "CCT_NOM": "", "CCT_PRENOM": "Jean"], into: store)
                == rejected("Code manquant", "Nom manquant"))
        #expect(try importLine(["CCT_CODE": "K1"], into: store) == rejected("Nom manquant"))
        #expect(try importLine(["CCT_NOM": "Dupont"], into: store) == rejected("Code manquant"))
        #expect(store.changes.isEmpty)
        // On every line, an update too.
        try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupont"], into: store)
        #expect(try importLine(["CCT_CODE": "K1", "CCT_PRENOM": "Jean"], into: store) == rejected("Nom manquant"))
        #expect(store.changes.count == 1)
    }

    @Test func tableAndCatalogue() {
        #expect(ContactsRules(stamp: AuditStamp.creation).table == "CONTACTS")
        #expect(Catalogue.contacts.fields.filter(\.isRequired).map(\.name) == ["CCT_CODE", "CCT_NOM"])
        // The internal number is given by Comptoir, not by the file.
        #expect(Catalogue.contacts.field(named: "CCT_NUMERO") == nil)
        #expect(Catalogue.contacts.field(named: "CCT_TABLE") == nil)
    }

    // MARK: The tiers of a contact

    @Test func unknownTiersIsRejected() throws {
        let store = store()
        #expect(
            try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupont", "CCT_ORIGIN": "X9"], into: store)
                == rejected("Le code tiers X9 n'existe pas"))
        #expect(store.changes.isEmpty)
    }

    @Test(
        "the origin links the contact to its tiers, of any kind",
        arguments: [("K1", "Dupont", "C42"), ("K2", "Martin", "F1"), ("K3", "Durand", "P1")])
    func originLinksTheContactToItsTiers(contact: String, name: String, tiers: String) throws {
        let store = store()
        #expect(
            try importLine(["CCT_CODE": contact, "CCT_NOM": name, "CCT_ORIGIN": tiers], into: store)
                == .imported(warnings: []))
        // The contact alone is written: the tiers are not touched.
        #expect(
            store.changes
                == [
                    RecordChange(
                        table: "CONTACTS", kind: .create, key: LineValues([("CCT_CODE", .text(contact))]),
                        values: LineValues([
                            ("CCT_NOM", .text(name)), ("CCT_ORIGIN", .text(tiers)), ("CCT_TABLE", .text("PCF")),
                            ("CCT_DTCREE", .text("2024-03-15 10:20:30")), ("CCT_USRCRE", .text("DEMO")),
                            ("CCT_DTMAJ", .text("2024-03-15 10:20:30")), ("CCT_USRMAJ", .text("DEMO")),
                            ("CCT_NUMMAJ", .integer(1)),
                        ]))
                ])
        #expect(store.row("CONTACTS", contact)?["CCT_ORIGIN"] == .text(tiers))
        #expect(store.row("CONTACTS", contact)?["CCT_TABLE"] == .text("PCF"))
    }

    @Test func emptyOriginClearsTheLink() throws {
        let store = store()
        try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupont", "CCT_ORIGIN": "C42"], into: store)
        #expect(
            try importLine(
                ["CCT_CODE": "K1", "CCT_NOM": "Dupont", "CCT_ORIGIN": ""], into: store, stamp: AuditStamp.later)
                == .imported(warnings: []))
        #expect(
            store.changes.last
                == RecordChange(
                    table: "CONTACTS", kind: .update, key: key,
                    values: LineValues([
                        ("CCT_NOM", .text("Dupont")), ("CCT_ORIGIN", .null), ("CCT_TABLE", .null),
                        ("CCT_DTMAJ", .text("2024-03-16 08:00:00")),
                        ("CCT_USRMAJ", .text("ADM")), ("CCT_NUMMAJ", .integer(2)),
                    ])))
        #expect(store.row("CONTACTS", "K1")?["CCT_ORIGIN"] == .null)
        #expect(store.row("CONTACTS", "K1")?["CCT_TABLE"] == .null)
    }

    @Test func withoutOriginTheLinkIsLeftAsItIs() throws {
        let store = store()
        try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupont", "CCT_ORIGIN": "C42"], into: store)
        try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupond"], into: store, stamp: AuditStamp.later)
        #expect(store.changes.last?.values["CCT_TABLE"] == nil)
        #expect(store.changes.last?.values["CCT_ORIGIN"] == nil)
        #expect(store.row("CONTACTS", "K1")?["CCT_ORIGIN"] == .text("C42"))
        #expect(store.row("CONTACTS", "K1")?["CCT_TABLE"] == .text("PCF"))
        // A contact created without a tiers has no link.
        try importLine(["CCT_CODE": "K2", "CCT_NOM": "Seul"], into: store)
        #expect(store.row("CONTACTS", "K2") != nil)
        #expect(store.row("CONTACTS", "K2")?["CCT_TABLE"] == nil)
    }

    @Test func unknownTiersInAnUpdateLeavesTheContactAsItIs() throws {
        let store = store()
        try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupont", "CCT_ORIGIN": "C42"], into: store)
        let before = store.row("CONTACTS", "K1")
        #expect(
            try importLine(["CCT_CODE": "K1", "CCT_NOM": "Autre", "CCT_ORIGIN": "ZZ"], into: store)
                == rejected("Le code tiers ZZ n'existe pas"))
        #expect(store.row("CONTACTS", "K1") == before)
        #expect(store.changes.count == 1)
    }

    // MARK: Upsert and audit columns

    @Test func updateWritesOnlyPresentFieldsWithTheAuditColumns() throws {
        let store = store()
        try importLine(
            ["CCT_CODE": "K1", "CCT_NOM": "Dupont", "CCT_PRENOM": "Jean", "CCT_TELB": "01 02 03 04 05"], into: store)
        #expect(
            try importLine(
                ["CCT_CODE": "K1", "CCT_NOM": "Dupont", "CCT_FONCT": "Achats", "CCT_TELB": ""], into: store,
                stamp: AuditStamp.later)
                == .imported(warnings: []))
        #expect(
            store.changes.last
                == RecordChange(
                    table: "CONTACTS", kind: .update, key: key,
                    values: LineValues([
                        ("CCT_NOM", .text("Dupont")), ("CCT_FONCT", .text("Achats")), ("CCT_TELB", .null),
                        ("CCT_DTMAJ", .text("2024-03-16 08:00:00")), ("CCT_USRMAJ", .text("ADM")),
                        ("CCT_NUMMAJ", .integer(2)),
                    ])))
        #expect(
            store.row("CONTACTS", "K1") == [
                "CCT_CODE": .text("K1"), "CCT_NOM": .text("Dupont"), "CCT_PRENOM": .text("Jean"), "CCT_TELB": .null,
                "CCT_FONCT": .text("Achats"), "CCT_DTCREE": .text("2024-03-15 10:20:30"), "CCT_USRCRE": .text("DEMO"),
                "CCT_DTMAJ": .text("2024-03-16 08:00:00"), "CCT_USRMAJ": .text("ADM"), "CCT_NUMMAJ": .integer(2),
            ])
        try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupont"], into: store)
        #expect(store.row("CONTACTS", "K1")?["CCT_NUMMAJ"] == .integer(3))
        #expect(store.changes.map(\.kind) == [.create, .update, .update])
    }

    @Test func customFieldsAreWrittenToCONTACTS() throws {
        let store = store()
        try importLine(["CCT_CODE": "K1", "CCT_NOM": "Dupont", "XXX_BUREAU": "B12"], into: store)
        #expect(store.row("CONTACTS", "K1")?["XXX_BUREAU"] == .text("B12"))
    }

    // MARK: Warnings

    @Test(
        "an e-mail is checked: a bad one warns but is imported as written",
        arguments: [
            ("K1", "Dupont", "jean@dupont", ["L'adresse e-mail jean@dupont n'est pas valide"]),
            ("K2", "Martin", "paul.martin@sport25.fr", []),
            ("K3", "Durand", "", []),
        ])
    func emailIsChecked(contact: String, name: String, email: String, warnings: [LineWarning]) throws {
        let store = store()
        #expect(
            try importLine(["CCT_CODE": contact, "CCT_NOM": name, "CCT_EMAIL": email], into: store)
                == .imported(warnings: warnings))
        #expect(store.row("CONTACTS", contact)?["CCT_EMAIL"] == (email.isEmpty ? .null : .text(email)))
    }
}
