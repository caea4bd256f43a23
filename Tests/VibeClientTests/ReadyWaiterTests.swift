import Foundation
import Hummingbird
import Testing
import VibeClient
import VibeProtocol

@Suite struct ReadyWaiterTests {
    /// Serves the status route: `creating` for the first `creatingPolls` polls, then `final`.
    func statusRoute(
        _ router: Router<BasicRequestContext>, counter: Counter, creatingPolls: Int,
        final: @escaping @Sendable (String) -> Response
    ) {
        router.get(RouterPath(Routes.sessionStatus)) { request, _ in
            let id = request.uri.queryParameters.get("id") ?? "?"
            let n = await counter.next()
            return n <= creatingPolls ? jsonResponse(status(id, .creating)) : final(id)
        }
    }

    @Test func pollsUntilReadyAndReportsStatesInOrder() async throws {
        let counter = Counter()
        try await withHTTPServer({ router in
            statusRoute(router, counter: counter, creatingPolls: 3) { jsonResponse(status($0, .ready)) }
        }) { base in
            let waiter = ReadyWaiter(random: .constant(0))
            let api = VibeAPI(baseURL: base)
            var seen: [ReadyProgress] = []
            for await p in await waiter.watch(api: api, session: "s1", interval: .milliseconds(5)) { seen.append(p) }
            let states = seen.map(\.state).filter { $0 != .idle }
            #expect(states.first == .polling)
            #expect(states.last == .ready)
            #expect(Array(states.dropLast()).allSatisfy { $0 == .polling })
            let last = try #require(seen.last)
            #expect(last.attempts == 4)
            #expect(last.lastStatus?.ready == true)
            #expect(last.lastStatus?.steps == [StepTiming(name: "workspace", ms: 1)])
            #expect(await counter.value == 4)
        }
    }

    @Test func failedStatusStopsAfterOnePoll() async throws {
        let counter = Counter()
        try await withHTTPServer({ router in
            statusRoute(router, counter: counter, creatingPolls: 0) {
                jsonResponse(status($0, .failed, error: .createFailed))
            }
        }) { base in
            let waiter = ReadyWaiter()
            do {
                _ = try await waiter.waitReady(api: VibeAPI(baseURL: base), session: "s1", interval: .milliseconds(5))
                Issue.record("expected failure")
            } catch let error as VibeClientError {
                #expect(error == .sessionFailed(code: .createFailed, message: "failed: CREATE_FAILED"))
            }
            #expect(await counter.value == 1)
        }
    }

    @Test func sessionNotFoundStopsAtOnce() async throws {
        let counter = Counter()
        try await withHTTPServer({ router in
            statusRoute(router, counter: counter, creatingPolls: 0) { _ in
                jsonResponse(ErrorBody(error: .sessionNotFound, message: "gone"), status: .notFound)
            }
        }) { base in
            do {
                _ = try await ReadyWaiter().waitReady(
                    api: VibeAPI(baseURL: base), session: "s1", interval: .milliseconds(5))
                Issue.record("expected failure")
            } catch let error as VibeClientError {
                #expect(error.code == "SESSION_NOT_FOUND")
            }
            #expect(await counter.value == 1)
        }
    }

    @Test func timesOutWhenNeverReady() async throws {
        let counter = Counter()
        try await withHTTPServer({ router in
            statusRoute(router, counter: counter, creatingPolls: .max) { jsonResponse(status($0, .ready)) }
        }) { base in
            let waiter = ReadyWaiter()
            var last: ReadyProgress?
            for await p in await waiter.watch(
                api: VibeAPI(baseURL: base), session: "s1", timeout: .seconds(2), interval: .milliseconds(20))
            {
                // Long enough that polls are answered even on a loaded machine: the last one's state is reported.
                last = p
            }
            #expect(last?.state == .timedOut)
            #expect(last?.lastStatus?.state == .creating)
            do {
                _ = try await waiter.waitReady(
                    api: VibeAPI(baseURL: base), session: "s2", timeout: .milliseconds(100), interval: .milliseconds(20))
                Issue.record("expected timeout")
            } catch let error as VibeClientError {
                #expect(error.code == "READY_TIMEOUT")
            }
        }
    }

    @Test func transportErrorsAreRetriedUntilTheTimeout() async throws {
        let waiter = ReadyWaiter()
        do {
            _ = try await waiter.waitReady(
                api: VibeAPI(baseURL: "http://127.0.0.1:1"), session: "s1", timeout: .milliseconds(300),
                interval: .milliseconds(20))
            Issue.record("expected timeout")
        } catch let error as VibeClientError {
            guard case .readyTimedOut = error else {
                Issue.record("expected readyTimedOut, got \(error)")
                return
            }
        }
    }

    @Test func concurrentWaitersShareOnePollLoop() async throws {
        let counter = Counter()
        try await withHTTPServer({ router in
            statusRoute(router, counter: counter, creatingPolls: 3) { jsonResponse(status($0, .ready)) }
        }) { base in
            let waiter = ReadyWaiter(random: .constant(1))
            let api = VibeAPI(baseURL: base)
            async let a = waiter.waitReady(api: api, session: "s1", interval: .milliseconds(50))
            async let b = waiter.waitReady(api: api, session: "s1", interval: .milliseconds(50))
            let (ra, rb) = try await (a, b)
            #expect(ra.ready && rb.ready)
            #expect(await counter.value == 4)
        }
    }
}
