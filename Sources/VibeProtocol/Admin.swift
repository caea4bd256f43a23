/// Body and answer of `GET`/`PUT /admin/new-sessions` (the kill switch).
public struct NewSessionsSetting: Codable, Sendable, Equatable {
    public var ok: Bool?
    /// False while new sessions are refused.
    public var enabled: Bool
    public init(enabled: Bool) {
        self.ok = true
        self.enabled = enabled
    }
}
