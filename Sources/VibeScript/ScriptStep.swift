import Foundation

/// One step of a `vibe run` script (docs/scripting.md): a line such as `send 'make test' Enter`,
/// `expect --timeout 60 'passed'`, `capture`, `sleep 0.5`, `wait-quiet 300` or `wait-exit`.
public struct ScriptStep: Sendable, Equatable {
    /// The line's number in the script (1-based) and its text.
    public let line: Int
    public let text: String
    public let action: Action

    public enum Action: Sendable, Equatable {
        case send(words: [String], literal: Bool)
        case expect(ScreenPattern, scope: ExpectScope, timeout: Duration)
        case capture(CaptureFormat, scrollback: Int)
        case sleep(Duration)
        case waitQuiet(Duration, timeout: Duration)
        case waitExit(timeout: Duration)
    }

    /// The default for steps that wait.
    public static let defaultTimeout: Duration = .seconds(10)

    /// The steps of `script`, or the first line that is wrong (with its number).
    public static func parse(_ script: String) -> Result<[ScriptStep], ScriptParseError> {
        var steps: [ScriptStep] = []
        // "\r\n" is one Character: both it and "\n" end a line.
        let lines = script.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, text) in lines.enumerated() {
            let line = index + 1
            switch ScriptWords.split(String(text)) {
            case .failure(let problem):
                return .failure(ScriptParseError(line: line, message: problem.message))
            case .success(let words):
                guard let verb = words.first else { continue }
                do {
                    steps.append(ScriptStep(line: line, text: String(text), action: try action(verb, Array(words.dropFirst()))))
                } catch {
                    return .failure(ScriptParseError(line: line, message: error.message))
                }
            }
        }
        return .success(steps)
    }

    private static func action(_ verb: String, _ args: [String]) throws(ScriptProblem) -> Action {
        let options = try Options(args, optionsFirst: verb == "send")
        try options.only(allowedOptions[verb] ?? [], verb)
        switch verb {
        case "send":
            guard !options.rest.isEmpty else { throw ScriptProblem("send needs keys or text") }
            return .send(words: options.rest, literal: options.flag("-l"))
        case "expect":
            guard options.rest.count == 1, let pattern = options.rest.first else {
                throw ScriptProblem("expect takes one pattern (quote it)")
            }
            let scopeName = try options.value("--on") ?? "screen"
            guard let scope = ExpectScope(rawValue: scopeName) else {
                throw ScriptProblem("--on is screen, line or stream, not \(scopeName)")
            }
            let compiled: ScreenPattern
            if options.flag("--regex") {
                do { compiled = try ScreenPattern(regex: pattern) } catch { throw ScriptProblem(error.description) }
            } else {
                compiled = ScreenPattern(text: pattern)
            }
            return .expect(compiled, scope: scope, timeout: try options.seconds("--timeout") ?? defaultTimeout)
        case "capture":
            let name = try options.value("--format") ?? "text"
            guard let format = CaptureFormat(rawValue: name) else { throw ScriptProblem("--format is text, dump or json") }
            let scrollback = try options.value("--scrollback").map { text throws(ScriptProblem) -> Int in
                guard let n = Int(text), n >= 0 else { throw ScriptProblem("--scrollback takes a line count") }
                return n
            }
            try options.noMore(verb)
            return .capture(format, scrollback: scrollback ?? 0)
        case "sleep":
            guard options.rest.count == 1, let duration = Self.seconds(options.rest[0]) else {
                throw ScriptProblem("sleep takes seconds, e.g. sleep 0.5")
            }
            return .sleep(duration)
        case "wait-quiet":
            guard options.rest.count == 1, let ms = Int(options.rest[0]), ms > 0 else {
                throw ScriptProblem("wait-quiet takes milliseconds, e.g. wait-quiet 300")
            }
            return .waitQuiet(.milliseconds(ms), timeout: try options.seconds("--timeout") ?? defaultTimeout)
        case "wait-exit":
            let timeout = try options.seconds("--timeout") ?? defaultTimeout
            try options.noMore(verb)
            return .waitExit(timeout: timeout)
        default:
            throw ScriptProblem("unknown step \(verb) (send, expect, capture, sleep, wait-quiet, wait-exit)")
        }
    }

    private static let allowedOptions: [String: Set<String>] = [
        "send": ["-l"], "expect": ["--regex", "--on", "--timeout"], "capture": ["--format", "--scrollback"],
        "wait-quiet": ["--timeout"], "wait-exit": ["--timeout"],
    ]

    static func seconds(_ text: String) -> Duration? {
        guard let s = Double(text), s >= 0, s.isFinite, s < 1e9 else { return nil }
        return .milliseconds(Int64(s * 1000))
    }

    /// A step's arguments: options (`-l`, `--regex`, `--on X`, …) first, then the rest, as in a shell command.
    private struct Options {
        var flags: Set<String> = []
        var values: [String: String] = [:]
        var rest: [String] = []
        static let takesValue: Set<String> = ["--on", "--timeout", "--format", "--scrollback"]
        static let known: Set<String> = ["-l", "--regex"]

        /// Options go anywhere before `--`, except for `send`, whose options come first (its keys may look
        /// like options).
        init(_ args: [String], optionsFirst: Bool) throws(ScriptProblem) {
            var i = 0
            while i < args.count {
                let arg = args[i]
                if arg == "--" {
                    rest += args[(i + 1)...]
                    break
                }
                if Self.takesValue.contains(arg) {
                    guard i + 1 < args.count else { throw ScriptProblem("\(arg) needs a value") }
                    values[arg] = args[i + 1]
                    i += 2
                } else if Self.known.contains(arg) {
                    flags.insert(arg)
                    i += 1
                } else if optionsFirst {
                    rest += args[i...]
                    break
                } else {
                    if arg.hasPrefix("-"), arg.count > 1 { throw ScriptProblem("unknown option \(arg) (put -- before a pattern that starts with -)") }
                    rest.append(arg)
                    i += 1
                }
            }
        }

        /// Refuses the options `verb` does not take.
        func only(_ allowed: Set<String>, _ verb: String) throws(ScriptProblem) {
            for name in flags.union(values.keys) where !allowed.contains(name) {
                throw ScriptProblem("\(verb) takes no \(name)")
            }
        }

        func flag(_ name: String) -> Bool { flags.contains(name) }

        func value(_ name: String) throws(ScriptProblem) -> String? { values[name] }

        func seconds(_ name: String) throws(ScriptProblem) -> Duration? {
            guard let text = values[name] else { return nil }
            guard let duration = ScriptStep.seconds(text) else { throw ScriptProblem("\(name) takes seconds, not \(text)") }
            return duration
        }

        func noMore(_ verb: String) throws(ScriptProblem) {
            if !rest.isEmpty { throw ScriptProblem("\(verb) takes no \(rest.joined(separator: " "))") }
        }
    }
}

/// A script line that cannot run.
public struct ScriptParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}
