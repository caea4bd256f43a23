import Foundation

/// Limits the server's edge puts on every connection, before any route runs (see docs/operations.md).
public struct ConnectionLimits: Sendable, Equatable {
    /// A new connection must send a complete request head within this time, else it gets `408 REQUEST_TIMEOUT`.
    public var headerTimeout: Duration = .seconds(10)
    /// An HTTP keep-alive connection with no request in flight is closed after this time.
    public var keepAliveTimeout: Duration = .seconds(60)
    /// Most open connections from one peer address (`429 TOO_MANY_CONNECTIONS` beyond it); 0 turns the cap off
    /// (behind a reverse proxy every connection comes from the proxy's address).
    public var perPeer: Int = 256
    /// Most open connections in all (`503 OVERLOADED` beyond it); nil derives it from the open-file limit.
    public var total: Int?
    /// Largest request body any route takes; a larger `Content-Length` gets `413` before the body is read.
    public var maxRequestBody: Int = ConnectionLimits.defaultMaxRequestBody
    /// A socket whose client has not taken a frame for this long is closed with 1013 `CLIENT_TOO_SLOW`.
    public var slowClientTimeout: Duration = .seconds(20)

    /// 17 MiB: the largest body a route takes (`fs/edit`, two texts of up to 8 MiB); each route bounds its own
    /// body lower (a file `PUT` 8 MiB as base64 JSON, most others 64 KiB).
    public static let defaultMaxRequestBody = 17 << 20

    public init() {}

    /// The total cap in effect: `total`, else half the process's open-file limit (the rest is left for PTYs,
    /// files and the engine), at least 64.
    public var effectiveTotal: Int {
        if let total { return total }
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 512 }
        let soft = UInt64(limit.rlim_cur)  // RLIM_INFINITY is the largest value: capped below
        return max(64, Int(min(soft / 2, 1 << 16)))
    }
}
