import Foundation
import HTTPTypes
import Hummingbird
import Logging
import VibeProtocol

/// The outermost middleware: assigns the request id, times and logs the request, and turns every
/// error (ours, Hummingbird's, unexpected ones) into the protocol's JSON error body.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = VibeRequestContext
    /// Tells an unknown path (404) from a known path with the wrong method (405).
    let routes: RouteTable
    let logger: Logger
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let rid = Self.requestID(from: request)
        context.requestID = rid
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let api = map(error, request: request)
            if api.code == .internalError {
                logger.error(
                    "uncaught error: \(error)", metadata: ["request_id": "\(rid)", "event": "http.error"])
            }
            var body = ErrorBody(error: api.code, message: api.message, requestId: rid)
            if let exec = api.exec {
                body.exitCode = exec.exitCode
                body.stdout = exec.stdout
                body.stderr = exec.stderr
                body.durationMs = exec.durationMs
            }
            body.occurrences = api.occurrences
            var headers: HTTPFields = [:]
            if let retry = api.retryAfter { headers[.retryAfter] = String(retry) }
            response = JSONResponse.make(body, status: .init(code: api.code.httpStatus), headers: headers)
        }
        response.headers[.requestID] = rid
        metrics.httpRequest(
            route: routes.template(for: request.uri.path) ?? "unmatched", method: request.method.rawValue,
            status: Int(response.status.code))
        let ms = Int((ContinuousClock.now - started).milliseconds)
        logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(response.status.code)",
            metadata: [
                "request_id": "\(rid)", "event": "http.request", "duration_ms": "\(ms)",
                "status": "\(response.status.code)",
            ])
        return response
    }

    private func map(_ error: any Error, request: Request) -> APIError {
        switch error {
        case let api as APIError:
            return api
        case let http as HTTPError:
            switch http.status {
            case .notFound:
                if routes.hasPath(request.uri.path) {
                    return APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path)")
                }
                return APIError(.notFound, "no route \(request.method.rawValue) \(request.uri.path)")
            case .contentTooLarge: return APIError(.payloadTooLarge, "request body too large")
            case .methodNotAllowed: return APIError(.methodNotAllowed, http.body ?? "method not allowed")
            case .unauthorized: return APIError(.unauthorized, http.body ?? "unauthorized")
            case .badRequest: return APIError(.invalidRequest, http.body ?? "bad request")
            default:
                return APIError(
                    ErrorCode(httpStatus: Int(http.status.code)), http.body ?? http.status.reasonPhrase)
            }
        case is DecodingError:
            return APIError(.invalidRequest, "body is not valid JSON for this route")
        default:
            return APIError(.internalError, "internal error")
        }
    }

    /// The caller's id if it is 1–128 printable ASCII characters, else a new UUID.
    static func requestID(from request: Request) -> String {
        requestID(given: request.headers[.requestID])
    }

    /// `given` if it is 1–128 printable ASCII characters, else a new UUID (shared with the edge's answers).
    static func requestID(given: String?) -> String {
        if let given, (1...128).contains(given.utf8.count), given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return UUID().uuidString.lowercased()
    }
}

extension ErrorCode {
    /// The closest code for a bare HTTP status.
    init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .invalidRequest
        case 401: self = .unauthorized
        case 403: self = .forbidden
        case 404: self = .notFound
        case 405: self = .methodNotAllowed
        case 413: self = .payloadTooLarge
        case 429: self = .rateLimited
        default: self = .internalError
        }
    }
}
