import Foundation
import NIOCore
import NIOHTTP1
import VibeProtocol

/// A JSON error the edge sends itself (no route ran), always followed by closing the connection.
struct EdgeAnswer: Sendable {
    let error: APIError
    let requestID: String
    var extraHeaders: [(String, String)] = []

    init(_ error: APIError, requestID: String = EdgeAnswer.newRequestID(), extraHeaders: [(String, String)] = []) {
        self.error = error
        self.requestID = requestID
        self.extraHeaders = extraHeaders
    }

    /// The protocol's error body.
    var body: ByteBuffer {
        let value = ErrorBody(error: error.code, message: error.message, requestId: requestID)
        let data = (try? JSONResponse.encoder.encode(value)) ?? Data()
        return ByteBuffer(bytes: data)
    }

    /// The response head: JSON, the request id, `Connection: close`.
    var head: HTTPResponseHead {
        var headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", String(body.readableBytes)),
            ("Connection", "close"), ("X-Request-ID", requestID),
        ])
        if let retry = error.retryAfter { headers.add(name: "Retry-After", value: String(retry)) }
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: error.code.httpStatus)
        return HTTPResponseHead(version: .http1_1, status: status, headers: headers)
    }

    /// The caller's `X-Request-ID` when it is valid, else a new one.
    static func requestID(from headers: HTTPHeaders) -> String {
        JSONErrorMiddleware.requestID(given: headers.first(name: "X-Request-ID"))
    }

    static func newRequestID() -> String { JSONErrorMiddleware.requestID(given: nil) }
}
