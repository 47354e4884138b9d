/// A tâche's `.ini`, checked against the keys its tâche takes: what to run, on which société, as
/// whom, with which parameters, and where its journal and statistics go (`taches.md` §1).
public struct TacheRequest: Sendable {
    public let tache: Tache
    /// Absolute paths, resolved from the `.ini`'s folder.
    public let journalPath: String?
    public let statistiquesPath: String?
    public let societe: SocieteParameters
    /// The `.ini`'s folder, from which relative paths are resolved.
    public let folder: String
    /// The `[Paramètres]` given, checked, by the key's name as the tâche spells it; paths
    /// already absolute.
    private let parametres: [String: String]

    /// Reads the `.ini` `file`, whose folder is `folder` (absolute).
    public init(file: IniFile, folder: String) throws(TacheRefusal) {
        for name in file.sectionNames(besides: ["Tâche", "Société", "Paramètres"]) {
            throw TacheRefusal(.invalidTache, "Section inconnue : [\(name)]")
        }
        let tacheSection = try Self.checked(file, section: "Tâche", keys: Tache.tacheKeys, folder: folder)
        tache = try Tache.named(tacheSection["Nom"]!)
        let societeSection = try Self.checked(file, section: "Société", keys: Tache.societeKeys, folder: folder)
        parametres = try Self.checked(file, section: "Paramètres", keys: tache.parameters, folder: folder)
        self.folder = folder
        journalPath = tacheSection["Journal"]
        statistiquesPath = tacheSection["Statistiques"]
        societe = SocieteParameters(
            fichier: societeSection["Fichier"]!, utilisateur: societeSection["Utilisateur"]!,
            motPasse: societeSection["MotPasse"] ?? "", deconnecter: societeSection["Deconnecter"] == "Oui",
            exclusif: societeSection["Exclusif"] == "Oui")
    }

    /// The file of `[Tâche]`'s key `name` (`Journal`, `Statistiques`), when the `.ini` names
    /// one that can be read, even if the rest of the `.ini` is refused: the refusal is then
    /// written there too.
    public static func path(of name: String, in file: IniFile, folder: String) -> String? {
        guard let key = Tache.tacheKeys.first(where: { $0.name == name }),
            let entry = file.section("Tâche")?.first(where: { IniFile.folded($0.key) == IniFile.folded(key.name) }),
            let path = try? value(entry.value, of: key, folder: folder), !path.isEmpty
        else { return nil }
        return path
    }

    /// The value of a `[Paramètres]` key, or its default.
    public func value(_ key: String) -> String? {
        parametres[key] ?? tache.parameters.first { $0.name == key }?.defaultValue
    }

    /// Whether a `Oui`/`Non` key of `[Paramètres]` says `Oui`.
    public func isYes(_ key: String) -> Bool { value(key) == "Oui" }

    /// The entries of `section`, each key checked against `keys`: known, given once, of its
    /// kind, the required ones present. Yes/no values come back as `Oui` or `Non`.
    private static func checked(
        _ file: IniFile, section: String, keys: [Tache.Key], folder: String
    ) throws(TacheRefusal) -> [String: String] {
        let entries = file.section(section)
        if entries == nil, keys.contains(where: \.isRequired) {
            throw TacheRefusal(.invalidTache, "Section [\(section)] manquante")
        }
        var values: [String: String] = [:]
        for entry in entries ?? [] {
            guard let key = keys.first(where: { IniFile.folded($0.name) == IniFile.folded(entry.key) }) else {
                throw TacheRefusal(.invalidTache, "Paramètre inconnu : \(entry.key)")
            }
            values[key.name] = try value(entry.value, of: key, folder: folder)
        }
        for key in keys where key.isRequired && (values[key.name] ?? "").isEmpty {
            throw TacheRefusal(.invalidTache, "Paramètre \(key.name) manquant")
        }
        return values.filter { !$0.value.isEmpty }
    }

    private static func value(_ text: String, of key: Tache.Key, folder: String) throws(TacheRefusal) -> String {
        guard !text.isEmpty else { return text }
        switch key.kind {
        case .text: return text
        case .yesNo:
            switch text.lowercased() {
            case "oui": return "Oui"
            case "non": return "Non"
            default:
                throw TacheRefusal(.invalidTache, "Le paramètre \(key.name) doit valoir Oui ou Non, pas « \(text) »")
            }
        case .character:
            if text.lowercased() == "tab" { return "\t" }
            guard text.unicodeScalars.count == 1 else {
                throw TacheRefusal(
                    .invalidTache, "Le paramètre \(key.name) doit être un seul caractère, pas « \(text) »")
            }
            return text
        case .path: return try TachePath.resolve(text, from: folder)
        case .optionalPath: return text.lowercased() == "non" ? "" : try TachePath.resolve(text, from: folder)
        case .renaming:
            for name in text.split(separator: ";") where name.contains("/") || name.contains("\\") {
                _ = try TachePath.resolve(String(name), from: folder)
            }
            return text
        }
    }
}

/// The paths a `.ini` gives (`taches.md` §1): relative ones from the `.ini`'s folder, `\` read
/// as `/`, Windows drive letters refused.
public enum TachePath {
    public static func resolve(_ path: String, from folder: String) throws(TacheRefusal) -> String {
        let scalars = Array(path.unicodeScalars)
        if scalars.count >= 2, scalars[1] == ":", scalars[0].properties.isAlphabetic, scalars[0].isASCII {
            throw TacheRefusal(.invalidTache, "Chemin Windows non pris en charge : \(path)")
        }
        let slashed = path.replacingBackslashes()
        if slashed.hasPrefix("/") { return slashed }
        return (folder.hasSuffix("/") ? folder : folder + "/") + slashed
    }
}

extension String {
    fileprivate func replacingBackslashes() -> String {
        String(map { $0 == "\\" ? "/" : $0 })
    }
}
