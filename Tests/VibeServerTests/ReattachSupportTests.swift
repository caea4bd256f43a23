import Foundation
import Logging
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// What the user's own server adds for detach/reattach: layout documents, host folders, activity fields.
@Suite("Reattach support")
struct ReattachSupportTests {
    struct Doc: Codable, Equatable, Sendable {
        var windows: [String]
        var active: Int
    }

    @Test func layoutIsNullUntilStoredThenRoundTripsAndGoesWithTheSession() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            #expect(try await server.client.api.layout(id, as: Doc.self) == nil)
            let doc = Doc(windows: ["0", "build"], active: 1)
            let stored = try await server.client.api.storeLayout(id, doc)
            #expect(stored.size > 0)
            #expect(try await server.client.api.layout(id, as: Doc.self) == doc)
            let newer = Doc(windows: ["0"], active: 0)
            try await server.client.api.storeLayout(id, newer)
            #expect(try await server.client.api.layout(id, as: Doc.self) == newer)
            _ = try await server.client.api.delete(id)
            _ = try await server.client.api.create(id: id)
            #expect(try await server.client.api.layout(id, as: Doc.self) == nil)
        }
    }

    @Test func layoutRejectsNonObjectsOversizeAndUnknownSessions() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let path = Routes.layout(id)
            let array = try await server.raw("PUT", path, body: "[1,2]")
            #expect(array.status == 400 && array.body.contains("INVALID_REQUEST"))
            let junk = try await server.raw("PUT", path, body: "{not json")
            #expect(junk.status == 400)
            let big = try await server.raw("PUT", path, bodyBytes: SessionLayoutLimits.maxBytes + 1)
            #expect(big.status == 413 && big.body.contains("PAYLOAD_TOO_LARGE"))
            let missing = try await server.raw("GET", Routes.layout("nope"))
            #expect(missing.status == 404 && missing.body.contains("SESSION_NOT_FOUND"))
            let answer = try await server.raw("GET", path)
            #expect(answer.status == 200 && answer.body == #"{"ok":true,"layout":null}"#)
        }
    }

    @Test func layoutSurvivesAServerRestart() async throws {
        let first = try await TestServer.start()
        let id = try await first.readySession()
        try await first.client.api.storeLayout(id, Doc(windows: ["kept"], active: 0))
        await first.embedded.stop()
        let config = first.embedded.server.configuration
        let second = try await EmbeddedServer.start(configuration: config, logger: .init(label: "test"))
        let client = VibeClient(baseURL: second.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
        #expect(try await client.api.status(id).state == .suspended)
        #expect(try await client.api.layout(id, as: Doc.self) == Doc(windows: ["kept"], active: 0))
        await second.stop()
        try? FileManager.default.removeItem(atPath: first.dataDir)
    }

    @Test func anOrdinaryServerRefusesHostFolders() async throws {
        try await withServer { server in
            await #expect {
                _ = try await server.client.api.open("hf", folder: NSTemporaryDirectory())
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .forbidden }
        }
    }

    @Test func theUserServerOpensAHostFolderAsTheWorkspace() async throws {
        let folder = NSTemporaryDirectory() + "vibe-host-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await withServer(allowHostFolders: true) { server in
            await #expect {
                _ = try await server.client.api.open("rel", folder: "relative/path")
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .invalidRequest }
            _ = try await server.client.api.open("hf", folder: folder)
            let ready = try await server.client.waitReady("hf", timeout: .seconds(20))
            #expect(ready.workspace == folder)
            let pwd = try await server.client.api.exec("hf", command: "pwd -P")
            #expect(pwd.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == URL(fileURLWithPath: folder).resolvingSymlinksInPath().path)
            _ = try await server.client.api.delete("hf")
            #expect(FileManager.default.fileExists(atPath: folder), "deleting a folder session keeps the folder")
        }
    }

    @Test func statusCountsTerminalsClientsAndActivity() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let idle = try await server.client.api.status(id)
            #expect(idle.terminals == 0 && idle.clients == 0)
            #expect(idle.lastActivityAt == idle.createdAt)
            let term = await server.client.terminal(id, term: "t1")
            let collector = OutputCollector()
            await collector.start(term)
            try await term.sendText("echo act-$((6*7))\r")
            #expect(await eventually { await collector.text.contains("act-42") })
            #expect(await eventually { (try? await server.client.api.status(id).clients) == 1 })
            let busy = try await server.client.api.status(id)
            #expect(busy.terminals == 1)
            #expect((busy.lastActivityAt ?? "") > busy.createdAt)
            #expect(try await server.client.api.list().first { $0.id == id }?.terminals == 1)
            await collector.stop()
            await term.close()
            #expect(await eventually { (try? await server.client.api.status(id).clients) == 0 })
            #expect(try await server.client.api.status(id).terminals == 1, "the shell outlives its client")
        }
    }
}
