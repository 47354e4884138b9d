import ArgumentParser
import ComptoirCore
import Foundation
import Logging

/// How `comptoir demarrer` writes its log lines on standard error.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    /// swift-log's own lines, for a person reading a terminal.
    case texte
    /// One JSON object per line, for log shippers (journald, Vector, Loki…).
    case json
}

/// A log handler that writes each entry as one JSON object on one line of standard error:
/// `{"time":…,"level":…,"label":…,"message":…}` then the entry's metadata (`requete`, the
/// request's id, on the web service's lines). Accents are escaped, as the web service's answers
/// are, so a line is ASCII whatever it says.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, entry in entry }
        var members: [(key: String, value: JSONValue)] = [
            ("time", .string(Self.time(Date()))), ("level", .string(event.level.rawValue)), ("label", .string(label)),
            ("message", .string("\(event.message)")),
        ]
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { members.append((key, .string("\(value)"))) }
        // A journal that cannot be written (a full disk) loses the line, as swift-log's text
        // output does; `write(_:)` would stop the server.
        try? FileHandle.standardError.write(contentsOf: Data((JSONValue.object(members).asciiText + "\n").utf8))
    }

    /// `AAAA-MM-JJTHH:MM:SS.mmmZ`, in UTC.
    static func time(_ date: Date) -> String {
        // With its zone, `Z`: a collector reads a time without one as its own local time.
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
