import Foundation
import VibeProtocol

/// Where a wait for a session to become ready stands.
public enum ReadyState: Sendable, Equatable {
    /// Nothing polled yet.
    case idle
    /// Polling the status route.
    case polling
    /// The session is `ready`.
    case ready
    /// The session failed (or a non-retryable error was answered) with this code.
    case failed(ErrorCode)
    /// The timeout passed first.
    case timedOut

    /// True for `ready`, `failed` and `timedOut`.
    public var isTerminal: Bool {
        switch self {
        case .idle, .polling: return false
        case .ready, .failed, .timedOut: return true
        }
    }
}

/// One observable step of a wait: what a UI shows while a session starts.
public struct ReadyProgress: Sendable, Equatable {
    /// The state.
    public var state: ReadyState
    /// Milliseconds since the poll loop started.
    public var elapsedMs: Int
    /// Status requests made so far.
    public var attempts: Int
    /// The last status answered (its `steps` carry the server's timings).
    public var lastStatus: SessionStatus?
    /// The last error seen (retryable ones included), as text.
    public var lastError: String?

    /// Creates a progress record.
    public init(
        state: ReadyState, elapsedMs: Int = 0, attempts: Int = 0, lastStatus: SessionStatus? = nil,
        lastError: String? = nil
    ) {
        self.state = state
        self.elapsedMs = elapsedMs
        self.attempts = attempts
        self.lastStatus = lastStatus
        self.lastError = lastError
    }
}

/// Waits for sessions to become ready by polling `GET /session/status?id=` with backoff and jitter.
///
/// Concurrent waits for the same (base URL, session id) share one poll loop. The loop stops at once on a
/// non-retryable error (``VibeClientError/isRetryable``: a non-retryable server code, an answer that is not the
/// API such as a web app's HTML 404) or a `failed` status; transport errors and a proxy's 502/503/504 pages are
/// retried until the deadline, and every progress record carries the last of them. `suspended` and `stopped` sessions are polled like `creating` ones (someone may be opening them).
public actor ReadyWaiter {
    /// The process-wide waiter (dedupes across every API client of the process).
    public static let shared = ReadyWaiter()

    private let random: JitterSource
    private var polls: [String: Poll] = [:]

    private final class Poll {
        var deadline: ContinuousClock.Instant
        var progress = ReadyProgress(state: .idle)
        var waiters: [UUID: CheckedContinuation<SessionStatus, any Error>] = [:]
        var subscribers: [UUID: AsyncStream<ReadyProgress>.Continuation] = [:]
        var task: Task<Void, Never>?
        init(deadline: ContinuousClock.Instant) { self.deadline = deadline }
    }

    /// Creates a waiter; `random` is the jitter source of the poll backoff.
    public init(random: JitterSource = .system) {
        self.random = random
    }

    /// Waits until the session is ready and returns its status.
    ///
    /// - Parameters:
    ///   - api: the API client to poll with (the first waiter's client is used by a shared loop).
    ///   - session: the session id.
    ///   - timeout: give up after this long (``VibeClientError/readyTimedOut(elapsedMs:attempts:lastState:lastError:)``).
    ///   - interval: the first poll interval; it grows by 1.5× (equal jitter) up to 2 s or the interval if larger.
    /// - Throws: ``VibeClientError/sessionFailed(code:message:)`` when the session failed or a non-retryable
    ///   error was answered; ``VibeClientError/notAnAPI(url:status:contentType:bodyPrefix:)`` when the URL is not
    ///   the API; ``VibeClientError/readyTimedOut(elapsedMs:attempts:lastState:lastError:)`` on timeout.
    public func waitReady(
        api: VibeAPI, session: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(300)
    ) async throws -> SessionStatus {
        let key = Self.key(api, session)
        let deadline = ContinuousClock.now + timeout
        let poll = join(key: key, api: api, session: session, deadline: deadline, interval: interval)
        if case .ready = poll.progress.state, let status = poll.progress.lastStatus { return status }
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            await self?.expire(key: key, waiter: id)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<SessionStatus, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    poll.waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(key: key, waiter: id) }
        }
    }

    /// Starts (or joins) the wait and streams every state change until a terminal state.
    ///
    /// The stream first yields the current progress, then every change; it finishes after `ready`, `failed`
    /// or `timedOut`.
    public func watch(
        api: VibeAPI, session: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(300)
    ) -> AsyncStream<ReadyProgress> {
        let key = Self.key(api, session)
        let poll = join(
            key: key, api: api, session: session, deadline: ContinuousClock.now + timeout, interval: interval)
        let (stream, continuation) = AsyncStream<ReadyProgress>.makeStream()
        continuation.yield(poll.progress)
        if poll.progress.state.isTerminal {
            continuation.finish()
        } else {
            let id = UUID()
            poll.subscribers[id] = continuation
            continuation.onTermination = { _ in Task { await self.unsubscribe(key: key, id: id) } }
        }
        return stream
    }

    /// The key concurrent waits are deduplicated by.
    static func key(_ api: VibeAPI, _ session: String) -> String { api.baseURL + "|" + session }

    private func join(
        key: String, api: VibeAPI, session: String, deadline: ContinuousClock.Instant, interval: Duration
    ) -> Poll {
        if let poll = polls[key] {
            if deadline > poll.deadline { poll.deadline = deadline }
            return poll
        }
        let poll = Poll(deadline: deadline)
        polls[key] = poll
        let random = self.random
        poll.task = Task {
            await Self.run(self, key: key, api: api, session: session, interval: interval, random: random)
        }
        return poll
    }

    private static func run(
        _ waiter: ReadyWaiter, key: String, api: VibeAPI, session: String, interval: Duration, random: JitterSource
    ) async {
        let start = ContinuousClock.now
        let policy = BackoffPolicy(
            initial: interval, maximum: max(interval, .seconds(2)), multiplier: 1.5, jitter: .equal)
        var backoff = Backoff(policy: policy, random: random)
        var progress = ReadyProgress(state: .polling)
        let statusURL = api.baseURL + Routes.sessionStatus + "?id=" + session
        func elapsed() -> Int { Int(BackoffPolicy.seconds(ContinuousClock.now - start) * 1000) }
        await waiter.publish(key: key, progress)
        var previousState: SessionState?
        while true {
            progress.attempts += 1
            var terminal: (ReadyState, VibeClientError?)?
            // A long poll: the server answers when the state changes (within its waitMs).
            var longPoll = LongPoll(waitMs: 0, started: .now)
            do {
                // Bound each poll by the time left, so a hanging request cannot outlive the deadline.
                var pollAPI = api
                let left = await waiter.deadline(key: key) - ContinuousClock.now
                pollAPI.timeout = max(min(api.timeout, left), .milliseconds(100))
                longPoll.waitMs = Int(BackoffPolicy.seconds(min(left, Self.longPollWait)) * 1000)
                let status = try await pollAPI.status(session, waitMs: longPoll.waitMs)
                progress.lastStatus = status
                progress.lastError = nil
                switch status.state {
                case .ready: terminal = (.ready, nil)
                case .failed:
                    let code = status.error ?? .createFailed
                    terminal = (.failed(code), .sessionFailed(code: code, message: status.message))
                default: break
                }
            } catch let error as VibeClientError {
                progress.lastError = error.briefly(url: statusURL)
                if !error.isRetryable {
                    // A failed session, or an answer that says this URL is not (or will never be) the API.
                    if case .server(let e) = error {
                        terminal = (.failed(e.code), .sessionFailed(code: e.code, message: e.message))
                    } else {
                        terminal = (.failed(ErrorCode(rawValue: error.code)), error)
                    }
                }
            } catch {
                progress.lastError = "\(error)"
            }
            if Task.isCancelled { return }
            progress.elapsedMs = elapsed()
            if let (state, error) = terminal {
                progress.state = state
                await waiter.finish(key: key, progress, error: error)
                return
            }
            let remaining = await waiter.deadline(key: key) - ContinuousClock.now
            if remaining <= .zero {
                progress.state = .timedOut
                await waiter.finish(
                    key: key, progress,
                    error: .readyTimedOut(
                        elapsedMs: progress.elapsedMs, attempts: progress.attempts,
                        lastState: progress.lastStatus?.state, lastError: progress.lastError))
                return
            }
            await waiter.publish(key: key, progress)
            // Ask again at once when the server held the answer (it long-polls) or the state moved; sleep when it
            // answered at once with nothing new (a server without `waitMs`, or an error).
            let state = progress.lastStatus?.state
            let moved = progress.lastError == nil && state != previousState
            previousState = state
            if !(longPoll.wasHeld && progress.lastError == nil) && !moved {
                try? await Task.sleep(for: min(backoff.next(), remaining))
            }
            if Task.isCancelled { return }
        }
    }

    /// How long one status request may be held by the server.
    static let longPollWait: Duration = .seconds(10)

    /// One status request's long-poll bookkeeping.
    private struct LongPoll {
        var waitMs: Int
        var started: ContinuousClock.Instant
        /// True when the server held the answer for at least half the wait: it long-polls.
        var wasHeld: Bool { waitMs > 0 && ContinuousClock.now - started >= .milliseconds(waitMs / 2) }
    }

    private func deadline(key: String) -> ContinuousClock.Instant {
        polls[key]?.deadline ?? .now
    }

    private func publish(key: String, _ progress: ReadyProgress) {
        guard let poll = polls[key] else { return }
        poll.progress = progress
        for s in poll.subscribers.values { s.yield(progress) }
    }

    private func finish(key: String, _ progress: ReadyProgress, error: VibeClientError?) {
        guard let poll = polls[key] else { return }
        polls[key] = nil
        poll.progress = progress
        for s in poll.subscribers.values {
            s.yield(progress)
            s.finish()
        }
        poll.subscribers = [:]
        for w in poll.waiters.values {
            if let error {
                w.resume(throwing: error)
            } else if let status = progress.lastStatus {
                w.resume(returning: status)
            } else {
                w.resume(throwing: VibeClientError.sessionFailed(code: .internalError, message: "no status"))
            }
        }
        poll.waiters = [:]
    }

    private func expire(key: String, waiter id: UUID) {
        guard let poll = polls[key], let w = poll.waiters.removeValue(forKey: id) else { return }
        let p = poll.progress
        w.resume(
            throwing: VibeClientError.readyTimedOut(
                elapsedMs: p.elapsedMs, attempts: p.attempts, lastState: p.lastStatus?.state, lastError: p.lastError))
        stopIfUnused(key: key, poll)
    }

    private func cancel(key: String, waiter id: UUID) {
        guard let poll = polls[key], let w = poll.waiters.removeValue(forKey: id) else { return }
        w.resume(throwing: CancellationError())
        stopIfUnused(key: key, poll)
    }

    private func unsubscribe(key: String, id: UUID) {
        guard let poll = polls[key], poll.subscribers.removeValue(forKey: id) != nil else { return }
        stopIfUnused(key: key, poll)
    }

    private func stopIfUnused(key: String, _ poll: Poll) {
        guard poll.waiters.isEmpty, poll.subscribers.isEmpty, polls[key] === poll else { return }
        poll.task?.cancel()
        polls[key] = nil
    }
}

extension VibeAPI {
    /// Waits until `session` is ready, sharing the poll loop with concurrent waiters (``ReadyWaiter/shared``).
    public func waitReady(
        _ session: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(300)
    ) async throws -> SessionStatus {
        try await ReadyWaiter.shared.waitReady(api: self, session: session, timeout: timeout, interval: interval)
    }
}
