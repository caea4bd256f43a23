import Foundation
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

@Suite("Metrics and CORS")
struct MetricsAndCORSTests {
    @Test func metricsCountRequestsSessionsSocketsExecAndEcho() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            _ = try await server.client.api.exec(id, command: "true")
            let term = await server.client.terminal(id)
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("echo metr''ics\r")
            #expect(await eventually { await out.text.contains("metrics\r\n") })
            let during = try await server.raw("GET", Routes.metrics)
            #expect(during.status == 200)
            #expect(during.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let metrics = PrometheusText(during.body)
            #expect(metrics.value("vibe_sessions", ["state": "ready"]) == 1)
            #expect(metrics.value("vibe_sessions", ["state": "failed"]) == 0)
            #expect(metrics.value("vibe_session_ready_seconds_count") == 1)
            #expect(metrics.value("vibe_sockets", ["kind": "terminal"]) == 1)
            #expect(metrics.value("vibe_exec_duration_seconds_count", ["ending": "exited"]) == 1)
            #expect((metrics.value("vibe_echo_rtt_seconds_count") ?? 0) >= 1)
            #expect(
                metrics.value(
                    "vibe_http_requests_total",
                    ["route": "/api/vibecoding/sessions/{id}/exec", "method": "POST", "status": "200"]) == 1,
                "routes are labelled by template, never by session id")
            #expect(!during.body.contains(id))
            await term.close()
            #expect(await eventually {
                PrometheusText((try? await server.raw("GET", Routes.metrics))?.body ?? "").value("vibe_sockets", ["kind": "terminal"]) == 0
            })
        }
    }

    @Test func metricsNeedAValidTokenWhenAuthIsOn() async throws {
        let secret = String(repeating: "m", count: 40)
        try await withServer(secret: secret, owner: "alice") { server in
            let anonymous = try await server.raw("GET", Routes.metrics)
            #expect(anonymous.status == 401 && anonymous.body.contains("UNAUTHORIZED"))
            let token = try await Authenticator.sign(subject: "alice", secret: secret)
            let allowed = try await server.raw("GET", Routes.metrics, headers: [("Authorization", "Bearer \(token)")])
            #expect(allowed.status == 200 && allowed.body.contains("vibe_sessions"))
        }
    }

    @Test func corsAnswersListedOriginsOnly() async throws {
        try await withServer(corsOrigins: ["https://ide.example.com"]) { server in
            let preflight = try await server.raw(
                "OPTIONS", Routes.sessions,
                headers: [("Origin", "https://ide.example.com"), ("Access-Control-Request-Method", "POST")])
            #expect(preflight.status == 204)
            #expect(preflight.headers["access-control-allow-origin"] == "https://ide.example.com")
            #expect(preflight.headers["access-control-allow-credentials"] == "true")
            #expect(preflight.headers["access-control-allow-methods"]?.contains("POST") == true)
            #expect(preflight.headers["access-control-allow-headers"]?.contains("Authorization") == true)
            #expect(preflight.headers["x-request-id"] != nil)
            let listed = try await server.raw("GET", Routes.sessions, headers: [("Origin", "https://ide.example.com")])
            #expect(listed.status == 200 && listed.headers["access-control-allow-origin"] == "https://ide.example.com")
            #expect(listed.headers["access-control-expose-headers"]?.contains("X-Request-ID") == true)
            let error = try await server.raw("GET", Routes.session("nope"), headers: [("Origin", "https://ide.example.com")])
            #expect(error.status == 404 && error.headers["access-control-allow-origin"] == "https://ide.example.com")
            let other = try await server.raw("GET", Routes.sessions, headers: [("Origin", "https://evil.example.com")])
            #expect(other.status == 200 && other.headers["access-control-allow-origin"] == nil)
            let otherPreflight = try await server.raw(
                "OPTIONS", Routes.sessions,
                headers: [("Origin", "https://evil.example.com"), ("Access-Control-Request-Method", "POST")])
            #expect(otherPreflight.headers["access-control-allow-origin"] == nil)
            #expect(otherPreflight.status == 405 && otherPreflight.body.contains("METHOD_NOT_ALLOWED"))
        }
        #expect(ServerConfiguration.corsOrigin("HTTPS://IDE.example.com:8443") == "https://ide.example.com:8443")
        #expect(ServerConfiguration.corsOrigin("https://ide.example.com/path") == nil)
        #expect(ServerConfiguration.corsOrigin("ide.example.com") == nil)
    }
}

/// The samples of a Prometheus text exposition.
struct PrometheusText {
    let lines: [Substring]

    init(_ text: String) { lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") } }

    /// The value of the sample named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in lines {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let metric = series.prefix { $0 != "{" }
            guard metric == name else { continue }
            let all = labels.allSatisfy { series.contains("\($0.key)=\"\($0.value)\"") }
            if all { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }
}
