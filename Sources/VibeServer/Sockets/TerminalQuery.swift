import Hummingbird
import VibeProtocol

/// The query of a terminal socket (`term`, `cols`, `rows`, `offset`, `client`, `encoding`), each value checked the
/// same way: a value that is present but wrong is an `INVALID_REQUEST` whose message starts with the field's
/// name, never a default.
struct TerminalQuery: Equatable {
    var term = Identifier.defaultTerminal
    /// The client's window; nil for a client that gave none (an observer): it never resizes the terminal.
    var size: TerminalSize?
    var offset: UInt64 = 0
    var client: String?
    /// True with `encoding=json`: output comes as `terminal_output` envelopes instead of binary frames.
    var jsonOutput = false

    /// The size a terminal this socket creates starts with.
    static let defaultSize = TerminalSize(rows: 24, cols: 80)

    /// Parses `parameters`, or throws the first problem found.
    init(_ parameters: Parameters) throws(APIError) {
        if let term = parameters.get("term") {
            guard Identifier.isValidTerminalName(term) else {
                throw Self.invalid("term must be 1-32 of A-Za-z0-9._- (got \(Self.quoted(term)))")
            }
            self.term = term
        }
        switch (parameters.get("cols"), parameters.get("rows")) {
        case (nil, nil):
            size = nil
        case (let cols?, let rows?):
            let size = TerminalSize(rows: try Self.dimension("rows", rows), cols: try Self.dimension("cols", cols))
            if let problem = size.problem { throw Self.invalid(problem) }
            self.size = size
        case (nil, _?):
            throw Self.invalid("cols must come with rows")
        case (_?, nil):
            throw Self.invalid("rows must come with cols")
        }
        if let offset = parameters.get("offset") {
            guard let value = UInt64(offset) else {
                throw Self.invalid("offset must be a whole number below 2^64 (got \(Self.quoted(offset)))")
            }
            self.offset = value
        }
        if let encoding = parameters.get("encoding") {
            guard encoding == "json" || encoding == "binary" else {
                throw Self.invalid("encoding must be binary or json (got \(Self.quoted(encoding)))")
            }
            jsonOutput = encoding == "json"
        }
        if let client = parameters.get("client") {
            guard Identifier.isValidSessionID(client) else {
                throw Self.invalid("client must be 1-64 of A-Za-z0-9._- (got \(Self.quoted(client)))")
            }
            self.client = client
        }
    }

    private static func dimension(_ field: String, _ text: String) throws(APIError) -> Int {
        guard let value = Int(text) else { throw invalid("\(field) must be a whole number from 1 to 1000 (got \(quoted(text)))") }
        return value
    }

    private static func invalid(_ message: String) -> APIError { APIError(.invalidRequest, message) }

    /// `text` in quotes, cut to 16 characters: a close reason holds at most 123 bytes.
    private static func quoted(_ text: String) -> String {
        "\"" + (text.count > 16 ? text.prefix(16) + "..." : text) + "\""
    }
}
