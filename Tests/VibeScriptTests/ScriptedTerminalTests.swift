import Foundation
import Logging
import Testing
import TerminalEmulator
import VibeClient
import VibeProtocol
import VibeScript
@testable import VibeServer

/// Scripted sessions against a real server and real programs (bash, python3).
@Suite("Scripted terminals")
struct ScriptedTerminalTests {
    @Test func sendToBashAndExpectTheOutput() async throws {
        try await withScriptServer { client, _ in
            let id = try await readySession(client)
            let shell = await ScriptedTerminal.attach(client, session: id, size: TerminalSize(rows: 24, cols: 80))
            try await shell.send(keys: ["echo HELLO-$((6*7))", "Enter"])
            let match = try await shell.expect(ScreenPattern(text: "HELLO-42"), timeout: .seconds(20))
            #expect(match.text == "HELLO-42" && match.col == 0)
            let cursor = await shell.cursor
            #expect(match.row.map { $0 < cursor.row } == true, "the output is above the next prompt")
            await shell.close()
        }
    }

    @Test func drivesThePythonREPL() async throws {
        try await withScriptServer { client, _ in
            let id = try await readySession(client)
            let shell = await ScriptedTerminal.attach(client, session: id, size: TerminalSize(rows: 24, cols: 80))
            try await shell.send(keys: ["python3 -q", "Enter"])
            try await shell.expect(ScreenPattern(text: ">>>"), in: .line, timeout: .seconds(20))
            try await shell.send(keys: ["2+2", "Enter"])
            let four = try await shell.expect(ScreenPattern(regex: "(?m)^4$"), in: .stream, timeout: .seconds(20))
            #expect(four.text == "4")
            try await shell.send(keys: ["C-d"])
            try await shell.send(keys: ["exit", "Enter"])
            #expect(try await shell.waitForExit(timeout: .seconds(20)) == 0)
            await shell.close()
        }
    }

    @Test func aTimeoutIsTypedAndCarriesTheScreen() async throws {
        try await withScriptServer { client, _ in
            let id = try await readySession(client)
            let shell = await ScriptedTerminal.attach(client, session: id, size: TerminalSize(rows: 24, cols: 80))
            try await shell.send(keys: ["echo ON-SCREEN", "Enter"])
            try await shell.expect(ScreenPattern(text: "ON-SCREEN\n"), timeout: .seconds(20))
            do {
                try await shell.expect(ScreenPattern(regex: "NEVER-[0-9]+"), timeout: .milliseconds(300))
                Issue.record("expect should have timed out")
            } catch let error as ScriptError {
                guard case .timedOut(let what, let screen) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(what == "/NEVER-[0-9]+/")
                #expect(screen.contains("ON-SCREEN"))
            }
            #expect(throws: ScriptError.self) { try ScreenPattern(regex: "(unclosed") }
            await shell.close()
        }
    }

    @Test func captureShowsColoursAndAnObserverSeesTheSameScreen() async throws {
        try await withScriptServer { client, _ in
            let id = try await readySession(client)
            let shell = await ScriptedTerminal.attach(client, session: id, size: TerminalSize(rows: 10, cols: 40))
            try await shell.send(text: "clear; printf '\\033[1;31mRED\\033[0m plain\\n'\r")
            // The prompt after the line: the shell has drawn everything it will.
            try await shell.expect(ScreenPattern(regex: "(?m)RED plain\\n.*[#$]$"), timeout: .seconds(20))
            try await shell.waitForQuiet(.milliseconds(100), timeout: .seconds(20))
            let dump = await shell.capture(.dump)
            #expect(dump.hasPrefix("size 10x40\n"))
            let capture = await shell.snapshot()
            let red = capture.lines.flatMap { $0 }.first { $0.text == "RED" }
            #expect(red?.fg == "1" && red?.bold == true)
            // A second scripted client, an observer, attached later, renders the same screen from the replay.
            let observer = await ScriptedTerminal.attach(client, session: id)
            try await observer.caughtUp(timeout: .seconds(20))
            #expect(await observer.capture(.dump) == dump)
            await observer.close()
            await shell.close()
        }
    }

    @Test func expectKeepsWaitingAcrossAServerSideCut() async throws {
        try await withScriptServer { client, driver in
            let id = try await readySession(client)
            let shell = await ScriptedTerminal.attach(client, session: id, size: TerminalSize(rows: 24, cols: 80))
            try await shell.send(keys: ["echo READY", "Enter"])
            try await shell.expect(ScreenPattern(text: "READY\n"), timeout: .seconds(20))
            // The word appears only after the cut, from a command already running.
            try await shell.send(keys: ["sleep 1; echo AFTER-''CUT", "Enter"])
            driver.disconnectAllTerminals(code: CloseCode.internalError, reason: "cut by the test")
            let match = try await shell.expect(ScreenPattern(text: "AFTER-CUT"), timeout: .seconds(30))
            #expect(match.text == "AFTER-CUT")
            await shell.close()
        }
    }

    @Test func keyNamesFollowTheCursorKeyMode() {
        var modes = TerminalModes()
        #expect(KeyNames.bytes(["ls", "Enter"], literal: false, modes: modes) == Array("ls\r".utf8))
        #expect(KeyNames.bytes(["C-c", "Up", "F1"], literal: false, modes: modes) == [3] + Array("\u{1b}[A\u{1b}OP".utf8))
        modes.applicationCursorKeys = true
        #expect(KeyNames.bytes(["Up"], literal: false, modes: modes) == Array("\u{1b}OA".utf8))
        #expect(KeyNames.bytes(["Up", "Enter"], literal: true, modes: modes) == Array("UpEnter".utf8))
        #expect(KeyNames.bytes(["C-foo"], literal: false, modes: modes) == Array("C-foo".utf8))
    }
}

/// A real server (local driver, quiet bash) on a loopback port, and a client for it.
func withScriptServer(_ body: (VibeClient, LocalDriver) async throws -> Void) async throws {
    let dir = NSTemporaryDirectory() + "vibe-script-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let shell = ["/bin/bash", "--norc", "--noprofile"]
    let config = ServerConfiguration(host: "127.0.0.1", port: 0, dataDir: dir, shell: shell)
    let driver = LocalDriver(dataDir: dir, shell: shell)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = try await EmbeddedServer.start(configuration: config, driver: driver, logger: logger)
    let client = VibeClient(baseURL: server.baseURL, registry: ChannelRegistry(), readyWaiter: ReadyWaiter())
    do {
        try await body(client, driver)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

func readySession(_ client: VibeClient) async throws -> String {
    let id = "sc-" + UUID().uuidString.prefix(8).lowercased()
    _ = try await client.api.create(id: id)
    _ = try await client.waitReady(id, timeout: .seconds(20))
    return id
}
