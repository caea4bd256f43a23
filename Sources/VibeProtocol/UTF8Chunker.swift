/// Turns output chunks into text without splitting a UTF-8 character across two events: an incomplete
/// sequence at the end of a chunk waits for the next one; bytes that are not UTF-8 become U+FFFD.
public struct UTF8Chunker: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// The text of `chunk` (with what was held back), holding back an incomplete character at its end.
    public mutating func text(_ chunk: [UInt8]) -> String { String(decoding: bytes(chunk), as: UTF8.self) }

    /// The bytes of `chunk` (with what was held back), holding back an incomplete character at its end.
    public mutating func bytes(_ chunk: [UInt8]) -> [UInt8] {
        let bytes = pending + chunk
        let cut = Self.completePrefix(bytes)
        pending = Array(bytes[cut...])
        return Array(bytes[..<cut])
    }

    /// What is still held back, as text (at the end of a stream).
    public mutating func flush() -> String { String(decoding: flushBytes(), as: UTF8.self) }

    /// What is still held back (at the end of a stream).
    public mutating func flushBytes() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    /// The length of `bytes` without an incomplete UTF-8 sequence at its end.
    static func completePrefix(_ bytes: [UInt8]) -> Int {
        var i = bytes.count
        var back = 0
        while i > 0, back < 4 {
            let b = bytes[i - 1]
            if b & 0xC0 != 0x80 {
                // Only real lead bytes start a sequence worth waiting for (C0, C1 and F5-FF never do).
                let need = (0xF0...0xF4).contains(b) ? 4 : (0xE0...0xEF).contains(b) ? 3 : (0xC2...0xDF).contains(b) ? 2 : 1
                return need > back + 1 ? i - 1 : bytes.count
            }
            i -= 1
            back += 1
        }
        return bytes.count
    }
}
