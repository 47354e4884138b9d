import ComptoirService
import ComptoirStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging

/// How the server is started: `comptoir demarrer`'s options.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The data folder, one `<NOM>.Gestimum` file per société.
    public var folder: String
    /// The largest request body accepted, in bytes.
    public var bodyLimit: Int
    /// How long a request waits for its session on a société before a 409.
    public var lockWait: Duration
    /// How long a client has to send a request's body.
    public var requestTimeout: Duration
    /// How long a request's body may stall, no byte coming, before the request is cut.
    public var bodyStallTimeout: Duration
    /// How long a connection may stay silent before it is closed.
    public var idleTimeout: Duration
    /// The most connections open at once; past it, a new one gets a 503 and is closed.
    public var maximumConnections: Int
    /// The most connections open at once from one address; nil: no such cap.
    public var maximumConnectionsPerAddress: Int?
    /// The bytes all requests' bodies may take at once (`BodyBudget`).
    public var bodyBudget: Int
    /// How long a body waits for room in the budget before a 503.
    public var bodyBudgetWait: Duration
    /// The certificate and key of HTTPS (`ServerTLS`); nil serves HTTP.
    public var tls: ServerTLS?
    /// Whether `/metrics` answers every peer (`--metriques`), not only those on this machine.
    public var metricsForAnyPeer: Bool
    /// Raised to stop the imports running, which then answer 503 and write nothing: a stop
    /// that cannot wait for them.
    public var stopping = StopFlag()

    public static let defaultBodyLimit = 256 * 1024 * 1024

    /// Tests only (internal, never set by the command line): called once an import's session
    /// is open, before it runs, with the user and whether the session has been ended since;
    /// a test holds a session open for as long as it decides by not returning.
    var sessionOpened: ImportService.SessionOpened?
    /// Where the journals of large imports wait for their answer: the system's temporary folder
    /// (`TMPDIR`); tests set another.
    var spillFolder = NSTemporaryDirectory()

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        folder: String,
        bodyLimit: Int = defaultBodyLimit,
        lockWait: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(300),
        bodyStallTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        maximumConnections: Int = 10_000,
        maximumConnectionsPerAddress: Int? = nil,
        bodyBudget: Int = BodyBudget.defaultCapacity(physicalMemory: ProcessInfo.processInfo.physicalMemory),
        bodyBudgetWait: Duration = .seconds(10),
        tls: ServerTLS? = nil,
        metricsForAnyPeer: Bool = false
    ) {
        self.host = host
        self.port = port
        self.folder = folder
        self.bodyLimit = bodyLimit
        self.lockWait = lockWait
        self.requestTimeout = requestTimeout
        self.bodyStallTimeout = bodyStallTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.maximumConnectionsPerAddress = maximumConnectionsPerAddress
        self.bodyBudget = bodyBudget
        self.bodyBudgetWait = bodyBudgetWait
        self.tls = tls
        self.metricsForAnyPeer = metricsForAnyPeer
    }

    /// The largest body a request may declare: within the limit of one request and the budget
    /// of all.
    var largestBody: Int { min(bodyLimit, bodyBudget) }
}

/// The web service as a Hummingbird application.
public func makeApplication(settings: ServerSettings, logger: Logger) -> some ApplicationProtocol {
    Application(
        responder: WebService(settings: settings, logger: logger),
        server: HTTPServerBuilder { responder in
            GatedHTTP1Channel(
                inner: HTTP1Channel(
                    responder: responder,
                    configuration: .init(
                        additionalChannelHandlers: [
                            ExpectContinue(bodyLimit: settings.largestBody), ParserRefusalBody(),
                        ],
                        idleTimeout: .nanoseconds(Int64(settings.idleTimeout.components.seconds) * 1_000_000_000))),
                gate: ConnectionGate(
                    maximum: settings.maximumConnections,
                    maximumPerAddress: settings.maximumConnectionsPerAddress),
                tls: settings.tls?.context)
        },
        configuration: ApplicationConfiguration(
            address: .hostname(settings.host, port: settings.port),
            serverName: "Comptoir"
        ),
        // Hummingbird's notice is left out (`HummingbirdNotices`); the operator reads the
        // address, and the console's, here.
        onServerRunning: { channel in
            let scheme = settings.tls == nil ? "http" : "https"
            let port = channel.localAddress?.port ?? settings.port
            let address = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
            logger.info(
                "Comptoir écoute sur \(scheme)://\(address):\(port) ; console : \(scheme)://\(address):\(port)/console")
        },
        logger: HummingbirdNotices.logger(from: logger)
    )
}
