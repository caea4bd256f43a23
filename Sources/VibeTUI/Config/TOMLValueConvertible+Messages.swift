import TOMLKit

extension TOMLValueConvertible {
    /// The value as it would be written in TOML, for error messages (`"lots"`, `3`, `[1, 2]`, `a table`).
    var shownInMessage: String {
        switch type {
        case .string: return "\"\(string ?? "")\""
        case .int: return int.map { String($0) } ?? ""
        case .double: return double.map { String($0) } ?? ""
        case .bool: return bool.map { String($0) } ?? ""
        case .array: return "[" + (array.map { $0.map(\.shownInMessage) } ?? []).joined(separator: ", ") + "]"
        case .table: return "a table"
        case .date, .time, .dateTime: return debugDescription
        }
    }

    /// The TOML type's name, for error messages.
    var typeName: String {
        switch type {
        case .string: "string"
        case .int: "integer"
        case .double: "float"
        case .bool: "boolean"
        case .array: "array"
        case .table: "table"
        case .date: "date"
        case .time: "time"
        case .dateTime: "date-time"
        }
    }
}
