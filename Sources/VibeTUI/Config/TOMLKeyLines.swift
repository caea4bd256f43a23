/// The line on which each key of a TOML document is set, found by scanning the text (TOMLKit's
/// values do not carry their position). Keys are full dotted paths from the root, such as
/// `["keys", "quit"]`; a `[table]` header, and each prefix of a dotted key, gives the line where that
/// table first appears. The text is one TOMLKit has already accepted, so the scanner only follows
/// valid TOML: statements at the top level, with each value (strings, and arrays or inline tables
/// that may span lines) skipped whole so that nothing inside a value is taken for a key.
///
/// The same scan finds the first table header whose key starts with a character no key can start
/// with (`[&]`, `[[[a]]]`): the toml++ inside TOMLKit 0.6.0 asserts on those (and in builds without
/// assertions relies on them never happening; marzer/tomlplusplus#294), so `TOMLDocument` reports
/// them itself instead of handing them over.
struct TOMLKeyLines {
    /// A table header TOMLKit must not see: where it starts and the error to report for it.
    struct MalformedHeader {
        /// Byte offset of the header's `[` in the text's UTF-8.
        var offset: Int
        /// The error, at the offending character.
        var error: TOMLSyntaxError
    }

    private let lines: [[String]: Int]
    /// The first malformed table header, if any.
    let malformedHeader: MalformedHeader?

    /// Scans `text` for its keys.
    init(scanning text: String) {
        var scanner = KeyLineScanner(bytes: Array(text.utf8))
        lines = scanner.scan()
        malformedHeader = scanner.malformedHeader
    }

    /// The 1-based line of `path`, else of the nearest enclosing key that has one (a key inside an
    /// inline table is on its table's line).
    func line(of path: [String]) -> Int? {
        var path = path[...]
        while !path.isEmpty {
            if let line = lines[Array(path)] { return line }
            path = path.dropLast()
        }
        return nil
    }
}

/// The byte-level scan behind `TOMLKeyLines`.
private struct KeyLineScanner {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    private var table: [String] = []
    private var found: [[String]: Int] = [:]
    private(set) var malformedHeader: TOMLKeyLines.MalformedHeader?

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
    }

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private func starts(with text: String) -> Bool {
        var i = pos
        for b in text.utf8 {
            guard i < bytes.count, bytes[i] == b else { return false }
            i += 1
        }
        return true
    }

    mutating func scan() -> [[String]: Int] {
        while true {
            skipSpaces()
            guard let b = peek else { break }
            switch b {
            case UInt8(ascii: "\n"):
                newline()
            case UInt8(ascii: "#"), UInt8(ascii: "\r"):
                skipRestOfLine()
            case UInt8(ascii: "["):
                header()
                skipRestOfLine()
            default:
                keyValue()
                skipRestOfLine()
            }
        }
        return found
    }

    /// Records `base + path`, and each shorter prefix of it, at the current line unless seen before.
    private mutating func record(_ path: [String], under base: [String]) {
        guard !path.isEmpty else { return }
        for length in 1...path.count {
            let key = base + path.prefix(length)
            if found[key] == nil { found[key] = line }
        }
    }

    /// `[a.b]` or `[[a.b]]`: later keys belong to `a.b`.
    private mutating func header() {
        let start = pos
        pos += 1
        skipSpaces()
        if peek == UInt8(ascii: "[") {
            pos += 1
            skipSpaces()
        }
        if let b = peek, b != UInt8(ascii: "]"), b != UInt8(ascii: "\""), b != UInt8(ascii: "'"), !Self.isBareKeyByte(b) {
            noteMalformedHeader(at: start)
            return
        }
        let path = keyPath()
        guard !path.isEmpty else { return }
        record(path, under: [])
        table = path
    }

    /// `a.b = value`: records the key, then skips the value.
    private mutating func keyValue() {
        let path = keyPath()
        skipSpaces()
        guard !path.isEmpty, peek == UInt8(ascii: "=") else { return }
        pos += 1
        record(path, under: table)
        skipSpaces()
        skipValue()
    }

    private mutating func noteMalformedHeader(at start: Int) {
        guard malformedHeader == nil else { return }
        let column = bytes[lineStart..<pos].filter { $0 & 0xC0 != 0x80 }.count + 1
        let character = String(decoding: bytes[pos..<min(pos + 4, bytes.count)], as: UTF8.self).unicodeScalars.first
        let shown = character.map { $0.escaped(asASCII: false) } ?? "?"
        let message = "error while parsing table header: expected bare key starting character or string delimiter, saw '\(shown)'"
        malformedHeader = .init(offset: start, error: TOMLSyntaxError(line: line, column: column, message: message))
    }

    // MARK: - Keys

    private mutating func keyPath() -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let part = simpleKey() else { return parts }
            parts.append(part)
            skipSpaces()
            guard peek == UInt8(ascii: ".") else { return parts }
            pos += 1
        }
    }

    private mutating func simpleKey() -> String? {
        switch peek {
        case UInt8(ascii: "\""): return basicKey()
        case UInt8(ascii: "'"):
            pos += 1
            let start = pos
            while let b = peek, b != UInt8(ascii: "'"), b != UInt8(ascii: "\n") { pos += 1 }
            defer { if peek == UInt8(ascii: "'") { pos += 1 } }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        default:
            let start = pos
            while let b = peek, Self.isBareKeyByte(b) { pos += 1 }
            return pos > start ? String(decoding: bytes[start..<pos], as: UTF8.self) : nil
        }
    }

    private static func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    /// `"…"` as a key, escapes decoded so it matches the key TOMLKit reports.
    private mutating func basicKey() -> String {
        pos += 1
        var out: [UInt8] = []
        while let b = peek, b != UInt8(ascii: "\""), b != UInt8(ascii: "\n") {
            pos += 1
            guard b == UInt8(ascii: "\\"), let e = peek else {
                out.append(b)
                continue
            }
            pos += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "e"): out.append(0x1b)
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let length = e == UInt8(ascii: "u") ? 4 : 8
                let end = min(pos + length, bytes.count)
                let hex = String(decoding: bytes[pos..<end], as: UTF8.self)
                pos = end
                if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
            default: out.append(e)
            }
        }
        if peek == UInt8(ascii: "\"") { pos += 1 }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Values

    /// Skips one value: a string of any kind, or an array or inline table with everything nested in
    /// it (which may span lines). Other values (numbers, booleans, dates) end with the line.
    private mutating func skipValue() {
        var depth = 0
        repeat {
            guard let b = peek else { return }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString()
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                pos += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                pos += 1
            case UInt8(ascii: "#"):
                guard depth > 0 else { return }
                while let c = peek, c != UInt8(ascii: "\n") { pos += 1 }
            case UInt8(ascii: "\n"):
                guard depth > 0 else { return }
                newline()
            default:
                pos += 1
            }
        } while depth > 0
    }

    /// Skips a basic, literal or multi-line string starting at the quote, counting the lines it spans.
    private mutating func skipString() {
        guard let quote = peek else { return }
        let delimiter = String(repeating: String(UnicodeScalar(quote)), count: 3)
        let multiLine = starts(with: delimiter)
        pos += multiLine ? 3 : 1
        while let b = peek {
            if multiLine ? starts(with: delimiter) : b == quote {
                pos += multiLine ? 3 : 1
                // A multi-line string may end with up to two more quotes of its own.
                var extra = 0
                while multiLine, extra < 2, peek == quote {
                    pos += 1
                    extra += 1
                }
                return
            }
            if b == UInt8(ascii: "\n") {
                guard multiLine else { return }
                newline()
                continue
            }
            pos += 1
            // An escape in a basic string; a backslash before a line break continues the line.
            if b == UInt8(ascii: "\\"), quote == UInt8(ascii: "\""), peek != nil, peek != UInt8(ascii: "\n") { pos += 1 }
        }
    }

    // MARK: - Lines

    private mutating func skipSpaces() {
        while let b = peek, b == 0x20 || b == 0x09 { pos += 1 }
    }

    private mutating func newline() {
        pos += 1
        line += 1
        lineStart = pos
    }

    /// Skips to the start of the next line.
    private mutating func skipRestOfLine() {
        while let b = peek, b != UInt8(ascii: "\n") { pos += 1 }
        if peek != nil { newline() }
    }
}
