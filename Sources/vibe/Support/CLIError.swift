import ArgumentParser
import Foundation

/// An error the CLI reports as one line on stderr with a documented exit code.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32
    var description: String { message }
}

/// The exit codes of every `vibe` command (also in `vibe --help` and docs/cli.md).
enum VibeExit {
    static let success: Int32 = 0
    /// Any other failure (INTERNAL, unexpected).
    static let failure: Int32 = 1
    /// Bad arguments or configuration (INVALID_REQUEST).
    static let usage: Int32 = 2
    /// Session, route or file not found.
    static let notFound: Int32 = 3
    /// UNAUTHORIZED or FORBIDDEN.
    static let auth: Int32 = 4
    /// The session did not become ready in time (or is NOT_READY).
    static let notReady: Int32 = 5
    /// The session failed to start (CREATE_FAILED, IMAGE_UNAVAILABLE).
    static let sessionFailed: Int32 = 6
    /// The server could not be reached or did not answer JSON.
    static let unreachable: Int32 = 7
    /// RATE_LIMITED.
    static let rateLimited: Int32 = 8
    /// PATH_OUTSIDE_WORKSPACE, PAYLOAD_TOO_LARGE, OUTPUT_LIMIT_EXCEEDED.
    static let refused: Int32 = 9
    /// The files were not as the command expected: an edit's text occurs nowhere or more than once, a
    /// destination exists, a folder is not empty.
    static let conflict: Int32 = 10
    /// `vibe exec`: the command ran past its timeout (as timeout(1)).
    static let execTimeout: Int32 = 124

    static let helpText = """
        Exit codes: 0 ok · 1 failure · 2 usage · 3 not found · 4 unauthorized/forbidden · \
        5 not ready/timed out · 6 session failed · 7 server unreachable/non-JSON · 8 rate limited · \
        9 refused (path outside workspace, too large) · 10 conflict (edit text not found or not unique, \
        destination exists, folder not empty) · 124 exec timeout; \
        `vibe exec` otherwise exits with the command's own code.
        """
}
