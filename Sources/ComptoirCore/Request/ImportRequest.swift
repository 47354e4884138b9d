/// The `societe` object, common to every request (contract, section 2).
public struct SocieteParameters: Sendable, Equatable {
    public var fichier: String
    public var utilisateur: String
    public var motPasse: String
    public var deconnecter: Bool
    public var exclusif: Bool

    public init(fichier: String, utilisateur: String, motPasse: String, deconnecter: Bool, exclusif: Bool) {
        self.fichier = fichier
        self.utilisateur = utilisateur
        self.motPasse = motPasse
        self.deconnecter = deconnecter
        self.exclusif = exclusif
    }
}

/// The `parametres` object of an import.
public struct ImportParameters: Sendable, Equatable {
    /// How a request names the keys that lay out its file, for the messages that name them.
    public struct KeyNames: Sendable, Equatable {
        public let fieldNames: String
        public let header: String

        /// The web service's `noms_champs` and `entete`.
        public static let webService = KeyNames(fieldNames: "noms_champs", header: "entete")
        /// A tâche's `Champs` and `PremiereLigneContientNomsChamps` (`taches.md` §2).
        public static let tache = KeyNames(fieldNames: "Champs", header: "PremiereLigneContientNomsChamps")
    }

    public var journal: Bool
    public var statistiques: Bool
    public var entete: Bool
    public var nomsChamps: String
    public var separator: Unicode.Scalar
    public var qualifier: Unicode.Scalar?
    public var lines: StringList
    public var tester: Bool
    public var calculerCodeTiers: Bool
    public var calculerNumeroCompte: Bool
    /// Ecritures' own parameters (`domains.md` §4), nil for every other domain.
    public var ecritures: EcrituresParameters?
    public var keyNames: KeyNames

    public init(
        journal: Bool, statistiques: Bool, entete: Bool, nomsChamps: String, separator: Unicode.Scalar,
        qualifier: Unicode.Scalar?, lines: StringList, tester: Bool, calculerCodeTiers: Bool,
        calculerNumeroCompte: Bool, ecritures: EcrituresParameters? = nil, keyNames: KeyNames = .webService
    ) {
        self.ecritures = ecritures
        self.keyNames = keyNames
        self.journal = journal
        self.statistiques = statistiques
        self.entete = entete
        self.nomsChamps = nomsChamps
        self.separator = separator
        self.qualifier = qualifier
        self.lines = lines
        self.tester = tester
        self.calculerCodeTiers = calculerCodeTiers
        self.calculerNumeroCompte = calculerNumeroCompte
    }
}

/// A decoded import request: what to import, into which société, as whom.
public struct ImportRequest: Sendable, Equatable {
    public var domaine: Domaine
    public var societe: SocieteParameters
    public var parametres: ImportParameters

    public init(domaine: Domaine, societe: SocieteParameters, parametres: ImportParameters) {
        self.domaine = domaine
        self.societe = societe
        self.parametres = parametres
    }
}

/// The request inside DataSnap's wrapper `{"_parameters":[{…}]}`, which DataSnap's clients put
/// around a method's one parameter; any other body as it is.
func unwrappingDataSnapParameters(_ body: JSONValue) -> JSONValue {
    guard case .object(let root) = body, root.count == 1, root[0].key == "_parameters",
        case .array(let parameters) = root[0].value, parameters.count == 1, case .object = parameters[0]
    else { return body }
    return parameters[0]
}

/// A request that cannot be run at all, with its French message (contract, section 6).
public struct RequestRefusal: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

extension ImportRequest {
    /// Decodes the body of `POST /api/rest/<Domaine>/"Importer"`. Keys the contract does not name
    /// are ignored, as a client written for a later Gestimum may send more.
    public static func decode(body: JSONValue, domaine: Domaine) throws(RequestRefusal) -> ImportRequest {
        guard case .object(let root) = unwrappingDataSnapParameters(body) else {
            throw RequestRefusal("Le corps de la requête doit être un objet JSON avec la clé \(domaine.rootKey)")
        }
        guard root.count == 1, let (rootKey, content) = root.first, rootKey == domaine.rootKey else {
            throw RequestRefusal("Le corps de la requête doit avoir une seule clé racine, \(domaine.rootKey)")
        }
        let request = try ParameterObject(content, name: domaine.rootKey)
        let societe = try ParameterObject(try request.required("societe"), name: "societe")
        let parametres = try ParameterObject(try request.required("parametres"), name: "parametres")

        // `tester` asks for a run that stores nothing: where a domain cannot honour it, it is
        // refused rather than ignored. `Non` asks for nothing, as a generic client sends it.
        if !domaine.acceptsTester, parametres.has("tester"), try parametres.yesNo("tester") {
            throw RequestRefusal("Le paramètre tester n'existe pas pour la requête \(domaine.name)/Importer")
        }
        if !domaine.acceptsAccountComputation {
            for key in ["calculer_code_tiers", "calculer_numero_compte"] where parametres.has(key) {
                throw RequestRefusal("Le paramètre \(key) n'existe pas pour la requête \(domaine.name)/Importer")
            }
        }
        // A format's own layout reads Ecritures: the parameters of a delimited file are ignored
        // there (`domains.md` §4), whatever they say.
        let delimited = !domaine.takesFormat
        let separator =
            delimited
            ? try parametres.character("separateur_champs", description: "Le séparateur de champs") ?? ";" : ";"
        let qualifier =
            delimited ? try parametres.character("identificateur_texte", description: "L'identificateur de texte") : nil
        if qualifier == separator {
            throw RequestRefusal("Le séparateur de champs et l'identificateur de texte doivent être différents")
        }
        return ImportRequest(
            domaine: domaine,
            societe: SocieteParameters(
                fichier: try societe.requiredString("fichier"),
                utilisateur: try societe.requiredString("utilisateur"),
                motPasse: try societe.string("mot_passe") ?? "",
                deconnecter: try societe.yesNo("deconnecter"),
                exclusif: try societe.yesNo("exclusif")
            ),
            parametres: ImportParameters(
                journal: try parametres.yesNo("journal"),
                statistiques: try parametres.yesNo("statistiques"),
                entete: delimited ? try parametres.yesNo("entete") : false,
                nomsChamps: delimited ? try parametres.string("noms_champs") ?? "" : "",
                separator: separator,
                qualifier: qualifier,
                lines: try parametres.lines(domaine.linesKey),
                tester: try parametres.yesNo("tester"),
                calculerCodeTiers: try parametres.yesNo("calculer_code_tiers"),
                calculerNumeroCompte: try parametres.yesNo("calculer_numero_compte"),
                ecritures: domaine.takesFormat ? try ecrituresParameters(parametres) : nil
            )
        )
    }

    /// The parameters of `Ecritures` (`domains.md` §4).
    private static func ecrituresParameters(_ parametres: ParameterObject) throws(RequestRefusal)
        -> EcrituresParameters
    {
        let plan = try parametres.string("plan_analytique") ?? ""
        return try EcrituresParameters(
            formatNamed: try parametres.requiredString("format"),
            comptes: parametres.has("fichier_comptes") ? try parametres.lines("fichier_comptes") : StringList([]),
            simulation: try parametres.yesNo("simulation"),
            creerSectionsAnalytiques: try parametres.yesNo("creer_sections_analytiques"),
            planAnalytique: plan.isEmpty ? "001" : plan)
    }
}

/// One JSON object of parameters, read with the contract's rules and messages.
private struct ParameterObject {
    let members: [String: JSONValue]
    let name: String

    init(_ value: JSONValue, name: String) throws(RequestRefusal) {
        guard case .object(let members) = value else {
            throw RequestRefusal("Le paramètre \(name) doit être un objet, pas \(value.kindName)")
        }
        self.members = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        self.name = name
    }

    func has(_ key: String) -> Bool { members[key] != nil }

    func required(_ key: String) throws(RequestRefusal) -> JSONValue {
        guard let value = members[key] else { throw RequestRefusal("Paramètre \(key) manquant") }
        return value
    }

    func string(_ key: String) throws(RequestRefusal) -> String? {
        guard let value = members[key] else { return nil }
        guard case .string(let text) = value else {
            throw RequestRefusal("Le paramètre \(key) doit être une chaîne, pas \(value.kindName)")
        }
        return text
    }

    func requiredString(_ key: String) throws(RequestRefusal) -> String {
        guard let text = try string(key), !text.isEmpty else { throw RequestRefusal("Paramètre \(key) manquant") }
        return text
    }

    /// `Oui`/`Non` in any case; absent or empty means `Non`.
    func yesNo(_ key: String) throws(RequestRefusal) -> Bool {
        guard let text = try string(key), !text.isEmpty else { return false }
        switch text.lowercased() {
        case "oui": return true
        case "non": return false
        default: throw RequestRefusal("Le paramètre \(key) doit valoir Oui ou Non, pas « \(text) »")
        }
    }

    /// A one-character parameter; absent or empty gives nil.
    func character(_ key: String, description: String) throws(RequestRefusal) -> Unicode.Scalar? {
        guard let text = try string(key), !text.isEmpty else { return nil }
        guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
            throw RequestRefusal("\(description) (\(key)) doit être un seul caractère, pas « \(text) »")
        }
        return scalar
    }

    func lines(_ key: String) throws(RequestRefusal) -> StringList {
        switch try required(key) {
        case .strings(let lines): return lines
        case .array(let elements):
            var lines: [String] = []
            lines.reserveCapacity(elements.count)
            for element in elements {
                guard case .string(let line) = element else {
                    throw RequestRefusal(
                        "Le paramètre \(key) doit être un tableau de chaînes : il contient \(element.kindName)")
                }
                lines.append(line)
            }
            return StringList(lines)
        default: throw RequestRefusal("Le paramètre \(key) doit être un tableau de chaînes")
        }
    }
}
