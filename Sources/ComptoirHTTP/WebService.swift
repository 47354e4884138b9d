import ComptoirCore
import ComptoirStore
import Foundation
import Hummingbird
import Logging

/// Comptoir's web service: Gestimum Web Service 2's requests, answered as Gestimum answers them.
public struct WebService: HTTPResponder {
    public typealias Context = BasicRequestContext

    let folder: SocieteFolder
    let bodyLimit: Int
    let logger: Logger

    public func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await answer(request)
        } catch let refusal as Refusal {
            response = .json(Answer.error(refusal.message), status: refusal.status)
        } catch {
            let reference = String(UUID().uuidString.prefix(8))
            logger.error(
                "Erreur interne \(reference) sur \(request.method) \(request.uri.path) : \(String(reflecting: error))")
            response = .json(Answer.error("Erreur interne (référence \(reference))"), status: .internalServerError)
        }
        let elapsed = ContinuousClock.now - start
        let milliseconds =
            Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000
            + Double(elapsed.components.seconds) * 1000
        logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(milliseconds) ms")
        return response
    }

    private func answer(_ request: Request) async throws -> Response {
        switch Route(method: request.method, rawPath: request.uri.path) {
        case .importer(let domaine):
            return try await importer(domaine, body: request.body)
        case .unavailableImport(let domaine):
            throw Refusal(.notImplemented, "La requête \(domaine)/Importer n'est pas encore disponible")
        case .version:
            return .json(Answer.message("\(BuildInfo.version) (\(BuildInfo.date))"))
        case .versionERP:
            return .json(Answer.message("\(Societe.dataModelVersion) (\(BuildInfo.date))"))
        case .wrongMethod(let expected, let name):
            throw Refusal(.methodNotAllowed, "La requête \(name) s'appelle avec la méthode \(expected)")
        case .unknown:
            throw Refusal(.notFound, "Requête inconnue : \(request.uri.path)")
        }
    }

    /// `POST /api/rest/<Domaine>/"Importer"`: the whole request in one transaction, rolled back
    /// with `tester=Oui`, answered with the journal and statistics it asked for.
    private func importer(_ domaine: Domaine, body: RequestBody) async throws -> Response {
        guard let tiersType = domaine.tiersType else {
            throw Refusal(.notImplemented, "La requête \(domaine.rawValue)/Importer n'est pas encore disponible")
        }
        let bytes: ByteBuffer
        do {
            bytes = try await body.collect(upTo: bodyLimit)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw Refusal(.contentTooLarge, "Requête trop volumineuse (limite : \(Self.describeSize(bodyLimit)))")
        }
        let request: ImportRequest
        let layout: FieldLayout
        let filePath: String
        do {
            let json = try bytes.withUnsafeReadableBytes { buffer throws(JSONError) in try JSONValue.parse(buffer) }
            request = try ImportRequest.decode(body: json, domaine: domaine)
            layout = try FieldLayout(parametres: request.parametres, catalogue: domaine.catalogue)
            filePath = try folder.filePath(for: request.societe.fichier)
        } catch let error as JSONError {
            throw Refusal(.badRequest, error.message)
        } catch let refusal as RequestRefusal {
            throw Refusal(.badRequest, refusal.message)
        }

        var journal = Journal(now: { LocalTime.journal(Date()) })
        journal.add("Ouverture de la société \(filePath)")
        let societe: Societe
        do {
            societe = try folder.societe(named: request.societe.fichier)
        } catch SocieteError.notFound(let name) {
            throw Refusal(.notFound, SocieteError.notFound(name).message)
        }
        guard try await societe.authenticate(user: request.societe.utilisateur, password: request.societe.motPasse)
        else { throw Refusal(.unauthorized, "Utilisateur ou mot de passe incorrect") }
        journal.add("Société \(societe.path) ouverte")
        journal.add("Lancement de la tâche \(domaine.taskName)")

        let rules = TiersRules(
            type: tiersType,
            catalogue: domaine.catalogue,
            stamp: AuditStamp(user: request.societe.utilisateur, time: LocalTime.audit(Date()))
        )
        let parametres = request.parametres
        let report = try await societe.write(rollback: parametres.tester) { store in
            try ImportRun.run(parametres: parametres, layout: layout, rules: rules, store: store)
        }
        journal.add(report: report, notices: layout.notices)
        journal.add("Tâche \(domaine.taskName) terminée")
        journal.add("Fermeture de la société \(societe.path)")
        return .json(
            Answer.importDone(
                journal: parametres.journal ? journal.lines : nil,
                report: parametres.statistiques ? report : nil
            )
        )
    }
}

extension WebService {
    /// A size in the largest binary unit that divides it: `256 Mio`, `1 Kio`, `1000 octets`.
    static func describeSize(_ bytes: Int) -> String {
        for (unit, size) in [("Gio", 1 << 30), ("Mio", 1 << 20), ("Kio", 1 << 10)]
        where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) octets"
    }
}

/// A request that cannot be honoured: its status and French message.
struct Refusal: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

extension Response {
    /// A JSON answer laid out as Gestimum's, in UTF-8.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.prettyText))
        )
    }
}
