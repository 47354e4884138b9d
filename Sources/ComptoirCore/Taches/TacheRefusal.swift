/// A tâche that cannot run, with its French message and what kind of failure it is: the exit
/// code follows from the kind (`taches.md` §3).
public struct TacheRefusal: FrenchError, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The command line or the `.ini` is wrong (exit 3).
        case invalidTache
        /// Refused as the web service refuses a request, or its data file cannot be read (exit 2).
        case refused
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
