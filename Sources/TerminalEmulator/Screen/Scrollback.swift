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

    /// Appends a line; returns the evicted oldest line when the ring was full.
    mutating func push(_ line: Line) -> Line? {
        guard limit > 0 else { return line }
        if count < storage.count {
            storage[(start + count) % storage.count] = line
            count += 1
            return nil
        }
        if storage.count < limit {
            storage.append(line)
            count += 1
            return nil
        }
        let evicted = storage[start]
        storage[start] = line
        start = (start + 1) % storage.count
        return evicted
    }

    /// Drops every line.
    mutating func removeAll() {
        storage = []
        start = 0
        count = 0
    }
}
