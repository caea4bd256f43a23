import Hummingbird
import VibeProtocol

/// A route's query parameters, read with typed errors (`INVALID_REQUEST` naming the field).
struct RouteQuery {
    private let parameters: Parameters

    init(_ parameters: Parameters) {
        self.parameters = parameters
    }

    /// A parameter that must be present and not empty.
    func required(_ name: String) throws -> String {
        guard let value = parameters.get(name), !value.isEmpty else {
            throw APIError(.invalidRequest, "query parameter '\(name)' is required")
        }
        return value
    }

    /// A parameter that may be absent (an empty value counts as absent).
    func optional(_ name: String) -> String? {
        guard let value = parameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A whole number, `fallback` when absent.
    func integer(_ name: String, default fallback: Int) throws -> Int {
        guard let text = optional(name) else { return fallback }
        guard let value = Int(text) else { throw APIError(.invalidRequest, "query parameter '\(name)' must be a whole number") }
        return value
    }

    /// `1`/`true` or `0`/`false`, false when absent.
    func flag(_ name: String) throws -> Bool {
        switch optional(name) {
        case nil, "0", "false": return false
        case "1", "true": return true
        default: throw APIError(.invalidRequest, "query parameter '\(name)' must be 1, 0, true or false")
        }
    }
}
