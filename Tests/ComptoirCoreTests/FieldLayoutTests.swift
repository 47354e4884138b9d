import ComptoirTestSupport
import Testing

@testable import ComptoirCore

/// Which field each column holds (contract, section 2).
@Suite struct FieldLayoutTests {
    private func layout(_ parametres: ImportParameters, _ catalogue: Catalogue = .clients) throws -> FieldLayout {
        try FieldLayout(parametres: parametres, catalogue: catalogue)
    }

    private func names(_ layout: FieldLayout) -> [String?] {
        layout.columns.map { $0?.name }
    }

    @Test func namesFromNomsChamps() throws {
        let layout = try layout(importParameters(nomsChamps: "PCF_CODE;PCF_RS;CPT_NUMERO", lines: ["C1;A;411C1"]))
        #expect(names(layout) == ["PCF_CODE", "PCF_RS", "CPT_NUMERO"])
        #expect(
            layout.columns.map { $0?.type } == [
                .text(maxLength: 20, codes: []), .text(maxLength: 60, codes: []), .text(maxLength: 25, codes: []),
            ])
        #expect(layout.notices == [])
        #expect(layout.skipsFirstLine == false)
        #expect(layout.customFields == [])
    }

    @Test func nomsChampsNamesAreTrimmedAndMatchedWithoutRegardToCase() throws {
        let layout = try layout(importParameters(nomsChamps: " pcf_code ; Pcf_Rs;CPT_NUMERO "))
        #expect(names(layout) == ["PCF_CODE", "PCF_RS", "CPT_NUMERO"])
        // A file's first line copied with its byte order mark names the same fields.
        let marked = try self.layout(importParameters(nomsChamps: "\u{FEFF}PCF_CODE;PCF_RS;CPT_NUMERO"))
        #expect(names(marked) == ["PCF_CODE", "PCF_RS", "CPT_NUMERO"])
        #expect(marked.notices == [])
    }

    @Test func nomsChampsAreAlwaysSeparatedBySemicolons() throws {
        let layout = try layout(importParameters(nomsChamps: "PCF_CODE;PCF_RS", separator: "|", lines: ["C1|A"]))
        #expect(names(layout) == ["PCF_CODE", "PCF_RS"])
        let tabbed = try self.layout(importParameters(nomsChamps: "PCF_CODE|PCF_RS", separator: "|"))
        #expect(names(tabbed) == [nil])
        #expect(tabbed.notices == ["Le champ PCF_CODE|PCF_RS est inconnu : colonne ignorée"])
    }

    @Test func namesFromTheHeaderLine() throws {
        let layout = try layout(importParameters(entete: true, lines: ["PCF_CODE;CPT_NUMERO;PCF_RS", "C1;411C1;A"]))
        #expect(names(layout) == ["PCF_CODE", "CPT_NUMERO", "PCF_RS"])
        #expect(layout.skipsFirstLine)
        #expect(layout.notices == [])
    }

    @Test func headerUsesTheSeparatorAndTheQualifier() throws {
        let layout = try layout(
            importParameters(
                entete: true, separator: "\t", qualifier: "\"", lines: ["\"PCF_CODE\"\t pcf_rs \t\"PCF_VILLE\""]))
        #expect(names(layout) == ["PCF_CODE", "PCF_RS", "PCF_VILLE"])
    }

    @Test func headerWithAnUnclosedQualifierIsRefused() {
        #expect(throws: RequestRefusal("La ligne d'en-tête est invalide : Identificateur de texte non fermé")) {
            try layout(importParameters(entete: true, qualifier: "\"", lines: ["PCF_CODE;\"PCF_RS"]))
        }
    }

    @Test func nomsChampsWinOverTheHeaderWhichIsThenSkipped() throws {
        let layout = try layout(
            importParameters(nomsChamps: "PCF_CODE;PCF_RS", entete: true, lines: ["CODE;NOM;VILLE", "C1;A"]))
        #expect(names(layout) == ["PCF_CODE", "PCF_RS"])
        #expect(layout.notices == [])
        #expect(layout.skipsFirstLine)
    }

    @Test func noNamesIsRefused() {
        let message =
            "Aucun nom de champ : renseignez noms_champs ou mettez entete à Oui avec les noms en première ligne"
        #expect(throws: RequestRefusal(message)) { try layout(importParameters(lines: ["C1;A"])) }
        #expect(throws: RequestRefusal(message)) { try layout(importParameters(entete: true, lines: [])) }
        // A header of empty cells names nothing either.
        #expect(throws: RequestRefusal(message)) { try layout(importParameters(entete: true, lines: ["", "C1;A"])) }
        #expect(throws: RequestRefusal(message)) { try layout(importParameters(entete: true, lines: [";;;", "C1;A"])) }
        #expect(throws: RequestRefusal(message)) { try layout(importParameters(nomsChamps: ";", lines: ["C1;A"])) }
    }

    @Test func aNameTwiceIsRefused() {
        #expect(throws: RequestRefusal("Le champ PCF_CODE est présent deux fois dans les noms de champs")) {
            try layout(importParameters(nomsChamps: "PCF_CODE;PCF_RS;pcf_code"))
        }
        #expect(throws: RequestRefusal("Le champ PCF_RS est présent deux fois dans les noms de champs")) {
            try layout(importParameters(entete: true, lines: ["PCF_CODE;Pcf_Rs;PCF_RS"]))
        }
        #expect(throws: RequestRefusal("Le champ XXX_A est présent deux fois dans les noms de champs")) {
            try layout(importParameters(nomsChamps: "XXX_A;xxx_a"))
        }
        #expect(throws: RequestRefusal("Le champ FOO est présent deux fois dans les noms de champs")) {
            try layout(importParameters(nomsChamps: "FOO;foo"))
        }
    }

    @Test func unknownNamesAreIgnoredWithANotice() throws {
        let layout = try layout(importParameters(nomsChamps: "PCF_CODE;FOO;PCF_RS;Bar_Baz"))
        #expect(names(layout) == ["PCF_CODE", nil, "PCF_RS", nil])
        #expect(
            layout.notices == [
                "Le champ FOO est inconnu : colonne ignorée", "Le champ Bar_Baz est inconnu : colonne ignorée",
            ])
    }

    @Test func emptyNamesAreIgnoredWithANotice() throws {
        let layout = try layout(importParameters(nomsChamps: "PCF_CODE;;PCF_RS;"))
        #expect(names(layout) == ["PCF_CODE", nil, "PCF_RS", nil])
        #expect(
            layout.notices == [
                "La colonne 2 n'a pas de nom : colonne ignorée", "La colonne 4 n'a pas de nom : colonne ignorée",
            ])
    }

    @Test func customFieldsAreListed() throws {
        let layout = try layout(importParameters(nomsChamps: "PCF_CODE;xxx_couleur;PCF_RS;XXX_TAILLE"))
        #expect(names(layout) == ["PCF_CODE", "XXX_COULEUR", "PCF_RS", "XXX_TAILLE"])
        #expect(layout.customFields == ["XXX_COULEUR", "XXX_TAILLE"])
        #expect(layout.notices == [])
    }

    @Test func customFieldsWhereTheDomainHasNone() throws {
        let layout = try layout(importParameters(nomsChamps: "PCF_CODE;RIB_ORDRE;XXX_A"), .banquesTiers)
        #expect(names(layout) == ["PCF_CODE", "RIB_ORDRE", nil])
        #expect(layout.customFields == [])
        #expect(layout.notices == ["Le champ XXX_A est inconnu : colonne ignorée"])
    }
}

/// Turning a data line into values (contract, section 3).
@Suite struct LineReaderTests {
    static let sevenNames = "PCF_CODE;PCF_RS;CPT_NUMERO;PCF_CP;PCF_DATIMM;PCF_CAPITA;PCF_DORT"

    private func reader(
        _ names: String = Self.sevenNames, separator: Unicode.Scalar = ";", qualifier: Unicode.Scalar? = nil
    ) throws -> LineReader {
        let parametres = importParameters(nomsChamps: names, separator: separator, qualifier: qualifier)
        return LineReader(
            layout: try FieldLayout(parametres: parametres, catalogue: .clients), separator: separator,
            qualifier: qualifier)
    }

    @Test func aFullLine() throws {
        let values = try reader().read("C1;Sport 25;411C1;78120;10/09/2019;1 234,5;Oui")
        #expect(
            values
                == .success(
                    LineValues([
                        ("PCF_CODE", .text("C1")), ("PCF_RS", .text("Sport 25")), ("CPT_NUMERO", .text("411C1")),
                        ("PCF_CP", .text("78120")), ("PCF_DATIMM", .text("2019-09-10")),
                        ("PCF_CAPITA", .text("1234.5000")), ("PCF_DORT", .integer(1)),
                    ])))
    }

    @Test func fewerFieldsLeaveTheOthersAbsent() throws {
        let values = try #require(try reader().read("C1;Nom").successValue)
        #expect(values == LineValues([("PCF_CODE", .text("C1")), ("PCF_RS", .text("Nom"))]))
        #expect(values["CPT_NUMERO"] == nil)
        #expect(values["PCF_DORT"] == nil)
    }

    @Test func presentEmptyValuesClear() throws {
        let values = try #require(try reader().read("C1;;411C1;;;;").successValue)
        #expect(
            values
                == LineValues([
                    ("PCF_CODE", .text("C1")), ("PCF_RS", .null), ("CPT_NUMERO", .text("411C1")), ("PCF_CP", .null),
                    ("PCF_DATIMM", .null), ("PCF_CAPITA", .null), ("PCF_DORT", .null),
                ]))
        #expect(values["PCF_RS"] == .null)
        #expect(values.text("PCF_RS") == nil)
        #expect(values.text("PCF_CODE") == "C1")
    }

    @Test func extraEmptyFieldsAreIgnored() throws {
        let values = try #require(try reader().read("C1;A;411C1;78120;;;0;;  ;").successValue)
        #expect(values.fields.count == 7)
        #expect(values["PCF_DORT"] == .integer(0))
    }

    @Test func extraNonEmptyFieldsRejectTheLine() throws {
        #expect(
            try reader().read("C1;A;411C1;78120;;;0;;x")
                == .failure(LineRejection(["La ligne comporte 9 champs alors que 7 sont attendus"])))
        #expect(
            try reader("PCF_CODE;PCF_RS").read("C1;A;B")
                == .failure(LineRejection(["La ligne comporte 3 champs alors que 2 sont attendus"])))
    }

    @Test func everyValueErrorOfALineIsCollectedInColumnOrder() throws {
        let line = "C1;" + String(repeating: "é", count: 61) + ";411C1;78120;31/02/2020;abc;2"
        #expect(
            try reader().read(line)
                == .failure(
                    LineRejection([
                        "Le champ PCF_RS dépasse 60 caractères",
                        "Le champ PCF_DATIMM n'est pas une date valide : 31/02/2020",
                        "Le champ PCF_CAPITA n'est pas un nombre valide : abc",
                        "Le champ PCF_DORT n'est pas une case à cocher valide : 2 (0 ou 1 attendu)",
                    ])))
    }

    @Test func unclosedQualifierRejectsTheLine() throws {
        #expect(
            try reader(qualifier: "\"").read("C1;\"Nom;411")
                == .failure(LineRejection(["Identificateur de texte non fermé"])))
    }

    @Test func qualifiedValuesAreNotTrimmed() throws {
        let values = try #require(
            try reader("PCF_CODE;PCF_RS", qualifier: "\"").read(" C1 ;\" Nom; Prénom \"").successValue)
        #expect(values == LineValues([("PCF_CODE", .text("C1")), ("PCF_RS", .text(" Nom; Prénom "))]))
    }

    @Test func ignoredColumnsAreSkipped() throws {
        let values = try #require(try reader("PCF_CODE;FOO;PCF_RS;").read("C1;n'importe quoi;Nom;rien").successValue)
        #expect(values == LineValues([("PCF_CODE", .text("C1")), ("PCF_RS", .text("Nom"))]))
    }

    @Test func ignoredColumnsAreNotChecked() throws {
        let values = try reader("PCF_CODE;FOO").read("C1;" + String(repeating: "x", count: 1000))
        #expect(values == .success(LineValues([("PCF_CODE", .text("C1"))])))
    }

    @Test func customFieldValues() throws {
        let values = try reader("PCF_CODE;XXX_COULEUR").read("C1;Bleu ciel")
        #expect(values == .success(LineValues([("PCF_CODE", .text("C1")), ("XXX_COULEUR", .text("Bleu ciel"))])))
    }

    @Test func otherSeparator() throws {
        let values = try reader("PCF_CODE;PCF_RS", separator: "§").read("C1§Nom; avec point-virgule")
        #expect(
            values == .success(LineValues([("PCF_CODE", .text("C1")), ("PCF_RS", .text("Nom; avec point-virgule"))])))
    }

    @Test func lineValuesSet() {
        var values = LineValues([("A", .text("1"))])
        values.set("A", .text("2"))
        values.set("B", .integer(1))
        #expect(values == LineValues([("A", .text("2")), ("B", .integer(1))]))
        #expect(values != LineValues([("B", .integer(1)), ("A", .text("2"))]))
    }
}
