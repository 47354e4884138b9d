import Testing

@testable import ComptoirCore

/// How the lines of an écritures file are read into fields (`domains.md` §4).
@Suite struct EcritureReaderTests {
    @Test("a quoted field keeps its doubled quotes as one, and EBP's space before a quote is no content")
    func quotedFields() {
        let variable = EcritureReader(format: .gestimumComptaVariable)
        let quoted = variable.read(#"1,31/12/2019,VTE,411070001,FA12,"""Urgent"" d'abord",42,EUR,120.00,C"#)
        #expect(quoted.reasons == [])
        #expect(quoted.texts[.libelle] == #""Urgent" d'abord"#)
        let wholly = variable.read(#"1,31/12/2019,VTE,411070001,FA12,"""Urgent""",42,EUR,120.00,C"#)
        #expect(wholly.texts[.libelle] == #""Urgent""#)

        let ebp = EcritureReader(format: .ebpV3).read(
            #"1,010103,VE,411ART,FA, "Ventes d’ordinateur ", "123 ",75.00,D,010303"#)
        #expect(ebp.reasons == [])
        #expect(ebp.texts[.libelle] == "Ventes d’ordinateur")
        #expect(ebp.texts[.piece] == "123")
    }
}
