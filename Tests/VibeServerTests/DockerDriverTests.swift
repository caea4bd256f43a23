import Foundation
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

@Suite("Docker driver", .enabled(if: DockerTests.enabled), .serialized)
struct DockerDriverTests {
    @Test func aSessionIsAContainerWithLimitsRunningAsDevInWorkspace() async throws {
        try await DockerTests.withServer { client, _, _ in
            let id = DockerTests.sessionID("basic")
            _ = try await client.api.create(id: id)
            let ready = try await client.waitReady(id, timeout: .seconds(60))
            #expect(ready.steps.map(\.name) == [
                "existing_container_check", "image_ensure", "volume_ensure", "container_create", "container_start",
                "ready_wait",
            ])
            #expect(try await client.api.exec(id, command: "pwd").stdout == "/workspace\n")
            #expect(try await client.api.exec(id, command: "id -un").stdout == "dev\n")
            // cgroup v1 on these machines, v2 elsewhere: read whichever exists.
            let cpu = try await client.api.exec(
                id, command: "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)")
            let quota = cpu.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            #expect(quota.count == 2 && quota[0] == quota[1], "1 CPU: quota equals period (\(cpu.stdout))")
            let memory = try await client.api.exec(
                id, command: "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes")
            #expect(memory.stdout == "1073741824\n")
            let failing = try await client.api.exec(id, command: "echo out; echo err >&2; exit 7")
            #expect(failing.exitCode == 7 && failing.stdout == "out\n" && failing.stderr == "err\n")
            #expect(try await DockerTests.containers(id).count == 1)
        }
    }

    @Test func filesGoBothWaysAreEventsAndStayConfined() async throws {
        try await DockerTests.withServer { client, _, _ in
            let id = DockerTests.sessionID("files")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            let fs = FSCollector()
            let channel = await client.fsEvents(id)
            await fs.start(channel)
            #expect(await eventually { await fs.snapshots.count == 1 })
            try await client.api.writeFile(id, path: "src/api.txt", text: "written by the api")
            #expect(try await client.api.exec(id, command: "cat src/api.txt").stdout == "written by the api")
            _ = try await client.api.exec(id, command: "echo from-cat > shell.txt; ln -s /etc/passwd escape")
            #expect(try await client.api.readFile(id, path: "shell.txt").content == "from-cat\n")
            #expect(await eventually { await fs.events.contains { $0.path == "shell.txt" } })
            for bad in ["../etc/passwd", "escape", "/etc/passwd"] {
                await #expect {
                    _ = try await client.api.readFile(id, path: bad)
                } throws: { ($0 as? VibeClientError)?.serverError?.code == .pathOutsideWorkspace }
            }
            await channel.close()
            await fs.stop()
        }
    }

    @Test func fileToolsWorkThroughTheAgent() async throws {
        try await DockerTests.withServer { client, _, _ in
            let id = DockerTests.sessionID("tools")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            let api = client.api
            try await api.writeFile(id, path: "src/main.c", text: "int a;\nint a;\nint b;\n")
            _ = try await api.exec(id, command: "mkdir -p .git && echo 'int a;' > .git/x.c && ln -s /etc/passwd src/out")
            #expect(try await api.listFolder(id, path: "src").entries.map(\.name) == ["main.c", "out"])
            #expect(try await api.glob(id, GlobQuery(pattern: "*.c")).paths == ["src/main.c"])
            let found = try await api.grep(id, GrepQuery(pattern: "int a"))
            #expect(found.matches.map { "\($0.path):\($0.line)" } == ["src/main.c:1", "src/main.c:2"])
            // The typed edit error keeps its count across the agent link.
            do {
                _ = try await api.editFile(id, EditFileRequest(path: "src/main.c", old: "int a;", new: "x"))
                Issue.record("an ambiguous edit succeeded")
            } catch {
                let server = (error as? VibeClientError)?.serverError
                #expect(server?.code == .editAmbiguous && server?.occurrences == 2)
            }
            let edited = try await api.editFile(id, EditFileRequest(path: "src/main.c", old: "int b;", new: "long b;"))
            #expect(edited.diff.contains("-int b;\n+long b;\n"))
            #expect(try await api.exec(id, command: "cat src/main.c; stat -c %U src/main.c").stdout == "int a;\nint a;\nlong b;\ndev\n")
            _ = try await api.movePath(id, from: "src/main.c", to: "lib/main.c")
            #expect(try await api.deletePath(id, path: "src", recursive: true).deleted == 2)
            #expect(try await api.exec(id, command: "ls -A; ls lib; test -e /etc/passwd && echo kept").stdout == ".git\nlib\nmain.c\nkept\n")
        }
    }

    @Test func statusAndLogsComeFromTheContainer() async throws {
        try await DockerTests.withServer { client, _, _ in
            let id = DockerTests.sessionID("streams")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            let channel = await client.status(id)
            let usage = MessageLog<EnvStatus>()
            let reader = Task {
                for await message in channel.messages() { if case .env(let env) = message { await usage.add(env) } }
            }
            #expect(await eventually(attempts: 400) { await usage.all.count >= 1 })
            let env = try #require(await usage.all.first)
            #expect(env.memoryLimitBytes == 1 << 30, "the container's cgroup limit")
            #expect(env.pids >= 1 && env.memoryBytes > 0)
            reader.cancel()
            await channel.close()
            var lines: [LogEntry] = []
            for try await line in client.api.logs(id, tail: 50, follow: false, stream: .stderr) { lines.append(line) }
            #expect(lines.contains { $0.line.hasPrefix("vibe agent: serving /workspace") }, "\(lines)")
            #expect(lines.allSatisfy { $0.stream == .stderr })
        }
    }

    @Test func theTerminalEchoesResizesAndResumesAfterTheLinkIsCut() async throws {
        try await DockerTests.withServer { client, server, _ in
            let id = DockerTests.sessionID("term")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            let term = await client.terminal(id, cols: 80, rows: 24)
            let out = OutputCollector()
            await out.start(term)
            try await term.sendText("stty size\r")
            #expect(await eventually { await out.text.contains("24 80") })
            try await term.resize(cols: 100, rows: 30)
            try await term.sendText("stty size\r")
            #expect(await eventually { await out.text.contains("30 100") })
            let count = 3000
            try await term.sendText("echo BEGIN-RUN; for i in $(seq 1 \(count)); do echo L$i; done; echo END-OF-RUN\r")
            // Cut the link to the agent twice while the output flows: the agent keeps the shell and its ring.
            let ws = try await server.server.registry.workspace(id: id, owner: nil)
            for _ in 0..<2 {
                try await Task.sleep(for: .milliseconds(80))
                await ws.stop(closeCode: CloseCode.goingAway, reason: "test cut")
            }
            #expect(await eventually(attempts: 600) { await out.text.contains("\nEND-OF-RUN\r\n") })
            #expect(try await ResumeCheck.linesExactlyOnce(await out.text, count: count))
            await out.stop()
            await term.close()
        }
    }

    @Test func aMissingImageIsImageUnavailableAtOnce() async throws {
        try await DockerTests.withServer(settings: DockerSettings(image: "vibe-no-such-image:none")) { client, _, _ in
            let id = DockerTests.sessionID("noimg")
            _ = try await client.api.create(id: id)
            await #expect {
                _ = try await client.waitReady(id, timeout: .seconds(60))
            } throws: { error in
                (error as? VibeClientError)?.code == ErrorCode.imageUnavailable.rawValue
                    || "\(error)".contains("IMAGE_UNAVAILABLE")
            }
            let status = try await client.api.status(id)
            #expect(status.state == .failed && status.error == .imageUnavailable)
            #expect(status.message?.contains("deploy/image/build.sh") == true)
        }
    }

    @Test func deleteLeavesNoContainerAndNoVolume() async throws {
        try await DockerTests.withServer { client, _, _ in
            let id = DockerTests.sessionID("del")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            #expect(try await DockerTests.containers(id).count == 1)
            #expect(try await DockerTests.volumes(id).count == 1)
            _ = try await client.api.delete(id)
            #expect(try await DockerTests.containers(id).isEmpty)
            #expect(try await DockerTests.volumes(id).isEmpty)
        }
    }

    @Test func anIdleSessionIsSuspendedAndResumesWithItsFiles() async throws {
        try await DockerTests.withServer(idleSuspend: .seconds(1)) { client, _, _ in
            let id = DockerTests.sessionID("idle")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            try await client.api.writeFile(id, path: "kept.txt", text: "still here")
            #expect(await eventually(attempts: 300) { (try? await client.api.status(id).state) == .suspended })
            #expect(await eventually { (try? await DockerTests.containers(id).first?.State) == "exited" })
            // exec resumes it (start + probe), and the volume kept the file.
            #expect(try await client.api.exec(id, command: "cat kept.txt").stdout == "still here")
            #expect(try await client.api.status(id).state == .ready)
        }
    }

    @Test func aContainerRemovedBehindTheServersBackIsMadeAgainOnTheSameVolume() async throws {
        try await DockerTests.withServer { client, _, _ in
            let id = DockerTests.sessionID("gone")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            try await client.api.writeFile(id, path: "kept.txt", text: "on the volume")
            let engine = try DockerEngine.fromEnvironment()
            for container in try await DockerTests.containers(id) { try await engine.removeContainer(container.Id) }
            // The first use finds the container gone; the session starts again on its volume.
            #expect(await eventually(attempts: 300) {
                (try? await client.api.exec(id, command: "cat kept.txt").stdout) == "on the volume"
            })
            #expect(try await DockerTests.containers(id).count == 1)
        }
    }

    @Test func theKillSwitchRefusesNewSessionsOnly() async throws {
        try await DockerTests.withServer { client, server, _ in
            let id = DockerTests.sessionID("kill")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            let off = try await TestHTTP.put(server.baseURL + Routes.prefix + "/admin/new-sessions", #"{"enabled":false}"#)
            #expect(off.status == 200 && off.body.contains(#""enabled":false"#))
            await #expect {
                _ = try await client.api.create(id: DockerTests.sessionID("new"))
            } throws: { error in
                let e = (error as? VibeClientError)?.serverError
                return e?.code == .serviceDisabled && e?.status == 503
            }
            #expect(try await client.api.exec(id, command: "echo still-works").stdout == "still-works\n")
            await server.server.registry.setAcceptsNewSessions(true)
            _ = try await client.api.create(id: DockerTests.sessionID("after"))
        }
    }

    @Test func aServerKilledWithSIGKILLComesBackToTheSameShellWithEveryLineOnce() async throws {
        let dir = NSTemporaryDirectory() + "vibe-docker-kill-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["--driver", "docker", "--image", DockerTests.image, "--data-dir", dir]
        var server = try await ServerProcess(args + ["--port", "0"], logFile: dir + "/serve.out")
        let client = VibeClient(baseURL: server.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
        let id = DockerTests.sessionID("sigkill")
        _ = try await client.api.create(id: id)
        _ = try await client.waitReady(id, timeout: .seconds(60))
        let term = await client.terminal(id)
        let out = OutputCollector()
        await out.start(term)
        try await term.sendText("echo PID-$$\r")
        #expect(await eventually { await out.text.range(of: "PID-[0-9]+\r\n", options: .regularExpression) != nil })
        let pid = try #require(await out.text.components(separatedBy: "PID-").last?.prefix { $0.isNumber })
        let count = 400
        try await term.sendText("echo BEGIN-RUN; for i in $(seq 1 \(count)); do echo L$i; sleep 0.005; done; echo END-OF-RUN\r")
        #expect(await eventually { await out.text.contains("L20\r\n") })
        server.killHard()
        server = try await ServerProcess(args + ["--port", server.port], logFile: dir + "/serve2.out")
        #expect(await eventually(attempts: 800) { await out.text.contains("\nEND-OF-RUN\r\n") })
        #expect(try await ResumeCheck.linesExactlyOnce(await out.text, count: count))
        try await term.sendText("echo SAME-$$\r")
        #expect(await eventually { await out.text.contains("SAME-\(pid)") })
        await out.stop()
        await term.close()
        _ = try? await client.api.delete(id)
        server.stop()
    }
}
