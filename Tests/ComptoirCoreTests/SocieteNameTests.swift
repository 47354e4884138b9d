import Testing

@testable import ComptoirCore

/// The file name of a société (contract, section 7).
@Suite struct SocieteNameTests {
    @Test(arguments: [
        ("DEMO", "DEMO.Gestimum"),
        ("DEMO.Gestimum", "DEMO.Gestimum"),
        (#"C:\ProgramData\Gestimum\DEMO.Gestimum"#, "DEMO.Gestimum"),
        (#"C:\ProgramData\Gestimum\DEMO"#, "DEMO.Gestimum"),
        ("/x/y/DEMO.Gestimum", "DEMO.Gestimum"),
        ("/x/y/DEMO", "DEMO.Gestimum"),
        (#"\\serveur\partage/dossier\DEMO.Gestimum"#, "DEMO.Gestimum"),
        ("DEMO.gestimum", "DEMO.Gestimum"),
        ("DEMO.GESTIMUM", "DEMO.Gestimum"),
        ("Ma Societe 2", "Ma Societe 2.Gestimum"),
        ("my_company-1.v2", "my_company-1.v2.Gestimum"),
        ("../DEMO", "DEMO.Gestimum"),
        (#"..\..\DEMO.Gestimum"#, "DEMO.Gestimum"),
        // Windows drops a name's trailing spaces and dots.
        ("DEMO ", "DEMO.Gestimum"),
        ("DEMO.Gestimum ", "DEMO.Gestimum"),
        (#"C:\Gestimum\DEMO.Gestimum. "#, "DEMO.Gestimum"),
        ("Ma Societe .", "Ma Societe.Gestimum"),
    ])
    func fileNames(fichier: String, fileName: String) throws {
        #expect(try SocieteName.fileName(for: fichier) == fileName)
    }

    @Test(arguments: [
        "", "../", "..", ".", " ", ". .", #"..\"#, "/", #"C:\ProgramData\"#, ".Gestimum", ".gestimum", ".hidden",
        "Société",
        "DÉMO", "DE\u{0}MO", "DEMO\u{0}.Gestimum", "DEMO\n", "DE:MO", "DE*MO", "DEMO?", "DE\tMO", "ДЕМО",
        String(repeating: "A", count: 201),
    ])
    func refusedNames(fichier: String) {
        #expect(throws: RequestRefusal.self) { try SocieteName.fileName(for: fichier) }
    }

    @Test func refusalMessage() {
        #expect(
            throws: RequestRefusal(
                "Le nom de société « Société » est invalide : lettres sans accent, chiffres, espaces, « _ », « . » et « - » seulement"
            )
        ) {
            try SocieteName.fileName(for: "/data/Société")
        }
        // An empty name is shown as it was given; a name starting with a point, or too long,
        // is told why.
        #expect(throws: RequestRefusal("Le nom de société « DEMO\\ » est invalide : il est vide")) {
            try SocieteName.fileName(for: "DEMO\\")
        }
        #expect(throws: RequestRefusal("Le nom de société « .. » est invalide : il ne peut pas commencer par un point"))
        {
            try SocieteName.fileName(for: "..")
        }
        #expect(
            throws: RequestRefusal(
                "Le nom de société « \(String(repeating: "A", count: 201)) » est invalide : 200 caractères au plus")
        ) {
            try SocieteName.fileName(for: String(repeating: "A", count: 201))
        }
    }

    @Test func longestName() throws {
        let name = String(repeating: "A", count: 200)
        #expect(try SocieteName.fileName(for: name) == name + ".Gestimum")
        #expect(SocieteName.fileExtension == ".Gestimum")
    }
}
