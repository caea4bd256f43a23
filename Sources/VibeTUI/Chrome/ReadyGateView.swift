import VibeClient

/// The screen shown until the session is ready: progress while waiting, or one plain error with keys.
enum ReadyGateView {
    /// The lines for the current progress (or failure).
    static func lines(session: String?, progress: ReadyProgress?, failure: OpenFailure?) -> [String] {
        var out = ["vibe — opening " + (session ?? "session") + "…", ""]
        if let failure {
            out = ["vibe could not open " + (session ?? "the session"), ""]
            out.append("\(failure.code): \(failure.message)")
            if let id = failure.requestID { out.append("request id: \(id)") }
            out.append("")
            out.append("r  retry      q  quit")
            return out
        }
        guard let progress else {
            out.append("contacting the server…")
            return out
        }
        let state = progress.lastStatus?.state.rawValue ?? "waiting"
        out.append("state: \(state)   elapsed: \(progress.elapsedMs) ms   polls: \(progress.attempts)")
        if let steps = progress.lastStatus?.steps, !steps.isEmpty {
            out.append("")
            out.append("server steps:")
            for step in steps { out.append("  \(step.name)  \(step.ms) ms") }
        }
        if let error = progress.lastError {
            out.append("")
            out.append("last error (retrying): \(error)")
        }
        out.append("")
        out.append("no terminal connects before the session is ready   (q quits)")
        return out
    }
}
