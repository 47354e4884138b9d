import Foundation
import HTTPTypes
import Hummingbird

/// A file of the console (`/console`), built into the binary: the page loads nothing from
/// elsewhere (no CDN, no outside font) and talks only to the public requests.
enum ConsoleAsset: Equatable, CaseIterable {
    case page
    case style
    case script

    /// `/console` (with or without a final `/`), `/console/console.css`, `/console/console.js`;
    /// a query string is ignored. Nil for any other path.
    init?(rawPath: String) {
        let path = rawPath.prefix { $0 != "?" }
        guard let asset = Self.allCases.first(where: { path == $0.path || ($0 == .page && path == "/console/") })
        else { return nil }
        self = asset
    }

    var path: String {
        switch self {
        case .page: "/console"
        case .style: "/console/console.css"
        case .script: "/console/console.js"
        }
    }

    var contentType: String {
        switch self {
        case .page: "text/html; charset=utf-8"
        case .style: "text/css; charset=utf-8"
        case .script: "text/javascript; charset=utf-8"
        }
    }

    private var text: String {
        switch self {
        case .page: ConsoleTexts.page
        case .style: ConsoleTexts.style
        case .script: ConsoleTexts.script
        }
    }

    /// The file, or 304 when the browser's copy is this build's: revalidated at every load
    /// (`no-cache`), so that a new binary's console is never mixed with an old one's.
    func response(to request: Request) -> Response {
        let tag = Self.tags[self]!
        var headers: HTTPFields = [
            .contentType: contentType, .cacheControl: "no-cache", .eTag: tag,
            .xContentTypeOptions: "nosniff",
        ]
        if self == .page {
            // Only the console's own files and requests; no inline script or style to inject into.
            headers[.contentSecurityPolicy] =
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            headers[.referrerPolicy] = "no-referrer"
        }
        if let asked = request.headers[.ifNoneMatch],
            asked.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag })
        {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Each file's entity tag: a hash of its text (FNV-1a, 64 bits), which changes with it.
    private static let tags: [ConsoleAsset: String] = Dictionary(
        uniqueKeysWithValues: allCases.map { asset in
            let hash = asset.text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
            return (asset, "\"" + String(hash, radix: 16) + "\"")
        })
}

extension HTTPField.Name {
    fileprivate static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
