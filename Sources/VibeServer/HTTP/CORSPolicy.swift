import Foundation
import HTTPTypes
import Hummingbird

/// CORS for browser clients (`vibe serve --cors-origin`): requests from a listed origin (exact match) get
/// `Access-Control-Allow-Origin` with that origin and `Access-Control-Allow-Credentials: true`; a preflight
/// (`OPTIONS` with `Access-Control-Request-Method`) from one is answered `204` with the methods and headers the
/// API takes. Other origins get no CORS header at all. The outermost middleware, so error answers carry the
/// headers too.
struct CORSPolicy: RouterMiddleware {
    typealias Context = VibeRequestContext
    let origins: Set<String>

    static let allowedMethods = "GET, POST, PUT, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type, Accept, X-Request-ID"
    static let exposedHeaders = "X-Request-ID, Retry-After"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let origin = request.headers[.origin], origins.contains(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers = Self.headers(origin)
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] = Self.allowedHeaders
            headers[.accessControlMaxAge] = "600"
            headers[.requestID] = JSONErrorMiddleware.requestID(given: request.headers[.requestID])
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        for field in Self.headers(origin) { response.headers[field.name] = field.value }
        return response
    }

    private static func headers(_ origin: String) -> HTTPFields {
        [
            .accessControlAllowOrigin: origin, .accessControlAllowCredentials: "true",
            .accessControlExposeHeaders: exposedHeaders, .vary: "Origin",
        ]
    }

    /// The origin as browsers send it (`scheme://host[:port]`, no path), or nil when `text` is not one.
    static func canonical(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil
        else { return nil }
        return "\(scheme)://\(host.lowercased())" + (url.port.map { ":\($0)" } ?? "")
    }
}
