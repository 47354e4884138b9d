import ComptoirTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `/metrics` through the executable, listening on every address: the loopback gets it, a peer
/// at another address (this machine's own, reached through its network interface) gets 404,
/// unless `--metriques`.
@Suite("/metrics beyond the loopback")
struct MetricsExposureTests {
    /// An IPv4 address of this machine that is not on the loopback; nil when it has none.
    static let machineAddress: String? = {
        var interfaces: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&interfaces) == 0 else { return nil }
        defer { freeifaddrs(interfaces) }
        var next = interfaces
        while let interface = next {
            defer { next = interface.pointee.ifa_next }
            guard let address = interface.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else {
                continue
            }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard inet_ntop(AF_INET, &ipv4, &text, socklen_t(text.count)) != nil else { continue }
            let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !host.hasPrefix("127.") { return host }
        }
        return nil
    }()

    private static let scrape = Array("GET /metrics HTTP/1.1\r\nHost: comptoir\r\nConnection: close\r\n\r\n".utf8)

    @Test(
        "the loopback gets /metrics, another address 404 unless --metriques",
        .enabled(if: machineAddress != nil, "no network address besides the loopback"))
    func onlyTheLoopbackUnlessMetriques() async throws {
        let executable = try #require(comptoirExecutable)
        let address = try #require(Self.machineAddress)
        try await withTemporaryFolder { folder in
            let arguments = ["--dossier", folder, "--hote", "0.0.0.0", "--sans-tls-hors-local"]
            let server = try await LiveComptoir.start(executable, folder: folder, arguments: arguments)
            defer { server.killIfRunning() }
            let local = await liveExchange(port: server.port, Self.scrape)
            #expect(local.status == 200, "\(local.text)")
            #expect(local.text.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"))
            let remote = await liveExchange(port: server.port, host: address, Self.scrape)
            #expect(remote.status == 404, "\(remote.text)")
            #expect(remote.errorMessage == "Requête inconnue : /metrics")
            // Counted as what it was answered as: an unknown path.
            let after = await liveExchange(port: server.port, Self.scrape)
            #expect(after.body.contains(#"comptoir_http_requests_total{route="inconnue",status="404"} 1"#))
            #expect(after.body.contains(#"comptoir_http_requests_total{route="metrics",status="200"} 1"#))
            await server.stopCleanly()

            let open = try await LiveComptoir.start(executable, folder: folder, arguments: arguments + ["--metriques"])
            defer { open.killIfRunning() }
            let told = await liveExchange(port: open.port, host: address, Self.scrape)
            #expect(told.status == 200, "\(told.text)")
            await open.stopCleanly()
        }
    }
}
