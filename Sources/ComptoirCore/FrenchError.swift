/// An error a person reads: what went wrong, in French. Every error Comptoir tells a client or
/// an operator is one; each host gives it its form (the web service a status, the command line
/// standard error).
public protocol FrenchError: Error {
    var message: String { get }
}

extension RequestRefusal: FrenchError {}
extension JSONError: FrenchError {}
