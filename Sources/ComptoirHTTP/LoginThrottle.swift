/// Slows down the guessing of passwords: after 5 failures in a row for one user of one
/// société, each next attempt of that user waits, 1 s then twice as long each time (at most
/// 30 s), until a success.
actor LoginThrottle {
    static let freeFailures = 5
    static let maximumDelay = Duration.seconds(30)

    private var failures: [String: Int] = [:]

    /// Waits as long as the failures of `user` on `societe` call for.
    func delay(user: String, societe: String) async {
        let count = failures[key(user, societe), default: 0]
        guard count >= Self.freeFailures else { return }
        let delay = min(Duration.seconds(1 << min(count - Self.freeFailures, 5)), Self.maximumDelay)
        try? await Task.sleep(for: delay)
    }

    func record(success: Bool, user: String, societe: String) {
        if success {
            failures[key(user, societe)] = nil
        } else {
            // Bounded, so that guessing user names cannot fill the memory.
            if failures.count >= 10_000 { failures.removeAll() }
            failures[key(user, societe), default: 0] += 1
        }
    }

    private func key(_ user: String, _ societe: String) -> String { societe + "\u{0}" + user.uppercased() }
}
