/// Why a scripted step failed. Every failure that waited on the screen carries the screen as it was then, so
/// a script can show what it saw instead of only that it gave up.
public enum ScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern did not appear within the timeout.
    case timedOut(waitingFor: String, screen: String)
    /// The shell exited (with this code) before the pattern appeared.
    case exited(code: Int32, waitingFor: String, screen: String)
    /// The connection ended for good (the server closed the terminal, or the reconnect budget ran out).
    case closed(reason: String, screen: String)
    /// A regular expression that does not compile.
    case badPattern(String)
    /// The keys could not be handed to the connection (its input buffer is full, or it is closed).
    case sendFailed(String)

    public var description: String {
        switch self {
        case .timedOut(let what, _): return "timed out waiting for \(what)"
        case .exited(let code, let what, _): return "the shell exited (code \(code)) while waiting for \(what)"
        case .closed(let reason, _): return "the terminal's connection closed: \(reason)"
        case .badPattern(let message): return "bad pattern: \(message)"
        case .sendFailed(let message): return "could not send: \(message)"
        }
    }

    /// The screen when the step failed, if it waited on one.
    public var screen: String? {
        switch self {
        case .timedOut(_, let screen), .exited(_, _, let screen), .closed(_, let screen): return screen
        case .badPattern, .sendFailed: return nil
        }
    }
}
