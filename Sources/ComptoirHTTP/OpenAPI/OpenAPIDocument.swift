import ComptoirCore
import HTTPTypes
import Hummingbird
import NIOCore

/// Comptoir's OpenAPI 3.1 description, served at `/openapi.json`: Gestimum's requests and the
/// read API, generated from the domains (`Domaine.all`) and their catalogues, so that it says
/// what the server routes, domain by domain, and cannot drift from it.
enum OpenAPIDocument {
    /// `/openapi.json`.
    static let path = "/openapi.json"

    /// The document of every domain served, written once.
    static let text = make(domaines: Domaine.all).utf8Text

    /// The answer to `GET /openapi.json`.
    static var response: Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The document describing `domaines`.
    static func make(domaines: [Domaine]) -> JSONValue {
        var paths = domaines.map { (key: importPath($0), value: JSONValue.members(("post", importOperation($0)))) }
        paths += [
            (key: "/api/rest/Outils/%22Version%22", value: outil("Version", "La version du web service")),
            (key: "/api/rest/Outils/%22VersionERP%22", value: outil("VersionERP", "La version du modèle de données")),
            (
                key: path,
                value: .members(
                    (
                        "get",
                        .members(
                            ("operationId", .string("openapi")), ("tags", .array([.string("Description")])),
                            ("summary", .string("Ce document")), ("security", .array([])),
                            (
                                "responses",
                                .members(
                                    ("200", jsonResponse("La description OpenAPI 3.1 du service", .members()))
                                )
                            )
                        )
                    ))
            ),
        ]
        paths += lecturePaths(domaines: domaines)
        paths.append((key: "/metrics", value: metrics))
        paths += ConsoleAsset.allCases.map { (key: $0.path, value: consoleOperation($0)) }
        return .members(
            ("openapi", .string("3.1.0")),
            (
                "info",
                .members(
                    ("title", .string("Comptoir")), ("version", .string(BuildInfo.version)),
                    ("description", .string(description))
                )
            ),
            ("paths", .object(paths)),
            (
                "components",
                .members(
                    (
                        "schemas",
                        .object(
                            [(key: "Erreur", value: errorSchema), (key: "Societe", value: societeSchema)]
                                + lectureSchemas(domaines: domaines))
                    ),
                    (
                        "responses",
                        .object(
                            refusals.map { (key: refusalName($0.code), value: refusalResponse($0)) }
                                + [(key: basicChallengeName, value: basicChallenge)])
                    ),
                    (
                        "securitySchemes",
                        .members(("basic", .members(("type", .string("http")), ("scheme", .string("basic")))))
                    )
                )
            )
        )
    }

    private static let description = """
        Les requêtes du Web Service 2 de Gestimum, telles que Comptoir les sert, et l'API de lecture \
        de Comptoir (`/api/comptoir/v1/`). Les chemins de Gestimum portent le nom de la méthode entre \
        guillemets encodés (`%22Importer%22`) ; Comptoir accepte aussi les guillemets bruts ou absents. \
        Les réponses de Gestimum sont écrites en ASCII (`\\u00E8` pour `è`), comme DataSnap.
        """

    /// `/api/rest/<Domaine>/%22Importer%22`, as the contract writes it.
    static func importPath(_ domaine: Domaine) -> String { "/api/rest/\(domaine.name)/%22Importer%22" }

    // MARK: Gestimum's requests

    private static func importOperation(_ domaine: Domaine) -> JSONValue {
        var statuses = [400, 401, 404, 408, 409, 413, 415, 500, 501, 503, 507]
        if domaine.requiredGroup != nil { statuses.append(403) }
        return .members(
            ("operationId", .string(domaine.taskName)), ("tags", .array([.string("Imports")])),
            ("summary", .string("Importe des lignes de \(domaine.name)")),
            (
                "description",
                .string(
                    "La tâche \(domaine.taskName) de Gestimum. L'utilisateur et son mot de passe sont dans le corps "
                        + "(`societe`) ; une réponse 200 dit que la requête a été exécutée, même si des lignes ont été "
                        + "rejetées : le journal les nomme.")
            ),
            ("security", .array([])),
            (
                "requestBody",
                .members(
                    ("required", .bool(true)),
                    (
                        "content",
                        .members(
                            (
                                "application/json",
                                .members(("schema", importRequest(domaine)), ("example", importExample(domaine)))
                            ))
                    )
                )
            ),
            (
                "responses",
                .object(
                    [(key: "200", value: jsonResponse("La requête a été exécutée", importResult(domaine)))]
                        + refusalReferences(statuses))
            )
        )
    }

    /// The body of an import: one root key, `societe`, `parametres` with the domain's own keys.
    private static func importRequest(_ domaine: Domaine) -> JSONValue {
        var parametres: [(key: String, value: JSONValue)] = [
            ("journal", yesNo("Renvoyer le journal")),
            ("statistiques", yesNo("Renvoyer les statistiques")),
            ("entete", yesNo("La première ligne porte les noms des champs")),
            ("noms_champs", textSchema("Les noms des champs, dans l'ordre des colonnes, séparés par `;`")),
            ("separateur_champs", oneCharacter("Le séparateur de champs (`;` par défaut)")),
            ("identificateur_texte", oneCharacter("L'identificateur de texte (aucun par défaut)")),
            (domaine.linesKey, lines(domaine)),
        ]
        var required = [domaine.linesKey]
        if domaine.acceptsTester {
            parametres.append(("tester", yesNo("Tout vérifier sans rien enregistrer")))
        }
        if domaine.acceptsAccountComputation {
            parametres.append(("calculer_code_tiers", yesNo("Calculer le code du tiers")))
            parametres.append(("calculer_numero_compte", yesNo("Calculer le numéro de compte")))
        }
        if domaine.takesFormat {
            parametres += [
                (
                    "format",
                    .members(
                        ("description", .string("Le format des lignes, sans égard à la casse")),
                        ("enum", .array(EcritureFormat.allCases.map { .string($0.rawValue) }))
                    )
                ),
                (
                    "fichier_comptes",
                    .members(
                        ("description", .string("Les comptes à créer (formats EBP seulement), une ligne par chaîne")),
                        ("type", .string("array")), ("items", .members(("type", .string("string"))))
                    )
                ),
                ("simulation", yesNo("Vérifier sans enregistrer")),
                ("creer_sections_analytiques", yesNo("Créer les sections analytiques inconnues")),
                ("plan_analytique", textSchema("Le plan analytique (`001` par défaut)")),
            ]
            required.append("format")
        }
        var parametresSchema: [(key: String, value: JSONValue)] = [
            ("type", .string("object")), ("required", .array(required.map(JSONValue.string))),
            ("properties", .object(parametres)),
        ]
        if !domaine.takesFormat { parametresSchema.append(("anyOf", fieldNamesRule(linesKey: domaine.linesKey))) }
        let content = JSONValue.members(
            ("type", .string("object")), ("required", .array([.string("societe"), .string("parametres")])),
            (
                "properties",
                .members(
                    ("societe", reference("Societe")),
                    (
                        "parametres",
                        .object(parametresSchema)
                    )
                )
            )
        )
        return .members(
            ("type", .string("object")), ("required", .array([.string(domaine.rootKey)])),
            ("properties", .members((domaine.rootKey, content))), ("additionalProperties", .bool(false))
        )
    }

    /// Where the field names come from (`FieldLayout`): `noms_champs`, or the first line with
    /// `entete=Oui`.
    private static func fieldNamesRule(linesKey: String) -> JSONValue {
        .array([
            .members(
                ("required", .array([.string("noms_champs")])),
                ("properties", .members(("noms_champs", .members(("minLength", .number("1"))))))
            ),
            .members(
                ("required", .array([.string("entete"), .string(linesKey)])),
                (
                    "properties",
                    .members(
                        ("entete", .members(("pattern", .string("^[Oo][Uu][Ii]$")))),
                        (linesKey, .members(("minItems", .number("1"))))
                    )
                )
            ),
        ])
    }

    /// The lines of a request; their fields are the catalogue's.
    private static func lines(_ domaine: Domaine) -> JSONValue {
        let fields = domaine.catalogue.fields.map(\.name)
        let description =
            fields.isEmpty
            ? "Les lignes du fichier, une par chaîne, dans le format choisi"
            : "Les lignes du fichier, une par chaîne. Champs du catalogue : " + fields.joined(separator: ";")
                + (domaine.catalogue.acceptsCustomFields ? " (et des champs personnalisés XXX_…)" : "")
        return .members(
            ("description", .string(description)), ("type", .string("array")),
            ("items", .members(("type", .string("string")))))
    }

    /// A request that imports nothing into the demonstration société: the catalogue's fields
    /// and no line, tried (`tester`) where the domain allows it.
    private static func importExample(_ domaine: Domaine) -> JSONValue {
        var parametres: [(key: String, value: JSONValue)] = [
            ("journal", .string("Oui")), ("statistiques", .string("Oui")),
            ("noms_champs", .string(domaine.catalogue.fields.map(\.name).joined(separator: ";"))),
            (domaine.linesKey, .array([])),
        ]
        if domaine.acceptsTester { parametres.append(("tester", .string("Oui"))) }
        if domaine.takesFormat {
            parametres.append(("format", .string(EcritureFormat.gestimumComptaVariable.rawValue)))
        }
        return .members(
            (
                domaine.rootKey,
                .members(
                    (
                        "societe",
                        .members(
                            ("fichier", .string("DEMO.Gestimum")), ("utilisateur", .string("DEMO")),
                            ("mot_passe", .string("")))
                    ),
                    ("parametres", .object(parametres))
                )
            ))
    }

    /// `{"result":[{"resultat":"succès","message":"terminé","journal":[…],"statistiques":{…}}]}`.
    private static func importResult(_ domaine: Domaine) -> JSONValue {
        let keys = Answer.statisticsKeys(of: domaine)
        let count = JSONValue.members(("type", .string("string")), ("pattern", .string("^[0-9]+$")))
        return result(
            ("resultat", .members(("const", .string("succès")))), ("message", .members(("const", .string("terminé")))),
            (
                "journal",
                .members(
                    ("description", .string("Présent avec journal=Oui : des lignes `JJ/MM/AAAA HH:MM:SS message`")),
                    ("type", .string("array")), ("items", .members(("type", .string("string"))))
                )
            ),
            (
                "statistiques",
                .members(
                    ("description", .string("Présent avec statistiques=Oui")), ("type", .string("object")),
                    ("properties", .object(keys.map { (key: $0, value: count) })),
                    ("required", .array(keys.map(JSONValue.string))), ("additionalProperties", .bool(false))
                )
            ),
            required: ["resultat", "message"])
    }

    /// `Outils/"<name>"`: `{"result":[{"resultat":"succès","message":"<what>"}]}`.
    private static func outil(_ name: String, _ summary: String) -> JSONValue {
        let answer = result(
            ("resultat", .members(("const", .string("succès")))), ("message", .members(("type", .string("string")))),
            required: ["resultat", "message"])
        return .members(
            (
                "get",
                .members(
                    ("operationId", .string(name)), ("tags", .array([.string("Outils")])),
                    ("summary", .string(summary)), ("security", .array([])),
                    (
                        "responses",
                        .object([(key: "200", value: jsonResponse(summary, answer))] + refusalReferences([500]))
                    )
                )
            ))
    }

    /// Gestimum's answer: `{"result":[{…}]}`, its one object of `members`.
    private static func result(_ members: (String, JSONValue)..., required: [String]) -> JSONValue {
        .members(
            ("type", .string("object")), ("required", .array([.string("result")])),
            ("additionalProperties", .bool(false)),
            (
                "properties",
                .members(
                    (
                        "result",
                        .members(
                            ("type", .string("array")), ("minItems", .number("1")), ("maxItems", .number("1")),
                            (
                                "items",
                                .members(
                                    ("type", .string("object")), ("required", .array(required.map(JSONValue.string))),
                                    ("properties", .object(members.map { (key: $0.0, value: $0.1) })),
                                    ("additionalProperties", .bool(false))
                                )
                            )
                        )
                    ))
            )
        )
    }

    /// The `societe` object of every import.
    private static let societeSchema = JSONValue.members(
        ("type", .string("object")), ("required", .array([.string("fichier"), .string("utilisateur")])),
        (
            "properties",
            .members(
                (
                    "fichier",
                    .members(
                        ("description", .string("Le fichier de la société, `DEMO` ou `DEMO.Gestimum`")),
                        ("type", .string("string")))
                ),
                ("utilisateur", textSchema("Le code de l'utilisateur")),
                ("mot_passe", textSchema("Son mot de passe (vide par défaut)")),
                ("deconnecter", yesNo("Fermer une autre session du même utilisateur")),
                ("exclusif", yesNo("Interdire les autres utilisateurs pendant la requête"))
            )
        )
    )

    /// `/metrics`, served to the machine itself unless `--metriques` says otherwise; to another
    /// peer it is an unknown path (404).
    private static let metrics = JSONValue.members(
        (
            "get",
            .members(
                ("operationId", .string("metrics")), ("tags", .array([.string("Exploitation")])),
                ("summary", .string("Les mesures du serveur, au format texte de Prometheus")),
                ("security", .array([])),
                (
                    "responses",
                    .object(
                        [
                            (
                                key: "200",
                                value: .members(
                                    ("description", .string("Les mesures")),
                                    (
                                        "content",
                                        .members(("text/plain", .members(("schema", textSchema("Prometheus")))))
                                    ))
                            )
                        ] + refusalReferences([404, 500]))
                )
            )
        ))

    /// A file of the console, built into the server; 304 when the browser's copy is current.
    private static func consoleOperation(_ asset: ConsoleAsset) -> JSONValue {
        let mediaType = String(asset.contentType.prefix { $0 != ";" })
        return .members(
            (
                "get",
                .members(
                    ("operationId", .string("console" + asset.path.split(separator: "/").joined(separator: "-"))),
                    ("tags", .array([.string("Console")])),
                    ("summary", .string("Un fichier de la console")), ("security", .array([])),
                    (
                        "responses",
                        .object(
                            [
                                (
                                    key: "200",
                                    value: .members(
                                        ("description", .string("Le fichier")),
                                        ("content", .members((mediaType, .members(("schema", textSchema(mediaType))))))
                                    )
                                ),
                                (
                                    key: "304",
                                    value: .members(("description", .string("La copie du navigateur est à jour")))
                                ),
                            ] + refusalReferences([500]))
                    )
                )
            ))
    }

    // MARK: Refusals

    /// `{"error":"<message en français>"}`.
    private static let errorSchema = JSONValue.members(
        ("type", .string("object")), ("required", .array([.string("error")])),
        ("properties", .members(("error", .members(("type", .string("string")))))),
        ("additionalProperties", .bool(false))
    )

    /// Every status a refused request may get (`WebService.status(of:)`), and what it means.
    static let refusals: [(code: Int, description: String)] = [
        (400, "Requête invalide : corps, paramètre ou valeur refusés"),
        (401, "Utilisateur ou mot de passe incorrect"),
        (403, "L'utilisateur n'a pas le droit de lancer cette tâche"),
        (404, "Société, domaine ou enregistrement introuvable"),
        (408, "Corps de la requête reçu trop lentement"),
        (409, "Société ouverte en mode exclusif par un autre utilisateur, ou occupée"),
        (413, "Requête trop volumineuse"),
        (415, "Corps compressé (Content-Encoding) : à envoyer sans compression"),
        (500, "Erreur interne, avec sa référence dans le journal du serveur"),
        (501, "Codage de transfert (Transfer-Encoding) autre que chunked"),
        (503, "Serveur occupé ou stockage indisponible : réessayer plus tard"),
        (507, "Espace disque insuffisant"),
    ]

    private static func refusalName(_ code: Int) -> String { "Refus\(code)" }

    private static func refusalResponse(_ refusal: (code: Int, description: String)) -> JSONValue {
        var response = jsonResponse(refusal.description, reference("Erreur"))
        if refusal.code == 503, case .object(var members) = response {
            members.append(
                (
                    "headers",
                    .members(
                        (
                            "Retry-After",
                            .members(
                                ("description", .string("Les secondes après lesquelles réessayer")),
                                ("schema", .members(("type", .string("integer"))))
                            )
                        ))
                ))
            response = .object(members)
        }
        return response
    }

    /// The responses of `codes`, by reference.
    static func refusalReferences(_ codes: [Int]) -> [(key: String, value: JSONValue)] {
        codes.sorted().map { code in
            (key: String(code), value: .members(("$ref", .string("#/components/responses/\(refusalName(code))"))))
        }
    }

    // MARK: Schemas

    /// A JSON answer described by `schema`.
    static func jsonResponse(_ description: String, _ schema: JSONValue) -> JSONValue {
        .members(
            ("description", .string(description)),
            ("content", .members(("application/json", .members(("schema", schema))))))
    }

    static func reference(_ schema: String) -> JSONValue {
        .members(("$ref", .string("#/components/schemas/\(schema)")))
    }

    static func textSchema(_ description: String) -> JSONValue {
        .members(("description", .string(description)), ("type", .string("string")))
    }

    /// `Oui` or `Non` in any case; empty means `Non`.
    private static func yesNo(_ description: String) -> JSONValue {
        .members(
            ("description", .string(description + " : Oui ou Non (Non par défaut)")), ("type", .string("string")),
            ("pattern", .string("^([Oo][Uu][Ii]|[Nn][Oo][Nn])?$")))
    }

    private static func oneCharacter(_ description: String) -> JSONValue {
        .members(("description", .string(description)), ("type", .string("string")), ("maxLength", .number("1")))
    }
}

extension JSONValue {
    /// An object of `members`, in their order.
    static func members(_ members: (String, JSONValue)...) -> JSONValue {
        .object(members.map { (key: $0.0, value: $0.1) })
    }
}
