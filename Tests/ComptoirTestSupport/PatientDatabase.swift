import GRDB

extension Configuration {
    /// A test's own connection to a société the server may be writing to: it waits for a
    /// checkpoint or a commit to end rather than failing at once with "database is locked".
    public static var patient: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }
}
