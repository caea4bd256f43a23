import Foundation
import Hummingbird
import NIOCore
import VibeProtocol

/// Routes that act inside a ready workspace: exec and files.
struct WorkspaceRoutes {
    let server: ServerContext

    func register(on group: RouterGroup<VibeRequestContext>) {
        group.post("sessions/{id}/exec") { request, context in
            let body = try await JSONResponse.decode(ExecRequest.self, from: request, limit: 1 << 20)
            let timeout = body.timeoutMs ?? ExecRequest.defaultTimeoutMs
            guard (1...ExecRequest.maxTimeoutMs).contains(timeout) else {
                throw APIError(.invalidRequest, "timeoutMs must be 1…\(ExecRequest.maxTimeoutMs)")
            }
            let ws = try await server.registry.resumingWorkspace(id: try sessionID(context), owner: context.subject)
            if request.headers[.accept]?.contains(MediaType.ndjson) == true {
                return streamingExec(ws, command: body.command, timeoutMs: timeout)
            }
            return try await bufferedExec(ws, command: body.command, timeoutMs: timeout)
        }
        group.get("sessions/{id}/fs/tree") { _, context in
            let ws = try await server.registry.resumingWorkspace(id: try sessionID(context), owner: context.subject)
            return JSONResponse.make(try await ws.tree())
        }
        group.get("sessions/{id}/fs/file") { request, context in
            let ws = try await server.registry.resumingWorkspace(id: try sessionID(context), owner: context.subject)
            return JSONResponse.make(try await ws.readFile(try path(request)))
        }
        group.put("sessions/{id}/fs/file") { request, context in
            let ws = try await server.registry.resumingWorkspace(id: try sessionID(context), owner: context.subject)
            let path = try path(request)
            let body = try await JSONResponse.decode(
                WriteFileRequest.self, from: request, limit: FileContent.maxSize * 4 / 3 + (64 << 10))
            let data: [UInt8]
            switch body.encoding ?? .utf8 {
            case .utf8: data = Array(body.content.utf8)
            case .base64:
                guard let decoded = Data(base64Encoded: body.content) else {
                    throw APIError(.invalidRequest, "content is not valid base64")
                }
                data = Array(decoded)
            }
            guard data.count <= FileContent.maxSize else {
                throw APIError(.payloadTooLarge, "file content is larger than \(FileContent.maxSize) bytes")
            }
            return JSONResponse.make(try await ws.writeFile(path, data: data))
        }
    }

    private func path(_ request: Request) throws -> String {
        guard let p = request.uri.queryParameters.get("path") else {
            throw APIError(.invalidRequest, "query parameter 'path' is required")
        }
        return p
    }

    private func bufferedExec(_ ws: any Workspace, command: String, timeoutMs: Int) async throws -> Response {
        let sink = OutputSink()
        let outcome = try await ws.exec(command: command, timeoutMs: timeoutMs) { sink.add($0) }
        let (out, err) = sink.text()
        let result = ExecResponse(exitCode: outcome.exitCode, stdout: out, stderr: err, durationMs: outcome.durationMs)
        switch outcome.ending {
        case .exited: return JSONResponse.make(result)
        case .timedOut:
            throw APIError(.execTimeout, "command ran past \(timeoutMs) ms and was killed", exec: result)
        case .outputLimit:
            throw APIError(
                .outputLimitExceeded, "command printed more than \(ExecRequest.outputCap) bytes and was killed",
                exec: result)
        }
    }

    private func streamingExec(_ ws: any Workspace, command: String, timeoutMs: Int) -> Response {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let decoder = StreamingUTF8()
        Task {
            @Sendable func line(_ l: ExecStreamLine) {
                var data = (try? JSONResponse.encoder.encode(l)) ?? Data()
                data.append(0x0A)
                continuation.yield(ByteBuffer(bytes: data))
            }
            do {
                let outcome = try await ws.exec(command: command, timeoutMs: timeoutMs) { chunk in
                    switch chunk {
                    case .stdout(let b): line(.output("stdout", decoder.decode(b, stream: 1)))
                    case .stderr(let b): line(.output("stderr", decoder.decode(b, stream: 2)))
                    }
                }
                switch outcome.ending {
                case .exited: line(.exit(outcome.exitCode, durationMs: outcome.durationMs))
                case .timedOut: line(.failure(.execTimeout, "command ran past \(timeoutMs) ms and was killed"))
                case .outputLimit:
                    line(.failure(.outputLimitExceeded, "command printed more than \(ExecRequest.outputCap) bytes"))
                }
            } catch {
                line(.failure(.internalError, "exec failed: \(error)"))
            }
            continuation.finish()
        }
        return Response(
            status: .ok, headers: [.contentType: MediaType.ndjson], body: ResponseBody(asyncSequence: stream))
    }
}
