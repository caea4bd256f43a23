import Foundation

/// A colour theme: the 16-colour terminal palette plus default foreground, background and cursor,
/// read from the Alacritty TOML colour-scheme format users already share
/// (`[colors.primary]`, `[colors.cursor]`, `[colors.normal]`, `[colors.bright]`), and vibe's chrome
/// colours from an optional `[vibe]` table.
public struct Theme: Equatable, Sendable {
    /// The theme's name (file name without `.toml`).
    public var name: String
    /// Default cell background (`colors.primary.background`).
    public var background: RGB
    /// Default cell foreground (`colors.primary.foreground`).
    public var foreground: RGB
    /// Cursor block colour (`colors.cursor.cursor`; default: the foreground).
    public var cursor: RGB
    /// Text under the cursor (`colors.cursor.text`; default: the background).
    public var cursorText: RGB
    /// ANSI colours 0–7, black red green yellow blue magenta cyan white.
    public var normal: [RGB]
    /// ANSI colours 8–15.
    public var bright: [RGB]
    /// Status bar, borders, banners and tree colours.
    public var chrome: ThemeChrome

    /// The palette names, in ANSI order.
    public static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The 16 ANSI colours: `normal` then `bright`.
    public var palette: [RGB] { normal + bright }

    /// A theme from its parts; chrome is derived from the palette unless given.
    public init(
        name: String, background: RGB, foreground: RGB, cursor: RGB? = nil, cursorText: RGB? = nil,
        normal: [RGB], bright: [RGB], chrome: ThemeChrome? = nil
    ) {
        self.name = name
        self.background = background
        self.foreground = foreground
        self.cursor = cursor ?? foreground
        self.cursorText = cursorText ?? background
        self.normal = normal
        self.bright = bright
        self.chrome = chrome ?? ThemeChrome(derivedFrom: normal, bright: bright, background: background)
    }

    /// The compiled-in theme (the same as `themes/vibe-dark.toml`), so vibe works with no files.
    public static let builtinDefault: Theme = {
        let hex: ([UInt32]) -> [RGB] = { $0.map(RGB.init(hexValue:)) }
        let background = RGB(hexValue: 0x16181d)
        var theme = Theme(
            name: "vibe-dark", background: background, foreground: RGB(hexValue: 0xd4d7dd),
            cursor: RGB(hexValue: 0xf0c674), cursorText: background,
            normal: hex([0x1e2127, 0xe05561, 0x8cc265, 0xd18f52, 0x4aa5f0, 0xc162de, 0x42b3c2, 0xc8ccd4]),
            bright: hex([0x5c6370, 0xff616e, 0xa5e075, 0xf0a45d, 0x4dc4ff, 0xde73ff, 0x4cd1e0, 0xffffff]))
        let chrome: [UInt32] = [0x2b3040, 0xd4d7dd, 0x3a3f4b, 0x4aa5f0, 0xc162de, 0xd18f52, 0x16181d, 0x4aa5f0, 0xf0c674]
        for (key, value) in zip(ThemeChrome.keys, chrome) { theme.chrome[key] = RGB(hexValue: value) }
        return theme
    }()

    // MARK: - Reading

    /// Reads a theme file's text. Colours the file leaves out come from `builtinDefault` (palette)
    /// or are derived (cursor, chrome). Alacritty's `CellForeground` / `CellBackground` cursor values
    /// are accepted and mean the default.
    public static func parse(_ text: String, name: String) throws(ThemeError) -> Theme {
        let document: TOMLTable
        do {
            document = try TOML.parse(text)
        } catch {
            throw .syntax(path: nil, error)
        }
        let colors = document.table("colors") ?? TOMLTable()
        func color(_ table: String, _ key: String) throws(ThemeError) -> RGB? {
            guard let section = colors.table(table), let value = section[key] else { return nil }
            let where_ = "colors.\(table).\(key)"
            guard let text = value.stringValue else {
                throw .invalidColor(key: where_, line: section.line(of: key), value: value.typeName)
            }
            if table == "cursor", text == "CellForeground" || text == "CellBackground" { return nil }
            guard let rgb = RGB(hex: text) else {
                throw .invalidColor(key: where_, line: section.line(of: key), value: text)
            }
            return rgb
        }
        let fallback = builtinDefault
        var normal = fallback.normal
        var bright = fallback.bright
        for (i, colorName) in colorNames.enumerated() {
            if let c = try color("normal", colorName) { normal[i] = c }
            if let c = try color("bright", colorName) { bright[i] = c }
        }
        let background = try color("primary", "background") ?? fallback.background
        var theme = Theme(
            name: name, background: background,
            foreground: try color("primary", "foreground") ?? fallback.foreground,
            cursor: try color("cursor", "cursor"), cursorText: try color("cursor", "text"),
            normal: normal, bright: bright)
        if let vibe = document.table("vibe") {
            for key in ThemeChrome.keys {
                guard let value = vibe[key] else { continue }
                guard let text = value.stringValue, let rgb = RGB(hex: text) else {
                    throw .invalidColor(key: "vibe.\(key)", line: vibe.line(of: key), value: value.stringValue ?? value.typeName)
                }
                theme.chrome[key] = rgb
            }
        }
        return theme
    }

    /// Loads a theme by name or path. A value containing `/` or ending in `.toml` is a path (a
    /// leading `~/` is the home directory); otherwise the first `NAME.toml` found in `searchPaths`
    /// wins. The names `default`, `builtin` and `vibe-dark` with no such file give `builtinDefault`.
    public static func load(_ nameOrPath: String, searchPaths: [String]) throws(ThemeError) -> Theme {
        let fm = FileManager.default
        let path: String
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            path = expandingTilde(nameOrPath)
            guard fm.fileExists(atPath: path) else { throw .notFound(name: nameOrPath, searched: [path]) }
        } else {
            let candidates = searchPaths.map { ($0 as NSString).appendingPathComponent(nameOrPath + ".toml") }
            guard let found = candidates.first(where: { fm.fileExists(atPath: $0) }) else {
                if nameOrPath == "default" || nameOrPath == "builtin" || nameOrPath == builtinDefault.name {
                    return builtinDefault
                }
                throw .notFound(name: nameOrPath, searched: candidates)
            }
            path = found
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            return try parse(text, name: name)
        } catch {
            throw error.at(path)
        }
    }

    /// Theme names (`NAME` of each `NAME.toml`) found in `searchPaths`, sorted, without duplicates.
    public static func available(in searchPaths: [String]) -> [String] {
        var names = Set<String>()
        for dir in searchPaths {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for file in files where file.hasSuffix(".toml") { names.insert(String(file.dropLast(5))) }
        }
        return names.sorted()
    }

    /// Where themes are looked up, in order: the user's `vibe/themes` config folder, then
    /// `$VIBE_THEMES_DIR`, then next to the executable (`../share/vibe/themes`, and `../../themes`
    /// for a build inside the repository), then `/usr/local/share/vibe/themes` and
    /// `/usr/share/vibe/themes`. Folders that do not exist are left out.
    public static func searchPaths(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = CommandLine.arguments.first
    ) -> [String] {
        var paths = [(TUIConfig.configDirectory(environment: environment) as NSString).appendingPathComponent("themes")]
        if let dir = environment["VIBE_THEMES_DIR"], !dir.isEmpty { paths.append(dir) }
        if let exe = executablePath, exe.contains("/") {
            let bin = ((exe as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
            paths.append(((bin as NSString).appendingPathComponent("../share/vibe/themes") as NSString).standardizingPath)
            paths.append(((bin as NSString).appendingPathComponent("../../themes") as NSString).standardizingPath)
        }
        paths += ["/usr/local/share/vibe/themes", "/usr/share/vibe/themes"]
        var seen = Set<String>()
        return paths.filter { dir in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue && seen.insert(dir).inserted
        }
    }

    static func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~/") else { return path }
        return NSHomeDirectory() + path.dropFirst()
    }
}

/// Why a theme could not be loaded.
public enum ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such file, or no `NAME.toml` in any of `searched`.
    case notFound(name: String, searched: [String])
    /// The file exists but could not be read as UTF-8.
    case unreadable(path: String, reason: String)
    /// The file is not valid TOML.
    case syntax(path: String?, TOMLError)
    /// A colour that is not `#rrggbb` / `0xrrggbb`.
    case invalidColor(key: String, line: Int?, value: String, path: String? = nil)

    public var description: String {
        switch self {
        case .notFound(let name, let searched):
            return "theme '\(name)' not found (looked in: \(searched.joined(separator: ", ")))"
        case .unreadable(let path, let reason):
            return "cannot read theme \(path): \(reason)"
        case .syntax(let path, let error):
            return "theme \(path ?? "text"): \(error)"
        case .invalidColor(let key, let line, let value, let path):
            let location = [path, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return "theme \(location.isEmpty ? "" : location + ": ")\(key) = '\(value)' is not a colour (#rrggbb or 0xrrggbb)"
        }
    }

    /// The same error with the file's path filled in.
    func at(_ path: String) -> ThemeError {
        switch self {
        case .syntax(_, let e): .syntax(path: path, e)
        case .invalidColor(let key, let line, let value, _): .invalidColor(key: key, line: line, value: value, path: path)
        default: self
        }
    }
}
