/// The last `capacity` bytes of a terminal's output, addressed by a running byte offset.
///
/// Offset 0 is the first byte the PTY ever produced; `endOffset` is one past the newest.
struct OutputRing {
    let capacity: Int
    private var storage: [UInt8]
    private var head = 0  // index in storage of the oldest byte
    private(set) var count = 0
    /// One past the offset of the newest byte.
    private(set) var endOffset: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.storage = [UInt8](repeating: 0, count: capacity)
    }

    /// Offset of the oldest byte still held.
    var startOffset: UInt64 { endOffset - UInt64(count) }

    /// Appends output, dropping the oldest bytes beyond capacity.
    mutating func append(_ bytes: [UInt8]) {
        endOffset += UInt64(bytes.count)
        let tail = bytes.count > capacity ? Array(bytes.suffix(capacity)) : bytes
        for b in tail {
            let index = (head + count) % capacity
            storage[index] = b
            if count < capacity { count += 1 } else { head = (head + 1) % capacity }
        }
    }

    /// The bytes from `offset` to the end, or nil when `offset` is outside `startOffset...endOffset`.
    func bytes(from offset: UInt64) -> [UInt8]? {
        guard offset >= startOffset, offset <= endOffset else { return nil }
        let skip = Int(offset - startOffset)
        var out = [UInt8]()
        out.reserveCapacity(count - skip)
        for i in skip..<count { out.append(storage[(head + i) % capacity]) }
        return out
    }
}
