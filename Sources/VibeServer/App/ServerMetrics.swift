import Metrics
import Foundation
import Prometheus
import Synchronization
import VibeProtocol

/// The server's metrics, recorded through swift-metrics into this server's own Prometheus registry (no global
/// bootstrap: every server in a process keeps its own) and served as text by `GET /metrics`.
public final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "vibe_session_ready_seconds": [
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
                .seconds(10), .seconds(30), .seconds(60),
            ],
            "vibe_echo_rtt_seconds": [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
            ],
            "vibe_exec_duration_seconds": [
                .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
                .seconds(30), .seconds(120), .seconds(600),
            ],
        ]
        self.factory = factory
    }

    /// A session became ready this long after its start.
    func sessionReady(after duration: Duration) {
        Timer(label: "vibe_session_ready_seconds", factory: factory).record(duration: duration)
    }

    /// An HTTP request was answered (`route` is the route's template, never a path with ids in it).
    func httpRequest(route: String, method: String, status: Int) {
        Counter(
            label: "vibe_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: factory
        ).increment()
    }

    /// A socket of `kind` (terminal, fs_events, status, logs) opened; its close must follow.
    func socketOpened(_ kind: String) {
        Meter(label: "vibe_sockets", dimensions: [("kind", kind)], factory: factory).increment()
    }

    func socketClosed(_ kind: String) {
        Meter(label: "vibe_sockets", dimensions: [("kind", kind)], factory: factory).decrement()
    }

    /// A terminal socket resumed an earlier connection (it came back with an offset).
    func reconnect(_ kind: String) {
        Counter(label: "vibe_reconnects_total", dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// An exec ended (`ending`: exited, timedOut, outputLimit).
    func execFinished(after duration: Duration, ending: String) {
        Timer(label: "vibe_exec_duration_seconds", dimensions: [("ending", ending)], factory: factory).record(duration: duration)
    }

    /// Input reached a terminal and its next output left this long after (the echo as the server sees it).
    func echo(after duration: Duration) {
        Timer(label: "vibe_echo_rtt_seconds", factory: factory).record(duration: duration)
    }

    /// The Prometheus text exposition, with the sessions by state counted now.
    func render(sessions: [SessionStatus]) -> String {
        for state in SessionState.allCases {
            Gauge(label: "vibe_sessions", dimensions: [("state", state.rawValue)], factory: factory)
                .record(sessions.filter { $0.state == state }.count)
        }
        return registry.emitToString()
    }
}

/// Times the echo of a terminal socket: from input taken while no echo is pending to the next output sent.
final class EchoClock: Sendable {
    private let pending = Mutex<ContinuousClock.Instant?>(nil)
    private let metrics: ServerMetrics

    init(_ metrics: ServerMetrics) { self.metrics = metrics }

    /// Input was taken.
    func typed() {
        pending.withLock { if $0 == nil { $0 = .now } }
    }

    /// Output was sent.
    func printed() {
        guard let since = pending.withLock({ p -> ContinuousClock.Instant? in
            defer { p = nil }
            return p
        }) else { return }
        metrics.echo(after: .now - since)
    }
}
