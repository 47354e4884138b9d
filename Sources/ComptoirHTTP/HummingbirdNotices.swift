import Logging

/// The log handler of Hummingbird's own lines: its notices ("Server started and listening…",
/// "Shutting down") are in English, and Comptoir says the same in French, so they are left
/// out; its warnings and errors pass, as they are.
struct HummingbirdNotices: LogHandler {
    var handler: any LogHandler

    var logLevel: Logger.Level {
        get { handler.logLevel }
        set { handler.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { handler.metadata }
        set { handler.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { handler[metadataKey: key] }
        set { handler[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level <= .info, event.source == "HummingbirdCore" { return }
        handler.log(event: event)
    }

    /// `logger`, its Hummingbird notices left out.
    static func logger(from logger: Logger) -> Logger {
        Logger(label: logger.label) { _ in HummingbirdNotices(handler: logger.handler) }
    }
}
