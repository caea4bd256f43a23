import Foundation
import Testing
import VibeClient
import VibeProtocol

/// The client against the status answers of backends it was not written with (stand-ins in Tests/StandIns):
/// the minimal `{"ok":…,"ready":…,"error":…}` shape, unknown codes, a web app's HTML pages, a restarting proxy.
@Suite struct BackendCompatibilityTests {
    func waiter() -> ReadyWaiter { ReadyWaiter(random: .constant(0)) }

    @Test func minimalStatusShapeIsReadAndBecomesReady() async throws {
        try await StandInServer.with("minimal") { server in
            let api = VibeAPI(baseURL: server.baseURL)
            let first = try await api.status("s1")
            #expect(first.id == "s1")
            #expect(first.ready == false)
            #expect(first.state == .creating)
            #expect(first.error == nil)
            let status = try await waiter().waitReady(api: api, session: "s1", interval: .milliseconds(10))
            #expect(status.ready)
            #expect(status.state == .ready)
            #expect(status.id == "s1")
        }
    }

    @Test func minimalStatusWithAnErrorStopsAtOnce() async throws {
        try await StandInServer.with("minimal-error") { server in
            let api = VibeAPI(baseURL: server.baseURL)
            let status = try await api.status("s1")
            #expect(status.state == .failed)
            let error = await #expect(throws: VibeClientError.self) {
                try await waiter().waitReady(api: api, session: "s1", timeout: .seconds(60), interval: .seconds(5))
            }
            #expect(error == .sessionFailed(code: .imageUnavailable, message: nil))
        }
    }

    @Test func unknownErrorCodeIsKeptAsText() async throws {
        try await StandInServer.with("unknown-error") { server in
            let api = VibeAPI(baseURL: server.baseURL)
            let status = try await api.status("s1")
            #expect(status.error == .other("QUOTA_EXHAUSTED_XYZ"))
            let error = await #expect(throws: VibeClientError.self) {
                try await waiter().waitReady(api: api, session: "s1", timeout: .seconds(60), interval: .seconds(5))
            }
            #expect(error?.code == "QUOTA_EXHAUSTED_XYZ")
        }
    }

    @Test(arguments: [404, 401, 403, 405])
    func htmlPageFromAWebAppIsAConfigurationErrorNamingTheURL(status: Int) async throws {
        try await StandInServer.with("html-\(status)") { server in
            let api = VibeAPI(baseURL: server.baseURL)
            var seen: [ReadyProgress] = []
            for await p in await waiter().watch(api: api, session: "s1", timeout: .seconds(120), interval: .seconds(5)) {
                seen.append(p)
            }
            // Stopped on the first answer.
            #expect(seen.last?.state == .failed(.other("NON_JSON_\(status)")))
            #expect(seen.last?.attempts == 1)
            let error = await #expect(throws: VibeClientError.self) {
                try await waiter().waitReady(api: api, session: "s1", timeout: .seconds(120), interval: .seconds(5))
            }
            guard case .notAnAPI(let url, let answered, let contentType, let body) = error else {
                Issue.record("expected notAnAPI, got \(String(describing: error))")
                return
            }
            #expect(answered == status)
            #expect(url.hasPrefix(server.baseURL + Routes.sessionStatus + "?id=s1"), "the URL it asked (with the long poll's waitMs)")
            #expect(contentType?.hasPrefix("text/html") == true)
            #expect(body.contains("<html>"))
            #expect(error?.code == "NON_JSON_\(status)")
            #expect(error?.description.contains(url) == true)
            #expect(error?.description.contains("--server") == true)
        }
    }

    @Test func proxyErrorPagesAreWaitedThroughAndReported() async throws {
        try await StandInServer.with("html-502-then-ready") { server in
            let api = VibeAPI(baseURL: server.baseURL)
            var seen: [ReadyProgress] = []
            for await p in await waiter().watch(api: api, session: "s1", interval: .milliseconds(10)) { seen.append(p) }
            #expect(seen.last?.state == .ready)
            let errors = seen.compactMap(\.lastError)
            #expect(!errors.isEmpty)
            #expect(errors.allSatisfy { $0 == "NON_JSON_502 from \(server.baseURL)\(Routes.sessionStatus)?id=s1" })
            #expect(seen.last?.lastError == nil)
        }
    }

    @Test func timeoutCarriesTheLastError() async throws {
        // Port 1: nothing listens there (a stopped server's port could be taken by another test meanwhile).
        let base = "http://127.0.0.1:1"
        let error = await #expect(throws: VibeClientError.self) {
            try await waiter().waitReady(
                api: VibeAPI(baseURL: base), session: "s1", timeout: .seconds(10), interval: .milliseconds(50))
        }
        guard case .readyTimedOut(_, _, let state, let lastError) = error else {
            Issue.record("expected readyTimedOut, got \(String(describing: error))")
            return
        }
        #expect(state == nil)
        #expect(lastError == "connection refused (\(base)\(Routes.sessionStatus)?id=s1)")
    }
}
