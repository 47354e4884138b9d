import ComptoirCore
import ComptoirTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ComptoirHTTP

/// `/metrics`: Prometheus's text, scraped after imports; only this machine's peers get it
/// unless `--metriques`. The figures are the process's, shared by every server of the tests:
/// each test compares a scrape after with one before.
@Suite(.serialized) struct MetricsTests {
    /// Two clients imported and one rejected (its capital is no number).
    static let lines = [
        "PCF_CODE;CPT_NUMERO;PCF_RS;PCF_CAPITA", "M1;411M1;Un;1", "M2;411M2;Deux;2", "M3;411M3;Trois;abc",
    ]

    /// The figures, as a scrape of `/metrics` reads them.
    struct Scrape {
        let text: String

        /// The value of a series, written as in the text (`name{label="value",…}`); 0 when absent.
        subscript(_ series: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
                return Double(line.dropFirst(series.count + 1)) ?? .nan
            }
            return 0
        }
    }

    private func scrape(_ client: any TestClientProtocol) async throws -> Scrape {
        try await client.execute(uri: "/metrics", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            return Scrape(text: String(buffer: response.body))
        }
    }

    @Test func aScrapeAfterImportsShowsTheirLinesTheirRequestsAndTheirLatency() async throws {
        let server = try TestServer()
        try await server.run(testing: .live) { client in
            let before = try await scrape(client)
            let (status, answer) = try await client.importer(.clients, Self.lines)
            #expect(status == .ok)
            #expect(answer.statistics == statistics(imported: 2, rejected: 1))
            let (testStatus, _) = try await client.importer(
                .clients, Self.lines, parametres: parametres(("tester", "Oui")))
            #expect(testStatus == .ok)
            let (refusedStatus, _) = try await client.post("{}")
            #expect(refusedStatus == .badRequest)
            try await client.execute(uri: "/api/comptoir/v1/domaines", method: .get) { response in
                #expect(response.status == .ok)
            }
            let after = try await scrape(client)
            func delta(_ series: String) -> Double { after[series] - before[series] }

            // The kept import's lines; the test's apart.
            #expect(delta(#"comptoir_lines_imported_total{domaine="Clients"}"#) == 2)
            #expect(delta(#"comptoir_lines_rejected_total{domaine="Clients"}"#) == 1)
            #expect(delta(#"comptoir_lines_tested_total{domaine="Clients",result="accepted"}"#) == 2)
            #expect(delta(#"comptoir_lines_tested_total{domaine="Clients",result="rejected"}"#) == 1)
            // The requests by route and status, the scrape before included.
            #expect(delta(#"comptoir_http_requests_total{route="Clients/Importer",status="200"}"#) == 2)
            #expect(delta(#"comptoir_http_requests_total{route="Clients/Importer",status="400"}"#) == 1)
            #expect(delta(#"comptoir_http_requests_total{route="lecture/domaines",status="200"}"#) == 1)
            #expect(delta(#"comptoir_http_requests_total{route="metrics",status="200"}"#) == 1)
            // Their latency, a histogram by route.
            #expect(delta(#"comptoir_http_request_duration_seconds_count{route="Clients/Importer"}"#) == 3)
            #expect(delta(#"comptoir_http_request_duration_seconds_bucket{route="Clients/Importer",le="+Inf"}"#) == 3)
            #expect(after.text.contains("# TYPE comptoir_http_request_duration_seconds histogram"))
            // Each of the two imports had a commit of its own (a test's savepoint too).
            #expect(delta("comptoir_group_commit_batch_size_count") >= 2)
            #expect(after[#"comptoir_group_commit_batch_size_bucket{le="1.0"}"#] >= 2)
        }
    }

    @Test("each metric says what it counts; those of no label are there before their first event")
    func helpLinesAndMetricsFromTheStart() async throws {
        let server = try TestServer()
        // The router's requests come from no address: as a peer from elsewhere.
        try await server.run(metricsForAnyPeer: true) { client in
            _ = try await client.importer(.clients, Self.lines)
            let text = try await scrape(client).text
            for name in [
                "comptoir_http_requests_total", "comptoir_http_request_duration_seconds",
                "comptoir_lines_imported_total",
                "comptoir_lines_rejected_total", "comptoir_sessions_waiting", "comptoir_body_budget_waits_total",
                "comptoir_body_budget_waiting", "comptoir_group_commit_batch_size",
            ] {
                #expect(text.contains("\n# HELP \(name) ") || text.hasPrefix("# HELP \(name) "), "\(name)")
            }
            for series in ["comptoir_body_budget_waits_total", "comptoir_body_budget_waiting"] {
                #expect(text.split(separator: "\n").contains { $0.hasPrefix(series + " ") }, "\(series)")
            }
        }
    }

    @Test func aPeerNotOnThisMachineGets404UnlessMetriques() async throws {
        let server = try TestServer()
        // The router's requests come from no address, as a peer from elsewhere.
        try await server.run { client in
            // Whatever the method: a 405 would tell that the path exists.
            for method in [HTTPRequest.Method.get, .post] {
                try await client.execute(uri: "/metrics", method: method) { response in
                    #expect(response.status == .notFound)
                    let answer = try JSONValue.parse(Array(response.body.readableBytesView))
                    #expect(answer == Answer.error("Requête inconnue : /metrics"))
                }
            }
        }
        try await server.run(metricsForAnyPeer: true) { client in
            _ = try await scrape(client)
            try await client.execute(uri: "/metrics", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
    }

    @Test(
        "loopback peers only, IPv4, IPv6 and IPv4 in IPv6",
        arguments: [
            ("127.0.0.1", true), ("127.12.0.3", true), ("::1", true), ("::ffff:127.0.0.1", true),
            ("192.168.1.20", false), ("10.0.0.1", false), ("::ffff:10.0.0.1", false), ("2001:db8::1", false),
        ])
    func thePeersThatGetTheMetrics(address: String, local: Bool) throws {
        let peer = try SocketAddress(ipAddress: address, port: 40_000)
        #expect(ServerMetrics.answers(peer: peer, anyPeer: false) == local)
        #expect(ServerMetrics.answers(peer: peer, anyPeer: true))
    }

    @Test func anUnknownPeerIsNotLocal() {
        #expect(!ServerMetrics.answers(peer: nil, anyPeer: false))
        #expect(ServerMetrics.answers(peer: nil, anyPeer: true))
    }

    @Test(
        "routes are named, never by their path",
        arguments: [
            ("/api/rest/Clients/%22Importer%22", HTTPRequest.Method.post, "Clients/Importer"),
            ("/api/rest/clients/importer/?x=1", .post, "Clients/Importer"),
            ("/api/rest/Clients/%22Importer%22", .get, "Clients/Importer"),
            ("/api/rest/Outils/%22Version%22", .get, "Outils/Version"),
            ("/api/rest/Outils/VersionERP", .get, "Outils/VersionERP"),
            ("/api/rest/Zorglub/%22Importer%22", .post, "inconnue"),
            ("/api/comptoir/v1/domaines", .get, "lecture/domaines"),
            ("/api/comptoir/v1/societes/DEMO/Clients/C%2F1", .get, "lecture/societes/{societe}/{domaine}/{clé}"),
            ("/api/comptoir/v1/societes/DEMO/Clients", .post, "lecture/societes/{societe}/{domaine}"),
            ("/metrics", .get, "metrics"),
            ("/metrics", .delete, "metrics"),
            ("/console/console.js", .get, "console"),
            ("/console", .post, "console"),
            ("/n/importe/quoi", .get, "inconnue"),
        ])
    func routeNames(path: String, method: HTTPRequest.Method, name: String) {
        #expect(Route(method: method, rawPath: path).metricName(rawPath: path) == name)
    }

    @Test func aSessionWaitIsCountedWhileItWaits() async throws {
        let server = try TestServer()
        let hold = SessionHold()
        try await server.run(hold: hold, metricsForAnyPeer: true) { client in
            let before = try await scrape(client)["comptoir_sessions_waiting"]
            let holder = Task { try await client.timedPost(sessionBody(lines: clientLines("A", count: 1))) }
            try await hold.waitUntilHolding()
            let waiter = Task { try await client.timedPost(sessionBody(lines: clientLines("B", count: 1))) }
            try await waitFor(client, "comptoir_sessions_waiting", toBe: before + 1)
            hold.release()
            #expect(try await holder.value.status == .ok)
            #expect(try await waiter.value.status == .ok)
            try await waitFor(client, "comptoir_sessions_waiting", toBe: before)
        }
    }

    @Test func aBodyWaitingForRoomIsCounted() async throws {
        let server = try TestServer()
        let hold = SessionHold()
        let holderBody = importBody(.clients, lines: clientLines("A", count: 200))
        let secondBody = importBody(.clients, lines: clientLines("B", count: 100))
        let budget = holderBody.utf8.count + secondBody.utf8.count / 2
        try await server.run(bodyBudget: budget, hold: hold, metricsForAnyPeer: true) { client in
            let before = try await scrape(client)
            let holder = Task { try await client.timedPost(holderBody) }
            try await hold.waitUntilHolding()
            let waiter = Task { try await client.timedPost(secondBody) }
            try await waitFor(client, "comptoir_body_budget_waiting", toBe: before["comptoir_body_budget_waiting"] + 1)
            hold.release()
            #expect(try await holder.value.status == .ok)
            #expect(try await waiter.value.status == .ok)
            let after = try await scrape(client)
            #expect(after["comptoir_body_budget_waits_total"] - before["comptoir_body_budget_waits_total"] == 1)
            #expect(after["comptoir_body_budget_waiting"] == before["comptoir_body_budget_waiting"])
        }
    }

    /// Scrapes until `series` is `value`, at most 15 s; fails the test when it never is.
    private func waitFor(
        _ client: any TestClientProtocol, _ series: String, toBe value: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while try await scrape(client)[series] != value {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(series) never reached \(value)", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
