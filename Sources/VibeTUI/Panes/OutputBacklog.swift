/// Output bytes received but not yet fed to an emulator, fed in bounded slices so a flood
/// (`yes`) never starves the UI loop of key reads.
struct OutputBacklog {
    /// Chunks in order; those before `headChunk` are spent (compacted away now and then, so taking
    /// from a backlog of many thousands of chunks stays O(1) per chunk).
    private var chunks: [[UInt8]] = []
    private var headChunk = 0
    private var headOffset = 0
    /// Bytes waiting.
    private(set) var count = 0

    /// True when nothing waits.
    var isEmpty: Bool { count == 0 }

    /// Appends received bytes.
    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        chunks.append(bytes)
        count += bytes.count
    }

    /// Drops everything (after a reset).
    mutating func removeAll() {
        chunks.removeAll()
        headChunk = 0
        headOffset = 0
        count = 0
    }

    /// Hands out at most `limit` bytes in order, as contiguous slices.
    mutating func take(upTo limit: Int, _ body: (ArraySlice<UInt8>) -> Void) {
        var budget = limit
        while budget > 0, headChunk < chunks.count {
            let first = chunks[headChunk]
            let end = min(first.count, headOffset + budget)
            body(first[headOffset..<end])
            budget -= end - headOffset
            count -= end - headOffset
            if end == first.count {
                chunks[headChunk] = []
                headChunk += 1
                headOffset = 0
            } else {
                headOffset = end
            }
        }
        if headChunk == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            headChunk = 0
        } else if headChunk > 1024, headChunk * 2 > chunks.count {
            chunks.removeFirst(headChunk)
            headChunk = 0
        }
    }
}
