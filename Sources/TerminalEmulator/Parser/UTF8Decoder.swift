/// Incremental UTF-8 decoder that never fails: malformed input yields U+FFFD
/// following the "maximal subpart" practice of Unicode §3.9.
public struct UTF8Decoder: Sendable {
    /// The replacement character emitted for malformed input.
    public static let replacement: UInt32 = 0xFFFD

    private var codePoint: UInt32 = 0
    private var remaining: UInt8 = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Creates an idle decoder.
    public init() {}

    /// True while a multi-byte sequence is incomplete.
    public var isPending: Bool { remaining != 0 }

    /// Result of feeding one byte.
    public enum Step: Equatable, Sendable {
        /// More bytes are needed.
        case pending
        /// A complete scalar.
        case scalar(UInt32)
        /// The sequence so far was malformed: emit U+FFFD, then feed the same byte again.
        case invalidRetry
        /// The byte itself is malformed: emit U+FFFD.
        case invalid
    }

    /// Feeds one byte (>= 0x80 when idle; any byte when pending).
    public mutating func feed(_ byte: UInt8) -> Step {
        if remaining == 0 {
            switch byte {
            case 0x00...0x7F: return .scalar(UInt32(byte))
            case 0xC2...0xDF: begin(UInt32(byte & 0x1F), 1, 0x80, 0xBF)
            case 0xE0: begin(0, 2, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE, 0xEF: begin(UInt32(byte & 0x0F), 2, 0x80, 0xBF)
            case 0xED: begin(0x0D, 2, 0x80, 0x9F)
            case 0xF0: begin(0, 3, 0x90, 0xBF)
            case 0xF1...0xF3: begin(UInt32(byte & 0x07), 3, 0x80, 0xBF)
            case 0xF4: begin(4, 3, 0x80, 0x8F)
            default: return .invalid
            }
            return .pending
        }
        guard byte >= lower, byte <= upper else {
            remaining = 0
            return .invalidRetry
        }
        codePoint = (codePoint << 6) | UInt32(byte & 0x3F)
        remaining -= 1
        lower = 0x80
        upper = 0xBF
        return remaining == 0 ? .scalar(codePoint) : .pending
    }

    private mutating func begin(_ bits: UInt32, _ count: UInt8, _ lo: UInt8, _ hi: UInt8) {
        codePoint = bits
        remaining = count
        lower = lo
        upper = hi
    }
}
