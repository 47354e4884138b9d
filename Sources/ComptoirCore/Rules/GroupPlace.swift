/// Where a line stands among a request's groups (its documents, its pièces), as
/// `ImportRun.forEachGroup` reads it.
enum GroupPlace: Equatable, Sendable {
    /// A line of the group of this key: the first of a new group when the group before has
    /// another.
    case keyed([String])
    /// A line of the group before it, as an échéance follows its écriture.
    case following
    /// A line whose key cannot be read. It joins the group before it, and the next line joins
    /// them whatever its key: the line may belong to either, and one bad line then rejects both
    /// groups rather than letting part of one be written without it.
    case unknown
}

/// Follows a request's lines from group to group.
struct GroupTracking {
    private var key: [String]?
    private var afterUnknown = false

    /// Whether a line was seen that the next one can follow.
    var hasGroup: Bool { key != nil || afterUnknown }

    /// Whether a line at `place` starts a new group; the tracking moves past it.
    mutating func startsGroup(at place: GroupPlace) -> Bool {
        switch place {
        case .following:
            return false
        case .unknown:
            afterUnknown = true
            return false
        case .keyed(let lineKey):
            defer { (key, afterUnknown) = (lineKey, false) }
            return !afterUnknown && lineKey != key
        }
    }
}
