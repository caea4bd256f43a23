/// Splits a script line into words as a POSIX shell does for simple commands: blanks separate words,
/// `'…'` keeps everything as it is, `"…"` keeps everything but `\"` and `\\`, and a backslash outside quotes
/// takes the next character as it is. `#` at the start of a word starts a comment.
enum ScriptWords {
    /// The words of `line`, or a message when a quote is not closed.
    static func split(_ line: String) -> Result<[String], ScriptProblem> {
        var words: [String] = []
        var current = ""
        var inWord = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            switch c {
            case " ", "\t":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "#" where !inWord:
                return .success(words)
            case "'":
                inWord = true
                var closed = false
                while let q = chars.next() {
                    if q == "'" {
                        closed = true
                        break
                    }
                    current.append(q)
                }
                if !closed { return .failure(ScriptProblem("a ' is not closed")) }
            case "\"":
                inWord = true
                var closed = false
                while let q = chars.next() {
                    if q == "\"" {
                        closed = true
                        break
                    }
                    if q == "\\", let next = chars.next() {
                        if next != "\"" && next != "\\" { current.append("\\") }
                        current.append(next)
                    } else {
                        current.append(q)
                    }
                }
                if !closed { return .failure(ScriptProblem("a \" is not closed")) }
            case "\\":
                inWord = true
                if let next = chars.next() { current.append(next) }
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return .success(words)
    }
}

/// What is wrong with a script line.
public struct ScriptProblem: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
