import ComptoirCore
import Foundation

/// Where a PostgreSQL société lives, as its connection file `<NOM>.Gestimum` says, in the spirit
/// of Gestimum's own connection files: a server, a database, a schema of it, and who connects.
///
///     ; Société ACME : sa base est dans PostgreSQL.
///     [Connexion]
///     Moteur=PostgreSQL
///     Hote=127.0.0.1
///     Port=5432
///     Base=comptoir
///     Schema=acme
///     Utilisateur=comptoir
///     MotDePasse=…              (the file is then readable by its owner only)
///     VariableMotDePasse=…      (or: the environment variable that holds the password)
public struct ConnectionFile: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var database: String
    public var schema: String
    public var user: String
    /// Where the password comes from.
    public var password: Password

    public enum Password: Sendable, Equatable {
        case none
        /// Written in the file, which only its owner may then read.
        case inFile(String)
        /// The environment variable that holds it.
        case environment(String)
    }

    /// The first line of every connection file: how the folder tells one from an SQLite société.
    static let header = "; Fichier de connexion Comptoir"

    public init(host: String, port: Int, database: String, schema: String, user: String, password: Password) {
        self.host = host
        self.port = port
        self.database = database
        self.schema = schema
        self.user = user
        self.password = password
    }

    /// The connection a `postgres://utilisateur:motdepasse@hote:port/base` URL gives, to the
    /// schema `schema`; a URL without a password leaves it to `passwordVariable`. Its parts are
    /// percent-decoded once, as every client of PostgreSQL reads them.
    public init(url text: String, schema: String, passwordVariable: String? = nil) throws(SocieteError) {
        let name = schema.uppercased()
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""),
            let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty
        else {
            throw .notCreated(
                name, reason: "adresse PostgreSQL attendue : postgres://utilisateur:motdepasse@hote:port/base")
        }
        if url.password != nil, let passwordVariable {
            throw .notCreated(
                name,
                reason: "le mot de passe est à la fois dans l'adresse et dans la variable \(passwordVariable) : "
                    + "donnez-le d'une seule façon")
        }
        // Comptoir speaks to PostgreSQL without TLS: an address that asks for it is refused
        // rather than served in clear.
        for item in url.queryItems ?? [] {
            guard item.name == "sslmode", ["disable", "allow", "prefer"].contains(item.value ?? "") else {
                throw .notCreated(
                    name,
                    reason: item.name == "sslmode"
                        ? "Comptoir se connecte à PostgreSQL sans TLS (sslmode=\(item.value ?? "")) : "
                            + "joignez un serveur distant par un tunnel chiffré (ssh, WireGuard)"
                        : "paramètre d'adresse inconnu : \(item.name)")
            }
        }
        // The file keeps a value without the spaces around it, as an INI file does.
        if let password = url.password, password.trimmingCharacters(in: .whitespaces) != password {
            throw .notCreated(
                name,
                reason: "le mot de passe commence ou finit par une espace, que le fichier de connexion ne garde "
                    + "pas : donnez-le par une variable d'environnement (--variable-mot-passe)")
        }
        let database = String(url.path.drop { $0 == "/" })
        self.init(
            host: host, port: url.port ?? 5432, database: database.isEmpty ? user : database, schema: schema,
            user: user,
            password: url.password.map(Password.inFile) ?? passwordVariable.map(Password.environment) ?? .none)
    }

    /// The file's text.
    public var text: String {
        var lines = [
            Self.header, "[Connexion]", "Moteur=PostgreSQL", "Hote=\(host)", "Port=\(port)", "Base=\(database)",
            "Schema=\(schema)", "Utilisateur=\(user)",
        ]
        switch password {
        case .none: break
        case .inFile(let password): lines.append("MotDePasse=\(password)")
        case .environment(let variable): lines.append("VariableMotDePasse=\(variable)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether the file at `path` is a connection file rather than a société file: text that
    /// starts as an INI file does, with a comment or a section, after a UTF-8 byte order mark
    /// (which a Windows editor adds) and blanks. SQLite's files start with `SQLite format 3`.
    static func isConnectionFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = withoutByteOrderMark((try? handle.read(upToCount: 64)) ?? Data()).drop { $0 <= 0x20 }
        return start.first == UInt8(ascii: ";") || start.first == UInt8(ascii: "[")
    }

    /// `data` without the UTF-8 byte order mark it may start with.
    private static func withoutByteOrderMark(_ data: Data) -> Data {
        data.starts(with: TextEncoding.utf8ByteOrderMark) ? data.dropFirst(TextEncoding.utf8ByteOrderMark.count) : data
    }

    /// Reads the connection file at `path`, of the société `name`.
    static func read(at path: String, societe name: String) throws(SocieteError) -> ConnectionFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badConnectionFile(name, reason: "fichier illisible")
        }
        var values: [String: String] = [:]
        let lines = String(decoding: withoutByteOrderMark(data), as: UTF8.self).split(
            omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, line) in lines.enumerated() {
            let line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("[") { continue }
            // Named by its number, never by its text: a password written without its key would
            // otherwise reach any client, in the answer that names the société's fault.
            guard let equals = line.firstIndex(of: "=") else {
                throw .badConnectionFile(name, reason: "ligne \(index + 1) incorrecte (clé=valeur attendu)")
            }
            values[line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        func required(_ key: String) throws(SocieteError) -> String {
            guard let value = values[key.lowercased()], !value.isEmpty else {
                throw .badConnectionFile(name, reason: "la clé \(key) manque")
            }
            return value
        }
        guard try required("Moteur").lowercased() == "postgresql" else {
            throw .badConnectionFile(name, reason: "seul le moteur PostgreSQL est connu")
        }
        guard let port = Int(values["port"] ?? "5432") else {
            throw .badConnectionFile(name, reason: "le port \(values["port"] ?? "") n'est pas un nombre")
        }
        let password: Password =
            if let inFile = values["motdepasse"] {
                .inFile(inFile)
            } else if let variable = values["variablemotdepasse"] {
                .environment(variable)
            } else {
                .none
            }
        return ConnectionFile(
            host: try required("Hote"), port: port, database: try required("Base"), schema: try required("Schema"),
            user: try required("Utilisateur"), password: password)
    }

    /// Writes the file at `path`, never over another, readable by its owner only: it may hold a
    /// password.
    func write(to path: String, societe name: String) throws(SocieteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .alreadyExists((path as NSString).lastPathComponent) }
            throw .badConnectionFile(name, reason: SystemError.reason(errno: errno))
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count,
            fsync(descriptor) == 0
        else {
            throw .badConnectionFile(name, reason: SystemError.reason(errno: errno))
        }
    }

    /// The password to connect with, nil when none is given.
    func resolvedPassword(societe name: String) throws(SocieteError) -> String? {
        switch password {
        case .none: return nil
        case .inFile(let password): return password
        case .environment(let variable):
            guard let password = ProcessInfo.processInfo.environment[variable] else {
                throw .badConnectionFile(name, reason: "la variable d'environnement \(variable) n'est pas définie")
            }
            return password
        }
    }

    /// The schema of a société named `name`: its name in lower case, letters, digits and `_`.
    public static func schemaName(of name: String) -> String {
        String(
            name.lowercased().unicodeScalars.map { scalar in
                ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
    }
}
