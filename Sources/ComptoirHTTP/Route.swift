import ComptoirCore
import Foundation
import HTTPTypes

/// What a request asks for, from its method and path (contract, section 1).
enum Route: Equatable {
    case importer(Domaine)
    case version
    case versionERP
    /// `GET /openapi.json`: the OpenAPI description.
    case openAPI
    /// Comptoir's read API, under `/api/comptoir/v1/`.
    case lecture(Lecture)
    /// A file of the console in the browser, under `/console`.
    case console(ConsoleAsset)
    /// `GET /metrics`: the server's figures (`ServerMetrics`).
    case metrics
    /// A known path asked with the wrong method: 405.
    case wrongMethod(expected: HTTPRequest.Method, request: String)
    case unknown

    private static let prefix = ["api", "rest"]

    /// Reads `/api/rest/<Domaine>/%22Importer%22` and `/api/rest/Outils/%22Version%22` in every
    /// form a DataSnap client sends: the method in quotes (raw or percent-encoded in either hex
    /// case) or without them, as DataSnap's proxies call it, with or without a final `/`; class
    /// and method are matched without regard to case, as Gestimum's IIS server does. A query
    /// string after the path is ignored.
    init(method: HTTPRequest.Method, rawPath: String) {
        if let lecture = Lecture(rawPath: rawPath) {
            self = method == .get ? .lecture(lecture) : .wrongMethod(expected: .get, request: lecture.name)
            return
        }
        // HEAD asks what GET would answer, without its body (RFC 9110 §9.3.2): a monitor's
        // check of the version, say. Not of the read API, whose pages are read as they are sent.
        let getting = method == .get || method == .head
        if let asset = ConsoleAsset(rawPath: rawPath) {
            self = getting ? .console(asset) : .wrongMethod(expected: .get, request: asset.path)
            return
        }
        guard let path = String(rawPath.prefix { $0 != "?" }).removingPercentEncoding else {
            self = .unknown
            return
        }
        if path == OpenAPIDocument.path {
            self = getting ? .openAPI : .wrongMethod(expected: .get, request: "openapi.json")
            return
        }
        let components = path.split(separator: "/").map(String.init)
        if components == ["metrics"] {
            self = getting ? .metrics : .wrongMethod(expected: .get, request: "metrics")
            return
        }
        guard components.count == 4, components[0...1].map({ $0.lowercased() }) == Self.prefix,
            let action = Self.unquoted(components[3])
        else {
            self = .unknown
            return
        }
        let subject = components[2]
        let name = "\(subject)/\(action)"
        let route: Route
        let expectedMethod: HTTPRequest.Method
        switch (subject.lowercased(), action.lowercased()) {
        case ("outils", "version"):
            (route, expectedMethod) = (.version, .get)
        case ("outils", "versionerp"):
            (route, expectedMethod) = (.versionERP, .get)
        case (_, "importer"):
            // Every one of Gestimum's imports is served: any other name is an unknown path.
            guard let domaine = Domaine.named(subject) else {
                self = .unknown
                return
            }
            (route, expectedMethod) = (.importer(domaine), .post)
        default:
            self = .unknown
            return
        }
        let allowed = method == expectedMethod || (expectedMethod == .get && getting)
        self = allowed ? route : .wrongMethod(expected: expectedMethod, request: name)
    }

    /// Whether the path is `/metrics`, whatever the method.
    var isMetrics: Bool { self == .metrics || self == .wrongMethod(expected: .get, request: "metrics") }

    /// The route's name in the metrics: one of a few whatever the path (`Clients/Importer`,
    /// `Outils/Version`, `lecture/societes/{societe}/{domaine}`, `metrics`, `console`,
    /// `openapi.json`, `inconnue`), never the path itself, so that the series stay few. A request with the wrong method counts under the route it named (`rawPath`).
    func metricName(rawPath: String) -> String {
        switch self {
        case .importer(let domaine): "\(domaine.name)/Importer"
        case .version: "Outils/Version"
        case .versionERP: "Outils/VersionERP"
        case .lecture(let lecture): "lecture/\(lecture.name)"
        case .metrics: "metrics"
        case .openAPI: "openapi.json"
        case .console: "console"
        case .wrongMethod(let expected, _): Route(method: expected, rawPath: rawPath).metricName(rawPath: rawPath)
        case .unknown: "inconnue"
        }
    }

    /// `"Importer"` or `Importer` → `Importer`; nil when a quote is left open or the name is empty.
    private static func unquoted(_ text: String) -> String? {
        let quoted = text.first == "\"" && text.last == "\"" && text.count >= 2
        let name = quoted ? text.dropFirst().dropLast() : Substring(text)
        guard !name.isEmpty, !name.contains("\"") else { return nil }
        return String(name)
    }
}

/// What a request of the read API asks for (`/api/comptoir/v1/…`).
enum Lecture: Equatable {
    /// `domaines`: the domains and their fields.
    case domaines
    /// `societes/{societe}`: whether the user may read the société.
    case societe(String)
    /// `societes/{societe}/{Domaine}`: a page of records.
    case list(societe: String, domaine: String)
    /// `societes/{societe}/{Domaine}/{clé…}`: one record.
    case record(societe: String, domaine: String, key: [String])

    static let prefix = ["api", "comptoir", "v1"]

    /// The read request of a path under the prefix, each segment percent-decoded on its own so
    /// that a key may hold a `/`; nil for any other path.
    init?(rawPath: String) {
        var segments = rawPath.prefix { $0 != "?" }.split(separator: "/", omittingEmptySubsequences: false)
            .dropFirst().map { $0.removingPercentEncoding }
        // A value of a key may be empty (an article's `ART_GAMME`), so a record's path keeps its
        // empty segments; the other paths may end with a `/` (`societes/DEMO/Clients/` is a list).
        if segments.count <= Self.prefix.count + 4, segments.last == "" { segments.removeLast() }
        guard segments.count > Self.prefix.count,
            segments.prefix(Self.prefix.count).map({ $0?.lowercased() }) == Self.prefix,
            case let rest = segments.dropFirst(Self.prefix.count).compactMap({ $0 }),
            rest.count == segments.count - Self.prefix.count
        else { return nil }
        switch (rest.first?.lowercased(), rest.count) {
        case ("domaines", 1): self = .domaines
        case ("societes", 2): self = .societe(rest[1])
        case ("societes", 3): self = .list(societe: rest[1], domaine: rest[2])
        case ("societes", 4...): self = .record(societe: rest[1], domaine: rest[2], key: Array(rest.dropFirst(3)))
        default: return nil
        }
    }

    /// How a refusal names it.
    var name: String {
        switch self {
        case .domaines: "domaines"
        case .societe: "societes/{societe}"
        case .list: "societes/{societe}/{domaine}"
        case .record: "societes/{societe}/{domaine}/{clé}"
        }
    }
}
