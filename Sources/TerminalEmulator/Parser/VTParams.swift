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

    var values: [Int32] = []
    /// Bit `i` is set when value `i` is a sub-parameter (preceded by ':').
    var subMask: UInt32 = 0
    /// Index in `values` where each group starts.
    var groupStarts: [UInt8] = []

    /// Creates an empty parameter list.
    public init() {
        values.reserveCapacity(Self.capacity)
        groupStarts.reserveCapacity(Self.capacity)
    }

    /// Number of top-level (semicolon separated) parameters.
    public var count: Int { groupStarts.count }

    /// True when no parameter at all was given.
    public var isEmpty: Bool { groupStarts.isEmpty }

    /// The first value of group `index`, or nil when omitted or absent.
    public func value(_ index: Int) -> Int? {
        guard index >= 0, index < groupStarts.count else { return nil }
        let v = values[Int(groupStarts[index])]
        return v < 0 ? nil : Int(v)
    }

    /// The value of group `index`, with `defaultValue` when omitted, absent or zero.
    public func param(_ index: Int, default defaultValue: Int) -> Int {
        guard let v = value(index), v != 0 else { return defaultValue }
        return v
    }

    /// All values of group `index`: the parameter followed by its colon sub-parameters
    /// (nil for omitted ones).
    public func group(_ index: Int) -> [Int?] {
        guard index >= 0, index < groupStarts.count else { return [] }
        let start = Int(groupStarts[index])
        let end = index + 1 < groupStarts.count ? Int(groupStarts[index + 1]) : values.count
        return values[start..<end].map { $0 < 0 ? nil : Int($0) }
    }

    /// True when group `index` carries colon sub-parameters.
    public func hasSubparameters(_ index: Int) -> Bool {
        guard index >= 0, index < groupStarts.count else { return false }
        let next = Int(groupStarts[index]) + 1
        return next < values.count && (subMask & (1 << UInt32(next))) != 0
    }

    /// Number of values in group `index`: 1 plus its sub-parameter count (0 if absent).
    public func valueCount(_ index: Int) -> Int {
        guard index >= 0, index < groupStarts.count else { return 0 }
        let start = Int(groupStarts[index])
        let end = index + 1 < groupStarts.count ? Int(groupStarts[index + 1]) : values.count
        return end - start
    }

    /// Value `k` of group `index` (k = 0 is the parameter itself, k >= 1 its sub-parameters).
    public func subparameter(_ index: Int, _ k: Int) -> Int? {
        guard k >= 0, k < valueCount(index) else { return nil }
        let v = values[Int(groupStarts[index]) + k]
        return v < 0 ? nil : Int(v)
    }

    // MARK: Building (used by the parser)

    mutating func reset() {
        values.removeAll(keepingCapacity: true)
        groupStarts.removeAll(keepingCapacity: true)
        subMask = 0
    }

    /// Starts a new value; `isSub` marks a colon-introduced value.
    mutating func startValue(isSub: Bool) -> Bool {
        guard values.count < Self.capacity else { return false }
        if isSub {
            subMask |= 1 << UInt32(values.count)
        } else {
            groupStarts.append(UInt8(values.count))
        }
        values.append(-1)
        return true
    }

    mutating func addDigit(_ digit: UInt8) {
        guard let last = values.indices.last else { return }
        let current = max(values[last], 0)
        values[last] = min(current &* 10 &+ Int32(digit), Self.maxValue)
    }

    /// Builds parameters from group arrays; handy for tests (`[[38, 2, nil, 1, 2, 3]]`).
    public init(_ groups: [[Int?]]) {
        self.init()
        for g in groups {
            for (i, v) in g.enumerated() where startValue(isSub: i > 0) {
                if let v { values[values.count - 1] = Int32(clamping: min(v, Int(Self.maxValue))) }
            }
        }
    }
}
