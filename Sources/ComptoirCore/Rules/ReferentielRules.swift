/// What the reference domains add to `TableRules` (`domains.md` §3).

/// Devises: the rate and its date belong to Gestimum's update assistant, never to an import.
struct DevisesRule: TableLineRule {
    static let assistantColumns: Set<String> = ["DEV_DT_ACT", "DEV_COURS"]

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        let given = Self.assistantColumns.contains { line.text($0) != nil }
        line = LineValues(line.fields.filter { !Self.assistantColumns.contains($0.name) })
        guard given else { return LineVerdict() }
        return LineVerdict(warnings: [
            "La date d'actualisation et le cours de la devise ne sont modifiables que par l'assistant d'actualisation des devises."
        ])
    }
}

/// A column whose empty value means a default code (`ANA_PLAN` → `001`), as does its absence
/// on a created row; an update that leaves it out of the file keeps the stored code.
struct DefaultCode: TableLineRule {
    let column: String
    let code: String

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        line.fillDefault(column, .text(code), creating: !exists)
        return LineVerdict()
    }
}

/// Glossaires: a text is either short (`TXT_LIB`) or long (`TXT_MEMO`), never both; setting one
/// clears the other.
struct GlossairesRule: TableLineRule {
    func prepare(_ line: inout LineValues) -> [String]? {
        switch (line.text("TXT_LIB"), line.text("TXT_MEMO")) {
        case (nil, nil): return ["Texte manquant"]
        case (.some, .some): return ["Les champs TXT_LIB et TXT_MEMO ne peuvent pas être renseignés tous les deux"]
        case (.some, nil): line.set("TXT_MEMO", .null)
        case (nil, .some): line.set("TXT_LIB", .null)
        }
        return nil
    }
}

/// NaturesComptables: the société's natures (`SOC`), and their overrides for one article,
/// family or sous-famille, which start as a copy of the société's nature.
struct NaturesRule: TableLineRule {
    /// The table and the naming of an override's origin, by `NAT_TABLE`; `FPT` (frais) has no
    /// table in Comptoir, so no such origin exists.
    static let origins: [String: (table: String, keyColumn: String, objet: String)] = [
        "ART": ("ARTICLES", "ART_CODE", "article"), "FAR": ("ART_FAM", "FAR_CODE", "famille"),
        "SFA": ("ART_SFAM", "SFA_CODE", "sous-famille"), "FPT": ("FRAIS", "FPT_CODE", "frais"),
    ]
    static let societe = "SOC"

    let description: TableDescription

    func prepare(_ line: inout LineValues) -> [String]? {
        line.fill("NAT_TABLE", .text(Self.societe))
        if line.text("NAT_TABLE") == Self.societe {
            guard line.text("NAT_ORIGIN") == nil else {
                return ["Le champ NAT_ORIGIN doit être vide pour une nature de la société (NAT_TABLE SOC)"]
            }
            line.set("NAT_ORIGIN", .text(""))
        } else if line.text("NAT_ORIGIN") == nil {
            // Its key then lacks nothing else: this reason says it, and `Code manquant` would
            // say it again.
            line.set("NAT_ORIGIN", .text(""))
            return ["Le champ NAT_ORIGIN est obligatoire"]
        }
        return nil
    }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        guard let table = line.text("NAT_TABLE"), table != Self.societe, let origin = line.text("NAT_ORIGIN"),
            let type = line.text("NAT_TYPE"), let code = line.text("NAT_CODE")
        else { return LineVerdict() }
        var reasons: [String] = []
        if let naming = Self.origins[table],
            try !store.exists(in: naming.table, key: LineValues([(naming.keyColumn, .text(origin))]))
        {
            reasons.append("Le code \(naming.objet) \(origin) n'existe pas")
        }
        let copied = description.columns.map(\.name).filter { !description.key.contains($0) && line[$0] == nil }
        let societeKey = LineValues([
            ("NAT_TABLE", .text(Self.societe)), ("NAT_TYPE", .text(type)), ("NAT_ORIGIN", .text("")),
            ("NAT_CODE", .text(code)),
        ])
        guard let nature = try store.row(in: description.name, key: societeKey, columns: copied) else {
            return LineVerdict(reasons: reasons + ["Le code nature comptable \(code) n'existe pas"])
        }
        if !exists {
            for (column, value) in zip(copied, nature) where value != .null { line.set(column, value) }
        }
        return LineVerdict(reasons: reasons)
    }
}

/// Utilisateurs: the société's users (`webservice.md` §7), in Comptoir's `UTILISATEURS`. The
/// password is stored hashed, an unknown group is created, and the calling user cannot leave
/// the group that lets it run this import.
struct UtilisateursRule: TableLineRule {

    let passwords: any PasswordHashing
    /// Who runs the import.
    let caller: String

    func prepare(_ line: inout LineValues) -> [String]? {
        var fields: [(name: String, value: FieldValue)] = []
        for field in line.fields {
            switch field.name {
            case "USR_NAME": fields.append(("USR_CODE", field.value))
            // An empty password keeps the user's: a file cannot wipe it.
            case "USR_PASSWD":
                if let password = field.value.text, !password.isEmpty {
                    fields.append(("USR_MDP_HASH", .text(passwords.hash(password))))
                }
            default: fields.append(field)
            }
        }
        line = LineValues(fields)
        if let group = line.text("USR_GROUPE") { line.set("USR_GROUPE", .text(group.uppercased())) }
        // An empty group takes the caller out of its group as surely as another one.
        if let user = line.text("USR_CODE"), user.lowercased() == caller.lowercased(), line["USR_GROUPE"] != nil,
            line.text("USR_GROUPE") != UtilisateursGroups.administrators
        {
            return [
                "L'utilisateur \(user) lance cet import : il ne peut pas quitter le groupe \(UtilisateursGroups.administrators)"
            ]
        }
        return nil
    }

    func check(_ line: inout LineValues, exists: Bool, store: some RecordStore) throws -> LineVerdict {
        if !exists {
            line.set("USR_NOM", line["USR_CODE"]!)
            if line["USR_MDP_HASH"] == nil { line.set("USR_MDP_HASH", .text(passwords.hash(""))) }
            // A new user always has a group: the one `comptoir utilisateur creer` gives.
            if line.text("USR_GROUPE") == nil { line.set("USR_GROUPE", .text(UtilisateursGroups.users)) }
        }
        return LineVerdict()
    }

    func written(_ line: LineValues, store: some RecordStore) throws {
        if let group = line.text("USR_GROUPE") {
            let key = LineValues([("TBL_ID", .text(CodeLists.groupesUtilisateurs)), ("TBL_CODE", .text(group))])
            if try !store.exists(in: "TABLES", key: key) {
                try store.write(
                    RecordChange(
                        table: "TABLES", kind: .create, key: key, values: LineValues([("TBL_LIB", .text(group))]))
                )
            }
        }
    }
}

/// Gestimum's groups of users, which a new société holds.
public enum UtilisateursGroups {
    /// The group whose users may import users.
    public static let administrators = "ADMIN"
    /// The group of a user created without one.
    public static let users = "DEFAUT"
    public static let seeded = [(administrators, "Administrateurs"), (users, "Utilisateurs"), ("INVITE", "Invités")]
}
