import Foundation

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

    private static func components(_ date: Date) -> (year: String, month: String, day: String, clock: String) {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
        func padded(_ value: Int?, _ width: Int = 2) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return (
            padded(parts.year, 4), padded(parts.month), padded(parts.day),
            "\(padded(parts.hour)):\(padded(parts.minute)):\(padded(parts.second))"
        )
    }
}
