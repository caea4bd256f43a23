import ArgumentParser
import Foundation
import TerminalEmulator

/// `vibe render`: feed a byte stream to a fresh terminal and print the resulting screen.
/// Used by the differential harness (Tests/Differential/run.sh) and for debugging.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a byte stream with the built-in terminal emulator and print the screen.",
        discussion: """
            Reads FILE (or stdin when FILE is omitted or '-'), feeds every byte to a fresh \
            COLSxROWS terminal and prints the final screen. --format dump prints the canonical \
            dump (size, cursor, one NN|text line per row, @RR:C0-C1 attribute runs; see \
            docs/emulator.md); --format text prints only the rows, trailing blanks and empty \
            trailing rows trimmed.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dump
        case text
    }

    @Option(help: "Number of columns.") var cols = 80
    @Option(help: "Number of rows.") var rows = 24
    @Option(help: "Output format: dump or text.") var format: Format = .dump
    @Argument(help: "File holding the byte stream (stdin when omitted or '-').") var file: String?

    func validate() throws {
        guard (1...4096).contains(cols), (1...4096).contains(rows) else {
            throw ValidationError("--cols and --rows must be between 1 and 4096")
        }
    }

    func run() throws {
        let data: Data
        if let file, file != "-" {
            guard FileManager.default.fileExists(atPath: file) else {
                throw CLIError(message: "render: no such file: \(file)", exitCode: VibeExit.notFound)
            }
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError(message: "render: cannot read \(file): \(error.localizedDescription)",
                               exitCode: VibeExit.failure)
            }
        } else {
            data = FileHandle.standardInput.readDataToEndOfFile()
        }

        let terminal = Terminal(cols: cols, rows: rows)
        data.withUnsafeBytes { terminal.feed($0) }

        switch format {
        case .dump:
            print(ScreenDump.dump(terminal), terminator: "")
        case .text:
            print(ScreenDump.text(terminal))
        }
    }
}
