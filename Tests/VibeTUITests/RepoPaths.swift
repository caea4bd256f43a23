import Foundation

/// Locates files of the repository from the test sources.
enum RepoPaths {
    /// The package root: the nearest folder above this file holding both `Package.swift` and `themes`.
    static func root(file: String = #filePath) -> URL? {
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        while dir.path != "/" {
            let fm = FileManager.default
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
                fm.fileExists(atPath: dir.appendingPathComponent("themes").path)
            {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// `themes/` of the repository.
    static var themes: URL? { root()?.appendingPathComponent("themes") }

    /// `docs/user-guide.md` of the repository.
    static var userGuide: URL? { root()?.appendingPathComponent("docs/user-guide.md") }
}
