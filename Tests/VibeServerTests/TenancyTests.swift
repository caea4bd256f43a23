import Foundation
import Logging
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// Tenants stay apart: a local server with auth serves its owner alone; a multi-tenant driver keeps each
/// session its creator's; the secret comes from a private file or the environment.
@Suite("Tenants stay apart")
struct TenancyTests {
    static let secret = String(repeating: "t", count: 40)

    @Test func anotherSubjectIsRefusedOnEveryRouteAndSocketOfAnOwnedServer() async throws {
        try await withServer(secret: Self.secret, owner: "alice") { server in
            let alice = server.client(token: try await Authenticator.sign(subject: "alice", secret: Self.secret))
            let bob = try await Authenticator.sign(subject: "bob", secret: Self.secret)
            _ = try await alice.api.create(id: "mine")
            _ = try await alice.waitReady("mine", timeout: .seconds(20))
            let routes: [(method: String, path: String, body: String?)] = [
                ("GET", Routes.sessions, nil), ("POST", Routes.sessions, #"{"id":"bobs"}"#),
                ("GET", Routes.session("mine"), nil), ("GET", Routes.sessionStatus + "?id=mine", nil),
                ("GET", Routes.session("nobody-has-it"), nil), ("POST", Routes.open("mine"), "{}"),
                ("POST", Routes.exec("mine"), #"{"command":"id"}"#), ("GET", Routes.fsTree("mine"), nil),
                ("GET", Routes.fsFile("mine") + "?path=x", nil), ("GET", Routes.layout("mine"), nil),
                ("PUT", Routes.layout("mine"), "{}"), ("GET", Routes.prefix + "/admin/new-sessions", nil),
                ("DELETE", Routes.session("mine"), nil),
            ]
            for route in routes {
                let r = try await server.raw(
                    route.method, route.path, body: route.body, headers: [("Authorization", "Bearer " + bob)])
                let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(r.body.utf8))
                #expect(r.status == 403, "\(route.method) \(route.path): \(r.status) \(r.body)")
                #expect(body?.error == .forbidden && body?.message.contains("one owner") == true, "\(r.body)")
            }
            // The token in the query is checked the same way.
            #expect(try await server.raw("GET", Routes.sessions + "?token=" + bob).status == 403)
            for path in [Routes.terminal("mine"), Routes.fsEvents("mine")] {
                let close = try await server.rawSocketClose(path + "?token=" + bob)
                let reason = try? JSONDecoder().decode(CloseReason.self, from: Data((close.reason ?? "").utf8))
                #expect(close.code == 4403, "\(path): \(String(describing: close))")
                #expect(reason?.error == .forbidden && reason?.message.contains("one owner") == true)
            }
            // Nothing bob tried reached the session: it is still there, and still alice's.
            let run = try await alice.api.exec("mine", command: "echo still-here")
            #expect(run.stdout == "still-here\n")
            #expect(try await alice.api.list().map(\.id) == ["mine"])
        }
    }

    @Test func configurationsThatMixTenantsAreRefused() async throws {
        let dir = NSTemporaryDirectory() + "vibe-tenancy-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var noOwner = ServerConfiguration(port: 0, dataDir: dir, authSecret: Self.secret)
        var ownerWithoutAuth = ServerConfiguration(port: 0, dataDir: dir)
        ownerWithoutAuth.owner = "alice"
        var otherAdmin = ServerConfiguration(port: 0, dataDir: dir, authSecret: Self.secret)
        otherAdmin.owner = "alice"
        otherAdmin.adminSubject = "ops"
        var blankOwner = ServerConfiguration(port: 0, dataDir: dir, authSecret: Self.secret)
        blankOwner.owner = " "
        for (config, words) in [
            (noOwner, "--owner"), (ownerWithoutAuth, "needs auth"), (otherAdmin, "--admin-subject ops"),
            (blankOwner, "empty"),
        ] {
            await #expect {
                _ = try await VibeServer(configuration: config, logger: logger)
            } throws: { error in
                guard let error = error as? APIError else { return false }
                return error.code == .invalidRequest && error.message.contains(words)
            }
        }
        // The same configuration with an owner (or the admin being the owner) starts.
        noOwner.owner = "alice"
        noOwner.adminSubject = "alice"
        _ = try await VibeServer(configuration: noOwner, logger: logger)
    }

    @Test func aMultiTenantDriverKeepsEachSessionItsCreators() async throws {
        let dir = NSTemporaryDirectory() + "vibe-tenancy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // The agent driver is the docker driver but the engine: no owner needed, many subjects served.
        let server = try await EmbeddedServer.start(
            configuration: ServerConfiguration(port: 0, dataDir: dir, authSecret: Self.secret),
            driver: AgentSocketDriver(dataDir: dir), logger: logger)
        func client(_ subject: String) async throws -> VibeClient {
            VibeClient(
                baseURL: server.baseURL, token: try await Authenticator.sign(subject: subject, secret: Self.secret),
                registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
        }
        do {
            let alice = try await client("alice")
            let bob = try await client("bob")
            _ = try await alice.api.create(id: "alices")
            _ = try await alice.waitReady("alices", timeout: .seconds(20))
            _ = try await bob.api.create(id: "bobs")
            await #expect {
                _ = try await bob.api.exec("alices", command: "true")
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .forbidden }
            #expect(try await bob.api.list().map(\.id) == ["bobs"])
            #expect(try await alice.api.list().map(\.id) == ["alices"])
            let t = await bob.terminal("alices")
            #expect(await eventually { if case .closed(.closed(code: 4403, _, _)) = t.state { true } else { false } })
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// The secret's sources: a private file read once, the environment taken out of the process.
@Suite("Auth secret sources")
struct AuthSecretTests {
    /// Writes `content` to a new file of `mode` and returns its path.
    func secretFile(_ content: String, mode: mode_t) throws -> String {
        let path = NSTemporaryDirectory() + "vibe-secret-" + UUID().uuidString
        try content.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    @Test func aPrivateFileIsReadWithoutItsLineBreak() throws {
        let path = try secretFile(String(repeating: "s", count: 32) + "\n", mode: 0o600)
        defer { unlink(path) }
        #expect(try AuthSecret.load(file: path) == String(repeating: "s", count: 32))
    }

    @Test(arguments: [
        (String(repeating: "s", count: 40), mode_t(0o640), "chmod 600"),
        (String(repeating: "s", count: 40), mode_t(0o604), "chmod 600"),
        (String(repeating: "s", count: 31) + "\n", mode_t(0o600), "at least 32"),
    ])
    func aFileOpenToOthersOrTooShortIsRefused(content: String, mode: mode_t, words: String) throws {
        let path = try secretFile(content, mode: mode)
        defer { unlink(path) }
        #expect { try AuthSecret.load(file: path) } throws: { ($0 as? APIError)?.message.contains(words) == true }
    }

    @Test func aMissingFileOrAFolderIsRefused() {
        #expect { try AuthSecret.load(file: "/nonexistent/vibe-secret") } throws: {
            ($0 as? APIError)?.message.contains("No such file") == true
        }
        #expect { try AuthSecret.load(file: "/") } throws: {
            ($0 as? APIError)?.message.contains("not a regular file") == true
        }
    }
}
