import ArgumentParser
import CPTY
import Foundation
import TerminalEmulator

/// `vibe emulate -- CMD…`: runs a program on a local PTY whose terminal is our engine.
struct EmulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Run a command on a local PTY with the built-in emulator as its terminal; print the final screen.",
        discussion: """
            The engine's replies (DA, CPR, DECRQSS, DECRQCRA, …) are written back to the program's input, so \
            conformance suites that query the terminal (esctest, vttest) can run against it. Standard input is \
            forwarded to the program (pipe keystrokes in to drive interactive suites). When the program exits \
            (or --timeout passes) the screen is printed in the dump or text format of `vibe render`.
            """)

    @Option(help: "Number of columns.") var cols = 80
    @Option(help: "Number of rows.") var rows = 24
    @Option(help: "Output format: dump or text.") var format: RenderCommand.Format = .dump
    @Option(help: "Kill the command after this many seconds.") var timeout: Double = 60
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).") var command: [String]

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the command after --") }
        guard (1...1000).contains(cols), (1...1000).contains(rows) else {
            throw ValidationError("--cols and --rows must be between 1 and 1000")
        }
    }

    func run() throws {
        let argv = command.first == "--" ? Array(command.dropFirst()) : command
        guard let program = argv.first else { throw ValidationError("give the command after --") }
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["COLUMNS"] = String(cols)
        env["LINES"] = String(rows)
        let envStrings = env.map { "\($0.key)=\($0.value)" }
        var master: Int32 = -1
        let pid = cStringArray(argv) { a in
            cStringArray(envStrings) { e in
                cpty_spawn(program, a, e, FileManager.default.currentDirectoryPath, &master, UInt16(rows), UInt16(cols), 0)
            }
        }
        guard pid > 0 else {
            throw CLIError(message: "emulate: cannot start \(program)", exitCode: VibeExit.failure)
        }
        forwardStandardInput(to: master)
        let terminal = Terminal(cols: cols, rows: rows)
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) >= 0 || errno == EINTR else { break }
            if p.revents == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            buffer.withUnsafeBytes { terminal.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            let replies = terminal.takeReplies()
            if !replies.isEmpty { _ = replies.withUnsafeBytes { write(master, $0.baseAddress, $0.count) } }
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
        if format == .dump { print(ScreenDump.dump(terminal), terminator: "") } else { print(ScreenDump.text(terminal)) }
    }

    private func forwardStandardInput(to master: Int32) {
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                _ = buffer.withUnsafeBytes { write(master, $0.baseAddress, n) }
            }
        }
        thread.start()
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func cStringArray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { fatalError("empty pointer array") }
        return body(base)
    }
}
