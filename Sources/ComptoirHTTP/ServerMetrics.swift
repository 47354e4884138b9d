import ComptoirService
import ComptoirStore
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import Prometheus
import Synchronization

/// The server's figures, served at `/metrics` in Prometheus's text format. The store, the import
/// service and the web service record them through swift-metrics where they happen; they go to
/// one registry for the whole process, since `MetricsSystem.bootstrap` may be called only once.
enum ServerMetrics {
    /// The process's registry, which swift-metrics sends to from the first server on (a process
    /// without a server, a tâche, records nothing).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From a version's answer to a million lines' import.
        factory.durationHistogramBuckets[durationMetric] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
            .seconds(120), .seconds(300),
        ]
        factory.valueHistogramBuckets[GroupCommit.batchSizeMetric] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
        MetricsSystem.bootstrap(HelpedMetricsFactory(prometheus: factory, help: help))
        // The metrics of no label are there from the start, at zero, so that a rule on them
        // holds before their first event.
        _ = Meter(label: Sessions.waitingMetric)
        _ = Meter(label: BodyBudget.waitingMetric)
        _ = Counter(label: BodyBudget.waitsMetric)
        _ = Recorder(label: GroupCommit.batchSizeMetric)
        return registry
    }()

    /// Each metric's `# HELP` line, in the README's words.
    private static let help = [
        requestsMetric: "Requêtes répondues, par route et code HTTP",
        durationMetric: "Durée d'une requête, de son arrivée à l'en-tête de sa réponse",
        ImportService.importedMetric: "Lignes importées par les imports gardés (pas tester=Oui)",
        ImportService.rejectedMetric: "Lignes rejetées par les imports gardés (pas tester=Oui)",
        ImportService.testedMetric: "Lignes des imports tester=Oui, qui n'écrivent rien",
        Sessions.waitingMetric: "Requêtes qui attendent leur session sur une société occupée",
        BodyBudget.waitsMetric: "Corps qui ont dû attendre de la place dans la mémoire des requêtes",
        BodyBudget.waitingMetric: "Corps qui attendent de la place dans la mémoire des requêtes en ce moment",
        GroupCommit.batchSizeMetric: "Requêtes écrites ensemble par un même commit",
    ]

    static let requestsMetric = "comptoir_http_requests_total"
    static let durationMetric = "comptoir_http_request_duration_seconds"

    /// Counts a request answered with `status` after `elapsed`, under its route's name.
    static func answered(route: String, status: HTTPResponse.Status, elapsed: Duration) {
        let key = Answered(route: route, status: status.code)
        let (requests, duration) = handles.withLock { handles in
            if let made = handles[key] { return made }
            let made = (
                Counter(label: requestsMetric, dimensions: [("route", route), ("status", String(status.code))]),
                Timer(label: durationMetric, dimensions: [("route", route)])
            )
            handles[key] = made
            return made
        }
        requests.increment()
        duration.record(duration: elapsed)
    }

    /// A route and a status answered.
    private struct Answered: Hashable {
        let route: String
        let status: Int
    }

    /// The handles of each route and status, made by the first such answer: making one looks
    /// the metric up in the registry, about ten times what finding it here costs.
    private static let handles = Mutex<[Answered: (Metrics.Counter, Metrics.Timer)]>([:])

    /// Whether `/metrics` answers `peer`: always on this machine (a loopback address), from
    /// anywhere else only with `--metriques`. A peer not known counts as one from elsewhere.
    static func answers(peer: SocketAddress?, anyPeer: Bool) -> Bool {
        anyPeer || peer?.ipAddress.map(ServerTLS.isLoopback) == true
    }

    /// The figures, in Prometheus's text format.
    static var response: Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}

/// A request's context: Hummingbird's, with the address of the peer, which `/metrics` looks at.
public struct ComptoirRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
