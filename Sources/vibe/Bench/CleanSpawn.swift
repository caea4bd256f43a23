import Foundation

/// Runs a program to its end the way a shell would start it: an empty signal mask and default dispositions (this
/// process's threads block most signals, and a spawned child keeps its mask: a tmux server started with it ignores
/// SIGTERM, and its shells SIGHUP, which `kill-server` relies on), output discarded.
enum CleanSpawn {
    /// Runs `argv` (found on PATH) with `environment`; throws a `CLIError` naming `what` when it fails.
    static func run(_ argv: [String], environment: [String], what: String) throws {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let spawned = cStringArray(argv) { a in
            cStringArray(environment) { e in posix_spawnp(&pid, argv[0], &actions, &attributes, a, e) }
        }
        var status: Int32 = 0
        guard spawned == 0, waitpid(pid, &status, 0) == pid, status == 0 else {
            throw CLIError(message: "\(what): \(argv.joined(separator: " ")) failed", exitCode: VibeExit.failure)
        }
    }
}
