import Testing
import VibeProtocol
@testable import VibeTUI

@Suite struct FileTreeModelTests {
    let t0 = ContinuousClock.now

    static func node(_ path: String, dir: Bool = false, _ children: [FileNode]? = nil) -> FileNode {
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        return FileNode(name: name, path: path, isDir: dir, children: dir ? (children ?? []) : nil)
    }

    static func sample() -> FileTree {
        FileTree(
            root: node("", dir: true, [
                node("README.md"),
                node("src", dir: true, [node("src/main.swift"), node("src/App", dir: true, [node("src/App/a.swift")])]),
                node("Zeta.txt"),
                node("docs", dir: true, [node("docs/guide.md")]),
            ]), truncated: false)
    }

    func names(_ m: FileTreeModel) -> [String] {
        m.visibleRows(now: t0).map { String(repeating: "  ", count: $0.depth) + $0.name }
    }

    @Test func foldersFirstThenByNameAndCollapsedByDefault() {
        let m = FileTreeModel(snapshot: Self.sample())
        #expect(names(m) == ["docs", "src", "README.md", "Zeta.txt"])
        #expect(m.count == 8)
    }

    @Test func expandCollapseToggle() {
        var m = FileTreeModel(snapshot: Self.sample())
        let ok1 = m.expand("src/App")
        #expect(ok1)
        #expect(names(m) == ["docs", "src", "  App", "    a.swift", "  main.swift", "README.md", "Zeta.txt"])
        let ok2 = m.select(path: "src/App/a.swift")
        #expect(ok2)
        m.toggle("src")
        #expect(m.selectedPath == "src")
        #expect(names(m) == ["docs", "src", "README.md", "Zeta.txt"])
        m.toggle("src")
        #expect(m.isExpanded("src/App"))
        let ok3 = m.expand("README.md")
        #expect(!ok3)
    }

    @Test func createsMakeUnknownParents() {
        var m = FileTreeModel(snapshot: Self.sample())
        m.apply(FSEvent(path: "new/deep/c.txt", kind: .created, isDir: false), at: t0)
        #expect(m.isDirectory("new") == true)
        #expect(m.isDirectory("new/deep") == true)
        #expect(m.isDirectory("new/deep/c.txt") == false)
        m.expand("new/deep")
        let rows = m.visibleRows(now: t0 + .seconds(1))
        let row = rows.first { $0.path == "new/deep/c.txt" }
        #expect(row?.depth == 2)
        #expect(row?.changedRecently == true)
        #expect(row?.changeKind == .created)
        #expect(rows.first { $0.path == "new" }?.containsRecentChange == true)
        let later = m.visibleRows(now: t0 + .seconds(4)).first { $0.path == "new/deep/c.txt" }
        #expect(later?.changedRecently == false)
    }

    @Test func deleteRemovesSubtree() {
        var m = FileTreeModel(snapshot: Self.sample())
        m.expand("src/App")
        m.select(path: "src/App/a.swift")
        m.apply(FSEvent(path: "src/App", kind: .deleted, isDir: true), at: t0)
        #expect(!m.contains("src/App"))
        #expect(!m.contains("src/App/a.swift"))
        #expect(m.selectedPath == "src")
        #expect(!m.expandedPaths.contains("src/App"))
        #expect(m.count == 6)
        m.apply(FSEvent(path: "nothing/here", kind: .deleted, isDir: false), at: t0)
        #expect(m.count == 6)
    }

    @Test func renameMovesSubtreeWithExpansionAndSelection() {
        var m = FileTreeModel(snapshot: Self.sample())
        m.expand("src/App")
        m.select(path: "src/App/a.swift")
        m.apply(FSEvent(path: "lib/Core", kind: .renamed, isDir: true, oldPath: "src/App"), at: t0)
        #expect(!m.contains("src/App"))
        #expect(m.contains("lib/Core/a.swift"))
        #expect(m.childNames(of: "lib") == ["Core"])
        #expect(m.selectedPath == "lib/Core/a.swift")
        #expect(m.isExpanded("lib/Core"))
        #expect(m.visibleRows(now: t0).contains { $0.path == "lib/Core/a.swift" && $0.isSelected })
        m.apply(FSEvent(path: "b.md", kind: .renamed, isDir: false, oldPath: "README.md"), at: t0)
        #expect(m.childNames(of: "") == ["docs", "lib", "src", "b.md", "Zeta.txt"])
        m.apply(FSEvent(path: "x.md", kind: .renamed, isDir: false, oldPath: nil), at: t0)
        #expect(m.contains("x.md"))
    }

    @Test func snapshotKeepsExpansionAndSelection() {
        var m = FileTreeModel(snapshot: Self.sample())
        m.expand("src/App")
        m.select(path: "src/main.swift")
        var tree = Self.sample()
        tree.root.children?.append(Self.node("added.txt"))
        m.apply(snapshot: tree, at: t0)
        #expect(m.isExpanded("src/App"))
        #expect(m.selectedPath == "src/main.swift")
        #expect(m.visibleRows(now: t0).first { $0.path == "added.txt" }?.changeKind == .created)
        tree.root.children?.removeAll { $0.name == "src" }
        m.apply(snapshot: tree)
        #expect(m.selectedPath == nil)
        #expect(!m.isExpanded("src/App"))
    }

    @Test func selectionMovementAndScrolling() {
        var m = FileTreeModel(snapshot: Self.sample())
        m.moveSelection(by: 1)
        #expect(m.selectedPath == "docs")
        m.moveSelection(by: 2)
        #expect(m.selectedPath == "README.md")
        m.moveSelection(by: 100)
        #expect(m.selectedPath == "Zeta.txt")
        m.selectFirst()
        #expect(m.selectedRowIndex == 0)
        m.expand("docs")
        m.select(path: "docs/guide.md")
        let ok4 = m.selectParent()
        #expect(ok4)
        #expect(m.selectedPath == "docs")
        let ok5 = m.selectParent()
        #expect(!ok5)
        m.selectLast()
        m.scroll(toKeepSelectionVisibleIn: 2)
        #expect(m.scrollOffset == 3)
        m.pageUp(10)
        m.scroll(toKeepSelectionVisibleIn: 2)
        #expect(m.scrollOffset == 0)
        #expect(m.visibleRows(from: 1, count: 2, now: t0).map(\.name) == ["guide.md", "src"])
    }

    @Test func fileBecomesFolderAndBack() {
        var m = FileTreeModel(snapshot: Self.sample())
        m.apply(FSEvent(path: "Zeta.txt/inner", kind: .created, isDir: false), at: t0)
        #expect(m.isDirectory("Zeta.txt") == true)
        #expect(m.childNames(of: "") == ["docs", "src", "Zeta.txt", "README.md"])
        m.apply(FSEvent(path: "Zeta.txt", kind: .created, isDir: false), at: t0)
        #expect(!m.contains("Zeta.txt/inner"))
        m.apply(FSEvent(path: "../evil", kind: .created, isDir: false), at: t0)
        m.apply(FSEvent(path: "", kind: .deleted, isDir: true), at: t0)
        #expect(m.count == 8)
    }

    @Test func tenThousandCreatesThenRender() {
        var m = FileTreeModel(snapshot: Self.sample())
        for i in 0..<10_000 {
            m.apply(FSEvent(path: "gen/d\(i % 100)/f\(i).txt", kind: .created, isDir: false), at: t0)
        }
        #expect(m.count == 8 + 1 + 100 + 10_000)
        m.expand("gen")
        for i in 0..<100 { m.expand("gen/d\(i)") }
        let rows = m.visibleRows(now: t0)
        #expect(rows.count == 4 + 1 + 100 + 10_000)
        #expect(m.childNames(of: "gen/d7").prefix(3) == ["f1007.txt", "f107.txt", "f1107.txt"])
        for i in stride(from: 0, to: 10_000, by: 2) {
            m.apply(FSEvent(path: "gen/d\(i % 100)/f\(i).txt", kind: .deleted, isDir: false), at: t0)
        }
        #expect(m.visibleRowCount == 4 + 1 + 100 + 5_000)
    }

    @Test func fiftyThousandEntrySnapshot() {
        var dirs: [FileNode] = []
        for d in 0..<500 {
            let files = (0..<99).map { Self.node("d\(d)/f\($0)") }
            dirs.append(Self.node("d\(d)", dir: true, files))
        }
        var m = FileTreeModel(snapshot: FileTree(root: Self.node("", dir: true, dirs), truncated: false))
        #expect(m.count == 50_000)
        for d in 0..<500 { m.expand("d\(d)") }
        #expect(m.visibleRowCount == 50_000)
        m.apply(FSEvent(path: "d3/f5", kind: .modified, isDir: false), at: t0)
        m.select(path: "d99/f98")
        #expect(m.selectedRowIndex == 49_999)
    }
}
