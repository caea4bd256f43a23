import Foundation
import Testing
import VibeClient
import VibeProtocol

@Suite("Session lifecycle")
struct SessionLifecycleTests {
    @Test func createThenWaitReadyThenListAndDelete() async throws {
        try await withServer { server in
            let created = try await server.client.api.create(id: "life1")
            #expect(created.id == "life1")
            #expect([SessionState.creating, .ready].contains(created.state))
            let ready = try await server.client.waitReady("life1", timeout: .seconds(20))
            #expect(ready.ready)
            #expect(ready.state == .ready)
            #expect(ready.steps.map(\.name) == ["workspace", "probe"])
            #expect(try await server.client.api.list().map(\.id).contains("life1"))
            _ = try await server.client.api.delete("life1")
            await #expect {
                _ = try await server.client.api.status("life1")
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .sessionNotFound }
        }
    }

    @Test func concurrentAndRepeatedCreatesOfOneIDRunOnce() async throws {
        try await withServer { server in
            let statuses = try await withThrowingTaskGroup(of: SessionStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await server.client.api.create(id: "same") } }
                var all: [SessionStatus] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(Set(statuses.map(\.createdAt)).count == 1)
            _ = try await server.client.waitReady("same", timeout: .seconds(20))
            _ = try await server.client.api.create(id: "same")
            #expect(server.driver.starts("same") == 1)
            #expect(try await server.client.api.list().filter { $0.id == "same" }.count == 1)
        }
    }

    @Test func openCreatesUnknownAndResumesAfterRestart() async throws {
        try await withServer { server in
            let opened = try await server.client.api.open("fresh")
            #expect(opened.id == "fresh")
            _ = try await server.client.waitReady("fresh", timeout: .seconds(20))
            // The workspace folder vanishes under the server: open builds it again.
            let workspace = server.dataDir + "/sessions/fresh/workspace"
            try FileManager.default.removeItem(atPath: workspace)
            _ = try await server.client.api.open("fresh")
            _ = try await server.client.waitReady("fresh", timeout: .seconds(20))
            #expect(FileManager.default.fileExists(atPath: workspace))
            #expect(server.driver.starts("fresh") == 2)
        }
    }

    @Test func concurrentWaitersShareOnePollLoop() async throws {
        try await withServer { server in
            _ = try await server.client.api.create(id: "waiters")
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<5 { group.addTask { try await server.client.waitReady("waiters").ready } }
                var all: [Bool] = []
                for try await r in group { all.append(r) }
                return all
            }
            #expect(results == [true, true, true, true, true])
        }
    }
}
