import ComptoirTestSupport
import Foundation
import Testing

@testable import ComptoirStore

/// The connection file of a PostgreSQL société, `<NOM>.Gestimum` (issue 18): what
/// `societe creer --postgres` writes, what the folder reads back, and what it refuses, in French.
@Suite("The connection file of a PostgreSQL société")
struct ConnectionFileTests {
    @Test("an address with its password is written 0600, read back the same, and told from an SQLite file")
    func roundTrip() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ACME.Gestimum")
            let written = try ConnectionFile(
                url: "postgres://comptoir:s%C3%A9cret@db.example.fr:5433/gestion", schema: "acme")
            #expect(written.host == "db.example.fr" && written.port == 5433 && written.database == "gestion")
            #expect(written.password == .inFile("sécret"))
            // Decoded once: `%25` is a percent sign of the password, never the start of another code.
            let percent = try ConnectionFile(
                url: "postgres://comptoir:a%2541b%40c@db.example.fr/gestion", schema: "acme")
            #expect(percent.password == .inFile("a%41b@c"))
            try written.write(to: path, societe: "ACME")
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(try ConnectionFile.read(at: path, societe: "ACME") == written)
            #expect(ConnectionFile.isConnectionFile(path))
            #expect(throws: SocieteError.alreadyExists("ACME.Gestimum")) {
                try written.write(to: path, societe: "ACME")
            }

            let sqlite = try SocieteFolder(path: folder).create(name: "AUTRE", user: "U", password: "", hashCost: 4)
            #expect(!ConnectionFile.isConnectionFile(sqlite))
        }
    }

    @Test("without a password in the address, the file names the variable that holds it")
    func passwordInTheEnvironment() throws {
        let connection = try ConnectionFile(
            url: "postgresql://comptoir@127.0.0.1/comptoir", schema: "acme", passwordVariable: "COMPTOIR_PG_ACME")
        #expect(connection.password == .environment("COMPTOIR_PG_ACME"))
        #expect(connection.text.contains("VariableMotDePasse=COMPTOIR_PG_ACME\n"))
        #expect(!connection.text.contains("MotDePasse=\n"))
        #expect(connection.port == 5432)
        #expect(
            throws: SocieteError.badConnectionFile(
                "ACME", reason: "la variable d'environnement COMPTOIR_PG_ACME n'est pas définie")
        ) { _ = try connection.resolvedPassword(societe: "ACME") }
    }

    @Test("a société that cannot be created is told so, not blamed on a connection file yet to be written")
    func creationRefusals() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ACME.Gestimum")
            let connection = try ConnectionFile(
                url: "postgresql://comptoir@127.0.0.1/comptoir", schema: "acme",
                passwordVariable: "COMPTOIR_PG_VARIABLE_JAMAIS_DEFINIE")
            await #expect(
                throws: SocieteError.notCreated(
                    "ACME", reason: "la variable d'environnement COMPTOIR_PG_VARIABLE_JAMAIS_DEFINIE n'est pas définie")
            ) { try await PostgresSociete.create(at: path, connection: connection, user: "U", password: "") }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        #expect(
            SocieteError.notCreated("ACME", reason: "le schéma acme existe déjà dans la base comptoir").message
                == "La société ACME n'a pas pu être créée : le schéma acme existe déjà dans la base comptoir")
    }

    @Test("a bad address or a file without its keys is refused in French, naming the société")
    func refusals() async throws {
        #expect(
            throws: SocieteError.notCreated(
                "ACME", reason: "adresse PostgreSQL attendue : postgres://utilisateur:motdepasse@hote:port/base")
        ) { _ = try ConnectionFile(url: "mysql://u@h/b", schema: "acme") }
        #expect(
            throws: SocieteError.notCreated(
                "ACME",
                reason: "le mot de passe est à la fois dans l'adresse et dans la variable COMPTOIR_PG_ACME : "
                    + "donnez-le d'une seule façon")
        ) { _ = try ConnectionFile(url: "postgres://u:pw@h/b", schema: "acme", passwordVariable: "COMPTOIR_PG_ACME") }
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ACME.Gestimum")
            try "; Fichier de connexion Comptoir\n[Connexion]\nMoteur=PostgreSQL\nHote=h\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: SocieteError.self) { try ConnectionFile.read(at: path, societe: "ACME") }
            #expect(error?.message == "Le fichier de connexion de la société ACME est invalide : la clé Base manque")
            try "; Fichier de connexion Comptoir\n[Connexion]\nMoteur=Oracle\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: SocieteError.badConnectionFile("ACME", reason: "seul le moteur PostgreSQL est connu")) {
                try ConnectionFile.read(at: path, societe: "ACME")
            }
        }
    }

    @Test("a connection file mended in a Windows editor, or with another comment first, is still one")
    func editedFiles() async throws {
        try await withTemporaryFolder { folder in
            let written = try ConnectionFile(url: "postgres://comptoir:pw@db.example.fr/gestion", schema: "acme")
            let text = written.text
            for (name, bytes) in [
                ("BOM", [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
                ("COMMENT", Array(("; Société ACME : sa base est dans PostgreSQL.\n" + text).utf8)),
                ("SECTION", Array(text.split(separator: "\n").dropFirst().joined(separator: "\n").utf8)),
            ] {
                let path = (folder as NSString).appendingPathComponent("\(name).Gestimum")
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                #expect(ConnectionFile.isConnectionFile(path), "\(name)")
                #expect(try ConnectionFile.read(at: path, societe: name) == written, "\(name)")
            }
            let notAFile = (folder as NSString).appendingPathComponent("TEXTE.Gestimum")
            try "pas une base\n".write(toFile: notAFile, atomically: true, encoding: .utf8)
            #expect(!ConnectionFile.isConnectionFile(notAFile))
        }
    }

    @Test("a connection file mended in place is read again, as one replaced is")
    func mendedInPlace() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("ACME.Gestimum")
            try ConnectionFile(url: "postgres://comptoir:faux@127.0.0.1/gestion", schema: "acme")
                .write(to: path, societe: "ACME")
            let societe = try PostgresSociete(path: path)
            #expect(societe.isInPlace)
            // As `cp`, `cat >` or nano write: the same file, its bytes changed.
            let file = try #require(FileHandle(forUpdatingAtPath: path))
            try file.truncate(atOffset: 0)
            try file.write(
                contentsOf: Data(
                    try ConnectionFile(url: "postgres://comptoir:vrai@127.0.0.1/gestion", schema: "acme").text.utf8))
            try file.close()
            #expect(!societe.isInPlace)
        }
    }

    @Test("an address the file could not keep, or that asks for TLS, is refused before anything is written")
    func addressesRefused() {
        for (url, reason) in [
            (
                "postgres://u:ab%20@h/b",
                "le mot de passe commence ou finit par une espace, que le fichier de connexion ne garde pas : "
                    + "donnez-le par une variable d'environnement (--variable-mot-passe)"
            ),
            (
                "postgres://u:pw@h/b?sslmode=require",
                "Comptoir se connecte à PostgreSQL sans TLS (sslmode=require) : "
                    + "joignez un serveur distant par un tunnel chiffré (ssh, WireGuard)"
            ),
            ("postgres://u:pw@h/b?connect_timeout=5", "paramètre d'adresse inconnu : connect_timeout"),
        ] {
            #expect(throws: SocieteError.notCreated("ACME", reason: reason), "\(url)") {
                _ = try ConnectionFile(url: url, schema: "acme")
            }
        }
        #expect((try? ConnectionFile(url: "postgres://u:pw@h/b?sslmode=disable", schema: "acme")) != nil)
    }

    @Test("a société's schema is its name in lower case, letters, digits and _")
    func schemaNames() {
        #expect(ConnectionFile.schemaName(of: "ACME") == "acme")
        #expect(ConnectionFile.schemaName(of: "Dupont & Fils-2") == "dupont___fils_2")
    }
}
