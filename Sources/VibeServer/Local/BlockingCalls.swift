import Dispatch

/// Runs blocking system work (starting a program: clone and exec, opening a PTY) on a serial queue of its
/// own, awaited with a continuation: never on the cooperative pool, whose two threads (on a 2-core machine)
/// carry every socket's bytes, nor on an event loop.
///
/// Serial on purpose: a burst of 100 opens starts shells one after another rather than all at once, and a
/// socket's task waits without holding a thread.
enum BlockingCalls {
    private static let queue = DispatchQueue(label: "vibe.spawn", qos: .userInitiated)

    /// Runs `body` on the queue and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
