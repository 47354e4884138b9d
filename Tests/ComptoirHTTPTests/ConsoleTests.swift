import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ComptoirHTTP

/// The console's files as the server serves them; the console at work in a browser is
/// `ComptoirCLITests/ConsoleBrowserTests`.
@Suite("Console files")
struct ConsoleTests {
    @Test("the page, its style and its script: types, a strict policy, nothing from elsewhere")
    func files() async throws {
        let server = try TestServer()
        try await server.run { client in
            for (path, type) in [
                ("/console", "text/html; charset=utf-8"), ("/console/", "text/html; charset=utf-8"),
                ("/console?x=1", "text/html; charset=utf-8"), ("/console/console.css", "text/css; charset=utf-8"),
                ("/console/console.js", "text/javascript; charset=utf-8"),
            ] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == type, "\(path)")
                    #expect(response.headers[.cacheControl] == "no-cache", "\(path)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                    #expect(response.headers[.eTag]?.hasPrefix("\"") == true, "\(path)")
                    #expect(response.body.readableBytes > 1000, "\(path)")
                }
            }
            try await client.execute(uri: "/console", method: .get) { response in
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.hasPrefix("default-src 'none'; script-src 'self'; style-src 'self';"))
                #expect(!policy.contains("unsafe"))
                let page = String(buffer: response.body)
                // Every file the page loads is the console's own, or the empty icon.
                let loaded = page.matches(of: /(?:src|href)="([^"]*)"/).map { String($0.output.1) }
                #expect(loaded == ["data:,", "/console/console.css", "/console/console.js"])
                #expect(!page.contains("<script>") && !page.contains("style="))
            }
        }
    }

    @Test("an unchanged file answers 304; another method 405; another file 404")
    func revalidationAndRefusals() async throws {
        let server = try TestServer()
        try await server.run { client in
            let tag = try await client.execute(uri: "/console/console.js", method: .get) { $0.headers[.eTag] }
            try await client.execute(
                uri: "/console/console.js", method: .get, headers: [.ifNoneMatch: "\"autre\", \(tag ?? "")"]
            ) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/console/console.js", method: .get, headers: [.ifNoneMatch: "\"autre\""]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/console", method: .post) { #expect($0.status == .methodNotAllowed) }
            try await client.execute(uri: "/console/autre.js", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/consoles", method: .get) { #expect($0.status == .notFound) }
        }
    }
}
