import Foundation

/// A query string as HTML forms and most HTTP libraries write it
/// (`application/x-www-form-urlencoded`): `+` is a space, `%2B` a plus. The browser's
/// `URLSearchParams`, Python's `requests`, Java's `URLEncoder` and .NET's `UrlEncode` all write a
/// space as `+`, which a search for `SPORT MAX` would otherwise look for literally.
enum FormQuery {
    /// The parameters of `query`, in order, names and values decoded; a `%` that starts no
    /// escape is kept as written (`10%`). Escapes of bytes that are not UTF-8 (`%E9`, Latin-1's
    /// `é`) are refused: kept as written, they would find nothing, and say nothing of why.
    static func parameters(of query: String?) throws(Refusal) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return try query.split(separator: "&").map { pair throws(Refusal) in
            let (name, value) =
                pair.firstIndex(of: "=").map { (pair[..<$0], pair[pair.index(after: $0)...]) } ?? (pair, "")
            return (try decoded(name), try decoded(value))
        }
    }

    private static func decoded(_ text: Substring) throws(Refusal) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        if let decoded = spaced.removingPercentEncoding { return decoded }
        guard !spaced.contains(#/%(?![0-9A-Fa-f]{2})/#) else { return spaced }
        throw Refusal(
            .badRequest, "Le paramètre \(spaced) n'est pas un texte UTF-8 : ses octets (%XX) doivent être en UTF-8")
    }
}
