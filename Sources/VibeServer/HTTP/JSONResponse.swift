import Foundation
import HTTPTypes
import Hummingbird
import VibeProtocol

/// Builds JSON responses and reads JSON bodies with the protocol's error mapping.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// A JSON response with `status`.
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{\"ok\":false,\"error\":\"INTERNAL\",\"message\":\"encoding failed\"}".utf8)
        var fields = headers
        fields[.contentType] = MediaType.json
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A 200 response whose body is `json`, already encoded.
    static func raw(_ json: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: MediaType.json], body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// Decodes a JSON body of at most `limit` bytes; an empty body gives `empty` when allowed.
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, limit: Int = 8 << 20, empty: T? = nil
    ) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.payloadTooLarge, "request body is larger than \(limit) bytes")
        }
        if buffer.readableBytes == 0, let empty { return empty }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError(.invalidRequest, "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw APIError(.invalidRequest, "wrong type at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw APIError(.invalidRequest, "body is not valid JSON for this route")
        }
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`.
    static let requestID = Self("X-Request-ID")!
    /// `Retry-After`.
    static let retryAfter = Self("Retry-After")!
}
