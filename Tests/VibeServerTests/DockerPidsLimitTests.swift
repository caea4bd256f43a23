import Foundation
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

/// The docker driver's process limit (`DockerSettings.pidsLimit`, the container's pids cgroup) is applied.
@Suite("Docker process limit", .enabled(if: DockerTests.enabled), .serialized)
struct DockerPidsLimitTests {
    @Test func aSessionContainerCannotExceedItsProcessLimit() async throws {
        try await DockerTests.withServer(settings: DockerSettings(image: DockerTests.image, pidsLimit: 40)) { client, _, _ in
            let id = DockerTests.sessionID("pids")
            _ = try await client.api.create(id: id)
            _ = try await client.waitReady(id, timeout: .seconds(60))
            // cgroup v1 on these machines, v2 elsewhere: read whichever exists.
            let max = try await client.api.exec(
                id, command: "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max")
            #expect(max.stdout == "40\n")
            // 100 background processes do not fit: the loop fails, and `kill 0` ends what it started.
            let loop = try await client.api.exec(
                id,
                command: "sh -c 'trap \"kill 0\" EXIT; n=0; while [ $n -lt 100 ]; do sleep 60 & n=$((n+1)); done; echo FORKED-$n'")
            #expect(!loop.stdout.contains("FORKED-100"), "\(loop.stdout) \(loop.stderr)")
            #expect(loop.stderr.contains("fork"), "\(loop.stderr)")
        }
    }
}
