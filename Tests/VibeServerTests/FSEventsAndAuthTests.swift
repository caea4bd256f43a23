import Foundation
import JWTKit
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// Collects fs-events messages.
actor FSCollector {
    private(set) var snapshots: [FileTree] = []
    private(set) var events: [FSEvent] = []
    /// The client's view of the tree: the last snapshot with every later event applied.
    private(set) var paths: Set<String> = []
    private var task: Task<Void, Never>?

    func start(_ channel: FSEventsChannel) {
        let stream = channel.events()
        task = Task {
            for await m in stream {
                switch m {
                case .snapshot(let t):
                    self.snapshots.append(t)
                    self.replace(t)
                case .event(let e):
                    self.events.append(e)
                    self.apply(e)
                }
            }
        }
    }

    func stop() { task?.cancel() }

    private func replace(_ tree: FileTree) {
        var all: Set<String> = []
        func walk(_ node: FileNode) {
            if !node.path.isEmpty { all.insert(node.path) }
            node.children?.forEach(walk)
        }
        walk(tree.root)
        paths = all
    }

    private func apply(_ event: FSEvent) {
        func remove(_ path: String) { paths = paths.filter { $0 != path && !$0.hasPrefix(path + "/") } }
        switch event.kind {
        case .created, .modified: paths.insert(event.path)
        case .deleted: remove(event.path)
        case .renamed:
            paths.insert(event.path)
            guard let old = event.oldPath else { return }
            let moved = paths.filter { $0.hasPrefix(old + "/") }
            remove(old)
            for p in moved { paths.insert(event.path + p.dropFirst(old.count)) }
        }
    }
}

@Suite("File events and auth")
struct FSEventsAndAuthTests {
    @Test func fileCreatedByExecArrivesAsEvent() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let channel = await server.client.fsEvents(id)
            let fs = FSCollector()
            await fs.start(channel)
            #expect(await eventually { await fs.snapshots.count == 1 })
            _ = try await server.client.api.exec(id, command: "mkdir -p deep/er && echo x > deep/er/new.txt")
            #expect(await eventually { await fs.events.contains { $0.path == "deep/er/new.txt" && $0.kind == .created } })
            _ = try await server.client.api.exec(id, command: "mv deep/er/new.txt deep/moved.txt")
            #expect(
                await eventually {
                    await fs.events.contains { $0.kind == .renamed && $0.path == "deep/moved.txt" && $0.oldPath == "deep/er/new.txt" }
                })
            await channel.close()
            await fs.stop()
        }
    }

    @Test func aBurstBecomesOneSnapshotNotThousandsOfEvents() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let channel = await server.client.fsEvents(id)
            let fs = FSCollector()
            await fs.start(channel)
            #expect(await eventually { await fs.snapshots.count == 1 })
            _ = try await server.client.api.exec(id, command: "mkdir burst && cd burst && seq 1 10000 | xargs touch")
            // A generous bound: right after the docker suite the engine may still be tearing volumes down.
            // The client's tree (last snapshot plus the events after it) converges on the directory.
            #expect(await eventually(attempts: 1200) { await fs.paths.filter { $0.hasPrefix("burst/") }.count == 10_000 })
            // Coalesced: far fewer events than files (how few depends on how fast the files came).
            #expect(await fs.events.count < 10_000)
            await channel.close()
            await fs.stop()
        }
    }

    @Test func tokensAreRequiredAndOnlyTheOwnerIsServed() async throws {
        let secret = String(repeating: "k", count: 40)
        try await withServer(secret: secret, owner: "alice") { server in
            let alice = server.client(token: try await Authenticator.sign(subject: "alice", secret: secret))
            let bob = server.client(token: try await Authenticator.sign(subject: "bob", secret: secret))
            // No token: 401 on HTTP.
            let r = try await server.raw("GET", Routes.sessions)
            #expect(r.status == 401)
            #expect(r.body.contains("UNAUTHORIZED"))
            // healthz stays open.
            #expect(try await server.raw("GET", "/healthz").status == 200)
            _ = try await alice.api.create(id: "owned")
            _ = try await alice.waitReady("owned")
            await #expect {
                _ = try await bob.api.status("owned")
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .forbidden }
            await #expect {
                _ = try await bob.api.list()
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .forbidden }
            // Sockets: no token → 4401, other subject → 4403, both final.
            let anonymousClose = try await server.rawSocketClose(Routes.terminal("owned"))
            #expect(anonymousClose.code == 4401)
            #expect(anonymousClose.reason?.contains("\"UNAUTHORIZED\"") == true)
            let badToken = try await server.rawSocketClose(Routes.fsEvents("owned") + "?token=forged")
            #expect(badToken.code == 4401)
            let t2 = await bob.terminal("owned")
            #expect(await eventually { if case .closed(.closed(code: 4403, _, _)) = t2.state { true } else { false } })
            let t3 = await alice.terminal("owned")
            #expect(await eventually { t3.state == .connected })
            await t3.close()
        }
    }

    @Test func aTokenWithAnEmptySubjectIsRefused() async throws {
        let secret = String(repeating: "k", count: 40)
        await #expect(throws: APIError.self) { _ = try await Authenticator.sign(subject: " ", secret: secret) }
        // Signed by hand, as another tool might: the server still refuses it.
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        let empty = try await keys.sign(VibeClaims(subject: ""))
        try await withServer(secret: secret, owner: "alice") { server in
            await #expect {
                _ = try await server.client(token: empty).api.list()
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .unauthorized }
            let fine = try await Authenticator.sign(subject: "alice", secret: secret)
            #expect(try await server.client(token: fine).api.list().isEmpty)
        }
    }

    @Test func unknownSessionSocketClosesWith4404() async throws {
        try await withServer { server in
            let t = await server.client.terminal("ghost")
            #expect(await eventually { if case .closed(.closed(code: 4404, let code, _)) = t.state { code == .sessionNotFound } else { false } })
        }
    }
}
