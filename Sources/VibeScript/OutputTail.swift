/// The last bytes of a terminal's output, with the offset of the first one kept (bounded: older bytes go).
struct OutputTail {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    /// The output offset of `bytes[0]`.
    private(set) var start: UInt64 = 0

    init(limit: Int) { self.limit = limit }

    /// The offset just past the last byte.
    var end: UInt64 { start + UInt64(bytes.count) }

    /// Appends output that starts at `offset` (a gap, after a `reset`, restarts the tail there).
    mutating func append(_ chunk: [UInt8], at offset: UInt64) {
        if offset != end {
            bytes = []
            start = offset
        }
        bytes += chunk
        if bytes.count > limit {
            let drop = bytes.count - limit
            bytes.removeFirst(drop)
            start += UInt64(drop)
        }
    }

    /// The kept bytes from `offset` on (from the oldest kept when `offset` is older).
    func since(_ offset: UInt64) -> (start: UInt64, bytes: ArraySlice<UInt8>) {
        let from = max(offset, start)
        guard from < end else { return (end, []) }
        return (from, bytes[Int(from - start)...])
    }
}
