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
            let id = try sessionID(context)
            let ws = try await server.registry.resumingWorkspace(id: id, owner: context.subject)
            let log = ExecLog(events: server.registry.events, metrics: server.metrics, session: id, command: body.command)
            if request.headers[.accept]?.contains(MediaType.ndjson) == true {
                return streamingExec(ws, command: body.command, timeoutMs: timeout, log: log)
            }
            return try await bufferedExec(ws, command: body.command, timeoutMs: timeout, log: log)
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
        registerFileTools(on: group)
    }

    /// Registers the file tools (docs/protocol.md, "File tools").
    private func registerFileTools(on group: RouterGroup<VibeRequestContext>) {
        group.get("sessions/{id}/fs/list") { request, context in
            let ws = try await workspace(context)
            return JSONResponse.make(try await ws.list(request.uri.queryParameters.get("path")))
        }
        group.post("sessions/{id}/fs/edit") { request, context in
            let body = try await JSONResponse.decode(
                EditFileRequest.self, from: request, limit: FileContent.maxSize * 2 + (64 << 10))
            return JSONResponse.make(try await workspace(context).edit(body))
        }
        group.post("sessions/{id}/fs/delete") { request, context in
            let body = try await JSONResponse.decode(DeletePathRequest.self, from: request, limit: 64 << 10)
            return JSONResponse.make(try await workspace(context).delete(body))
        }
        group.post("sessions/{id}/fs/move") { request, context in
            let body = try await JSONResponse.decode(MovePathRequest.self, from: request, limit: 64 << 10)
            return JSONResponse.make(try await workspace(context).move(body))
        }
        group.get("sessions/{id}/fs/glob") { request, context in
            let query = RouteQuery(request.uri.queryParameters)
            let glob = GlobQuery(
                pattern: try query.required("pattern"), path: query.optional("path"),
                limit: try query.integer("limit", default: GlobQuery.defaultLimit))
            return JSONResponse.make(try await workspace(context).glob(glob))
        }
        group.get("sessions/{id}/fs/grep") { request, context in
            let query = RouteQuery(request.uri.queryParameters)
            let grep = GrepQuery(
                pattern: try query.required("pattern"), path: query.optional("path"), glob: query.optional("glob"),
                context: try query.integer("context", default: 0), ignoreCase: try query.flag("ignoreCase"),
                limit: try query.integer("limit", default: GrepQuery.defaultLimit))
            return JSONResponse.make(try await workspace(context).grep(grep))
        }
    }

    private func workspace(_ context: VibeRequestContext) async throws -> any Workspace {
        try await server.registry.resumingWorkspace(id: try sessionID(context), owner: context.subject)
    }

    private func path(_ request: Request) throws -> String {
        guard let p = request.uri.queryParameters.get("path") else {
            throw APIError(.invalidRequest, "query parameter 'path' is required")
        }
        return p
    }

    private func bufferedExec(_ ws: any Workspace, command: String, timeoutMs: Int, log: ExecLog) async throws -> Response {
        let sink = OutputSink()
        let outcome = try await ws.exec(command: command, timeoutMs: timeoutMs) { sink.add($0) }
        log.ended(outcome)
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

    private func streamingExec(_ ws: any Workspace, command: String, timeoutMs: Int, log: ExecLog) -> Response {
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
                log.ended(outcome)
                switch outcome.ending {
                case .exited: line(.exit(outcome.exitCode, durationMs: outcome.durationMs))
                case .timedOut: line(.failure(.execTimeout, "command ran past \(timeoutMs) ms and was killed"))
                case .outputLimit:
                    line(.failure(.outputLimitExceeded, "command printed more than \(ExecRequest.outputCap) bytes"))
                }
            } catch let error as APIError {
                line(.failure(error.code, error.message))
            } catch {
                line(.failure(.internalError, "exec failed: \(error)"))
            }
            continuation.finish()
        }
        return Response(
            status: .ok, headers: [.contentType: MediaType.ndjson], body: ResponseBody(asyncSequence: stream))
    }
}

/// Writes an exec run's outcome to the session's events (the logs socket).
struct ExecLog {
    let events: SessionEvents
    let metrics: ServerMetrics
    let session: String
    let command: String

    func ended(_ outcome: ExecOutcome) {
        let shown = command.count > 200 ? String(command.prefix(200)) + "…" : command
        let how: String
        switch outcome.ending {
        case .exited: how = "exit \(outcome.exitCode)"
        case .timedOut: how = "killed after its timeout (exit \(outcome.exitCode))"
        case .outputLimit: how = "killed at the output limit (exit \(outcome.exitCode))"
        }
        events.record(session, "exec \(shown.debugDescription): \(how) in \(outcome.durationMs) ms")
        metrics.execFinished(after: .milliseconds(outcome.durationMs), ending: outcome.ending.rawValue)
    }
}
