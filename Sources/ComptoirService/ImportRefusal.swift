import ComptoirCore

/// An import request that cannot be honoured, for a reason of the request itself, with its
/// French message. Each host gives it its own form: the web service a status.
public struct ImportRefusal: FrenchError, Equatable, Sendable {
    public enum Reason: Sendable, Equatable {
        /// The body is no valid request.
        case badRequest
        /// The user or the password is wrong.
        case unauthorized
        /// The user may not run this import.
        case forbidden
        /// The société does not exist.
        case notFound
        /// The session cannot be opened, or was ended by another one.
        case conflict
        /// The server is stopping, and the import was cancelled before its commit.
        case stopping
    }

    public let reason: Reason
    public let message: String

    init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}
