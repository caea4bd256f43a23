import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import VibeProtocol

/// A Docker Engine reached through its HTTP API (never the `docker` command): `unix:///var/run/docker.sock`
/// by default, or `DOCKER_HOST` (`unix://PATH` or `tcp://HOST:PORT`).
public struct DockerEngine: Sendable {
    /// Where the engine listens.
    public enum Address: Sendable, Equatable {
        case unix(path: String)
        case tcp(host: String, port: Int)
    }

    /// The API version every call uses (Engine 20.10 and later speak it).
    public static let apiVersion = "1.41"

    public let address: Address
    let http: HTTPClient
    /// Transient failures (connection refused or reset, 5xx) are retried this many times, with backoff.
    var retries = 3

    /// The engine at `address`.
    public init(address: Address, http: HTTPClient = .shared) {
        self.address = address
        self.http = http
    }

    /// The engine `DOCKER_HOST` names, else the local socket.
    public static func fromEnvironment() throws -> DockerEngine {
        guard let host = ProcessInfo.processInfo.environment["DOCKER_HOST"], !host.isEmpty else {
            return DockerEngine(address: .unix(path: "/var/run/docker.sock"))
        }
        if host.hasPrefix("unix://") { return DockerEngine(address: .unix(path: String(host.dropFirst(7)))) }
        if host.hasPrefix("tcp://") {
            let rest = host.dropFirst(6)
            let parts = rest.split(separator: ":")
            if parts.count == 2, let port = Int(parts[1]) { return DockerEngine(address: .tcp(host: String(parts[0]), port: port)) }
        }
        throw APIError(.invalidRequest, "DOCKER_HOST must be unix://PATH or tcp://HOST:PORT, not \(host)")
    }

    /// The base URL of API calls.
    var baseURL: String {
        switch address {
        case .unix(let path):
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path
            return "http+unix://\(encoded)/v\(Self.apiVersion)"
        case .tcp(let host, let port): return "http://\(host):\(port)/v\(Self.apiVersion)"
        }
    }

    /// An engine answer: its status and body.
    struct Answer: Sendable {
        var status: Int
        var body: Data

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            do { return try JSONDecoder().decode(T.self, from: body) } catch {
                throw DockerError.badAnswer(status: status, body: String(decoding: body.prefix(300), as: UTF8.self))
            }
        }

        /// The engine's `{"message":…}`.
        var message: String {
            (try? JSONDecoder().decode(EngineMessage.self, from: body).message)
                ?? String(decoding: body.prefix(300), as: UTF8.self)
        }
    }

    struct EngineMessage: Decodable { var message: String }

    /// Sends a call, retrying transient failures; `expect` lists the statuses that are not errors.
    func call(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json: (any Encodable & Sendable)? = nil,
        expect: Set<Int> = [200, 201, 204], timeout: Duration = .seconds(60)
    ) async throws -> Answer {
        var attempt = 0
        while true {
            do {
                let answer = try await send(method, path, query: query, json: json, timeout: timeout)
                if answer.status >= 500, !expect.contains(answer.status), attempt < retries {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(100 << attempt))
                    continue
                }
                guard expect.contains(answer.status) else {
                    throw DockerError.engine(status: answer.status, message: answer.message, call: "\(method.rawValue) \(path)")
                }
                return answer
            } catch let error as DockerError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Connection refused or reset, a socket that is not there: transient until the retries run out.
                guard attempt < retries, !Self.isPermanent(error) else {
                    throw DockerError.unreachable("no Docker engine answers at \(address): \(error)")
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(100 << attempt))
            }
        }
    }

    private func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], json: (any Encodable & Sendable)?,
        timeout: Duration
    ) async throws -> Answer {
        var url = baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .urlQueryValue) ?? $0.1)" }
                .joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.replaceOrAdd(name: "Host", value: "docker")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(json)))
        }
        let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), body: Data(buffer: body))
    }

    /// Errors no retry can mend: a bad URL, a body we could not encode.
    private static func isPermanent(_ error: any Error) -> Bool {
        if let e = error as? HTTPClientError { return [.invalidURL, .emptyHost, .unsupportedScheme("")].contains(e) }
        return error is EncodingError
    }
}

/// What can go wrong talking to the engine.
public enum DockerError: Error, CustomStringConvertible, Sendable {
    /// No engine answers (socket missing, connection refused).
    case unreachable(String)
    /// The engine refused a call.
    case engine(status: Int, message: String, call: String)
    /// The engine answered something we cannot read.
    case badAnswer(status: Int, body: String)

    public var description: String {
        switch self {
        case .unreachable(let what): return what
        case .engine(let status, let message, let call): return "\(call): \(status) \(message)"
        case .badAnswer(let status, let body): return "unexpected engine answer (\(status)): \(body)"
        }
    }

    /// The engine's status for `engine` errors.
    var status: Int? {
        if case .engine(let status, _, _) = self { return status }
        return nil
    }
}

extension DockerEngine.Address: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unix(let path): return "unix://\(path)"
        case .tcp(let host, let port): return "tcp://\(host):\(port)"
        }
    }
}

extension CharacterSet {
    /// Characters left alone in a query value.
    static let urlQueryValue: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()
}
