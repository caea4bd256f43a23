import Foundation
import Testing
@testable import VibeTUI

@Suite struct ThemeTests {
    func themeFiles() throws -> [URL] {
        let dir = try #require(RepoPaths.themes).resolvingSymlinksInPath()
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.path < $1.path }
    }

    @Test func everyShippedThemeDefinesAll16Colours() throws {
        let files = try themeFiles()
        #expect(files.count >= 4)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let doc = try TOML.parse(text)
            for section in ["normal", "bright"] {
                let table = try #require(doc.table("colors")?.table(section), "\(file.lastPathComponent) [colors.\(section)]")
                for name in Theme.colorNames {
                    let value = table[name]?.stringValue
                    #expect(value.flatMap(RGB.init(hex:)) != nil, "\(file.lastPathComponent) colors.\(section).\(name)")
                }
            }
            #expect(doc.table("colors")?.table("primary")?["background"] != nil)
            let theme = try Theme.load(file.path, searchPaths: [])
            #expect(theme.palette.count == 16)
            #expect(theme.name == file.deletingPathExtension().lastPathComponent)
        }
    }

    @Test func builtinDefaultMatchesVibeDarkFile() throws {
        let dir = try #require(RepoPaths.themes)
        let fromFile = try Theme.load("vibe-dark", searchPaths: ["/nonexistent", dir.path])
        #expect(fromFile == Theme.builtinDefault)
    }

    @Test func namesResolveInSearchOrder() throws {
        let dir = try #require(RepoPaths.themes)
        let user = FileManager.default.temporaryDirectory.appendingPathComponent("vibe-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: user) }
        try "[colors.primary]\nbackground = '#123456'\n".write(to: user.appendingPathComponent("nord.toml"), atomically: true, encoding: .utf8)
        let nord = try Theme.load("nord", searchPaths: [user.path, dir.path])
        #expect(nord.background == RGB(0x12, 0x34, 0x56))
        #expect(nord.normal == Theme.builtinDefault.normal)
        #expect(Theme.available(in: [user.path, dir.path]).contains("solarized-dark"))
        #expect(throws: ThemeError.self) { try Theme.load("no-such-theme", searchPaths: [dir.path]) }
        #expect(try Theme.load("default", searchPaths: []) == Theme.builtinDefault)
        // The default theme is compiled in: an installed binary with no theme files still starts.
        #expect(try Theme.load("vibe-dark", searchPaths: []) == Theme.builtinDefault)
    }

    @Test func coloursAndDerivations() throws {
        #expect(RGB(hex: "#ff8000") == RGB(255, 128, 0))
        #expect(RGB(hex: "0xFF8000") == RGB(255, 128, 0))
        #expect(RGB(hex: "#f80") == RGB(255, 136, 0))
        #expect(RGB(hex: "ff8000") == nil)
        #expect(RGB(hex: "#ff80zz") == nil)
        #expect(RGB(255, 128, 0).description == "#ff8000")
        #expect(RGB(0, 0, 0).xterm256Index == 16)
        #expect(RGB(255, 255, 255).xterm256Index == 231)
        #expect(RGB(128, 128, 128).xterm256Index == 244)
        let theme = try Theme.parse(
            "[colors.primary]\nbackground = '#000000'\nforeground = '#ffffff'\n[colors.normal]\nblue = '#0000ff'\n",
            name: "t")
        #expect(theme.chrome.statusBackground == RGB(0, 0, 255))
        #expect(theme.chrome.statusForeground == RGB(0, 0, 0))
        #expect(theme.cursor == RGB(255, 255, 255))
        do {
            _ = try Theme.parse("[vibe]\nborder = 'red'\n", name: "t")
            Issue.record("expected an error")
        } catch {
            #expect(error == .invalidColor(key: "vibe.border", line: 2, value: "red"))
        }
    }
}
