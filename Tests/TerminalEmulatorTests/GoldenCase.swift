import Foundation
@testable import TerminalEmulator

/// One case of a `.golden` file (format documented in docs/emulator.md).
struct GoldenCase: Sendable, CustomStringConvertible {
    enum Step: Sendable {
        case input([UInt8])
        case resize(rows: Int, cols: Int)
    }

    var file: String
    var name: String
    var line: Int
    var rows = 24
    var cols = 80
    var scrollbackLimit = 10_000
    var steps: [Step] = []
    var expected: [String] = []
    var expectedReplies: [UInt8] = []
    var expectedEvents: [String]?

    var description: String { "\(file):\(line) \(name)" }

    /// Runs the case and returns a list of mismatch descriptions (empty = pass).
    func run() -> [String] {
        let t = Terminal(cols: cols, rows: rows, scrollbackLimit: scrollbackLimit)
        for step in steps {
            switch step {
            case .input(let bytes): t.feed(bytes)
            case .resize(let r, let c): t.resize(cols: c, rows: r)
            }
        }
        var failures: [String] = []
        var actual = ScreenDump.dump(t).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if actual.last == "" { actual.removeLast() }
        // Scrollback is compared when the case lists `sb|text` lines or `sb-empty`.
        if expected.contains(where: { $0.hasPrefix("sb") }) {
            actual = (0..<t.scrollbackCount).map { "sb|" + t.text(ofScrollbackLine: $0) } + actual
        }
        let want = expected.filter { !$0.hasPrefix("size ") && $0 != "sb-empty" }
        let got = actual.filter { !$0.hasPrefix("size ") }
        if want != got {
            failures.append("screen mismatch\n--- expected\n\(want.joined(separator: "\n"))\n--- actual\n\(got.joined(separator: "\n"))")
        }
        let replies = t.takeReplies()
        if replies != expectedReplies {
            failures.append("replies mismatch: expected \(GoldenCase.escape(expectedReplies)) got \(GoldenCase.escape(replies))")
        }
        if let expectedEvents {
            let events = t.takeEvents().map { "\($0)" }
            if events != expectedEvents {
                failures.append("events mismatch: expected \(expectedEvents) got \(events)")
            }
        }
        return failures
    }

    /// Renders bytes with the same escapes the files use.
    static func escape(_ bytes: [UInt8]) -> String {
        var s = ""
        for b in bytes {
            switch b {
            case 0x1B: s += "\\e"
            case 0x20..<0x7F where b != 0x5C: s += String(UnicodeScalar(b))
            case 0x5C: s += "\\\\"
            default: s += String(format: "\\x%02x", b)
            }
        }
        return s
    }
}

/// Loads every `Goldens/*.golden` file.
enum GoldenLoader {
    static func directory() -> URL? {
        Bundle.module.url(forResource: "Goldens", withExtension: nil)
    }

    static func fileNames() -> [String] {
        guard let dir = directory(),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".golden") }.sorted()
    }

    static func load(_ fileName: String) throws -> [GoldenCase] {
        guard let dir = directory() else { return [] }
        let text = try String(contentsOf: dir.appendingPathComponent(fileName), encoding: .utf8)
        return try parse(text, file: fileName)
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses a golden file. Directives per case:
    /// `=== name`, `size ROWSxCOLS`, `scrollback N`, `in TEXT`, `resize ROWSxCOLS`,
    /// `out` followed by expected dump lines, `replies TEXT`, `events E1 | E2`.
    static func parse(_ text: String, file: String) throws -> [GoldenCase] {
        var cases: [GoldenCase] = []
        var current: GoldenCase?
        var inOut = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let lineNo = index + 1
            if line.hasPrefix("=== ") {
                if let c = current { cases.append(c) }
                current = GoldenCase(file: file, name: String(line.dropFirst(4)), line: lineNo)
                inOut = false
                continue
            }
            guard var c = current else {
                if line.isEmpty || line.hasPrefix("#") { continue }
                throw ParseError(description: "\(file):\(lineNo): text before first case")
            }
            defer { current = c }
            if inOut {
                if line.isEmpty {
                    inOut = false
                } else if line.hasPrefix("replies ") || line.hasPrefix("events ") || line == "events" {
                    inOut = false
                } else {
                    c.expected.append(line)
                    continue
                }
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line == "out" {
                inOut = true
            } else if line.hasPrefix("size ") {
                let (r, co) = try size(String(line.dropFirst(5)), file, lineNo)
                c.rows = r
                c.cols = co
            } else if line.hasPrefix("scrollback ") {
                c.scrollbackLimit = Int(line.dropFirst(11)) ?? 0
            } else if line.hasPrefix("in ") {
                c.steps.append(.input(try unescape(String(line.dropFirst(3)), file, lineNo)))
            } else if line.hasPrefix("resize ") {
                let (r, co) = try size(String(line.dropFirst(7)), file, lineNo)
                c.steps.append(.resize(rows: r, cols: co))
            } else if line.hasPrefix("replies ") {
                c.expectedReplies = try unescape(String(line.dropFirst(8)), file, lineNo)
            } else if line.hasPrefix("events") {
                let rest = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
                c.expectedEvents = rest.isEmpty ? [] : rest.components(separatedBy: " | ")
            } else {
                throw ParseError(description: "\(file):\(lineNo): unknown directive: \(line)")
            }
        }
        if let c = current { cases.append(c) }
        return cases
    }

    private static func size(_ s: String, _ file: String, _ line: Int) throws -> (Int, Int) {
        let parts = s.split(separator: "x")
        guard parts.count == 2, let r = Int(parts[0]), let c = Int(parts[1]) else {
            throw ParseError(description: "\(file):\(line): bad size \(s)")
        }
        return (r, c)
    }

    /// `\e` ESC, `\xHH`, `\r`, `\n`, `\t`, `\b`, `\a`, `\\`, `\u{H...}`; other text is UTF-8.
    static func unescape(_ s: String, _ file: String, _ line: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(s.unicodeScalars)[...]
        while let ch = chars.popFirst() {
            guard ch == "\\" else {
                out.append(contentsOf: Array(String(ch).utf8))
                continue
            }
            guard let e = chars.popFirst() else { throw ParseError(description: "\(file):\(line): trailing \\") }
            switch e {
            case "e": out.append(0x1B)
            case "r": out.append(0x0D)
            case "n": out.append(0x0A)
            case "t": out.append(0x09)
            case "b": out.append(0x08)
            case "a": out.append(0x07)
            case "s": out.append(0x20)
            case "\\": out.append(0x5C)
            case "x":
                let hex = String(String.UnicodeScalarView(chars.prefix(2)))
                guard hex.count == 2, let v = UInt8(hex, radix: 16) else {
                    throw ParseError(description: "\(file):\(line): bad \\x escape")
                }
                chars = chars.dropFirst(2)
                out.append(v)
            case "u":
                guard chars.first == "{", let close = chars.firstIndex(of: "}") else {
                    throw ParseError(description: "\(file):\(line): bad \\u escape")
                }
                let hex = String(String.UnicodeScalarView(chars[chars.index(after: chars.startIndex)..<close]))
                guard let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                    throw ParseError(description: "\(file):\(line): bad \\u escape")
                }
                out.append(contentsOf: Array(String(u).utf8))
                chars = chars[chars.index(after: close)...]
            default:
                throw ParseError(description: "\(file):\(line): unknown escape \\\(e)")
            }
        }
        return out
    }
}
