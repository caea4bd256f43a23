/// The last `capacity` bytes of a terminal's output, addressed by a running byte offset.
///
/// Offset 0 is the first byte the PTY ever produced; `endOffset` is one past the newest. Storage grows
/// with the output (doubling) up to `capacity`, so an idle shell holds kilobytes, not the whole capacity.
struct OutputRing {
    let capacity: Int
    private var storage: [UInt8] = []
    private var head = 0  // index in storage of the oldest byte
    private(set) var count = 0
    /// One past the offset of the newest byte.
    private(set) var endOffset: UInt64 = 0
    /// First allocation: a prompt and a few commands fit.
    static let initialStorage = 4096

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Offset of the oldest byte still held.
    var startOffset: UInt64 { endOffset - UInt64(count) }

    /// Bytes of storage allocated.
    var allocated: Int { storage.count }

    /// Appends output, dropping the oldest bytes beyond capacity.
    mutating func append(_ bytes: [UInt8]) {
        endOffset += UInt64(bytes.count)
        let tail = bytes.count > capacity ? bytes[(bytes.count - capacity)...] : bytes[...]
        guard !tail.isEmpty else { return }
        grow(toHold: count + tail.count)
        var index = (head + count) % storage.count
        var rest = tail
        while !rest.isEmpty {
            let run = min(rest.count, storage.count - index)
            storage.replaceSubrange(index..<(index + run), with: rest.prefix(run))
            rest = rest.dropFirst(run)
            index = (index + run) % storage.count
        }
        let overflow = max(0, count + tail.count - storage.count)
        count = min(storage.count, count + tail.count)
        head = (head + overflow) % storage.count
    }

    /// The bytes from `offset` to the end, or nil when `offset` is outside `startOffset...endOffset`.
    func bytes(from offset: UInt64) -> [UInt8]? {
        guard offset >= startOffset, offset <= endOffset else { return nil }
        let skip = Int(offset - startOffset)
        guard skip < count else { return [] }
        let first = (head + skip) % storage.count
        let length = count - skip
        if first + length <= storage.count { return Array(storage[first..<(first + length)]) }
        return Array(storage[first...]) + storage[0..<(first + length - storage.count)]
    }

    /// Makes room for `needed` bytes (up to `capacity`), keeping the held bytes in order from index 0.
    private mutating func grow(toHold needed: Int) {
        guard needed > storage.count, storage.count < capacity else { return }
        var size = max(storage.count, Self.initialStorage)
        while size < needed { size *= 2 }
        size = min(size, capacity)
        var next = bytes(from: startOffset) ?? []
        next.reserveCapacity(size)
        next.append(contentsOf: repeatElement(0, count: size - next.count))
        storage = next
        head = 0
    }
}
