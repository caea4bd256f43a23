/// A unified diff of two texts (the format of `diff -u` and `git diff`), built on the standard library's
/// `CollectionDifference` over lines.
enum UnifiedDiff {
    /// The diff of `old` and `new`, labelled `a/PATH` and `b/PATH`, with `context` lines around each change;
    /// empty when the texts are equal.
    static func make(old: String, new: String, path: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        let ops = script(a, b)
        let changed = ops.indices.filter { ops[$0].kind != .same }
        guard !changed.isEmpty else { return "" }
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        // Hunks: runs of changes whose gaps hold at most 2 × context unchanged lines.
        var start = changed[0]
        var end = changed[0]
        for index in changed.dropFirst() {
            if index - end > 2 * context {
                out += hunk(ops, from: max(0, start - context), to: min(ops.count - 1, end + context))
                start = index
            }
            end = index
        }
        out += hunk(ops, from: max(0, start - context), to: min(ops.count - 1, end + context))
        return out
    }

    private enum Kind { case same, removed, added }

    private struct Op {
        var kind: Kind
        /// The line with its newline, if it had one.
        var text: Substring
        /// 0-based line numbers in the old and new texts where this op stands.
        var oldLine: Int
        var newLine: Int
    }

    /// Lines with their terminating newline (the last one may have none).
    private static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        while let newline = text[start...].firstIndex(of: "\n") {
            let next = text.index(after: newline)
            result.append(text[start..<next])
            start = next
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result
    }

    /// The edit script: every line of both texts in order, removals before insertions at the same place.
    private static func script(_ a: [Substring], _ b: [Substring]) -> [Op] {
        let difference = b.difference(from: a)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var ops: [Op] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count && removed.contains(i) {
                ops.append(Op(kind: .removed, text: a[i], oldLine: i, newLine: j))
                i += 1
            } else if j < b.count && inserted.contains(j) {
                ops.append(Op(kind: .added, text: b[j], oldLine: i, newLine: j))
                j += 1
            } else {
                ops.append(Op(kind: .same, text: a[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            }
        }
        return ops
    }

    private static func hunk(_ ops: [Op], from: Int, to: Int) -> String {
        let slice = ops[from...to]
        let oldCount = slice.filter { $0.kind != .added }.count
        let newCount = slice.filter { $0.kind != .removed }.count
        // An empty range names the line before it (as `diff -u` does).
        let first = ops[from]
        let oldStart = oldCount == 0 ? first.oldLine : first.oldLine + 1
        let newStart = newCount == 0 ? first.newLine : first.newLine + 1
        var out = "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
        for op in slice {
            let mark = op.kind == .same ? " " : op.kind == .removed ? "-" : "+"
            out += mark + op.text
            if !op.text.hasSuffix("\n") { out += "\n\\ No newline at end of file\n" }
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }
}
