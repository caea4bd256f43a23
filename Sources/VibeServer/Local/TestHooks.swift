import Foundation
import Logging

/// Fault injection for end-to-end tests, off unless `VIBE_TEST_HOOKS=1` is in the environment.
///
/// With it, `SIGUSR1` closes every terminal socket of the local driver with 1011 (internal error) while
/// the shells keep running, so tests can check that clients show one outage and resume by offset
/// without losing output. Compiled into debug builds only (the end-to-end suites run the debug build).
enum TestHooks {
    /// Keeps the signal sources alive; only touched under `lock`.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()

    /// Installs the SIGUSR1 hook for `driver` when `VIBE_TEST_HOOKS=1` (debug builds only).
    static func installIfEnabled(_ driver: LocalDriver, logger: Logger) {
        #if DEBUG
        guard ProcessInfo.processInfo.environment["VIBE_TEST_HOOKS"] == "1" else { return }
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        signal(SIGUSR1, SIG_IGN)
        source.setEventHandler {
            logger.warning("test hook: SIGUSR1, closing every terminal socket with 1011")
            driver.disconnectAllTerminals(code: 1011, reason: "test hook")
        }
        source.resume()
        lock.withLock { sources.append(source) }
        #endif
    }
}
