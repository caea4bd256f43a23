import Foundation

/// What `expect` waits for: plain text or a regular expression (ICU syntax, as `NSRegularExpression`).
public struct ScreenPattern: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let isRegex: Bool

    /// Text that must appear as it is.
    public init(text: String) {
        source = text
        isRegex = false
    }

    /// A regular expression; throws ``ScriptError/badPattern(_:)`` when it does not compile.
    public init(regex: String) throws(ScriptError) {
        do {
            _ = try NSRegularExpression(pattern: regex)
        } catch {
            throw .badPattern("\(regex) is not a regular expression (ICU syntax): \((error as NSError).userInfo["NSInvalidValue"] ?? error)")
        }
        source = regex
        isRegex = true
    }

    public var description: String { isRegex ? "/\(source)/" : "\"\(source)\"" }

    /// The first match in `text`, as a range of it.
    func firstMatch(in text: String) -> Range<String.Index>? {
        guard isRegex else { return text.range(of: source) }
        guard let regex = try? NSRegularExpression(pattern: source),
            let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return Range(found.range, in: text)
    }
}

/// Where `expect` looks.
public enum ExpectScope: String, Sendable, CaseIterable {
    /// The visible screen, its rows joined by newlines (a regex may span rows); each row's trailing blanks are
    /// trimmed, so a prompt `>>> ` reads `>>>`.
    case screen
    /// The row the cursor is on (trailing blanks trimmed too).
    case line
    /// The raw output (escape sequences included) since the last `stream` match, like expect(1) and pexpect:
    /// each match consumes the output up to its end, so the same text is not matched twice.
    case stream
}

/// A match `expect` found.
public struct ScreenMatch: Sendable, Equatable, Codable {
    /// The matched text.
    public let text: String
    /// The screen row of its start (0 is the top; `screen` and `line` scopes).
    public let row: Int?
    /// Its column, in characters from the start of the row (`screen` and `line` scopes).
    public let col: Int?
    /// The output offset just past the match (`stream` scope).
    public let offset: UInt64?
}
