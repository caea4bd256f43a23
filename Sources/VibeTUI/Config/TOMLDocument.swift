import TOMLKit

/// A TOML document parsed by TOMLKit, with the line each key was set on so that config and theme
/// errors can name it (TOMLKit's values do not carry their position; see `TOMLKeyLines`).
struct TOMLDocument {
    /// The root table.
    let root: TOMLTable
    private let keyLines: TOMLKeyLines

    /// Parses `text`. A syntax error carries TOMLKit's line and column.
    init(parsing text: String) throws(TOMLSyntaxError) {
        let keyLines = TOMLKeyLines(scanning: text)
        if let bad = keyLines.malformedHeader {
            // TOMLKit must not see this header (see `TOMLKeyLines`); an error before it comes first.
            _ = try Self.table(String(decoding: Array(text.utf8)[..<bad.offset], as: UTF8.self))
            throw bad.error
        }
        root = try Self.table(text)
        self.keyLines = keyLines
    }

    private static func table(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(error)
        } catch {
            throw TOMLSyntaxError(line: 1, column: 1, message: String(describing: error))
        }
    }

    /// The 1-based line on which the key at `path` (from the root) was set; for a table, the line of
    /// its header or of the first key that made it.
    func line(of path: [String]) -> Int? {
        keyLines.line(of: path)
    }

    /// The keys of `table` (found at `path`) in the order they appear in the text; TOMLKit lists
    /// them sorted by name.
    func keys(of table: TOMLTable, at path: [String]) -> [String] {
        table.keys
            .map { (key: $0, line: line(of: path + [$0]) ?? Int.max) }
            .sorted { ($0.line, $0.key) < ($1.line, $1.key) }
            .map(\.key)
    }
}
