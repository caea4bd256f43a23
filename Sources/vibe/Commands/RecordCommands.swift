import ArgumentParser
import Foundation
import TerminalEmulator
import VibeClient
import VibeProtocol
import VibeScript

/// `vibe record ID -o FILE.cast`: a session terminal's output as an asciicast v2 recording.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a session terminal's output as asciicast v2 (asciinema's format) until the shell exits.",
        discussion: """
            Records from now on, or with --since-offset N from output offset N (0: everything the server's ring \
            still holds; that part is written at time 0). Ends when the shell exits, after --duration, or on \
            Ctrl-C / SIGTERM; every event is written as it comes, so the file is complete whenever it ends. The \
            recorder is an observer: it never resizes the terminal.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var reconnect: ReconnectOptions
    @Argument(help: "Session id.") var id: String
    @Option(help: "Terminal name.") var term = Identifier.defaultTerminal
    @Option(name: .shortAndLong, help: "The .cast file to write (- for stdout).") var output: String
    @Option(help: "Record from this output offset (0: all the ring holds) instead of from now.") var sinceOffset: UInt64?
    @Option(help: "Stop after this many seconds.") var duration: Double?

    func run() async throws {
        try await reporting {
            let limit = try duration.map { try Seconds.duration($0, "--duration") }
            let sink = try CastSink(path: output)
            try await Connection.with(global) { c in
                let client = try c.client.reconnecting(reconnect, default: .seconds(60))
                try await SessionOpener.ensureReady(c, id)
                let channel = await ChannelRegistry().terminal(
                    api: client.api, session: id, term: term, size: nil, options: client.channelOptions)
                let recorder = Task { try await record(channel, into: sink) }
                let stop = StopSignals.install { recorder.cancel() }
                defer { for source in stop { source.cancel() } }
                if let limit {
                    Task {
                        try? await Task.sleep(for: limit)
                        recorder.cancel()
                    }
                }
                let result = await recorder.result
                await channel.close()
                sink.finish()
                try result.get()
            }
        }
    }

    private func record(_ channel: TerminalChannel, into sink: CastSink) async throws {
        var chunker = UTF8Chunker()
        var start: ContinuousClock.Instant?
        /// Output before this offset is not recorded; before `live`, it is the ring's replay (time 0).
        var from = sinceOffset
        var live: UInt64 = 0
        var offset: UInt64 = 0
        let states = channel.connectionEvents()
        let closed = Task { () -> String? in
            for await event in states {
                if case .state(.closed(let reason)) = event { return reason == .closedByClient ? nil : "\(reason)" }
            }
            return nil
        }
        defer { closed.cancel() }
        var exited = false
        events: for await event in channel.events() {
            if Task.isCancelled { break }
            switch event {
            case .attached(let attached):
                if start != nil, attached.offset < offset {
                    // Offsets going back mean a new shell: its output is recorded from its start, stamped as it
                    // arrives (it is not the first attach's replay).
                    from = attached.offset
                    live = attached.offset
                }
                offset = attached.offset
                let end = attached.end ?? attached.offset
                if start == nil {
                    start = .now
                    live = end
                    if from == nil { from = end }
                    sink.write(Asciicast.line(Asciicast.Header(
                        width: attached.cols, height: attached.rows, timestamp: Int(Date().timeIntervalSince1970),
                        env: ["TERM": "xterm-256color"], title: "vibe \(id) \(term)")))
                }
            case .output(let bytes):
                defer { offset += UInt64(bytes.count) }
                let skip = Int(min(UInt64(bytes.count), (from ?? 0) > offset ? (from ?? 0) - offset : 0))
                guard skip < bytes.count, let start else { continue }
                let text = chunker.text(Array(bytes[skip...]))
                guard !text.isEmpty else { continue }
                let time = offset < live ? 0 : (ContinuousClock.now - start).seconds
                sink.write(Asciicast.line(Asciicast.Event(time: time, kind: "o", data: text)))
            case .exit:
                exited = true
                break events
            case .reset, .shellReplaced, .error:
                continue
            }
        }
        // A character held back at the very end is written however the recording ends.
        let rest = chunker.flush()
        if !rest.isEmpty, let start {
            sink.write(Asciicast.line(Asciicast.Event(time: (ContinuousClock.now - start).seconds, kind: "o", data: rest)))
        }
        if exited { return }
        if !Task.isCancelled, let reason = await closed.value {
            throw CLIError(message: "vibe: record: the connection closed: \(reason)", exitCode: VibeExit.unreachable)
        }
    }
}

/// `vibe play FILE.cast`: plays a recording in this terminal, or prints its final screen.
struct PlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play an asciicast v2 recording in this terminal, or print the screen it ends with (--screen).")
    @Argument(help: "The .cast file.") var file: String
    @Option(help: "Playback speed factor.") var speed: Double = 1
    @Option(help: "Longest pause, in seconds, however long the recording paused.") var idleLimit: Double?
    @Flag(help: "Do not play: render the recording with vibe's emulator and print its final screen.") var screen = false
    @Option(help: "With --screen: text, dump or json.") var format: CaptureFormat = .text

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError(message: "vibe: cannot read \(file)", exitCode: VibeExit.notFound)
        }
        let (header, events): (Asciicast.Header, [Asciicast.Event])
        switch Asciicast.parse(String(decoding: data, as: UTF8.self)) {
        case .success(let parsed): (header, events) = parsed
        case .failure(let error): throw CLIError(message: "vibe: \(file): \(error)", exitCode: VibeExit.usage)
        }
        let outputs = events.filter { $0.kind == "o" }
        if screen {
            let terminal = Terminal(cols: max(1, min(1000, header.width)), rows: max(1, min(1000, header.height)))
            for event in outputs { terminal.feed(event.data) }
            print(terminal.render(format))
            return
        }
        guard speed.isFinite, speed > 0 else { throw CLIError(message: "vibe: --speed must be above 0", exitCode: VibeExit.usage) }
        let idle = try idleLimit.map { try Seconds.duration($0, "--idle-limit") }
        var last = 0.0
        for event in outputs {
            var pause = Duration.milliseconds(Int64(min(max(0, event.time - last) / speed, 86_400) * 1000))
            if let idle { pause = min(pause, idle) }
            last = event.time
            if pause > .zero { try await Task.sleep(for: pause) }
            FileHandle.standardOutput.write(Data(event.data.utf8))
        }
    }
}

/// Where `vibe record` writes: a file or stdout, line by line.
final class CastSink: Sendable {
    private let handle: FileHandle

    init(path: String) throws {
        if path == "-" {
            handle = .standardOutput
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
        else { throw CLIError(message: "vibe: cannot write \(path)", exitCode: VibeExit.usage) }
        self.handle = handle
    }

    func write(_ line: String) { handle.write(Data(line.utf8)) }

    func finish() { try? handle.synchronize() }
}

/// Ctrl-C and SIGTERM end a recording cleanly instead of killing the process.
enum StopSignals {
    /// Calls `stop` on SIGINT or SIGTERM until the returned sources are cancelled.
    static func install(_ stop: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
