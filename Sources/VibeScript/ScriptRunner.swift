/// Runs parsed ``ScriptStep``s against a ``ScriptedTerminal``, stopping at the first step that fails.
public enum ScriptRunner {
    /// A step that failed, and why.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let step: ScriptStep
        /// The step's number among the steps (1-based).
        public let index: Int
        public let error: ScriptError
        public var description: String { "step \(index) (line \(step.line): \(step.text.trimmed)): \(error)" }
    }

    /// Runs `steps`; `captured` receives what each `capture` step renders.
    public static func run(
        _ steps: [ScriptStep], on terminal: ScriptedTerminal, captured: (String) -> Void
    ) async throws(Failure) {
        for (offset, step) in steps.enumerated() {
            do {
                switch step.action {
                case .send(let words, let literal):
                    try await terminal.send(keys: words, literal: literal)
                case .expect(let pattern, let scope, let timeout):
                    try await terminal.expect(pattern, in: scope, timeout: timeout)
                case .capture(let format, let scrollback):
                    captured(await terminal.capture(format, scrollback: scrollback))
                case .sleep(let duration):
                    try? await Task.sleep(for: duration)
                case .waitQuiet(let quiet, let timeout):
                    try await terminal.waitForQuiet(quiet, timeout: timeout)
                case .waitExit(let timeout):
                    _ = try await terminal.waitForExit(timeout: timeout)
                }
            } catch {
                throw Failure(step: step, index: offset + 1, error: error)
            }
        }
    }
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
