import Foundation
import Testing
import VibeClient
import VibeProtocol

@Suite("Exec and files")
struct ExecAndFilesTests {
    @Test func execReportsExitCodesAndOutput() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let ok = try await server.client.api.exec(id, command: "echo out; echo err >&2")
            #expect(ok.exitCode == 0)
            #expect(ok.stdout == "out\n")
            #expect(ok.stderr == "err\n")
            let failing = try await server.client.api.exec(id, command: "exit 42")
            #expect(failing.exitCode == 42)
            let pwd = try await server.client.api.exec(id, command: "pwd -P")
            #expect(pwd.stdout.hasSuffix("/sessions/\(id)/workspace\n"))
        }
    }

    @Test func execTimeoutAndOutputCapAreTypedErrorsWithOutput() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            await #expect {
                _ = try await server.client.api.exec(id, command: "echo started; sleep 30", timeoutMs: 300)
            } throws: { error in
                let e = (error as? VibeClientError)?.serverError
                return e?.code == .execTimeout && e?.execOutput?.stdout == "started\n"
            }
            await #expect {
                _ = try await server.client.api.exec(id, command: "head -c 3000000 /dev/zero | tr '\\0' a")
            } throws: { error in
                let e = (error as? VibeClientError)?.serverError
                return e?.code == .outputLimitExceeded && e?.execOutput?.stdout.utf8.count == ExecRequest.outputCap
            }
        }
    }

    @Test func streamingExecDeliversLinesThenExit() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            var lines: [ExecStreamLine] = []
            for try await line in server.client.api.execStream(id, command: "echo one; echo two >&2; exit 3") {
                lines.append(line)
            }
            #expect(lines.last?.type == "exit")
            #expect(lines.last?.exitCode == 3)
            let out = lines.filter { $0.type == "stdout" }.compactMap(\.data).joined()
            let err = lines.filter { $0.type == "stderr" }.compactMap(\.data).joined()
            #expect(out == "one\n")
            #expect(err == "two\n")
        }
    }

    @Test func filesRoundTripAndTreeListsThem() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            _ = try await server.client.api.writeFile(id, path: "src/main.c", text: "int main(){}\n")
            _ = try await server.client.api.writeFile(id, path: "bin.dat", data: Data([0xFF, 0x00, 0xFE]))
            let text = try await server.client.api.readFile(id, path: "src/main.c")
            #expect(text.content == "int main(){}\n")
            #expect(text.encoding == .utf8)
            let binary = try await server.client.api.readFileData(id, path: "bin.dat")
            #expect(binary == Data([0xFF, 0x00, 0xFE]))
            let tree = try await server.client.api.tree(id)
            let names = tree.root.children?.map(\.name) ?? []
            #expect(names == ["src", "bin.dat"])  // folders first
            #expect(tree.root.children?.first?.children?.first?.path == "src/main.c")
        }
    }

    @Test func pathsOutsideTheWorkspaceAreRefused() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            _ = try await server.client.api.exec(id, command: "ln -s /etc escape && ln -s /etc/hostname leak")
            for path in ["../outside", "a/../../x", "/etc/passwd", "escape/passwd", "leak"] {
                await #expect {
                    _ = try await server.client.api.readFile(id, path: path)
                } throws: { ($0 as? VibeClientError)?.serverError?.code == .pathOutsideWorkspace }
            }
            await #expect {
                _ = try await server.client.api.writeFile(id, path: "escape/evil", text: "x")
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .pathOutsideWorkspace }
            #expect(!FileManager.default.fileExists(atPath: "/etc/evil"))
        }
    }

    @Test func notReadyAndUnknownSessionsAreRefused() async throws {
        try await withServer { server in
            await #expect {
                _ = try await server.client.api.exec("ghost", command: "true")
            } throws: { ($0 as? VibeClientError)?.serverError?.code == .sessionNotFound }
        }
    }
}
