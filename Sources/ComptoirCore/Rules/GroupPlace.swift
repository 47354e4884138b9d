/// Where a line stands among a request's groups (its documents, its pièces), as
/// `ImportRun.forEachGroup` reads it.
enum GroupPlace: Equatable, Sendable {
    /// A line of the group of this key: the first of a new group when the group before has
    /// another.
    case keyed([String])
    /// A line of the group before it, as an échéance follows its écriture.
    case following
    /// A line whose key cannot be read whole: `readable` holds each part of its key, nil where
    /// it cannot be read (empty when the line cannot be split at all). It joins the group before
    /// it, and the next line joins them unless a part read on both lines differs: the line may
    /// belong to either, and one bad line then rejects both groups rather than letting part of
    /// one be written without it. A part that differs says the next line starts another group,
    /// which the bad line cannot be part of.
    case unknown(readable: [String?])
}

/// Follows a request's lines from group to group.
struct GroupTracking {
    private var key: [String]?
    /// What could be read of the last line's key, when it could not be read whole.
    private var unknownKey: [String?]?

    /// Whether a line was seen that the next one can follow.
    var hasGroup: Bool { key != nil || unknownKey != nil }

    /// Whether a line at `place` starts a new group; the tracking moves past it.
    mutating func startsGroup(at place: GroupPlace) -> Bool {
        switch place {
        case .following:
            return false
        case .unknown(let readable):
            unknownKey = readable
            return false
        case .keyed(let lineKey):
            defer { (key, unknownKey) = (lineKey, nil) }
            guard let unknownKey else { return lineKey != key }
            return zip(unknownKey, lineKey).contains { part, linePart in part.map { $0 != linePart } ?? false }
        }
    }
}
