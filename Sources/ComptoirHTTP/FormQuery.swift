import Foundation

/// A query string as HTML forms and most HTTP libraries write it
/// (`application/x-www-form-urlencoded`): `+` is a space, `%2B` a plus. The browser's
/// `URLSearchParams`, Python's `requests`, Java's `URLEncoder` and .NET's `UrlEncode` all write a
/// space as `+`, which a search for `SPORT MAX` would otherwise look for literally.
enum FormQuery {
    /// The parameters of `query`, in order, names and values decoded; a malformed `%` escape is
    /// kept as written.
    static func parameters(of query: String?) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let (name, value) =
                pair.firstIndex(of: "=").map { (pair[..<$0], pair[pair.index(after: $0)...]) } ?? (pair, "")
            return (decoded(name), decoded(value))
        }
    }

    private static func decoded(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
