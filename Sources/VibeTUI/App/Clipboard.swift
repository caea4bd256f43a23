import Foundation

/// Copies text to the outer terminal's clipboard (OSC 52) and, when given, to a file.
enum Clipboard {
    /// The OSC 52 sequence that sets the clipboard to `data`.
    static func osc52(_ data: [UInt8]) -> String {
        "\u{1b}]52;c;" + Data(data).base64EncodedString() + "\u{07}"
    }

    /// Sends `data` to the outer terminal and writes it to `file` (creating its folder).
    static func copy(_ data: [UInt8], file: String?, screen: CursesScreen) {
        screen.writeRaw(osc52(data))
        guard let file else { return }
        let folder = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(data))
    }
}
