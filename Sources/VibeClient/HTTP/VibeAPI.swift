import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import VibeProtocol

/// A typed client for the HTTP routes of docs/protocol.md, one method per route.
///
/// Every answer goes through ``SafeJSON``: non-JSON answers throw `NON_JSON_<status>`, server errors throw
/// ``VibeClientError/server(_:)`` with code, status, message and request id, and transport failures throw
/// ``VibeClientError/transport(_:description:)``. Every request carries a fresh `X-Request-ID`.
public struct VibeAPI: Sendable {
    /// Base URL of the server, e.g. `http://127.0.0.1:8000` (no trailing slash needed).
    public let baseURL: String
    /// Bearer token sent as `Authorization: Bearer …` (and as `?token=` on sockets), if any.
    public let token: String?
    /// Timeout of ordinary requests.
    public var timeout: Duration
    /// Largest answer body read (default 16 MiB: an 8 MiB file grows when JSON-escaped).
    public var maxBodyBytes: Int
    let http: HTTPClient

    /// The process-wide HTTP client: AsyncHTTPClient's defaults, except that a failed connect fails the request
    /// at once (`connection refused` is reported as such, not retried until a timeout): vibe's own retry loops
    /// (``ReadyWaiter``, reconnecting channels) decide when to try again and say why; TLS trusts
    /// ``ClientTLS`` (`VIBE_CA_FILE`).
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.tlsConfiguration = ClientTLS.configuration
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Creates an API client.
    /// - Parameters:
    ///   - baseURL: e.g. `http://127.0.0.1:8000`.
    ///   - token: optional bearer token.
    ///   - timeout: per-request timeout (exec adds its own `timeoutMs` on top).
    ///   - httpClient: the AsyncHTTPClient to use (default ``VibeAPI/sharedHTTPClient``).
    public init(
        baseURL: String, token: String? = nil, timeout: Duration = .seconds(30),
        httpClient: HTTPClient = VibeAPI.sharedHTTPClient
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.timeout = timeout
        self.maxBodyBytes = 16 << 20
        self.http = httpClient
    }

    // MARK: routes

    /// `GET /healthz`.
    public func health() async throws -> HealthResponse {
        try await send(.GET, Routes.healthz, as: HealthResponse.self)
    }

    /// `GET /api/vibecoding/session/status?id=ID`.
    ///
    /// Any backend's status answer is understood (see ``SessionStatus/init(from:)``); one without an `id` gets `id`.
    public func status(_ id: String) async throws -> SessionStatus {
        try await status(id, waitMs: 0)
    }

    /// `GET …/session/status?id=ID&waitMs=N`: a long poll. The server holds the answer until the session's state
    /// changes or `waitMs` pass (only a `creating` session is waited for); a server that does not know
    /// `waitMs` answers at once. The request's timeout grows by `waitMs`.
    public func status(_ id: String, waitMs: Int) async throws -> SessionStatus {
        var query = [("id", id)]
        if waitMs > 0 { query.append(("waitMs", String(waitMs))) }
        var status = try await send(
            .GET, Routes.sessionStatus, query: query, timeout: timeout + .milliseconds(waitMs), as: SessionStatus.self)
        if status.id.isEmpty { status.id = id }
        return status
    }

    /// `POST /api/vibecoding/sessions` with `{"id":…,"template":…,"folder":…}`; answers at once (`ready` may be
    /// false). `folder` (an absolute host folder as the workspace) is accepted only by the user's own server.
    public func create(id: String? = nil, template: String? = nil, folder: String? = nil) async throws -> SessionStatus {
        try await send(
            .POST, Routes.sessions, body: CreateSessionRequest(id: id, template: template, folder: folder),
            as: SessionStatus.self)
    }

    /// `POST /api/vibecoding/sessions/{id}/open`: open, resume, retry or create (on `folder`, when given).
    public func open(_ id: String, folder: String? = nil) async throws -> SessionStatus {
        guard let folder else { return try await send(.POST, Routes.open(Self.segment(id)), as: SessionStatus.self) }
        return try await send(
            .POST, Routes.open(Self.segment(id)), body: CreateSessionRequest(folder: folder), as: SessionStatus.self)
    }

    /// `GET /api/vibecoding/sessions/{id}/layout`: the session's layout document decoded as `type`, nil
    /// before the first store.
    public func layout<Layout: Codable & Sendable>(_ id: String, as type: Layout.Type) async throws -> Layout? {
        try await send(.GET, Routes.layout(Self.segment(id)), as: LayoutAnswer<Layout>.self).layout
    }

    /// `PUT /api/vibecoding/sessions/{id}/layout`: stores the session's layout document (a JSON object).
    @discardableResult
    public func storeLayout<Layout: Encodable>(_ id: String, _ layout: Layout) async throws -> LayoutStored {
        try await send(.PUT, Routes.layout(Self.segment(id)), body: layout, as: LayoutStored.self)
    }

    /// `GET /api/vibecoding/sessions`: the caller's sessions.
    public func list() async throws -> [SessionStatus] {
        try await send(.GET, Routes.sessions, as: SessionList.self).sessions
    }

    /// `POST …/sessions/{id}/suspend`: stops what keeps a ready session running (its files stay); the next use
    /// resumes it.
    public func suspend(_ id: String) async throws -> SessionStatus {
        try await send(.POST, Routes.suspend(Self.segment(id)), as: SessionStatus.self)
    }

    /// `DELETE /api/vibecoding/sessions/{id}`.
    @discardableResult
    public func delete(_ id: String) async throws -> DeleteSessionResponse {
        try await send(.DELETE, Routes.session(Self.segment(id)), as: DeleteSessionResponse.self)
    }

    /// `POST /api/vibecoding/sessions/{id}/exec`: runs `/bin/sh -c command` and returns its output.
    ///
    /// A non-zero exit code is not an error. `EXEC_TIMEOUT` and `OUTPUT_LIMIT_EXCEEDED` throw a
    /// ``ServerError`` whose ``ServerError/execOutput`` keeps what the command printed.
    public func exec(_ id: String, command: String, timeoutMs: Int? = nil) async throws -> ExecResponse {
        try await send(
            .POST, Routes.exec(Self.segment(id)), body: ExecRequest(command: command, timeoutMs: timeoutMs),
            timeout: execTimeout(timeoutMs), as: ExecResponse.self)
    }

    /// `POST …/exec` with `Accept: application/x-ndjson`: the lines as they arrive.
    ///
    /// The stream ends after the `exit` or `error` line. Errors found before the command starts are thrown
    /// by the stream as typed errors; a non-NDJSON answer throws `NON_JSON_<status>`.
    public func execStream(_ id: String, command: String, timeoutMs: Int? = nil) -> AsyncThrowingStream<
        ExecStreamLine, any Error
    > {
        let (stream, continuation) = AsyncThrowingStream<ExecStreamLine, any Error>.makeStream()
        let task = Task {
            do {
                try await self.runExecStream(id, command: command, timeoutMs: timeoutMs) { line in
                    continuation.yield(line)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// `GET /api/vibecoding/sessions/{id}/fs/tree`.
    public func tree(_ id: String) async throws -> FileTree {
        try await send(.GET, Routes.fsTree(Self.segment(id)), as: FileTree.self)
    }

    /// `GET /api/vibecoding/sessions/{id}/fs/file?path=P`.
    public func readFile(_ id: String, path: String) async throws -> FileContent {
        try await send(.GET, Routes.fsFile(Self.segment(id)), query: [("path", path)], as: FileContent.self)
    }

    /// `GET …/fs/file` decoded to bytes (handles both `utf8` and `base64` encodings).
    public func readFileData(_ id: String, path: String) async throws -> Data {
        let file = try await readFile(id, path: path)
        switch file.encoding {
        case .utf8: return Data(file.content.utf8)
        case .base64:
            guard let data = Data(base64Encoded: file.content) else {
                throw VibeClientError.decoding(status: 200, message: "invalid base64 content", bodyPrefix: "")
            }
            return data
        }
    }

    /// `PUT /api/vibecoding/sessions/{id}/fs/file?path=P`; valid UTF-8 goes as `utf8`, anything else as `base64`.
    @discardableResult
    public func writeFile(_ id: String, path: String, data: Data) async throws -> WriteFileResponse {
        let body: WriteFileRequest
        if let text = String(data: data, encoding: .utf8) {
            body = WriteFileRequest(content: text, encoding: .utf8)
        } else {
            body = WriteFileRequest(content: data.base64EncodedString(), encoding: .base64)
        }
        return try await send(
            .PUT, Routes.fsFile(Self.segment(id)), query: [("path", path)], body: body, as: WriteFileResponse.self)
    }

    /// `PUT …/fs/file` with UTF-8 text.
    @discardableResult
    public func writeFile(_ id: String, path: String, text: String) async throws -> WriteFileResponse {
        try await writeFile(id, path: path, data: Data(text.utf8))
    }

    // MARK: sockets

    /// The `ws://` / `wss://` URL of a socket path with the given query; adds `token` when set.
    public func socketURL(path: String, query: [(String, String)]) -> String {
        var q = query
        if let token { q.append(("token", token)) }
        var base = baseURL
        if base.hasPrefix("https://") {
            base = "wss://" + base.dropFirst("https://".count)
        } else if base.hasPrefix("http://") {
            base = "ws://" + base.dropFirst("http://".count)
        }
        return base + path + Self.queryString(q)
    }

    // MARK: plumbing

    func execTimeout(_ timeoutMs: Int?) -> Duration {
        timeout + .milliseconds(min(timeoutMs ?? ExecRequest.defaultTimeoutMs, ExecRequest.maxTimeoutMs))
    }

    func makeRequest(
        _ method: HTTPMethodName, _ path: String, query: [(String, String)] = [], body: Data? = nil,
        accept: String = "application/json"
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path + Self.queryString(query))
        method.apply(to: &request)
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "X-Request-ID", value: UUID().uuidString.lowercased())
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: MediaType.json)
            request.body = .bytes(ByteBuffer(data: body))
        }
        return request
    }

    func send<T: Decodable>(
        _ method: HTTPMethodName, _ path: String, query: [(String, String)] = [], timeout: Duration? = nil,
        as type: T.Type
    ) async throws -> T {
        try await perform(makeRequest(method, path, query: query), timeout: timeout, as: type)
    }

    func send<T: Decodable, B: Encodable>(
        _ method: HTTPMethodName, _ path: String, query: [(String, String)] = [], body: B, timeout: Duration? = nil,
        as type: T.Type
    ) async throws -> T {
        let data = try JSONEncoder().encode(body)
        return try await perform(makeRequest(method, path, query: query, body: data), timeout: timeout, as: type)
    }

    func perform<T: Decodable>(_ request: HTTPClientRequest, timeout: Duration?, as type: T.Type) async throws -> T {
        let (status, headers, body): (Int, ResponseHeaders, ByteBuffer)
        do {
            let response = try await http.execute(request, timeout: .init(timeout ?? self.timeout))
            status = Int(response.status.code)
            headers = ResponseHeaders(response)
            body = try await response.body.collect(upTo: maxBodyBytes)
        } catch {
            throw SafeJSON.transportError(error)
        }
        return try SafeJSON.decode(type, status: status, headers: headers, body: body, url: request.url)
    }

    func runExecStream(
        _ id: String, command: String, timeoutMs: Int?, yield: (ExecStreamLine) -> Void
    ) async throws {
        let data = try JSONEncoder().encode(ExecRequest(command: command, timeoutMs: timeoutMs))
        let request = makeRequest(.POST, Routes.exec(Self.segment(id)), body: data, accept: MediaType.ndjson)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .init(execTimeout(timeoutMs)))
        } catch {
            throw SafeJSON.transportError(error)
        }
        let status = Int(response.status.code)
        let headers = ResponseHeaders(response)
        guard SafeJSON.isNDJSON(headers.contentType), (200..<300).contains(status) else {
            let body: ByteBuffer
            do { body = try await response.body.collect(upTo: maxBodyBytes) } catch {
                throw SafeJSON.transportError(error)
            }
            // Decoding as an error body throws the right typed error (NON_JSON or server error).
            _ = try SafeJSON.decode(ErrorBody.self, status: status == 200 ? 500 : status, headers: headers, body: body)
            throw VibeClientError.decoding(status: status, message: "expected application/x-ndjson", bodyPrefix: "")
        }
        var splitter = LineSplitter()
        do {
            for try await chunk in response.body {
                for line in splitter.append(chunk) {
                    let decoded = try Self.decodeLine(line, status: status)
                    yield(decoded)
                    if decoded.type == "exit" || decoded.type == "error" { return }
                }
            }
        } catch let error as VibeClientError {
            throw error
        } catch {
            throw SafeJSON.transportError(error)
        }
        if let rest = splitter.finish() { yield(try Self.decodeLine(rest, status: status)) }
    }

    static func decodeLine(_ line: [UInt8], status: Int) throws -> ExecStreamLine {
        do {
            return try JSONDecoder().decode(ExecStreamLine.self, from: Data(line))
        } catch {
            throw VibeClientError.decoding(
                status: status, message: "bad NDJSON line: \(error)",
                bodyPrefix: String(decoding: line.prefix(VibeClientError.bodyPrefixLimit), as: UTF8.self))
        }
    }

    /// Percent-encodes one path segment.
    static func segment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }

    static let unreserved: CharacterSet = {
        var set = CharacterSet()
        set.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return set
    }()

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { segment($0.0) + "=" + segment($0.1) }.joined(separator: "&")
    }
}

/// The HTTP methods the API uses (keeps NIOHTTP1 out of the public surface).
enum HTTPMethodName {
    case GET, POST, PUT, DELETE
    func apply(to request: inout HTTPClientRequest) {
        switch self {
        case .GET: request.method = .GET
        case .POST: request.method = .POST
        case .PUT: request.method = .PUT
        case .DELETE: request.method = .DELETE
        }
    }
}

/// Splits a byte stream into `\n`-terminated lines (the `\n` and a trailing `\r` removed; empty lines skipped).
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func append(_ chunk: ByteBuffer) -> [[UInt8]] {
        pending.append(contentsOf: chunk.readableBytesView)
        var lines: [[UInt8]] = []
        var start = 0
        for i in pending.indices where pending[i] == UInt8(ascii: "\n") {
            var line = Array(pending[start..<i])
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if !line.isEmpty { lines.append(line) }
            start = i + 1
        }
        pending.removeFirst(start)
        return lines
    }

    mutating func finish() -> [UInt8]? {
        defer { pending = [] }
        return pending.isEmpty ? nil : pending
    }
}
