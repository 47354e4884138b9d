import Foundation
import Synchronization

/// The server's local time, as the journal (`dd/MM/yyyy HH:mm:ss`) and the audit columns
/// (`AAAA-MM-JJ HH:MM:SS`) write it.
public enum LocalTime {
    public static func journal(_ date: Date) -> String {
        let time = components(date)
        return "\(time.day)/\(time.month)/\(time.year) \(time.clock)"
    }

    public static func audit(_ date: Date) -> String {
        let time = components(date)
        return "\(time.year)-\(time.month)-\(time.day) \(time.clock)"
    }

    /// `aaaa-MM-jj-HH-mm-ss`, as a file's name carries it.
    public static func fileName(_ date: Date) -> String {
        let time = components(date)
        return "\(time.year)-\(time.month)-\(time.day)-" + time.clock.replacingOccurrences(of: ":", with: "-")
    }

    /// The year, `AAAA`.
    public static func year(_ date: Date) -> String { components(date).year }

    private typealias Components = (year: String, month: String, day: String, clock: String)

    /// The components of the last second asked for: every request asks several times a second,
    /// and the calendar's work is the same for all of them.
    private static let lastSecond = Mutex<(second: Int, components: Components)?>(nil)

    private static func components(_ date: Date) -> Components {
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        if let last = lastSecond.withLock({ $0 }), last.second == second { return last.components }
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
        func padded(_ value: Int?, _ width: Int = 2) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let components = (
            padded(parts.year, 4), padded(parts.month), padded(parts.day),
            "\(padded(parts.hour)):\(padded(parts.minute)):\(padded(parts.second))"
        )
        lastSecond.withLock { $0 = (second, components) }
        return components
    }
}
