import Foundation
import Testing
import VibeClient
import VibeProtocol

@Suite("HTTP errors are JSON")
struct HTTPErrorTests {
    @Test func unknownSessionStatusIs404JSON() async throws {
        try await withServer() { server in
            let r = try await server.raw("GET", Routes.sessionStatus + "?id=nope")
            #expect(r.status == 404)
            #expect(r.headers["content-type"]?.hasPrefix("application/json") == true)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(r.body.utf8))
            #expect(body.error == .sessionNotFound)
            #expect(body.ok == false)
            #expect(body.requestId == r.headers["x-request-id"])
            // The client library turns it into a typed error.
            await #expect {
                _ = try await server.client.api.status("nope")
            } throws: { error in
                (error as? VibeClientError)?.serverError?.code == .sessionNotFound
            }
        }
    }

    @Test func unknownRouteWrongMethodBadJSONAndOversizeBodyAreJSON() async throws {
        try await withServer() { server in
            let cases: [(String, String, String?, Int?, Int, ErrorCode)] = [
                ("GET", "/no/such/route", nil, nil, 404, .notFound),
                ("DELETE", Routes.sessions, nil, nil, 405, .methodNotAllowed),
                ("POST", Routes.sessions, "{not json", nil, 400, .invalidRequest),
                ("POST", Routes.sessions, "{\"id\":\"../etc\"}", nil, 400, .invalidRequest),
                ("POST", Routes.sessions, nil, 1 << 20, 413, .payloadTooLarge),
                ("GET", Routes.sessionStatus, nil, nil, 400, .invalidRequest),
            ]
            for (method, path, body, size, status, code) in cases {
                let r = try await server.raw(method, path, body: body, bodyBytes: size)
                #expect(r.status == status, "\(method) \(path)")
                #expect(r.headers["content-type"]?.hasPrefix("application/json") == true, "\(method) \(path)")
                let decoded = try JSONDecoder().decode(ErrorBody.self, from: Data(r.body.utf8))
                #expect(decoded.error == code, "\(method) \(path)")
                let rid = try #require(r.headers["x-request-id"])
                #expect(decoded.requestId == rid)
            }
        }
    }

    @Test func callerRequestIDIsEchoed() async throws {
        try await withServer() { server in
            let r = try await server.raw("GET", "/healthz", headers: [("X-Request-ID", "trace-42")])
            #expect(r.status == 200)
            #expect(r.headers["x-request-id"] == "trace-42")
            let missing = try await server.raw("GET", "/nowhere", headers: [("X-Request-ID", "trace-43")])
            #expect(missing.body.contains("\"requestId\":\"trace-43\""))
        }
    }

    @Test func rateLimitedCreateIs429WithRetryAfter() async throws {
        try await withServer(createBurst: 2) { server in
            _ = try await server.client.api.create(id: "r1")
            _ = try await server.client.api.create(id: "r2")
            let r = try await server.raw("POST", Routes.sessions, body: "{\"id\":\"r3\"}")
            #expect(r.status == 429)
            #expect(r.body.contains("RATE_LIMITED"))
            #expect(r.headers["retry-after"] != nil)
        }
    }
}
