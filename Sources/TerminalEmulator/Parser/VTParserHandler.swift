/// Receiver of the actions produced by `VTParser` (like alacritty vte's `Perform`).
///
/// The parser knows nothing about screens: it turns bytes into these callbacks, so it
/// can be fuzzed and benchmarked alone with a trivial handler.
public protocol VTParserHandler {
    /// A printable Unicode scalar (already UTF-8 decoded; malformed input arrives as U+FFFD).
    mutating func print(_ scalar: UInt32)
    /// A run of printable ASCII bytes (0x20...0x7E) in the ground state: the fast path.
    mutating func printASCII(_ bytes: UnsafeBufferPointer<UInt8>)
    /// A run of printable scalars in the ground state, each either printable ASCII
    /// (0x20...0x7E) or a decoded scalar >= 0xA0. The default implementation hands
    /// ASCII ones to `printASCII` (one byte each) and the others to `print`.
    mutating func printScalars(_ scalars: UnsafeBufferPointer<UInt32>)
    /// A C0 control (or a C1 control that has no sequence of its own).
    mutating func execute(_ control: UInt8)
    /// A complete control sequence `CSI prefix params intermediates final`.
    /// `prefix` is one of `<=>?` or 0; `intermediates` packs up to two bytes (first in the high byte).
    /// `params` is the parser's own buffer, lent `inout` so that it is read in place rather
    /// than copied for every sequence; it is reset before the next one, so changes are lost.
    mutating func csiDispatch(_ params: inout VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8)
    /// A complete escape sequence `ESC intermediates final`.
    mutating func escDispatch(intermediates: UInt16, final: UInt8)
    /// A complete operating system command (the bytes between `ESC ]` and BEL/ST);
    /// `bellTerminated` tells whether BEL ended it (replies should use the same terminator).
    mutating func oscDispatch(_ data: UnsafeBufferPointer<UInt8>, bellTerminated: Bool)
    /// Start of a device control string.
    mutating func dcsHook(_ params: VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8)
    /// One data byte of the current device control string.
    mutating func dcsPut(_ byte: UInt8)
    /// End of the device control string; `completed` is false when CAN/SUB aborted it.
    mutating func dcsUnhook(completed: Bool)
}

extension VTParserHandler {
    /// Replays the run through `printASCII` and `print`, one scalar at a time.
    public mutating func printScalars(_ scalars: UnsafeBufferPointer<UInt32>) {
        for scalar in scalars {
            if scalar < 0x80 {
                var byte = UInt8(truncatingIfNeeded: scalar)
                withUnsafePointer(to: &byte) { printASCII(UnsafeBufferPointer(start: $0, count: 1)) }
            } else {
                print(scalar)
            }
        }
    }
}
