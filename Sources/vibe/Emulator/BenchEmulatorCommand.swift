import ArgumentParser
import Foundation
import TerminalEmulator

/// `vibe bench emulator`: throughput of the built-in terminal emulator, in-process.
///
/// With --file, benchmarks the given byte streams (Benchmarks/emulator/run.sh passes the
/// same files to libvterm's vterm-bench). Without, generates the three standard workloads
/// in memory: scroll-heavy `ls -lR`-like text, dense colour cells (SGR change per cell),
/// CJK with combining marks.
///
/// Output: one line per workload, `name=… bytes=… seconds=… mbps=…` (MB = 10^6 bytes;
/// best of --iterations runs; bytes fed in 64 KiB chunks to a fresh terminal per run).
struct BenchEmulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Measure the terminal emulator's throughput (MB/s) on standard workloads or files.")

    @Option(name: .customLong("file"), help: "Byte stream to benchmark (repeatable); default: generated workloads.")
    var files: [String] = []
    @Option(help: "Size of each generated workload in MB (ignored with --file).") var sizeMb = 20
    @Option(help: "Runs per workload; the best is reported.") var iterations = 3
    @Option(help: "Terminal columns.") var cols = 80
    @Option(help: "Terminal rows.") var rows = 24
    @Option(help: "Scrollback lines kept by the terminal.") var scrollback = 10_000

    static let chunkSize = 64 * 1024

    func validate() throws {
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        guard (1...1024).contains(sizeMb) else { throw ValidationError("--size-mb must be between 1 and 1024") }
        guard (1...4096).contains(cols), (1...4096).contains(rows) else {
            throw ValidationError("--cols and --rows must be between 1 and 4096")
        }
        guard scrollback >= 0 else { throw ValidationError("--scrollback must not be negative") }
    }

    func run() throws {
        var workloads: [(name: String, bytes: [UInt8])] = []
        if files.isEmpty {
            let size = sizeMb * 1_000_000
            workloads = [
                ("scroll", EmulatorWorkloads.scrollText(bytes: size)),
                ("colour", EmulatorWorkloads.denseColour(bytes: size)),
                ("cjk", EmulatorWorkloads.cjkCombining(bytes: size)),
            ]
        } else {
            for path in files {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError(message: "bench emulator: cannot read \(path)", exitCode: VibeExit.notFound)
                }
                workloads.append((path, [UInt8](data)))
            }
        }
        for workload in workloads {
            let seconds = measure(workload.bytes)
            let mbps = Double(workload.bytes.count) / 1_000_000 / seconds
            print("name=\(workload.name) bytes=\(workload.bytes.count) seconds=\(format(seconds, 4)) mbps=\(format(mbps, 1))")
        }
    }

    /// Best wall time (seconds) of feeding `bytes` to a fresh terminal in 64 KiB chunks.
    private func measure(_ bytes: [UInt8]) -> Double {
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let terminal = Terminal(cols: cols, rows: rows, scrollbackLimit: scrollback)
            let elapsed = bytes.withUnsafeBytes { all in
                clock.measure {
                    var offset = 0
                    while offset < all.count {
                        let end = min(offset + Self.chunkSize, all.count)
                        terminal.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                        offset = end
                    }
                }
            }
            // Keep replies from accumulating across runs (they are bounded anyway).
            _ = terminal.takeReplies()
            let c = elapsed.components
            best = min(best, Double(c.seconds) + Double(c.attoseconds) / 1e18)
        }
        return max(best, 1e-9)
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

/// Deterministic generators of the three emulator workloads (same shapes as
/// Benchmarks/emulator/gen-workloads.py; not byte-identical to it).
enum EmulatorWorkloads {
    /// A small deterministic PRNG (xorshift64*), so runs are comparable.
    struct Rng {
        var state: UInt64
        init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// `ls -lR`-like lines ending in CRLF, with a coloured name now and then: mostly scrolling.
    static func scrollText(bytes: Int) -> [UInt8] {
        var rng = Rng(seed: 1)
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 256)
        let names = ["README.md", "main.swift", "Package.swift", "libfoo.so.1", "index.html", "build", "src",
                     "test_parser.py", "photo-2024.jpg", "notes.txt", "Makefile", "config.yaml"]
        var dir = 0
        while out.count < bytes {
            if rng.below(40) == 0 {
                dir += 1
                out += Array("\r\n./src/module\(dir)/sub:\r\ntotal \(rng.below(900))\r\n".utf8)
            }
            let isDir = rng.below(5) == 0
            let perms = isDir ? "drwxr-xr-x" : "-rw-r--r--"
            let size = rng.below(10_000_000)
            let name = names[rng.below(names.count)]
            var line = "\(perms) \(1 + rng.below(9)) user staff \(String(repeating: " ", count: max(0, 8 - String(size).count)))\(size) Jan \(1 + rng.below(28)) 12:\(10 + rng.below(50)) "
            line += isDir ? "\u{1B}[01;34m\(name)\u{1B}[0m" : name
            out += Array(line.utf8)
            out += [13, 10]
        }
        return out
    }

    /// Full screens of cells, each with its own SGR (256-colour and truecolor fg/bg, attributes).
    static func denseColour(bytes: Int) -> [UInt8] {
        var rng = Rng(seed: 2)
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 256)
        while out.count < bytes {
            out += Array("\u{1B}[H".utf8)
            for _ in 0..<24 {
                for _ in 0..<80 {
                    let sgr: String
                    switch rng.below(4) {
                    case 0: sgr = "\u{1B}[38;5;\(rng.below(256));48;5;\(rng.below(256))m"
                    case 1: sgr = "\u{1B}[38;2;\(rng.below(256));\(rng.below(256));\(rng.below(256))m"
                    case 2: sgr = "\u{1B}[\(30 + rng.below(8));\(40 + rng.below(8));1m"
                    default: sgr = "\u{1B}[0;\(90 + rng.below(8))m"
                    }
                    out += Array(sgr.utf8)
                    out.append(UInt8(33 + rng.below(94)))
                }
            }
        }
        out += Array("\u{1B}[0m".utf8)
        return out
    }

    /// CJK text (width 2) mixed with Latin letters carrying combining marks, wrapping lines.
    static func cjkCombining(bytes: Int) -> [UInt8] {
        var rng = Rng(seed: 3)
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 256)
        let combining: [UInt32] = [0x0301, 0x0300, 0x0308, 0x0323, 0x0302, 0x0327]
        while out.count < bytes {
            for _ in 0..<60 {
                let scalar: String
                switch rng.below(10) {
                case 0..<6: scalar = String(UnicodeScalar(UInt32(0x4E00 + rng.below(0x5000)))!)  // CJK
                case 6: scalar = String(UnicodeScalar(UInt32(0xAC00 + rng.below(11172)))!)  // Hangul
                case 7, 8:
                    scalar = String(UnicodeScalar(UInt32(97 + rng.below(26)))!)
                        + String(UnicodeScalar(combining[rng.below(combining.count)])!)
                default: scalar = " "
                }
                out += Array(scalar.utf8)
            }
            out += [13, 10]
        }
        return out
    }
}
