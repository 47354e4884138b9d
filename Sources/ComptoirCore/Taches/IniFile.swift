/// An `.ini` file as Gestimum's tâches read it (`taches.md` §1): sections, `Clé=Valeur` lines,
/// comments starting with `;` or `#`. Sections and keys are matched without regard to case,
/// and the three sections of a tâche also without their accents.
public struct IniFile: Sendable {
    public struct Entry: Sendable, Equatable {
        /// The key as written.
        public let key: String
        public let value: String
    }

    /// Each section's entries, by the section's folded name, in the file's order, with its name
    /// as first written.
    private var sections: [(name: String, written: String, entries: [Entry])] = []

    /// Reads `text`; a line that is neither a section, a comment nor `Clé=Valeur`, a key outside
    /// any section and a key given twice refuse the file.
    public init(text: String) throws(TacheRefusal) {
        var current: Int?
        for (index, rawLine) in textLines(text).enumerated() {
            let line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let written = String(line.dropFirst().dropLast()).trimmingSpaces()
                let name = Self.folded(written)
                if let existing = sections.firstIndex(where: { $0.name == name }) {
                    current = existing
                } else {
                    sections.append((name, written, []))
                    current = sections.count - 1
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw TacheRefusal(.invalidTache, "Ligne \(index + 1) incorrecte dans le fichier de la tâche : \(line)")
            }
            let key = String(line[..<equals]).trimmingSpaces()
            guard !key.isEmpty else {
                throw TacheRefusal(.invalidTache, "Ligne \(index + 1) incorrecte dans le fichier de la tâche : \(line)")
            }
            guard let current else {
                throw TacheRefusal(.invalidTache, "Le paramètre \(key) est hors de toute section")
            }
            if sections[current].entries.contains(where: { Self.folded($0.key) == Self.folded(key) }) {
                throw TacheRefusal(.invalidTache, "Paramètre \(key) donné deux fois")
            }
            let value = Self.unquoted(String(line[line.index(after: equals)...]).trimmingSpaces())
            sections[current].entries.append(Entry(key: key, value: value))
        }
    }

    /// The entries of the section `name` (`Tâche`, `Société`, `Paramètres`), or nil when the
    /// file has no such section.
    public func section(_ name: String) -> [Entry]? {
        sections.first { $0.name == Self.folded(name) }?.entries
    }

    /// The name, as written, of each section but those that `known` names.
    public func sectionNames(besides known: [String]) -> [String] {
        let folded = Set(known.map(Self.folded))
        return sections.filter { !folded.contains($0.name) }.map(\.written)
    }

    /// A name in lower case, without the accents the three sections of a tâche carry.
    static func folded(_ name: String) -> String {
        String(
            name.lowercased().map { character -> Character in
                switch character {
                case "â", "à": "a"
                case "é", "è", "ê": "e"
                default: character
                }
            })
    }

    /// A value between double quotes, two characters long or more, without them: how a value
    /// keeps its spaces.
    private static func unquoted(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        return String(value.dropFirst().dropLast())
    }
}
