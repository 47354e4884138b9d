import ComptoirCore
import Testing

/// The `.ini` of a tâche and its files' encodings, read as `taches.md` §1 says.
@Suite("Tâches: .ini files, encodings, keys and defaults")
struct TacheIniTests {
    static let folder = "/srv/taches"

    private func request(_ lines: [String]) throws -> TacheRequest {
        try TacheRequest(file: try IniFile(text: lines.joined(separator: "\r\n")), folder: Self.folder)
    }

    @Test("Gestimum's example, with its defaults: PremiereLigneContientNomsChamps is Oui, the separator ;")
    func gestimumExample() throws {
        let request = try request([
            "[Tâche]", "Nom=ImporterClients", "Journal=ImporterClients.log", "[Société]",
            "Fichier=C:\\ProgramData\\Gestimum\\DEMO.Gestimum", "Utilisateur=DEMO  ", "[Paramètres]",
            "FichierImporter=ImporterClients.txt",
        ])
        #expect(request.tache.name == "ImporterClients")
        #expect(request.journalPath == "/srv/taches/ImporterClients.log")
        #expect(request.statistiquesPath == nil)
        #expect(request.societe.fichier == "C:\\ProgramData\\Gestimum\\DEMO.Gestimum")
        #expect(request.societe.utilisateur == "DEMO")
        #expect(request.societe.motPasse == "" && !request.societe.exclusif && !request.societe.deconnecter)
        #expect(request.value("FichierImporter") == "/srv/taches/ImporterClients.txt")
        #expect(request.isYes("PremiereLigneContientNomsChamps"))
        #expect(request.value("SeparateurChamps") == ";")
        #expect(request.value("IdentificateurTexte") == nil)
        #expect(!request.isYes("RenommerFichier"))
    }

    @Test("sections and keys without regard to case or accents, quotes, Tab, comments, ; as a value")
    func syntax() throws {
        let request = try request([
            "; un commentaire", "  # un autre", "[TACHE]", "nom = importerdevises", "[societe]", "FICHIER=DEMO",
            "utilisateur=demo", "Exclusif=oui", "[parametres]", "FichierImporter=sous\\dossier\\devises.txt",
            "SeparateurChamps=Tab", "IdentificateurTexte=\"", "Champs=\" DEV_CODE;DEV_LIB \"",
            "PremiereLigneContientNomsChamps=NON",
        ])
        #expect(request.tache.name == "ImporterDevises")
        #expect(request.societe.exclusif)
        #expect(request.value("FichierImporter") == "/srv/taches/sous/dossier/devises.txt")
        #expect(request.value("SeparateurChamps") == "\t")
        #expect(request.value("IdentificateurTexte") == "\"")
        #expect(request.value("Champs") == " DEV_CODE;DEV_LIB ")
        #expect(!request.isYes("PremiereLigneContientNomsChamps"))

        let semicolon = try self.request([
            "[Tâche]", "Nom=ImporterPays", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO", "[Paramètres]",
            "FichierImporter=/data/pays.txt", "SeparateurChamps=;",
        ])
        #expect(semicolon.value("SeparateurChamps") == ";")
        #expect(semicolon.value("FichierImporter") == "/data/pays.txt")
    }

    @Test("aliases found on Gestimum's pages name their tâche; the journal uses the canonical name")
    func aliases() throws {
        #expect(try Tache.named("ImporterArticlesSeuls").name == "ImporterArticles")
        #expect(try Tache.named("ImporteFamillesArticles").name == "ImporterFamillesArticles")
        #expect(try Tache.named("ImporterReferencesClients").name == "ImporterReferencesClientsArticles")
        #expect(throws: TacheRefusal(.invalidTache, "Tâche inconnue : Importer")) { try Tache.named("Importer") }
    }

    @Test(
        "every domain served has its import tâche, with Gestimum's description, Tester and the account keys where its request takes them"
    )
    func everyDomainHasItsTache() throws {
        for domaine in Domaine.all {
            let tache = try Tache.named(domaine.taskName)
            #expect(tache.description.hasSuffix("par import de fichier texte"), "\(tache.name)")
            let keys = tache.parameters.map(\.name)
            #expect(keys.contains("Tester") == domaine.acceptsTester, "\(tache.name)")
            #expect(keys.contains("CalculerCodeTiers") == domaine.acceptsAccountComputation, "\(tache.name)")
        }
    }

    @Test(
        "keys a tâche does not take, Tester on a domain without it, and the account keys on one without them are unknown",
        arguments: [
            ("ImporterDevises", "Tester"), ("ImporterContacts", "CalculerCodeTiers"), ("ImporterClients", "Requete"),
        ])
    func unknownKeys(tache: String, key: String) {
        #expect(throws: TacheRefusal(.invalidTache, "Paramètre inconnu : \(key)")) {
            try request([
                "[Tâche]", "Nom=\(tache)", "[Société]", "Fichier=DEMO", "Utilisateur=DEMO", "[Paramètres]",
                "FichierImporter=f.txt", "\(key)=Oui",
            ])
        }
    }

    @Test("a section a tâche does not have is named as written")
    func unknownSection() {
        #expect(throws: TacheRefusal(.invalidTache, "Section inconnue : [Autre Section]")) {
            try request(["[TACHE]", "Nom=AfficherMessageTest", "[Autre Section]", "Cle=1", "[société]", "Fichier=DEMO"])
        }
    }

    @Test("Windows-1252 read and written: the typographic characters of 0x80-0x9F, ? for what it lacks")
    func windows1252() throws {
        let bytes: [UInt8] = [0x80, 0x20, 0x9C, 0x75, 0x76, 0x72, 0x65, 0x20, 0x92, 0x20, 0xE9, 0x81]
        let (text, encoding) = try TextEncoding.decode(bytes, of: "f.txt")
        #expect(encoding == .windows1252)
        #expect(text == "€ œuvre ’ é\u{81}")
        #expect(TextEncoding.windows1252.encode(text) == bytes)
        #expect(TextEncoding.windows1252.encode("Ω→ok") == Array("??ok".utf8))
    }

    @Test("UTF-8 after a BOM, which is dropped and written back first; UTF-16, or no UTF-8 after the BOM, refused")
    func utf8AndUTF16() throws {
        let (text, encoding) = try TextEncoding.decode([0xEF, 0xBB, 0xBF] + Array("Pâtis Ω".utf8), of: "f.txt")
        #expect(text == "Pâtis Ω" && encoding == .utf8WithBOM)
        #expect(TextEncoding.utf8WithBOM.encode("é", startsFile: true) == [0xEF, 0xBB, 0xBF, 0xC3, 0xA9])
        #expect(TextEncoding.utf8WithBOM.encode("é") == [0xC3, 0xA9])
        #expect(throws: TacheRefusal(.invalidTache, "Les fichiers en UTF-16 ne sont pas pris en charge")) {
            try TextEncoding.decode([0xFF, 0xFE, 0x5B, 0x00], of: "f.txt")
        }
        // A header written in UTF-8 before a body in Windows-1252: `Caf\xE9` is no UTF-8.
        #expect(
            throws: TacheRefusal(
                .invalidTache, "Le fichier f.txt commence comme un texte UTF-8 (BOM) mais n'en est pas un (octet 7)")
        ) {
            try TextEncoding.decode([0xEF, 0xBB, 0xBF] + Array("Caf".utf8) + [0xE9, 0x0D, 0x0A], of: "f.txt")
        }
    }

    @Test("a file in UTF-8 without a BOM is told apart from Windows-1252 text")
    func utf8WithoutBOM() {
        #expect(TextEncoding.looksLikeUTF8WithoutBOM(Array("Pâtis".utf8)))
        #expect(!TextEncoding.looksLikeUTF8WithoutBOM(Array("Patis".utf8)))
        #expect(!TextEncoding.looksLikeUTF8WithoutBOM([0x50, 0xE2, 0x74, 0x69, 0x73]))
        #expect(!TextEncoding.looksLikeUTF8WithoutBOM([0xEF, 0xBB, 0xBF] + Array("Pâtis".utf8)))
    }

    @Test("data files split at CRLF, LF or CR; a last empty line ignored")
    func lines() {
        #expect(textLines("a\r\nb\nc\rd\r\n") == ["a", "b", "c", "d"])
        #expect(textLines("a\r\n\r\nb") == ["a", "", "b"])
        #expect(textLines("") == [])
    }
}
