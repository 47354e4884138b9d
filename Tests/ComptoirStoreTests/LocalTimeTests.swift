import Foundation
import Testing

@testable import ComptoirStore

@Suite("LocalTime: journal and audit formats in the server's time zone")
struct LocalTimeTests {
    /// `date` in the journal or audit format, computed with Foundation's calendar in the local time zone.
    private func expected(_ date: Date, journal: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
        let year = String(parts.year!)
        let paddedYear = String(repeating: "0", count: max(0, 4 - year.count)) + year
        let clock = "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
        return journal
            ? "\(two(parts.day))/\(two(parts.month))/\(paddedYear) \(clock)"
            : "\(paddedYear)-\(two(parts.month))-\(two(parts.day)) \(clock)"
    }

    @Test(
        "journal is dd/MM/yyyy HH:mm:ss and audit is yyyy-MM-dd HH:mm:ss, in local time",
        arguments: [0, 1_767_323_045, 1_700_000_000.75, 951_782_400, 4_102_444_799.999, -86_400 * 365 * 50]
            as [TimeInterval]
    )
    func formatsMatchFoundation(seconds: TimeInterval) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(LocalTime.journal(date) == expected(date, journal: true))
        #expect(LocalTime.audit(date) == expected(date, journal: false))
    }

    @Test("a local wall-clock time is written back as that wall-clock time")
    func wallClockRoundTrip() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let date = try #require(
            calendar.date(from: DateComponents(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5)))
        #expect(LocalTime.journal(date) == "02/01/2026 03:04:05")
        #expect(LocalTime.audit(date) == "2026-01-02 03:04:05")

        let evening = try #require(
            calendar.date(from: DateComponents(year: 2024, month: 12, day: 31, hour: 23, minute: 59, second: 59)))
        #expect(LocalTime.journal(evening.addingTimeInterval(0.9)) == "31/12/2024 23:59:59")
        #expect(LocalTime.audit(evening.addingTimeInterval(0.9)) == "2024-12-31 23:59:59")
    }

    @Test("both formats have a fixed width of 19 characters")
    func fixedWidth() {
        let now = Date()
        #expect(LocalTime.journal(now).count == 19)
        #expect(LocalTime.audit(now).count == 19)
        #expect(LocalTime.audit(now).wholeMatch(of: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/) != nil)
        #expect(LocalTime.journal(now).wholeMatch(of: /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/) != nil)
    }
}
