import Foundation
import Testing
@testable import VibeTUI

/// docs/user-guide.md must list exactly the shipped defaults.
@Suite struct UserGuideTests {
    func guide() throws -> String {
        let url = try #require(RepoPaths.userGuide)
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func keysTableMatchesDefaults() throws {
        let text = try guide()
        let table = KeyBindings.defaults.markdownTable()
        let missing = table.split(separator: "\n").filter { !text.contains($0) }
        #expect(missing.isEmpty, "docs/user-guide.md ## Keys is out of date; expected table:\n\(table)")
        #expect(text.contains(table), "the ## Keys table must be exactly:\n\(table)")
    }

    @Test func configurationListsEveryKeyAndAction() throws {
        let text = try guide()
        for key in TUIConfig.fileKeys { #expect(text.contains("`\(key)`"), "config key \(key)") }
        for action in TUIAction.allCases { #expect(text.contains("`\(action.configName)`"), "action \(action.configName)") }
        for key in ThemeChrome.keys { #expect(text.contains("`\(key)`"), "theme key \(key)") }
    }

    @Test func themesSectionListsShippedThemes() throws {
        let text = try guide()
        let dir = try #require(RepoPaths.themes)
        for name in Theme.available(in: [dir.path]) { #expect(text.contains("`\(name)`"), "theme \(name)") }
    }
}

extension UserGuideTests {
    @Test func configurationExampleIsValid() throws {
        let text = try guide()
        let section = try #require(text.components(separatedBy: "## Configuration").last)
        let example = try #require(section.components(separatedBy: "```toml\n").dropFirst().first?.components(separatedBy: "```").first)
        let loaded = try TUIConfig.resolve(fileText: example, path: "example")
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.config.prefix.description == "C-a")
        #expect(loaded.config.keys.keys(for: .quit).isEmpty)
    }
}
