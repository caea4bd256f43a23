/// Why a TOML document could not be read, and where.
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Equatable, Sendable {
        case unexpectedCharacter(String)
        case unexpectedEndOfInput
        case unterminatedString
        case invalidEscape(String)
        case invalidNumber(String)
        case expectedEquals
        case expectedValue
        case expectedNewline
        case emptyKey
        case duplicateKey(String)
        case duplicateTable(String)
        /// A key is used both as a value and as a table.
        case notATable(String)
        /// Valid TOML this reader does not handle (multi-line strings, dates, arrays of tables).
        case unsupported(String)
        case nestingTooDeep
    }

    /// 1-based line.
    public var line: Int
    /// 1-based column (in bytes).
    public var column: Int
    /// What went wrong.
    public var reason: Reason

    /// An error at a position.
    public init(line: Int, column: Int, reason: Reason) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedCharacter(let c): what = "unexpected character \(c)"
        case .unexpectedEndOfInput: what = "unexpected end of input"
        case .unterminatedString: what = "unterminated string"
        case .invalidEscape(let e): what = "invalid escape \(e)"
        case .invalidNumber(let n): what = "invalid number '\(n)'"
        case .expectedEquals: what = "expected '=' after the key"
        case .expectedValue: what = "expected a value"
        case .expectedNewline: what = "expected the end of the line"
        case .emptyKey: what = "empty key"
        case .duplicateKey(let k): what = "key '\(k)' is set twice"
        case .duplicateTable(let t): what = "table [\(t)] is defined twice"
        case .notATable(let k): what = "'\(k)' is not a table"
        case .unsupported(let f): what = "\(f) are not supported"
        case .nestingTooDeep: what = "arrays or tables nested too deeply"
        }
        return "line \(line), column \(column): \(what)"
    }
}
