#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit of open files, which every connection and every société file counts
/// against. A shell often starts programs with a soft limit far below the hard one.
public enum OpenFilesLimit {
    /// Raises the soft limit to the hard limit; returns both as they were, and the limit now
    /// in force.
    public static func raiseToHard() -> (soft: Int, hard: Int, now: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (1024, 1024, 1024) }
        let (soft, hard) = (Int(clamping: limit.rlim_cur), Int(clamping: limit.rlim_max))
        limit.rlim_cur = limit.rlim_max
        let now = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? hard : soft
        return (soft, hard, now)
    }

    /// The connections a server with `limit` open files accepts by default: the limit less
    /// room for the sociétés' files (each open société holds a few per connection of its pool)
    /// and the server's own, an eighth of the limit and at least 256.
    public static func defaultMaximumConnections(limit: Int) -> Int {
        max(16, limit - max(256, limit / 8))
    }
}
