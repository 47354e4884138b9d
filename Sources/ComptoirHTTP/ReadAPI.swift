import ComptoirCore
import ComptoirService
import Foundation
import HTTPTypes
import Hummingbird

extension WebService {
    /// A request of the read API (`/api/comptoir/v1/…`). A refusal for want of credentials
    /// asks for them (`WWW-Authenticate`), as HTTP Basic clients expect.
    func lecture(_ lecture: Lecture, request: Request) async throws -> Response {
        do {
            return try await answer(lecture, request: request)
        } catch let error as any FrenchError where Self.status(of: error) == .unauthorized {
            var response = Response.json(Answer.error(error.message), status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Basic realm=\"Comptoir\", charset=\"UTF-8\""
            return response
        }
    }

    private func answer(_ lecture: Lecture, request: Request) async throws -> Response {
        switch lecture {
        case .domaines:
            try refuseParameters(of: request, "la liste des domaines")
            return .json(DomainesAnswer.all, ascii: false)
        case .societe(let name):
            try refuseParameters(of: request, "une société")
            let societe = try credentials(of: request, societe: name)
            let file = try await reads.check(societe)
            return .json(
                .object([("societe", .string(file)), ("utilisateur", .string(societe.utilisateur))]), ascii: false)
        case .list(let name, let domaineName):
            let domaine = try known(domaineName)
            let societe = try credentials(of: request, societe: name)
            let parameters = try FormQuery.parameters(of: request.uri.query)
            let csv = AcceptHeader.prefersCSV(request.headers[.accept])
            let page = try await reads.list(
                domaine, societe: societe, parameters: parameters, format: csv ? .csv : .json)
            var headers: HTTPFields = [.contentType: Self.readContentType(csv: csv)]
            if csv, let next = page.next { headers[.nextCursor] = next }
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(bytes: page.first))
                    try await page.rest { try await writer.write(ByteBuffer(bytes: $0)) }
                    try await writer.finish(nil)
                })
        case .record(let name, let domaineName, let key):
            let domaine = try known(domaineName)
            let societe = try credentials(of: request, societe: name)
            let view = domaine.reading
            guard key.count == view.key.count else {
                throw Refusal(
                    .notFound,
                    "La clé de \(domaine.name) a \(view.key.count) valeur(s) : \(view.key.joined(separator: ", "))")
            }
            for (column, value) in zip(view.key, key) { try ReadQuery.checkFilterValue(value, of: column) }
            try refuseParameters(of: request, "un enregistrement")
            let csv = AcceptHeader.prefersCSV(request.headers[.accept])
            guard let record = try await reads.record(domaine, societe: societe, key: key, format: csv ? .csv : .json)
            else {
                throw Refusal(.notFound, "Aucun enregistrement \(domaine.name) de clé \(key.joined(separator: "/"))")
            }
            return Response(
                status: .ok, headers: [.contentType: Self.readContentType(csv: csv)],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: record)))
        }
    }

    /// Refuses any parameter on a path named by itself alone (`what`, `un enregistrement`): a
    /// filter or a page there would be ignored.
    private func refuseParameters(of request: Request, _ what: String) throws {
        if let parameter = try FormQuery.parameters(of: request.uri.query).first {
            throw Refusal(.badRequest, "Paramètre inconnu : \(parameter.name) (\(what) ne prend aucun paramètre)")
        }
    }

    private static func readContentType(csv: Bool) -> String {
        csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8"
    }

    private func known(_ name: String) throws -> Domaine {
        guard let domaine = Domaine.named(name) else { throw Refusal(.notFound, "Domaine inconnu : \(name)") }
        return domaine
    }

    /// The société of the path, with the user and password of the request's HTTP Basic
    /// credentials: a session as an import opens it, neither exclusive nor disconnecting.
    private func credentials(of request: Request, societe: String) throws -> SocieteParameters {
        let refused = Refusal(.unauthorized, "Utilisateur ou mot de passe incorrect")
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw refused }
        return SocieteParameters(
            fichier: societe, utilisateur: String(text[..<colon]), motPasse: String(text[text.index(after: colon)...]),
            deconnecter: false, exclusif: false)
    }
}

/// The answer of `GET /api/comptoir/v1/domaines`: every domain, what its import files' columns
/// may be named, and what its records show.
enum DomainesAnswer {
    static let all = JSONValue.object([
        ("domaines", .array(Domaine.all.map(describe)))
    ])

    private static func describe(_ domaine: Domaine) -> JSONValue {
        let view = domaine.reading
        return .object([
            ("nom", .string(domaine.name)),
            ("cle", .array(view.key.map(JSONValue.string))),
            ("tester", .bool(domaine.acceptsTester)),
            ("format", .bool(domaine.takesFormat)),
            // The keys of its import request's body, which a client cannot derive from the name.
            ("requete", .object([("racine", .string(domaine.rootKey)), ("lignes", .string(domaine.linesKey))])),
            (
                "champs",
                .array(
                    domaine.catalogue.fields.map { field in
                        .object([
                            ("nom", .string(field.name)), ("libelle", .string(field.label)),
                            ("type", .string(typeName(TableDescription.columnType(of: field.type)))),
                            ("obligatoire", .bool(field.isRequired)),
                        ])
                    })
            ),
            ("colonnes", columns(view.columns)),
            (
                "enfants",
                .array(view.children.map { .object([("nom", .string($0.name)), ("colonnes", columns($0.columns))]) })
            ),
        ])
    }

    private static func columns(_ columns: [TableDescription.Column]) -> JSONValue {
        .array(columns.map { .object([("nom", .string($0.name)), ("type", .string(typeName($0.type)))]) })
    }

    /// How the read API names a type of column.
    static func typeName(_ type: TableDescription.ColumnType) -> String {
        switch type {
        case .text: "texte"
        case .integer: "entier"
        case .checkbox: "case"
        case .decimal: "decimal"
        case .date: "date"
        case .dateTime: "dateheure"
        }
    }
}

extension HTTPField.Name {
    /// The next page's cursor of a CSV list, whose body has no room for it.
    static let nextCursor = HTTPField.Name("X-Comptoir-Suivant")!
}
