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

    @Test("a société's schema is its name in lower case, letters, digits and _")
    func schemaNames() {
        #expect(ConnectionFile.schemaName(of: "ACME") == "acme")
        #expect(ConnectionFile.schemaName(of: "Dupont & Fils-2") == "dupont___fils_2")
    }
}
