/// 32 integers stored inline (a homogeneous tuple), indexed with a bounds check.
///
/// Replaces `SIMD32` in `VTParams`: a SIMD vector indexed by a run-time position is
/// spilled and reloaded whole on every access, which dominated parameter collection.
struct Fixed32<Element: FixedWidthInteger & Sendable>: Sendable {
    /// Number of elements.
    static var count: Int { 32 }

    private var storage: (Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element, Element) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// Creates 32 zeros.
    init() {}

    /// Element `index`; traps when `index` is outside `0..<32` (callers check first).
    /// Reading through a non-mutating `self` may copy the storage: hot readers holding a
    /// `var` use `load(_:)`.
    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            precondition(UInt(bitPattern: index) < 32, "Fixed32 index out of range")
            return withUnsafeBytes(of: storage) {
                $0.load(fromByteOffset: index &* MemoryLayout<Element>.stride, as: Element.self)
            }
        }
        set {
            precondition(UInt(bitPattern: index) < 32, "Fixed32 index out of range")
            withUnsafeMutableBytes(of: &storage) {
                $0.storeBytes(of: newValue, toByteOffset: index &* MemoryLayout<Element>.stride, as: Element.self)
            }
        }
    }

    /// Element `index` read in place (no copy of the storage); same bounds check.
    @inline(__always)
    mutating func load(_ index: Int) -> Element {
        precondition(UInt(bitPattern: index) < 32, "Fixed32 index out of range")
        return withUnsafeMutableBytes(of: &storage) {
            $0.load(fromByteOffset: index &* MemoryLayout<Element>.stride, as: Element.self)
        }
    }
}
