/// A reader for the subset of TOML that config and theme files use: comments; `key = value` with
/// bare, quoted and dotted keys; `[table]` and `[dotted.table]` headers; basic strings (escapes
/// `\n \t \r \b \f \e \" \\ \uXXXX \UXXXXXXXX`) and literal strings; integers (decimal, `0x`, `0o`,
/// `0b`, `_` separators); floats (`inf`, `nan` too); booleans; arrays, which may span lines; and
/// inline tables `{ a = 1 }`. Never traps on bad input: every problem is a `TOMLError` with a line.
public enum TOML {
    /// Most arrays and inline tables nested inside each other.
    public static let maxNesting = 64

    /// Parses a document into its root table.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8))
        return try parser.document()
    }
}

/// The byte-level parser behind `TOML.parse`.
struct TOMLParser {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    private var root = TOMLTable()
    private var current: [String] = []
    private var definedTables: Set<[String]> = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private func byte(at offset: Int) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    private func fail(_ reason: TOMLError.Reason) -> TOMLError {
        TOMLError(line: line, column: pos - lineStart + 1, reason: reason)
    }

    private func unexpected() -> TOMLError {
        guard let b = peek else { return fail(.unexpectedEndOfInput) }
        if b >= 0x21 && b < 0x7f { return fail(.unexpectedCharacter("'\(Character(Unicode.Scalar(b)))'")) }
        return fail(.unexpectedCharacter("0x" + String(b, radix: 16)))
    }

    // MARK: - Document

    mutating func document() throws(TOMLError) -> TOMLTable {
        while true {
            skipSpaces()
            guard let b = peek else { break }
            switch b {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try endOfLine()
            case UInt8(ascii: "["):
                try header()
                try endOfLine()
            default:
                let keyLine = line
                let key = try keyPath()
                skipSpaces()
                guard peek == UInt8(ascii: "=") else { throw fail(.expectedEquals) }
                pos += 1
                skipSpaces()
                let value = try value(depth: 0)
                try insert(value, at: current + key, line: keyLine, into: &root)
                try endOfLine()
            }
        }
        return root
    }

    private mutating func skipSpaces() {
        while let b = peek, b == 0x20 || b == 0x09 { pos += 1 }
    }

    /// Consumes an optional comment and one line break (or the end of input).
    private mutating func endOfLine() throws(TOMLError) {
        skipSpaces()
        if peek == UInt8(ascii: "#") {
            while let b = peek, b != UInt8(ascii: "\n") {
                if b < 0x20 && b != 0x09 && b != 0x0d { throw unexpected() }
                pos += 1
            }
        }
        guard let b = peek else { return }
        if b == UInt8(ascii: "\r"), byte(at: 1) == UInt8(ascii: "\n") { pos += 1 }
        guard peek == UInt8(ascii: "\n") else { throw fail(.expectedNewline) }
        newline()
    }

    private mutating func newline() {
        pos += 1
        line += 1
        lineStart = pos
    }

    /// Skips spaces, comments and line breaks (inside arrays).
    private mutating func skipBlank() throws(TOMLError) {
        while true {
            skipSpaces()
            guard let b = peek else { return }
            if b == UInt8(ascii: "#") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                try endOfLine()
            } else {
                return
            }
        }
    }

    private mutating func header() throws(TOMLError) {
        pos += 1
        if peek == UInt8(ascii: "[") { throw fail(.unsupported("arrays of tables ([[…]])")) }
        skipSpaces()
        let headerLine = line
        let path = try keyPath()
        skipSpaces()
        guard peek == UInt8(ascii: "]") else { throw unexpected() }
        pos += 1
        guard definedTables.insert(path).inserted else {
            throw fail(.duplicateTable(path.joined(separator: ".")))
        }
        try openTable(path[...], line: headerLine, in: &root)
        current = path
    }

    // MARK: - Keys

    /// `a`, `"a b"`, `'c'`, `a.b."c"` — the components of a dotted key.
    private mutating func keyPath() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            parts.append(try simpleKey())
            skipSpaces()
            guard peek == UInt8(ascii: ".") else { return parts }
            pos += 1
        }
    }

    private mutating func simpleKey() throws(TOMLError) -> String {
        guard let b = peek else { throw fail(.unexpectedEndOfInput) }
        if b == UInt8(ascii: "\"") { return try basicString() }
        if b == UInt8(ascii: "'") { return try literalString() }
        let start = pos
        while let c = peek, Self.isBareKeyByte(c) { pos += 1 }
        guard pos > start else { throw b == UInt8(ascii: "=") ? fail(.emptyKey) : unexpected() }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private static func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    // MARK: - Values

    private mutating func value(depth: Int) throws(TOMLError) -> TOMLValue {
        guard depth < TOML.maxNesting else { throw fail(.nestingTooDeep) }
        guard let b = peek else { throw fail(.expectedValue) }
        switch b {
        case UInt8(ascii: "\""): return .string(try basicString())
        case UInt8(ascii: "'"): return .string(try literalString())
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "{"): return try inlineTable(depth: depth)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if matches("true") { pos += 4; return .boolean(true) }
            if matches("false") { pos += 5; return .boolean(false) }
            throw fail(.expectedValue)
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"), 0x30...0x39:
            return try number()
        default:
            throw fail(.expectedValue)
        }
    }

    private func matches(_ word: String) -> Bool {
        var i = 0
        for w in word.utf8 {
            guard byte(at: i) == w else { return false }
            i += 1
        }
        if let next = byte(at: i), Self.isBareKeyByte(next) { return false }
        return true
    }

    private mutating func array(depth: Int) throws(TOMLError) -> TOMLValue {
        pos += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            if peek == UInt8(ascii: "]") {
                pos += 1
                return .array(items)
            }
            items.append(try value(depth: depth + 1))
            try skipBlank()
            switch peek {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "]"): break
            case nil: throw fail(.unexpectedEndOfInput)
            default: throw unexpected()
            }
        }
    }

    private mutating func inlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        pos += 1
        var table = TOMLTable()
        skipSpaces()
        if peek == UInt8(ascii: "}") {
            pos += 1
            return .table(table)
        }
        while true {
            skipSpaces()
            let keyLine = line
            let key = try keyPath()
            skipSpaces()
            guard peek == UInt8(ascii: "=") else { throw fail(.expectedEquals) }
            pos += 1
            skipSpaces()
            let v = try value(depth: depth + 1)
            try insert(v, at: key, line: keyLine, into: &table)
            skipSpaces()
            switch peek {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "}"):
                pos += 1
                return .table(table)
            case nil: throw fail(.unexpectedEndOfInput)
            default: throw unexpected()
            }
        }
    }

    private mutating func number() throws(TOMLError) -> TOMLValue {
        let start = pos
        while let c = peek, Self.isBareKeyByte(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":") {
            pos += 1
        }
        let token = String(decoding: bytes[start..<pos], as: UTF8.self)
        if let value = Self.interpretNumber(token) { return value }
        if token.contains(":") || (token.count >= 10 && token.dropFirst(4).first == "-") {
            throw TOMLError(line: line, column: start - lineStart + 1, reason: .unsupported("dates and times"))
        }
        throw TOMLError(line: line, column: start - lineStart + 1, reason: .invalidNumber(token))
    }

    // MARK: - Strings

    /// `"…"` with escapes. Multi-line `"""` strings are reported as unsupported.
    mutating func basicString() throws(TOMLError) -> String {
        if byte(at: 1) == UInt8(ascii: "\""), byte(at: 2) == UInt8(ascii: "\"") {
            throw fail(.unsupported("multi-line strings"))
        }
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let b = peek, b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") else { throw fail(.unterminatedString) }
            pos += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x00..<0x20 where b != 0x09, 0x7f:
                pos -= 1
                throw unexpected()
            default:
                out.append(b)
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(TOMLError) {
        guard let e = peek else { throw fail(.unterminatedString) }
        pos += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "n"): 0x0a, UInt8(ascii: "t"): 0x09, UInt8(ascii: "r"): 0x0d, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0c, UInt8(ascii: "e"): 0x1b, UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5c,
        ]
        if let replacement = simple[e] {
            out.append(replacement)
            return
        }
        let length: Int
        switch e {
        case UInt8(ascii: "u"): length = 4
        case UInt8(ascii: "U"): length = 8
        default: throw fail(.invalidEscape("\\" + String(decoding: [e], as: UTF8.self)))
        }
        guard pos + length <= bytes.count else { throw fail(.unterminatedString) }
        let hex = String(decoding: bytes[pos..<pos + length], as: UTF8.self)
        guard hex.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }),
            let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code)
        else { throw fail(.invalidEscape("\\" + String(decoding: [e], as: UTF8.self) + hex)) }
        pos += length
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    /// `'…'`, taken as is. Multi-line `'''` strings are reported as unsupported.
    mutating func literalString() throws(TOMLError) -> String {
        if byte(at: 1) == UInt8(ascii: "'"), byte(at: 2) == UInt8(ascii: "'") {
            throw fail(.unsupported("multi-line strings"))
        }
        pos += 1
        let start = pos
        while true {
            guard let b = peek, b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") else { throw fail(.unterminatedString) }
            if b == UInt8(ascii: "'") { break }
            if (b < 0x20 && b != 0x09) || b == 0x7f { throw unexpected() }
            pos += 1
        }
        defer { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    // MARK: - Tables

    /// Sets `path` (relative to `table`) to `value`, creating intermediate tables.
    private func insert(_ value: TOMLValue, at path: [String], line: Int, into table: inout TOMLTable) throws(TOMLError) {
        guard let key = path.first else { throw fail(.emptyKey) }
        if path.count == 1 {
            guard table[key] == nil else { throw fail(.duplicateKey(key)) }
            table.set(key, value, line: line)
            return
        }
        var sub: TOMLTable
        switch table.take(key) {
        case nil: sub = TOMLTable()
        case .table(let t): sub = t
        case let other?:
            table.set(key, other, line: line)
            throw fail(.notATable(key))
        }
        defer { table.set(key, .table(sub), line: line) }
        try insert(value, at: Array(path.dropFirst()), line: line, into: &sub)
    }

    /// Makes sure the table at `path` exists (for a `[header]`).
    private func openTable(_ path: ArraySlice<String>, line: Int, in table: inout TOMLTable) throws(TOMLError) {
        guard let key = path.first else { return }
        var sub: TOMLTable
        switch table.take(key) {
        case nil: sub = TOMLTable()
        case .table(let t): sub = t
        case let other?:
            table.set(key, other, line: line)
            throw fail(.notATable(key))
        }
        defer { table.set(key, .table(sub), line: line) }
        try openTable(path.dropFirst(), line: line, in: &sub)
    }

    /// Reads an integer or float token; nil when it is neither.
    static func interpretNumber(_ token: String) -> TOMLValue? {
        var body = Substring(token)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        switch body {
        case "inf": return .float(negative ? -.infinity : .infinity)
        case "nan": return .float(.nan)
        default: break
        }
        guard let first = body.first, first.isASCII, first.isNumber else { return nil }
        // Underscores only between digits.
        let chars = Array(body)
        for (i, ch) in chars.enumerated() where ch == "_" {
            guard i > 0, i < chars.count - 1, chars[i - 1].isHexDigit, chars[i + 1].isHexDigit else { return nil }
        }
        let digits = body.replacingOccurrences(of: "_", with: "")
        let radixes: [(String, Int)] = [("0x", 16), ("0o", 8), ("0b", 2)]
        for (prefix, radix) in radixes where digits.hasPrefix(prefix) {
            guard !negative, token.first != "+", let v = Int(digits.dropFirst(2), radix: radix) else { return nil }
            return .integer(v)
        }
        if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            guard digits.allSatisfy({ $0.isNumber || "eE.+-".contains($0) }), !digits.hasSuffix("."),
                !digits.contains(".e"), !digits.contains(".E"), let d = Double(digits)
            else { return nil }
            return .float(negative ? -d : d)
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if digits.count > 1, digits.hasPrefix("0") { return nil }
        guard let v = Int(negative ? "-" + digits : digits) else { return nil }
        return .integer(v)
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
