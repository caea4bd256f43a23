/// Numeric parameters of a CSI or DCS sequence, including colon sub-parameters.
///
/// Parameters are stored flat; each value knows whether it was introduced by a colon
/// (a sub-parameter of the preceding value) or by a semicolon / the start (a new group).
/// Omitted values are stored as `-1` and reported as "missing".
public struct VTParams: Sendable, Equatable {
    /// Maximum number of values (groups plus sub-parameters) kept; extra ones are dropped.
    public static let capacity = 32
    /// Largest value kept; bigger numbers saturate here.
    public static let maxValue: Int32 = 65_535

    /// Fixed inline storage (no heap, no copy-on-write on the hot path).
    var values = Fixed32<Int32>()
    var valueCount = 0
    /// Bit `i` is set when value `i` is a sub-parameter (preceded by ':').
    var subMask: UInt32 = 0
    /// Index in `values` where each group starts.
    var groupStarts = Fixed32<UInt8>()
    var groupCount = 0

    /// Creates an empty parameter list.
    public init() {}

    /// Equal when the same values and separators were given.
    public static func == (a: VTParams, b: VTParams) -> Bool {
        guard a.valueCount == b.valueCount, a.groupCount == b.groupCount, a.subMask == b.subMask else { return false }
        for i in 0..<a.valueCount where a.values[i] != b.values[i] { return false }
        return true
    }

    /// Number of top-level (semicolon separated) parameters.
    @inline(__always)
    public var count: Int { groupCount }

    /// True when no parameter at all was given.
    @inline(__always)
    public var isEmpty: Bool { groupCount == 0 }

    /// The first value of group `index`, or nil when omitted or absent.
    @inline(__always)
    public func value(_ index: Int) -> Int? {
        guard index >= 0, index < groupCount else { return nil }
        let v = values[Int(groupStarts[index])]
        return v < 0 ? nil : Int(v)
    }

    /// The value of group `index`, with `defaultValue` when omitted, absent or zero.
    @inline(__always)
    public func param(_ index: Int, default defaultValue: Int) -> Int {
        guard let v = value(index), v != 0 else { return defaultValue }
        return v
    }

    /// All values of group `index`: the parameter followed by its colon sub-parameters
    /// (nil for omitted ones).
    public func group(_ index: Int) -> [Int?] {
        guard index >= 0, index < groupCount else { return [] }
        let start = Int(groupStarts[index])
        let end = index + 1 < groupCount ? Int(groupStarts[index + 1]) : valueCount
        return (start..<end).map { values[$0] < 0 ? nil : Int(values[$0]) }
    }

    /// True when group `index` carries colon sub-parameters.
    public func hasSubparameters(_ index: Int) -> Bool {
        guard index >= 0, index < groupCount else { return false }
        let next = Int(groupStarts[index]) + 1
        return next < valueCount && (subMask & (1 << UInt32(next))) != 0
    }

    /// Number of values in group `index`: 1 plus its sub-parameter count (0 if absent).
    @inline(__always)
    public func valueCount(_ index: Int) -> Int {
        guard index >= 0, index < groupCount else { return 0 }
        let start = Int(groupStarts[index])
        let end = index + 1 < groupCount ? Int(groupStarts[index + 1]) : valueCount
        return end - start
    }

    /// Value `k` of group `index` (k = 0 is the parameter itself, k >= 1 its sub-parameters).
    @inline(__always)
    public func subparameter(_ index: Int, _ k: Int) -> Int? {
        guard k >= 0, k < valueCount(index) else { return nil }
        let v = values[Int(groupStarts[index]) + k]
        return v < 0 ? nil : Int(v)
    }

    // MARK: Copy-free reads (for hot internal callers holding a `var`)

    /// `value(index)` as a raw number: -1 when omitted or absent.
    @inline(__always)
    mutating func rawValue(_ index: Int) -> Int32 {
        guard index >= 0, index < groupCount else { return -1 }
        return values.load(Int(groupStarts.load(index)))
    }

    /// `valueCount(index)`.
    @inline(__always)
    mutating func groupLength(_ index: Int) -> Int {
        guard index >= 0, index < groupCount else { return 0 }
        let start = Int(groupStarts.load(index))
        let end = index + 1 < groupCount ? Int(groupStarts.load(index + 1)) : valueCount
        return end - start
    }

    /// `subparameter(index, k)` as a raw number: -1 when omitted or absent.
    @inline(__always)
    mutating func rawSubparameter(_ index: Int, _ k: Int) -> Int32 {
        guard k >= 0, k < groupLength(index) else { return -1 }
        return values.load(Int(groupStarts.load(index)) + k)
    }

    // MARK: Building (used by the parser)

    mutating func reset() {
        valueCount = 0
        groupCount = 0
        subMask = 0
    }

    /// Starts a new value; `isSub` marks a colon-introduced value.
    @inline(__always)
    mutating func startValue(isSub: Bool) -> Bool {
        guard valueCount < Self.capacity else { return false }
        if isSub {
            subMask |= 1 << UInt32(valueCount)
        } else {
            groupStarts[groupCount] = UInt8(valueCount)
            groupCount += 1
        }
        values[valueCount] = -1
        valueCount += 1
        return true
    }

    /// The value being built (the last one started); only valid when `valueCount > 0`.
    mutating func lastValue() -> Int32 { valueCount > 0 ? values.load(valueCount - 1) : -1 }

    /// Replaces the last value (no-op when there is none).
    mutating func setLastValue(_ value: Int32) {
        guard valueCount > 0 else { return }
        values[valueCount - 1] = value
    }

    mutating func addDigit(_ digit: UInt8) {
        guard valueCount > 0 else { return }
        let last = valueCount - 1
        let current = max(values[last], 0)
        values[last] = min(current &* 10 &+ Int32(digit), Self.maxValue)
    }

    /// Builds parameters from group arrays; handy for tests (`[[38, 2, nil, 1, 2, 3]]`).
    public init(_ groups: [[Int?]]) {
        self.init()
        for g in groups {
            for (i, v) in g.enumerated() where startValue(isSub: i > 0) {
                if let v { values[valueCount - 1] = Int32(clamping: min(v, Int(Self.maxValue))) }
            }
        }
    }
}
