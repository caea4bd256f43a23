import Foundation
import Logging
import VibeServer

extension ServeCommand {
    /// The auth secret from `--auth-secret-file`, `--auth-secret` or `VIBE_AUTH_SECRET` (in that order), nil
    /// for an open server. `VIBE_AUTH_SECRET` is always taken out of the process's environment, used or not.
    func resolveSecret(logger: Logger) throws -> String? {
        let fromEnvironment = AuthSecret.takeFromEnvironment()
        if authSecretFile != nil && authSecret != nil {
            throw CLIError(message: "vibe: give --auth-secret-file or --auth-secret, not both", exitCode: VibeExit.usage)
        }
        if let path = authSecretFile {
            do {
                return try AuthSecret.load(file: path)
            } catch {
                throw CLIError(message: "vibe: \(error.message)", exitCode: VibeExit.usage)
            }
        }
        if let authSecret {
            logger.warning("\(Self.argvWarning)", metadata: ["event": "auth.secret_in_argv"])
            return authSecret
        }
        return fromEnvironment
    }

    /// What `--auth-secret` logs: argv is public.
    static let argvWarning =
        "--auth-secret is deprecated: every user of this machine can read a command line (ps, /proc/PID/cmdline); "
        + "use --auth-secret-file (or VIBE_AUTH_SECRET)"

    /// Says at start who a local server with auth serves (stdout and the log): one owner, and why.
    func announceTenancy(_ config: ServerConfiguration, logger: Logger) {
        guard driver == "local", config.authSecret != nil, let owner = config.owner else { return }
        let line = "the local driver serves one owner, \(owner): its shells run as this server's user, so every session "
            + "can reach the others; multi-tenant serving needs --driver docker"
        print("vibe serve: \(line)")
        fflush(nil)
        logger.info("\(line)", metadata: ["event": "auth.single_owner", "owner": "\(owner)"])
    }
}
