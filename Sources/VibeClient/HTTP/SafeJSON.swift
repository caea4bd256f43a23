import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import VibeProtocol

/// Turns raw HTTP answers into typed values or typed errors.
///
/// Every answer's `Content-Type` is checked before anything is decoded: a non-JSON body becomes
/// ``VibeClientError/nonJSON(status:contentType:bodyPrefix:requestId:)`` (`NON_JSON_<status>`), a JSON
/// `{"ok":false,…}` body becomes ``VibeClientError/server(_:)``.
public enum SafeJSON {
    /// True when the content type is JSON (`application/json`, `…+json`), parameters ignored.
    public static func isJSON(_ contentType: String?) -> Bool {
        guard let mediaType = mediaType(contentType) else { return false }
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }

    /// True when the content type is `application/x-ndjson`.
    public static func isNDJSON(_ contentType: String?) -> Bool {
        mediaType(contentType) == "application/x-ndjson"
    }

    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let base = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? contentType
        return base.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The first ``VibeClientError/bodyPrefixLimit`` bytes of a body as (lossy) UTF-8 text.
    public static func prefix(of body: ByteBuffer) -> String {
        let n = min(body.readableBytes, VibeClientError.bodyPrefixLimit)
        let bytes = body.getBytes(at: body.readerIndex, length: n) ?? []
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes a successful answer as `T`, or throws the typed error the answer stands for.
    ///
    /// - Parameters:
    ///   - status: the HTTP status code.
    ///   - headers: the answer's relevant headers.
    ///   - body: the collected body.
    ///   - url: the URL asked; when given, a non-JSON answer that means "not the API" becomes
    ///     ``VibeClientError/notAnAPI(url:status:contentType:bodyPrefix:)`` naming it.
    public static func decode<T: Decodable>(
        _ type: T.Type, status: Int, headers: ResponseHeaders, body: ByteBuffer, url: String? = nil
    ) throws -> T {
        let contentType = headers.contentType
        let requestId = headers.requestId
        guard isJSON(contentType) else {
            if let url, VibeClientError.isWrongEndpoint(status: status) {
                throw VibeClientError.notAnAPI(
                    url: url, status: status, contentType: contentType, bodyPrefix: prefix(of: body))
            }
            throw VibeClientError.nonJSON(
                status: status, contentType: contentType, bodyPrefix: prefix(of: body), requestId: requestId)
        }
        if !(200..<300).contains(status) {
            throw errorFromJSON(status: status, headers: headers, body: body)
        }
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            // A 2xx answer carrying an error body is still an error.
            if let errorBody = try? JSONDecoder().decode(ErrorBody.self, from: body), !errorBody.ok {
                throw serverError(errorBody, status: status, headers: headers)
            }
            throw VibeClientError.decoding(status: status, message: "\(error)", bodyPrefix: prefix(of: body))
        }
    }

    /// The typed error for a JSON answer with a non-2xx status.
    static func errorFromJSON(status: Int, headers: ResponseHeaders, body: ByteBuffer) -> VibeClientError {
        if let errorBody = try? JSONDecoder().decode(ErrorBody.self, from: body) {
            return serverError(errorBody, status: status, headers: headers)
        }
        return .decoding(status: status, message: "error answer without an error body", bodyPrefix: prefix(of: body))
    }

    static func serverError(_ body: ErrorBody, status: Int, headers: ResponseHeaders) -> VibeClientError {
        var exec: ExecOutput?
        if body.stdout != nil || body.stderr != nil || body.exitCode != nil {
            exec = ExecOutput(
                exitCode: body.exitCode, stdout: body.stdout ?? "", stderr: body.stderr ?? "",
                durationMs: body.durationMs)
        }
        return .server(
            ServerError(
                code: body.error, status: status, message: body.message,
                requestId: body.requestId ?? headers.requestId, execOutput: exec,
                retryAfterSeconds: headers.retryAfter.flatMap { Int($0) }, occurrences: body.occurrences))
    }

    /// Maps a transport-level error (AsyncHTTPClient, NIO) to ``VibeClientError/transport(_:description:)``.
    public static func transportError(_ error: any Error) -> VibeClientError {
        if let e = error as? VibeClientError { return e }
        let text = String(describing: error)
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return .transport(.timeout, description: text)
            case .remoteConnectionClosed:
                return .transport(.connectionClosed, description: text)
            default: break
            }
        }
        if let e = error as? IOError, e.errnoCode == ECONNREFUSED {
            return .transport(.connectionRefused, description: text)
        }
        let lower = text.lowercased()
        if lower.contains("refused") { return .transport(.connectionRefused, description: text) }
        if lower.contains("timeout") || lower.contains("timed out") { return .transport(.timeout, description: text) }
        return .transport(.other(text), description: text)
    }
}

/// The answer headers the client looks at.
public struct ResponseHeaders: Sendable, Equatable {
    /// `Content-Type`.
    public var contentType: String?
    /// `X-Request-ID`.
    public var requestId: String?
    /// `Retry-After`.
    public var retryAfter: String?

    /// Creates a header record.
    public init(contentType: String?, requestId: String?, retryAfter: String? = nil) {
        self.contentType = contentType
        self.requestId = requestId
        self.retryAfter = retryAfter
    }

    init(_ response: HTTPClientResponse) {
        self.contentType = response.headers.first(name: "content-type")
        self.requestId = response.headers.first(name: "x-request-id")
        self.retryAfter = response.headers.first(name: "retry-after")
    }
}
