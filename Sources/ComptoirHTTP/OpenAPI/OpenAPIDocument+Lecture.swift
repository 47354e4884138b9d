import ComptoirCore

/// The read API's part of the document (`/api/comptoir/v1/`): each domain's list and record,
/// their records' schemas and filters from the domain's read view (`Domaine.reading`).
extension OpenAPIDocument {
    static let lecturePrefix = "/" + Lecture.prefix.joined(separator: "/")

    /// The statuses of a refused read (`ReadAPI`); 403 only for a domain with a required group.
    private static func readRefusals(_ domaine: Domaine?) -> [(key: String, value: JSONValue)] {
        var codes = [400, 401, 404, 409, 500, 503]
        if domaine?.requiredGroup != nil { codes.append(403) }
        return refusalReferences(codes).map { refusal in
            refusal.key == "401"
                ? (key: "401", value: .members(("$ref", .string("#/components/responses/\(basicChallengeName)"))))
                : refusal
        }
    }

    static let basicChallengeName = "Refus401Basic"

    /// The read API's 401, which asks for HTTP Basic credentials.
    static let basicChallenge = JSONValue.members(
        ("description", .string("Utilisateur ou mot de passe incorrect")),
        (
            "headers",
            .members(
                (
                    "WWW-Authenticate",
                    .members(
                        ("description", .string("`Basic realm=\"Comptoir\", charset=\"UTF-8\"`")),
                        ("schema", .members(("type", .string("string"))))
                    )
                ))
        ),
        ("content", .members(("application/json", .members(("schema", reference("Erreur"))))))
    )

    static func lecturePaths(domaines: [Domaine]) -> [(key: String, value: JSONValue)] {
        let domainesAnswer = JSONValue.members(
            ("type", .string("object")), ("required", .array([.string("domaines")])),
            ("properties", .members(("domaines", .members(("type", .string("array")), ("items", domaineSchema)))))
        )
        let societeAnswer = JSONValue.members(
            ("type", .string("object")), ("required", .array([.string("societe"), .string("utilisateur")])),
            (
                "properties",
                .members(
                    ("societe", textSchema("Le fichier de la société, `DEMO.Gestimum`")),
                    ("utilisateur", textSchema("L'utilisateur authentifié"))
                )
            ),
            ("additionalProperties", .bool(false))
        )
        var paths: [(key: String, value: JSONValue)] = [
            (
                key: lecturePrefix + "/domaines",
                value: get(
                    "domaines", summary: "Les domaines servis, leurs champs et leurs colonnes", parameters: [],
                    security: false,
                    responses: [("200", jsonResponse("Les domaines", domainesAnswer))] + refusalReferences([400, 500]))
            ),
            (
                key: lecturePrefix + "/societes/{societe}",
                value: get(
                    "societe", summary: "Vérifie que l'utilisateur peut lire la société",
                    parameters: [societeParameter],
                    security: true,
                    responses: [("200", jsonResponse("L'utilisateur peut lire la société", societeAnswer))]
                        + readRefusals(nil))
            ),
        ]
        for domaine in domaines {
            paths.append((key: lecturePrefix + "/societes/{societe}/\(domaine.name)", value: listOperation(domaine)))
            let keyPath = domaine.reading.key.map { "/{\($0)}" }.joined()
            paths.append(
                (key: lecturePrefix + "/societes/{societe}/\(domaine.name)" + keyPath, value: recordOperation(domaine)))
        }
        return paths
    }

    /// The schemas of each domain's record and page.
    static func lectureSchemas(domaines: [Domaine]) -> [(key: String, value: JSONValue)] {
        domaines.flatMap { domaine -> [(key: String, value: JSONValue)] in
            let view = domaine.reading
            var properties = view.columns.map { (key: $0.name, value: columnSchema($0.type)) }
            for child in view.children {
                let row = JSONValue.members(
                    ("type", .string("object")), ("required", .array(child.columns.map { .string($0.name) })),
                    ("properties", .object(child.columns.map { (key: $0.name, value: columnSchema($0.type)) })),
                    ("additionalProperties", .bool(false))
                )
                properties.append((key: child.name, value: .members(("type", .string("array")), ("items", row))))
            }
            var record: [(key: String, value: JSONValue)] = [
                ("type", .string("object")), ("required", .array(properties.map { .string($0.key) })),
                ("properties", .object(properties)),
            ]
            // The custom fields a société's imports added to the table come with its records.
            if domaine.catalogue.acceptsCustomFields {
                record.append(
                    (
                        "patternProperties",
                        .members(
                            (
                                "^XXX_[A-Z0-9_]{1,59}$",
                                .members(
                                    ("description", .string("Champ personnalisé, ajouté par un import")),
                                    ("type", .array([.string("string"), .string("null")]))
                                )
                            ))
                    ))
            }
            record.append(("additionalProperties", .bool(false)))
            let page = JSONValue.members(
                ("type", .string("object")),
                ("required", .array([.string("domaine"), .string("enregistrements"), .string("suivant")])),
                (
                    "properties",
                    .members(
                        ("domaine", .members(("const", .string(domaine.name)))),
                        (
                            "enregistrements",
                            .members(("type", .string("array")), ("items", reference(recordName(domaine))))
                        ),
                        (
                            "suivant",
                            .members(
                                (
                                    "description",
                                    .string("Le curseur de la page suivante (`apres`), null sur la dernière")
                                ),
                                ("type", .array([.string("string"), .string("null")]))
                            )
                        )
                    )
                ),
                ("additionalProperties", .bool(false))
            )
            return [(key: recordName(domaine), value: .object(record)), (key: "Page\(domaine.name)", value: page)]
        }
    }

    private static func recordName(_ domaine: Domaine) -> String { "Enregistrement\(domaine.name)" }

    private static func listOperation(_ domaine: Domaine) -> JSONValue {
        let view = domaine.reading
        var parameters = [
            societeParameter,
            query(
                "limite",
                .members(
                    ("type", .string("integer")), ("minimum", .number("1")),
                    ("maximum", .number(String(ReadQuery.maximumLimit)))),
                "Le nombre d'enregistrements de la page (\(ReadQuery.defaultLimit) par défaut)"),
            query("apres", .members(("type", .string("string"))), "Le curseur `suivant` de la page précédente"),
            query(
                "ordre", .members(("enum", .array([.string("croissant"), .string("decroissant")]))),
                "L'ordre de la clé (croissant par défaut)"),
        ]
        for column in view.columns {
            parameters.append(query(column.name, filterSchema(column.type), "Égal à"))
            for kind in ReadQuery.Filter.Kind.allCases where kind != .equal && kind.applies(to: column.type) {
                let description = kind == .prefix ? "Commence par" : kind == .minimum ? "Au moins" : "Au plus"
                let schema =
                    kind == .prefix
                    ? .members(("type", .string("string")), ("minLength", .number("1"))) : filterSchema(column.type)
                parameters.append(query("\(column.name).\(kind.rawValue)", schema, description))
            }
        }
        let page = JSONValue.members(
            (
                "description",
                .string(
                    "Une page, en JSON ou en CSV (`Accept: text/csv`) : UTF-8 avec BOM, `;`, une ligne par enregistrement"
                        + csvRows(view))
            ),
            (
                "headers",
                .members(
                    (
                        "X-Comptoir-Suivant",
                        .members(
                            ("description", .string("Le curseur de la page suivante en CSV, quand il y en a une")),
                            ("schema", .members(("type", .string("string")))))
                    ))
            ),
            ("content", jsonOrCSV(reference("Page\(domaine.name)")))
        )
        return get(
            "lire\(domaine.name)", summary: "Une page de \(domaine.name), filtrée et ordonnée sur la clé",
            parameters: parameters, security: true, responses: [("200", page)] + readRefusals(domaine))
    }

    /// What more a CSV row stands for, when its records have child rows.
    private static func csvRows(_ view: RecordView) -> String {
        view.children.count == 1 ? " et par ligne de \(view.children[0].name)" : ""
    }

    /// A read's content: `schema` in JSON, or CSV.
    private static func jsonOrCSV(_ schema: JSONValue) -> JSONValue {
        .members(
            ("application/json", .members(("schema", schema))),
            ("text/csv", .members(("schema", .members(("type", .string("string"))))))
        )
    }

    private static func recordOperation(_ domaine: Domaine) -> JSONValue {
        let view = domaine.reading
        let keys = view.key.map { name in
            let type = view.column(named: name)?.type ?? .text
            return JSONValue.members(
                ("name", .string(name)), ("in", .string("path")), ("required", .bool(true)),
                ("schema", filterSchema(type)))
        }
        return get(
            "lire\(domaine.name)Enregistrement", summary: "Un enregistrement de \(domaine.name), par sa clé",
            parameters: [societeParameter] + keys, security: true,
            responses: [
                (
                    "200",
                    .members(
                        (
                            "description",
                            .string(
                                "L'enregistrement, en JSON ou en CSV (`Accept: text/csv`) : un en-tête, une ligne"
                                    + csvRows(domaine.reading))
                        ),
                        ("content", jsonOrCSV(reference(recordName(domaine))))
                    )
                )
            ] + readRefusals(domaine))
    }

    private static func get(
        _ operationID: String, summary: String, parameters: [JSONValue], security: Bool,
        responses: [(key: String, value: JSONValue)]
    ) -> JSONValue {
        .members(
            (
                "get",
                .members(
                    ("operationId", .string(operationID)), ("tags", .array([.string("Lecture")])),
                    ("summary", .string(summary)), ("parameters", .array(parameters)),
                    ("security", .array(security ? [.members(("basic", .array([])))] : [])),
                    ("responses", .object(responses))
                )
            ))
    }

    private static let societeParameter = JSONValue.members(
        ("name", .string("societe")), ("in", .string("path")), ("required", .bool(true)),
        ("description", .string("La société : `DEMO` ou `DEMO.Gestimum`")),
        ("schema", .members(("type", .string("string")))),
        ("example", .string("DEMO"))
    )

    private static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        .members(
            ("name", .string(name)), ("in", .string("query")), ("description", .string(description)),
            ("schema", schema))
    }

    /// A value as a filter or a key takes it: what an import reads.
    private static func filterSchema(_ type: TableDescription.ColumnType) -> JSONValue {
        switch type {
        case .text: .members(("type", .string("string")))
        case .integer: .members(("type", .string("integer")))
        case .checkbox: .members(("type", .string("boolean")))
        case .decimal: .members(("type", .string("string")), ("pattern", .string("^-?[0-9]+([.,][0-9]+)?$")))
        case .date: .members(("type", .string("string")), ("pattern", .string("^(\(dayForms))$")))
        case .dateTime:
            .members(
                ("type", .string("string")),
                ("pattern", .string("^(\(dayForms))( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$")))
        }
    }

    /// `AAAA-MM-JJ` or `JJ/MM/AAAA`.
    private static let dayForms = "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4}"

    /// A value of a record (`RecordWriter`); an empty one is null, but an empty part of a key ("").
    private static func columnSchema(_ type: TableDescription.ColumnType) -> JSONValue {
        let nullable = { (name: String) in JSONValue.array([.string(name), .string("null")]) }
        return switch type {
        case .text: .members(("type", nullable("string")))
        case .integer: .members(("type", nullable("integer")))
        case .checkbox: .members(("type", nullable("boolean")))
        case .decimal: .members(("type", nullable("number")))
        case .date: .members(("type", nullable("string")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))
        case .dateTime:
            .members(
                ("type", nullable("string")),
                ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")))
        }
    }

    /// One domain of `/domaines` (`DomainesAnswer`).
    private static var domaineSchema: JSONValue {
        let typeName = JSONValue.members(
            ("enum", .array(TableDescription.ColumnType.allCases.map { .string(DomainesAnswer.typeName($0)) })))
        let column = JSONValue.members(
            ("type", .string("object")), ("required", .array([.string("nom"), .string("type")])),
            ("properties", .members(("nom", .members(("type", .string("string")))), ("type", typeName)))
        )
        let field = JSONValue.members(
            ("type", .string("object")),
            ("required", .array(["nom", "libelle", "type", "obligatoire"].map(JSONValue.string))),
            (
                "properties",
                .members(
                    ("nom", .members(("type", .string("string")))), ("libelle", .members(("type", .string("string")))),
                    ("type", typeName), ("obligatoire", .members(("type", .string("boolean"))))
                )
            )
        )
        let columns = JSONValue.members(("type", .string("array")), ("items", column))
        return .members(
            ("type", .string("object")),
            ("required", .array(["nom", "cle", "champs", "colonnes", "enfants"].map(JSONValue.string))),
            (
                "properties",
                .members(
                    ("nom", .members(("type", .string("string")))),
                    ("cle", .members(("type", .string("array")), ("items", .members(("type", .string("string")))))),
                    ("tester", .members(("type", .string("boolean")))),
                    ("format", .members(("type", .string("boolean")))),
                    ("champs", .members(("type", .string("array")), ("items", field))),
                    ("colonnes", columns),
                    (
                        "enfants",
                        .members(
                            ("type", .string("array")),
                            (
                                "items",
                                .members(
                                    ("type", .string("object")),
                                    ("required", .array([.string("nom"), .string("colonnes")])),
                                    (
                                        "properties",
                                        .members(("nom", .members(("type", .string("string")))), ("colonnes", columns))
                                    )
                                )
                            )
                        )
                    )
                )
            )
        )
    }
}
