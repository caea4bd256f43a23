import ArgumentParser
import Foundation
import VibeClient
import VibeProtocol

/// Printing helpers: human text or JSON, errors on stderr with the documented exit codes.
enum Output {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Prints `value` as one JSON line.
    static func json<T: Encodable>(_ value: T) {
        if let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) { print(text) }
        fflush(nil)
    }

    /// Writes a line to stderr.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// One human line for a session.
    static func describe(_ s: SessionStatus) -> String {
        var line = "\(s.id)\t\(s.state.rawValue)"
        if let e = s.error { line += "\t\(e.rawValue)" + (s.message.map { ": \($0)" } ?? "") }
        if let ms = s.readyMs { line += "\tready in \(ms) ms" }
        return line
    }

    /// The exit code and message for an error from the client or the server.
    static func failure(_ error: any Error) -> CLIError {
        if let cli = error as? CLIError { return cli }
        guard let client = error as? VibeClientError else {
            return CLIError(message: "vibe: \(error)", exitCode: VibeExit.failure)
        }
        let message = "vibe: \(client.description)"
        if let server = client.serverError { return CLIError(message: message, exitCode: exitCode(server.code)) }
        if client.code.hasPrefix("NON_JSON") { return CLIError(message: message, exitCode: VibeExit.unreachable) }
        switch client.code {
        case "TRANSPORT", "TIMEOUT", "BAD_RESPONSE":
            return CLIError(message: message, exitCode: VibeExit.unreachable)
        case "READY_TIMEOUT": return CLIError(message: message, exitCode: VibeExit.notReady)
        default:
            break
        }
        if case .sessionFailed(let code, _) = client {
            // A failure code this build does not know still means the session failed.
            let specific = exitCode(code)
            return CLIError(message: message, exitCode: specific == VibeExit.failure ? VibeExit.sessionFailed : specific)
        }
        return CLIError(message: message, exitCode: exitCode(ErrorCode(rawValue: client.code)))
    }

    static func exitCode(_ code: ErrorCode) -> Int32 {
        switch code {
        case .invalidRequest, .methodNotAllowed: return VibeExit.usage
        case .sessionNotFound, .notFound: return VibeExit.notFound
        case .unauthorized, .forbidden: return VibeExit.auth
        case .notReady: return VibeExit.notReady
        case .createFailed, .imageUnavailable, .serviceDisabled: return VibeExit.sessionFailed
        case .rateLimited: return VibeExit.rateLimited
        case .pathOutsideWorkspace, .payloadTooLarge, .outputLimitExceeded: return VibeExit.refused
        case .execTimeout: return VibeExit.execTimeout
        case .editNoMatch, .editAmbiguous, .alreadyExists, .folderNotEmpty: return VibeExit.conflict
        case .shuttingDown: return VibeExit.unreachable
        default: return VibeExit.failure
        }
    }
}

/// Runs a command body, turning any error into a message on stderr and the documented exit code.
func reporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ArgumentParser.ExitCode {
        throw exit
    } catch {
        let failure = Output.failure(error)
        Output.error(failure.message)
        throw ArgumentParser.ExitCode(failure.exitCode)
    }
}
