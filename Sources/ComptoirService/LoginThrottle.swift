/// Slows down the guessing of passwords: after 5 failures in a row for one user of one
/// société, each next attempt of that user waits, 1 s then twice as long each time, until a
/// success. Attempts sent together count as failures while they are checked, and queue up one
/// delay after the other, so that guessing in parallel is no faster; but no attempt waits more
/// than 30 s, so that a burst of wrong attempts never keeps the user out longer.
actor LoginThrottle {
    static let freeFailures = 5
    static let maximumDelay = Duration.seconds(30)
    /// How many users' counts are kept, so that guessing user names cannot fill the memory.
    static let trackedUsers = 10_000

    private var failures: [String: Int] = [:]
    /// The attempts being checked, by user: failures until they are known not to be.
    private var checking: [String: Int] = [:]
    private var notBefore: [String: ContinuousClock.Instant] = [:]

    /// Waits as long as the failures of `user` on `societe` call for; the attempt is then
    /// being checked until `record`.
    func delay(user: String, societe: String) async {
        let key = key(user, societe)
        let count = failures[key, default: 0] + checking[key, default: 0]
        checking[key, default: 0] += 1
        guard count >= Self.freeFailures else { return }
        let delay = min(Duration.seconds(1 << min(count - Self.freeFailures, 5)), Self.maximumDelay)
        let now = ContinuousClock.now
        let until = min(max(now, notBefore[key] ?? now) + delay, now + Self.maximumDelay)
        notBefore[key] = until
        try? await Task.sleep(until: until)
    }

    /// Records the outcome of an attempt checked: a success, a failure, or nil when it could
    /// not be checked (the société out of reach), which counts as neither.
    func record(success: Bool?, user: String, societe: String) {
        let key = key(user, societe)
        checking[key] = checking[key].flatMap { $0 > 1 ? $0 - 1 : nil }
        guard let success else { return }
        if success {
            failures[key] = nil
            notBefore[key] = nil
            return
        }
        if failures.count >= Self.trackedUsers {
            // Forget the users not slowed down first: a flood of made-up names must not
            // reset the count of a user under attack.
            failures = failures.filter { $0.value >= Self.freeFailures }
            if failures.count >= Self.trackedUsers { failures.removeAll() }
            notBefore = notBefore.filter { failures[$0.key] != nil }
        }
        failures[key, default: 0] += 1
    }

    private func key(_ user: String, _ societe: String) -> String { societe + "\u{0}" + user.uppercased() }
}
