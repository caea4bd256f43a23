/// A value read from a TOML document.
public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, if this is one.
    public var intValue: Int? {
        if case .integer(let i) = self { return i }
        return nil
    }

    /// The number as a Double, for integers and floats.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [TOMLValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The table, if this is one.
    public var tableValue: TOMLTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    /// The TOML type name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A TOML table: keys in document order, their values, and the line each key was set on (so
/// config errors can name it).
public struct TOMLTable: Equatable, Sendable {
    /// Keys in the order they first appeared.
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var lines: [String: Int] = [:]

    /// An empty table.
    public init() {}

    /// The value of `key`, nil when absent.
    public subscript(key: String) -> TOMLValue? { values[key] }

    /// The sub-table at `key`, nil when absent or not a table.
    public func table(_ key: String) -> TOMLTable? { values[key]?.tableValue }

    /// The 1-based line on which `key` was set (for a table: where it was first opened).
    public func line(of key: String) -> Int? { lines[key] }

    /// True when there are no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// Sets `key`, recording `line` the first time the key appears.
    public mutating func set(_ key: String, _ value: TOMLValue, line: Int) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        if lines[key] == nil { lines[key] = line }
    }

    /// Removes and returns the value of `key` (its line and position are kept for a re-`set`).
    mutating func take(_ key: String) -> TOMLValue? {
        values.removeValue(forKey: key)
    }
}
