import ArgumentParser
import CPTY
import Foundation
import VibeClient
import VibeProtocol

/// `vibe attach ID`: the local terminal in raw mode, passed through to a remote PTY (like ssh).
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Attach this terminal to a session's terminal (raw passthrough; detach with Ctrl-]).",
        discussion: """
            The remote shell keeps running after you detach; attach again to resume where you left off. \
            Window size follows SIGWINCH. If the connection drops, one notice is shown, typing is kept and \
            sent after the reconnect, and no output is lost (unless the shell itself was restarted meanwhile: then \
            the typing is dropped and a notice says so). Reconnects forever unless --reconnect-for is given; then \
            exits 7 with the last error.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @Argument(help: "Session id or folder (default: the current folder's session).") var id: String?
    @Option(help: "Terminal name.") var term = Identifier.defaultTerminal
    @Option(help: "Detach key, as ^X (default ^], 'none' to disable).") var detachKey = "^]"

    func run() async throws {
        let detachByte = try DetachKey.parse(detachKey)
        try await reporting {
            let code = try await Connection.with(global) { c -> Int32 in
                let client = try c.client.reconnecting(reconnect, default: nil)
                let target: SessionTarget
                if let id {
                    target = try await SessionTarget.resolve(id, api: c.client.api)
                } else {
                    target = try SessionTarget.folder(FileManager.default.currentDirectoryPath)
                }
                try await SessionOpener.ensureReady(c, target)
                return try await AttachSession(client: client, session: target.id, term: term, detachByte: detachByte).run()
            }
            if code != 0 { throw ArgumentParser.ExitCode(code) }
        }
    }
}

/// Parses `^X` notation into a control byte.
enum DetachKey {
    static func parse(_ text: String) throws -> UInt8? {
        if text == "none" { return nil }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 2, scalars[0] == "^", scalars[1].isASCII else {
            throw ValidationError("detach key must look like ^] or ^X, or be 'none'")
        }
        let c = UInt8(scalars[1].value)
        return c == UInt8(ascii: "?") ? 0x7F : (c & 0x1F)
    }
}

/// How an attach ended.
enum AttachEnd: Sendable {
    case exited(Int32)
    case detached
    case closed(String)
}

/// Runs one attach: raw mode, input thread, output stream, SIGWINCH, notices; restores on every path.
struct AttachSession {
    let client: VibeClient
    let session: String
    let term: String
    let detachByte: UInt8?

    func run() async throws -> Int32 {
        let interactive = isatty(0) == 1
        let (rows, cols) = TerminalSize.ofStandardOutput()
        let channel = await client.terminal(session, term: term, cols: cols, rows: rows)
        let (ends, endSink) = AsyncStream<AttachEnd>.makeStream()
        if interactive {
            _ = cpty_guard_terminal(0, nil)
            var saved = termios()
            _ = cpty_make_raw(0, &saved)
        }
        defer { if interactive { cpty_release_terminal() } }

        let output = Task {
            for await event in channel.events() {
                switch event {
                case .output(let bytes): StandardOutput.write(bytes)
                case .reset: StandardOutput.write(Array("\u{1b}c".utf8))
                case .shellReplaced(let dropped):
                    StandardOutput.write(Array("\u{1b}c".utf8))
                    StandardOutput.notice(TerminalChannelEvent.shellReplacedNotice(droppedInputBytes: dropped))
                case .attached: continue
                case .exit(let code):
                    endSink.yield(.exited(code))
                    return
                case .error(let code, let message):
                    StandardOutput.notice("server: \(code.rawValue): \(message)")
                }
            }
        }
        let notices = Task {
            for await event in channel.connectionEvents() {
                switch event {
                case .outageStarted(let reason): StandardOutput.notice("connection lost (\(reason)); reconnecting…")
                case .outageEnded(let recovered, _):
                    if recovered { StandardOutput.notice("reconnected") }
                case .state(.closed(let reason)):
                    if case .closed(code: CloseCode.normal, _, _) = reason { continue }
                    endSink.yield(.closed("\(reason)"))
                default: continue
                }
            }
        }
        let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        signal(SIGWINCH, SIG_IGN)
        resize.setEventHandler {
            let (r, c) = TerminalSize.ofStandardOutput()
            Task { try? await channel.resize(cols: c, rows: r) }
        }
        resize.resume()
        InputPump.start(detachByte: detachByte) { bytes in
            Task { try? await channel.send(bytes) }
        } onDetach: {
            endSink.yield(.detached)
        } onEOF: {
            if !interactive { endSink.yield(.detached) }
        }

        var iterator = ends.makeAsyncIterator()
        let end = await iterator.next() ?? .detached
        resize.cancel()
        output.cancel()
        notices.cancel()
        await channel.close()
        if interactive { cpty_release_terminal() }
        switch end {
        case .exited(let code): return code
        case .detached:
            Output.error("\r\nvibe: detached from \(session) (\(term)); `vibe attach \(session)` resumes")
            return 0
        case .closed(let reason):
            throw CLIError(message: "vibe: connection closed: \(reason)", exitCode: VibeExit.unreachable)
        }
    }
}

/// Reads stdin on its own thread (blocking reads never occupy the async pool).
enum InputPump {
    static func start(
        detachByte: UInt8?, onInput: @escaping @Sendable ([UInt8]) -> Void, onDetach: @escaping @Sendable () -> Void,
        onEOF: @escaping @Sendable () -> Void
    ) {
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    onEOF()
                    return
                }
                var chunk = Array(buffer[0..<n])
                if let d = detachByte, let at = chunk.firstIndex(of: d) {
                    chunk = Array(chunk[..<at])
                    if !chunk.isEmpty { onInput(chunk) }
                    onDetach()
                    return
                }
                onInput(chunk)
            }
        }
        thread.start()
    }
}

/// Direct writes to fd 1 (no buffering between the remote PTY and the screen).
enum StandardOutput {
    static func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += n
        }
    }

    /// A one-line notice from vibe itself, on its own line.
    static func notice(_ text: String) {
        write(Array("\r\n\u{1b}[7m[vibe] \(text)\u{1b}[0m\r\n".utf8))
    }
}

extension TerminalSize {
    /// The size of the terminal on stdout (80×24 when it is not a terminal).
    static func ofStandardOutput() -> (rows: Int, cols: Int) {
        var r: UInt16 = 0
        var c: UInt16 = 0
        if cpty_get_winsize(1, &r, &c) == 0, r > 0, c > 0 { return (Int(r), Int(c)) }
        return (24, 80)
    }
}
