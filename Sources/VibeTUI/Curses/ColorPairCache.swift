/// Hands out curses colour pairs for (foreground, background) combinations, allocating each once.
///
/// Pair 0 is the terminal default and never allocated. When every pair is taken the cache starts
/// over (`generation` changes so the caller can repaint everything with the new pair numbers).
public struct ColorPairCache {
    private var pairs: [Int64: Int32] = [:]
    private var next: Int32 = 1
    /// Highest pair number usable (COLOR_PAIRS - 1, capped).
    public let capacity: Int32
    /// Bumped every time the cache starts over.
    public private(set) var generation = 0

    /// A cache for `capacity` pairs (pair numbers 1…capacity).
    public init(capacity: Int32) {
        self.capacity = max(0, capacity)
    }

    /// The pair for `fg`/`bg` (-1 = default). `define` is called once per new pair with its number.
    /// Returns 0 (the default pair) when there are no pairs at all.
    public mutating func pair(fg: Int32, bg: Int32, define: (Int32, Int32, Int32) -> Void) -> Int32 {
        if fg == -1 && bg == -1 { return 0 }
        guard capacity > 0 else { return 0 }
        let key = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
        if let p = pairs[key] { return p }
        if next > capacity {
            pairs.removeAll(keepingCapacity: true)
            next = 1
            generation += 1
        }
        let p = next
        next += 1
        pairs[key] = p
        define(p, fg, bg)
        return p
    }
}
