/// Where a line stands among a request's groups (its documents, its pièces), as
/// `ImportRun.forEachGroup` reads it.
enum GroupPlace: Equatable, Sendable {
    /// A line of the group of this key: the first of a new group when the group before has
    /// another.
    case keyed([String])
    /// A line of the group before it, as an échéance follows its écriture.
    case following
    /// A line whose key cannot be read whole: `readable` holds each part of its key, nil where
    /// it cannot be read (empty when the line cannot be split at all). It belongs to the group
    /// before it, and the next line to its group, unless a part read on both lines differs: the
    /// line may be the last of one group as well as the first of the next, and one bad line then
    /// rejects both rather than letting part of one be written without it. A part read that
    /// differs says a group ends there, as a key that differs does.
    case unknown(readable: [String?])
}

/// Follows a request's lines from group to group.
struct GroupTracking {
    /// The key of the last line placed, when it could be read whole.
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
            defer { (key, unknownKey) = (nil, readable) }
            return !hasGroup || differs(readable)
        case .keyed(let lineKey):
            defer { (key, unknownKey) = (lineKey, nil) }
            return !hasGroup || differs(lineKey.lazy.map(Optional.some))
        }
    }

    /// Whether a part of a line's key that is read differs from the same part of the line
    /// before, where that one was read.
    private func differs(_ parts: some Sequence<String?>) -> Bool {
        if let key { return Self.differ(key.lazy.map(Optional.some), parts) }
        return unknownKey.map { Self.differ($0, parts) } ?? false
    }

    /// Whether a part read in both `one` and `other` differs.
    private static func differ(_ one: some Sequence<String?>, _ other: some Sequence<String?>) -> Bool {
        zip(one, other).contains { part, otherPart in part != nil && otherPart != nil && part != otherPart }
    }
}
