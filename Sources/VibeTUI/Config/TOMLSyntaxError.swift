import TOMLKit

/// Why a TOML document could not be parsed, and where: TOMLKit's `TOMLParseError` as a plain value
/// (equatable and sendable, so config and theme errors can carry it).
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// What went wrong, in the parser's words.
    public var message: String

    /// An error at a position.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// TOMLKit's error, at the start of the region it blames ("Error while parsing …" made lower-case
    /// to read well after the file name and position).
    init(_ error: TOMLParseError) {
        let message = error.description.first.map { $0.lowercased() + error.description.dropFirst() } ?? "invalid TOML"
        self.init(line: error.source.begin.line, column: error.source.begin.column, message: message)
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
