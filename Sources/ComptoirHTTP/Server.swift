import ComptoirStore
import Hummingbird
import Logging

/// How the server is started: `comptoir demarrer`'s options.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The data folder, one `<NOM>.Gestimum` file per société.
    public var folder: String
    /// The largest request body accepted, in bytes.
    public var bodyLimit: Int

    public static let defaultBodyLimit = 256 * 1024 * 1024

    public init(host: String = "127.0.0.1", port: Int = 8080, folder: String, bodyLimit: Int = defaultBodyLimit) {
        self.host = host
        self.port = port
        self.folder = folder
        self.bodyLimit = bodyLimit
    }
}

/// The web service as a Hummingbird application, stopped cleanly by SIGINT and SIGTERM.
public func makeApplication(settings: ServerSettings, logger: Logger) -> some ApplicationProtocol {
    Application(
        responder: WebService(
            folder: SocieteFolder(path: settings.folder), bodyLimit: settings.bodyLimit, logger: logger),
        configuration: ApplicationConfiguration(
            address: .hostname(settings.host, port: settings.port),
            serverName: "Comptoir"
        ),
        logger: logger
    )
}
