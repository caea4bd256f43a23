import Hummingbird
import NIOCore

/// The request context of every HTTP route: the request id and the authenticated subject.
public struct VibeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's `X-Request-ID`, or a new UUID; set by ``JSONErrorMiddleware``.
    public var requestID: String = ""
    /// The JWT `sub`, when auth is on and the token checked out.
    public var subject: String?
    /// The peer address, for rate limiting when there is no subject.
    public let peer: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies are read by the routes themselves with their own limits.
    public var maxUploadSize: Int { ConnectionLimits.defaultMaxRequestBody }
}
