import Foundation
import Synchronization

/// SIGINT and SIGTERM during a bench that drives terminals under PTYs: instead of ending the process at once
/// (which would leave its tmux or vibe server and a flood running), the signal is noted here; every
/// `PTYScreen` wait then gives up at once and its failure says "interrupted", so the bench unwinds through
/// its cleanup and exits with a failure.
enum BenchInterrupt {
    private static let flag = Atomic<Bool>(false)

    /// True once SIGINT or SIGTERM has arrived (after `install()`).
    static var requested: Bool { flag.load(ordering: .relaxed) }

    /// Catches SIGINT and SIGTERM for the rest of the process (children get the defaults back on exec).
    static func install() {
        _ = requested  // initialises the flag here, not inside the handler
        for signo in [SIGINT, SIGTERM] {
            signal(signo) { _ in BenchInterrupt.flag.store(true, ordering: .relaxed) }
        }
    }
}
