import Foundation
import Testing
@testable import VibeTUI

@Suite struct TUIConfigTests {
    let sample = """
        server = "https://vibe.example.com"
        token = "file-token"
        prefix = "C-a"
        theme = "nord"
        editor = "nano"
        scrollback = 5000
        tree_width = 40
        tree_visible = false
        colour = "blue"

        [keys]
        split_horizontal = "|"
        split_vertical = ["-", "_"]
        quit = []
        fly_away = "F"
        """

    @Test func defaultsWithoutFile() throws {
        let loaded = try TUIConfig.resolve(fileText: nil, path: nil)
        #expect(loaded.config == TUIConfig())
        #expect(loaded.config.prefix.description == "C-b")
        #expect(loaded.config.editor == "vi")
        #expect(loaded.config.scrollback == 10_000)
        #expect(loaded.config.treeWidth == 30)
        #expect(loaded.config.treeVisible)
        #expect(loaded.warnings.isEmpty)
    }

    @Test func fileValuesAndWarnings() throws {
        let loaded = try TUIConfig.resolve(fileText: sample, path: "/x/config.toml")
        let c = loaded.config
        #expect(c.server == "https://vibe.example.com")
        #expect(c.prefix == KeySpec.parse("C-a"))
        #expect(c.keys.prefix == KeySpec.parse("C-a"))
        #expect(c.keys.action(for: KeySpec(character: "a", ctrl: true)) == .sendPrefix)
        #expect(c.theme == "nord")
        #expect(c.editor == "nano")
        #expect(c.scrollback == 5000)
        #expect(c.treeWidth == 40)
        #expect(!c.treeVisible)
        #expect(c.keys.action(for: KeySpec(character: "|")) == .splitHorizontal)
        #expect(c.keys.action(for: KeySpec(character: "%")) == nil)
        #expect(c.keys.action(for: KeySpec(character: "_")) == .splitVertical)
        #expect(c.keys.keys(for: .quit).isEmpty)
        #expect(loaded.warnings.map(\.key) == ["colour", "keys.fly_away"])
        #expect(loaded.warnings.first?.line == 9)
    }

    @Test func precedenceFlagsOverEnvironmentOverFile() throws {
        let env = ["VIBE_SERVER": "http://env", "VIBE_TOKEN": "env-token", "VIBE_PREFIX": "C-x", "VIBE_THEME": "gruvbox-dark", "EDITOR": "hx"]
        let fromEnv = try TUIConfig.resolve(fileText: sample, path: nil, environment: env).config
        #expect(fromEnv.server == "http://env")
        #expect(fromEnv.token == "env-token")
        #expect(fromEnv.prefix.description == "C-x")
        #expect(fromEnv.theme == "gruvbox-dark")
        #expect(fromEnv.editor == "hx")
        let flags = ConfigFlags(server: "http://flag", prefix: "C-q", theme: "/tmp/t.toml", scrollback: 7, treeVisible: true)
        let fromFlags = try TUIConfig.resolve(fileText: sample, path: nil, flags: flags, environment: env).config
        #expect(fromFlags.server == "http://flag")
        #expect(fromFlags.token == "env-token")
        #expect(fromFlags.prefix.description == "C-q")
        #expect(fromFlags.theme == "/tmp/t.toml")
        #expect(fromFlags.scrollback == 7)
        #expect(fromFlags.treeVisible)
        #expect(fromFlags.treeWidth == 40)
    }

    @Test(arguments: [
        ("scrollback = \"many\"", "scrollback", 1), ("a = 1\ntree_width = 2", "tree_width", 2),
        ("tree_visible = 1", "tree_visible", 1), ("prefix = \"C-\"", "prefix", 1), ("server = 3", "server", 1),
        ("[keys]\nhelp = \"NotAKey\"", "keys.help", 2), ("keys = 1", "keys", 1),
    ])
    func invalidValuesNameKeyAndLine(_ text: String, _ key: String, _ line: Int) {
        do {
            _ = try TUIConfig.resolve(fileText: text, path: "c.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            guard case .invalidValue(let k, let l, _, _, let source) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(k == key)
            #expect(l == line)
            #expect(source == "c.toml")
        }
    }

    @Test func syntaxAndEnvironmentErrors() {
        #expect(throws: ConfigError.self) { try TUIConfig.resolve(fileText: "x = [", path: "c.toml") }
        #expect(throws: ConfigError.self) { try TUIConfig.resolve(fileText: nil, path: nil, environment: ["VIBE_PREFIX": "nope-nope"]) }
    }

    @Test func pathsFollowXDGAndVibeConfig() throws {
        #expect(TUIConfig.configPath(environment: ["HOME": "/home/u"]).path == "/home/u/.config/vibe/config.toml")
        #expect(TUIConfig.configPath(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/xdg"]).path == "/xdg/vibe/config.toml")
        let explicit = TUIConfig.configPath(environment: ["HOME": "/home/u", "VIBE_CONFIG": "/etc/vibe.toml"])
        #expect(explicit == ("/etc/vibe.toml", true))
        #expect(throws: ConfigError.notFound(path: "/nonexistent/vibe.toml")) {
            try TUIConfig.load(environment: ["VIBE_CONFIG": "/nonexistent/vibe.toml"])
        }
        let missing = try TUIConfig.load(environment: ["HOME": "/nonexistent-home"])
        #expect(missing.path == nil)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vibe-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("vibe"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "tree_width = 55\n".write(to: dir.appendingPathComponent("vibe/config.toml"), atomically: true, encoding: .utf8)
        let loaded = try TUIConfig.load(environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(loaded.config.treeWidth == 55)
        #expect(loaded.path == dir.appendingPathComponent("vibe/config.toml").path)
    }
}
