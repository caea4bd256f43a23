/// Ring buffer of lines scrolled off the top of the primary screen.
///
/// Pushing is O(1); when full, the oldest line is evicted and handed back so its
/// storage can be reused for the next blank line.
struct Scrollback: Sendable {
    let limit: Int
    private var storage: [Line] = []
    private var start = 0
    private(set) var count = 0

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Line `index`, 0 being the oldest.
    subscript(index: Int) -> Line {
        storage[(start + index) % storage.count]
    }

    /// Appends `line` and hands back storage to reuse in its place: the evicted oldest line
    /// when the ring was full, an empty line (no cells) otherwise; `line` itself when the
    /// limit is 0. Moves lines, never copies them.
    mutating func push(_ line: inout Line) {
        guard limit > 0 else { return }
        if count < storage.count {
            swap(&storage[(start + count) % storage.count], &line)
            count += 1
        } else if storage.count < limit {
            storage.append(line)
            line = Line(cells: [], wrapped: false)
            count += 1
        } else {
            swap(&storage[start], &line)
            start = start + 1 == storage.count ? 0 : start + 1
        }
    }

    /// Drops every line.
    mutating func removeAll() {
        storage = []
        start = 0
        count = 0
    }
}
