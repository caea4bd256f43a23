import Foundation
import Hummingbird
import NIOCore
import Testing
import VibeClient
import VibeProtocol

@Suite struct SafeJSONTests {
    @Test func htmlAnswerBecomesNonJSON502WithBodyPrefix() async throws {
        let html = "<html><head><title>502 Bad Gateway</title></head><body>" + String(repeating: "x", count: 400)
            + "</body></html>"
        try await withHTTPServer({ router in
            router.get(RouterPath(Routes.sessionStatus)) { _, _ in
                Response(
                    status: .badGateway, headers: [.contentType: "text/html"],
                    body: .init(byteBuffer: ByteBuffer(string: html)))
            }
        }) { base in
            let api = VibeAPI(baseURL: base)
            do {
                _ = try await api.status("s1")
                Issue.record("expected an error")
            } catch let error as VibeClientError {
                #expect(error.code == "NON_JSON_502")
                guard case .nonJSON(let status, let contentType, let prefix, _) = error else {
                    Issue.record("wrong case \(error)")
                    return
                }
                #expect(status == 502)
                #expect(contentType == "text/html")
                #expect(prefix == String(html.prefix(VibeClientError.bodyPrefixLimit)))
            }
        }
    }

    @Test func jsonErrorBodyBecomesTypedServerError() async throws {
        try await withHTTPServer({ router in
            router.get(RouterPath(Routes.sessionStatus)) { _, _ in
                jsonResponse(
                    ErrorBody(error: .sessionNotFound, message: "no such session", requestId: "req-42"),
                    status: .notFound)
            }
            router.post("/api/vibecoding/sessions/s1/exec") { _, _ in
                var body = ErrorBody(error: .execTimeout, message: "killed", requestId: "req-7")
                body.exitCode = 137
                body.stdout = "partial out"
                body.stderr = "partial err"
                body.durationMs = 100
                return jsonResponse(body, status: .gatewayTimeout)
            }
            router.get("/api/vibecoding/sessions/s1/fs/tree") { _, _ in
                // A 200 with a JSON content type but not JSON of the right shape.
                jsonResponse(["unexpected": 1])
            }
        }) { base in
            let api = VibeAPI(baseURL: base)
            do {
                _ = try await api.status("s1")
                Issue.record("expected an error")
            } catch let error as VibeClientError {
                let server = try #require(error.serverError)
                #expect(server.code == .sessionNotFound)
                #expect(server.status == 404)
                #expect(server.message == "no such session")
                #expect(server.requestId == "req-42")
                #expect(error.code == "SESSION_NOT_FOUND")
            }
            do {
                _ = try await api.exec("s1", command: "sleep 100", timeoutMs: 100)
                Issue.record("expected an error")
            } catch let error as VibeClientError {
                let server = try #require(error.serverError)
                #expect(server.code == .execTimeout)
                #expect(server.status == 504)
                #expect(server.execOutput == ExecOutput(exitCode: 137, stdout: "partial out", stderr: "partial err", durationMs: 100))
            }
            await #expect(throws: VibeClientError.self) { _ = try await api.tree("s1") }
        }
    }

    @Test func requestIdAndTokenAreSent() async throws {
        try await withHTTPServer({ router in
            router.get(RouterPath(Routes.healthz)) { request, _ in
                let rid = request.headers.first { $0.name.canonicalName == "x-request-id" }?.value ?? ""
                let auth = request.headers[.authorization] ?? ""
                return jsonResponse(HealthResponse(version: rid, driver: auth, uptimeMs: 1))
            }
        }) { base in
            let health = try await VibeAPI(baseURL: base + "/", token: "T0K").health()
            #expect(!health.version.isEmpty)
            #expect(health.driver == "Bearer T0K")
        }
    }

    @Test func execStreamReadsNDJSONLines() async throws {
        try await withHTTPServer({ router in
            router.post("/api/vibecoding/sessions/s1/exec") { _, _ in
                let lines = [
                    ExecStreamLine.output("stdout", "a\n"), .output("stderr", "b"), .exit(3, durationMs: 5),
                ]
                var text = ""
                for line in lines {
                    text += String(decoding: try JSONEncoder().encode(line), as: UTF8.self) + "\n"
                }
                return Response(
                    status: .ok, headers: [.contentType: MediaType.ndjson],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }) { base in
            var got: [ExecStreamLine] = []
            for try await line in VibeAPI(baseURL: base).execStream("s1", command: "x") { got.append(line) }
            #expect(got.map(\.type) == ["stdout", "stderr", "exit"])
            #expect(got.last?.exitCode == 3)
        }
    }

    @Test func connectionRefusedIsATransportError() async throws {
        // Port 1 on loopback: nothing listens there.
        let api = VibeAPI(baseURL: "http://127.0.0.1:1", timeout: .seconds(5))
        do {
            _ = try await api.health()
            Issue.record("expected an error")
        } catch let error as VibeClientError {
            guard case .transport = error else {
                Issue.record("expected transport, got \(error)")
                return
            }
            #expect(error.isRetryable)
            print("connection refused maps to: \(error)")
        }
    }
}
