import Foundation
import HTTPTypes
import NIOHTTP1

/// The codings a request's body may come in: no transfer coding but `chunked`, and no content
/// coding. A compressed body would otherwise be read as text and refused as JSON that is not.
enum BodyCodings {
    /// Why a request whose head names these codings cannot be read; nil when it can. Transfer
    /// codings that do not end in `chunked` leave the body's end unknown, a 400 (RFC 9112 §6.3);
    /// another transfer coding is a 501 (§6.1), a content coding a 415 (RFC 9110 §15.5.16).
    static func refusal(of headers: HTTPFields) -> Refusal? {
        let transfer = codings(headers[values: .transferEncoding])
        let unknown = transfer.filter { $0 != "chunked" }
        if !unknown.isEmpty {
            let named = "(Transfer-Encoding : \(unknown.joined(separator: ", ")))"
            guard !endUnknown(transfer) else {
                return Refusal(
                    .badRequest,
                    "Codage de transfert non pris en charge \(named) : sans chunked en dernier, la fin du corps ne peut pas être lue"
                )
            }
            return Refusal(
                .notImplemented, "Codage de transfert non pris en charge \(named) : seul chunked l'est")
        }
        let content = codings(headers[values: .contentEncoding]).filter { $0 != "identity" }
        if !content.isEmpty {
            return Refusal(
                .unsupportedMediaType,
                "Le corps de la requête est compressé (Content-Encoding : \(content.joined(separator: ", "))) : "
                    + "Comptoir le lit sans compression",
                acceptEncoding: "identity")
        }
        return nil
    }

    /// Whether a request's transfer codings leave where its body ends unknown: there are some,
    /// and the last is not `chunked`.
    static func bodyEndUnknown(_ head: HTTPRequestHead) -> Bool {
        endUnknown(codings(head.headers["transfer-encoding"]))
    }

    /// Whether these transfer codings leave the body's end unknown.
    private static func endUnknown(_ transfer: [String]) -> Bool { !transfer.isEmpty && transfer.last != "chunked" }

    /// The codings of a header's values, each a comma-separated list, in lower case.
    private static func codings(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
    }
}
