import Foundation
import Testing
import VibeClient
import VibeProtocol
@testable import VibeServer

@Suite("File tools")
struct FileToolsTests {
    @Test func listShowsOneFolderWithTypesSizesAndLinks() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            _ = try await api.exec(id, command: "mkdir -p src/lib && printf 12345 > src/a.c && ln -s a.c src/cur && ln -s /etc src/out")
            let listing = try await api.listFolder(id, path: "src")
            #expect(listing.path == "src")
            #expect(listing.entries.map(\.name) == ["a.c", "cur", "lib", "out"])
            #expect(listing.entries[0].type == .file && listing.entries[0].size == 5)
            #expect(listing.entries[1].type == .symlink && listing.entries[1].target == "a.c")
            #expect(listing.entries[2].type == .dir && listing.entries[2].size == nil)
            #expect(listing.entries.allSatisfy { $0.mtime?.hasSuffix("Z") == true })
            let root = try await api.listFolder(id)
            #expect(root.path == "" && root.entries.map(\.name) == ["src"])
            await expectCode(.notFound) { _ = try await api.listFolder(id, path: "nope") }
            await expectCode(.invalidRequest) { _ = try await api.listFolder(id, path: "src/a.c") }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.listFolder(id, path: "src/out") }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.listFolder(id, path: "/") }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.listFolder(id, path: "..") }
        }
    }

    @Test func editReplacesExactlyOnceAndAnswersADiffThatPatchApplies() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
            _ = try await api.writeFile(id, path: "f.txt", text: old)
            _ = try await api.exec(id, command: "chmod 755 f.txt")
            let edited = try await api.editFile(id, EditFileRequest(path: "f.txt", old: "line 10\n", new: "ten\nTEN\n"))
            #expect(edited.replacements == 1)
            #expect(edited.diff.hasPrefix("--- a/f.txt\n+++ b/f.txt\n@@ -7,7 +7,8 @@\n"))
            #expect(edited.diff.contains("\n-line 10\n+ten\n+TEN\n"))
            let new = try await api.readFile(id, path: "f.txt").content
            #expect(new == old.replacingOccurrences(of: "line 10\n", with: "ten\nTEN\n"))
            #expect(try await api.exec(id, command: "stat -c %a f.txt").stdout == "755\n", "the mode is kept")
            // The diff is a real patch: patch(1) turns the old text into the new one.
            _ = try await api.writeFile(id, path: "old.txt", text: old)
            _ = try await api.writeFile(id, path: "f.diff", text: edited.diff)
            let patched = try await api.exec(id, command: "patch -s old.txt f.diff && cmp old.txt f.txt && echo same")
            #expect(patched.stdout == "same\n", "\(patched.stderr)")
        }
    }

    @Test func editRefusesNoMatchAndAmbiguousTextSayingHowOften() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            _ = try await api.writeFile(id, path: "g.txt", text: "a x a x a\n")
            let missing = await serverError { _ = try await api.editFile(id, EditFileRequest(path: "g.txt", old: "zz", new: "y")) }
            #expect(missing?.code == .editNoMatch && missing?.occurrences == 0 && missing?.status == 422)
            let many = await serverError { _ = try await api.editFile(id, EditFileRequest(path: "g.txt", old: "a", new: "b")) }
            #expect(many?.code == .editAmbiguous && many?.occurrences == 3)
            #expect(try await api.readFile(id, path: "g.txt").content == "a x a x a\n", "nothing changed")
            let all = try await api.editFile(id, EditFileRequest(path: "g.txt", old: "a", new: "b", replaceAll: true))
            #expect(all.replacements == 3)
            #expect(try await api.readFile(id, path: "g.txt").content == "b x b x b\n")
            // Byte-exact: a precomposed é does not match e + combining accent.
            _ = try await api.writeFile(id, path: "u.txt", text: "caf\u{65}\u{301}\n")
            let normalised = await serverError { _ = try await api.editFile(id, EditFileRequest(path: "u.txt", old: "caf\u{e9}", new: "x")) }
            #expect(normalised?.code == .editNoMatch)
            _ = try await api.writeFile(id, path: "bin", data: Data([0xFF, 0xFE, 0x41]))
            await expectCode(.invalidRequest) { _ = try await api.editFile(id, EditFileRequest(path: "bin", old: "A", new: "B")) }
            await expectCode(.invalidRequest) { _ = try await api.editFile(id, EditFileRequest(path: "g.txt", old: "", new: "B")) }
            await expectCode(.notFound) { _ = try await api.editFile(id, EditFileRequest(path: "none", old: "a", new: "B")) }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.editFile(id, EditFileRequest(path: "../x", old: "a", new: "B")) }
        }
    }

    @Test func deleteAndMoveActOnPathsAndLinksNeverOutside() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            let outside = server.dataDir + "/outside-\(id)"
            FileManager.default.createFile(atPath: outside, contents: Data("keep".utf8))
            _ = try await api.exec(id, command: "mkdir -p d/e && touch d/e/1 d/2 && ln -s '\(outside)' link")
            await expectCode(.folderNotEmpty) { _ = try await api.deletePath(id, path: "d") }
            #expect(try await api.deletePath(id, path: "d", recursive: true).deleted == 4)
            // A link that points outside is removed itself; its target stays.
            #expect(try await api.deletePath(id, path: "link").deleted == 1)
            #expect(FileManager.default.fileExists(atPath: outside))
            await expectCode(.notFound) { _ = try await api.deletePath(id, path: "d") }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.deletePath(id, path: "../outside-\(id)") }
            await expectCode(.invalidRequest) { _ = try await api.deletePath(id, path: ".") }

            _ = try await api.writeFile(id, path: "a.txt", text: "A")
            _ = try await api.writeFile(id, path: "b.txt", text: "B")
            let moved = try await api.movePath(id, from: "a.txt", to: "deep/er/a.txt")
            #expect(moved.to == "deep/er/a.txt")
            #expect(try await api.readFile(id, path: "deep/er/a.txt").content == "A")
            await expectCode(.alreadyExists) { _ = try await api.movePath(id, from: "b.txt", to: "deep/er/a.txt") }
            _ = try await api.movePath(id, from: "b.txt", to: "deep/er/a.txt", overwrite: true)
            #expect(try await api.readFile(id, path: "deep/er/a.txt").content == "B")
            await expectCode(.invalidRequest) { _ = try await api.movePath(id, from: "deep", to: "deep/er/inside") }
            await expectCode(.notFound) { _ = try await api.movePath(id, from: "gone", to: "x") }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.movePath(id, from: "deep", to: "../escaped") }
            #expect(!FileManager.default.fileExists(atPath: server.dataDir + "/sessions/\(id)/escaped"))
        }
    }

    @Test func writesAndMovesThatAFolderOrAFileStandsInTheWayOfAreInvalid() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            _ = try await api.writeFile(id, path: "src/a.c", text: "x")
            await expectCode(.invalidRequest) { _ = try await api.writeFile(id, path: "src", text: "onto a folder") }
            await expectCode(.invalidRequest) { _ = try await api.writeFile(id, path: "src/a.c/b", text: "under a file") }
            await expectCode(.invalidRequest) { _ = try await api.movePath(id, from: "src", to: "src/a.c/x") }
            #expect(try await api.readFile(id, path: "src/a.c").content == "x", "nothing changed")
        }
    }

    @Test func globMatchesAnyDepthSkipsGitAndIsBounded() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            _ = try await api.exec(id, command: """
                mkdir -p src/a/b .git/objects docs && touch top.c src/x.c src/a/y.c src/a/b/z.c src/a/b/z.h .git/objects/o.c \
                docs/.hidden.c && ln -s src/x.c link.c && ln -s / rootlink
                """)
            #expect(try await api.glob(id, GlobQuery(pattern: "*.c")).paths == [
                "docs/.hidden.c", "link.c", "src/a/b/z.c", "src/a/y.c", "src/x.c", "top.c",
            ])
            #expect(try await api.glob(id, GlobQuery(pattern: "src/**/*.c")).paths == ["src/a/b/z.c", "src/a/y.c", "src/x.c"])
            #expect(try await api.glob(id, GlobQuery(pattern: "src/*.c")).paths == ["src/x.c"])
            #expect(try await api.glob(id, GlobQuery(pattern: "**/b/*.[ch]")).paths == ["src/a/b/z.c", "src/a/b/z.h"])
            #expect(try await api.glob(id, GlobQuery(pattern: "b/*", path: "src/a")).paths == ["src/a/b/z.c", "src/a/b/z.h"])
            let limited = try await api.glob(id, GlobQuery(pattern: "**", limit: 2))
            #expect(limited.paths.count == 2 && limited.truncated)
            // A symlinked folder is never entered: `**` matches the link itself, nothing below it.
            #expect(try await api.glob(id, GlobQuery(pattern: "rootlink/**")).paths == ["rootlink"])
            await expectCode(.pathOutsideWorkspace) { _ = try await api.glob(id, GlobQuery(pattern: "../*")) }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.glob(id, GlobQuery(pattern: "/etc/*")) }
            await expectCode(.invalidRequest) { _ = try await api.glob(id, GlobQuery(pattern: "*", limit: 0)) }
            let bad = try await server.raw("GET", Routes.fsTool(id, "glob"))
            #expect(bad.status == 400 && bad.body.contains("'pattern' is required"))
        }
    }

    @Test func grepFindsLinesWithContextSkippingBinaryGitAndLinks() async throws {
        try await withServer { server in
            let id = try await server.readySession()
            let api = server.client.api
            _ = try await api.writeFile(id, path: "src/a.swift", text: "one\nlet TODO = 1\nthree\r\nfour todo\n")
            _ = try await api.writeFile(id, path: "src/b.txt", text: "TODO in text\n")
            _ = try await api.writeFile(id, path: "bin.dat", data: Data([0x54, 0x4F, 0x44, 0x4F, 0x00, 0x0A]))
            _ = try await api.exec(id, command: "mkdir -p .git && echo TODO > .git/HEAD && ln -s src/b.txt link.txt")
            let plain = try await api.grep(id, GrepQuery(pattern: "TODO"))
            #expect(plain.matches.map { "\($0.path):\($0.line)" } == ["src/a.swift:2", "src/b.txt:1"])
            #expect(plain.files == 2)
            let context = try await api.grep(id, GrepQuery(pattern: "todo", context: 1, ignoreCase: true))
            #expect(context.matches.count == 3)
            #expect(context.matches[0].before == ["one"] && context.matches[0].after == ["three"])
            #expect(context.matches[1].text == "four todo" && context.matches[1].before == ["three"] && context.matches[1].after == [])
            let filtered = try await api.grep(id, GrepQuery(pattern: "T.DO", glob: "*.txt"))
            #expect(filtered.matches.map(\.path) == ["src/b.txt"])
            let oneFile = try await api.grep(id, GrepQuery(pattern: "\\bfour\\b", path: "src/a.swift"))
            #expect(oneFile.matches.map(\.line) == [4])
            let limited = try await api.grep(id, GrepQuery(pattern: "o", limit: 1))
            #expect(limited.matches.count == 1 && limited.truncated)
            await expectCode(.invalidRequest) { _ = try await api.grep(id, GrepQuery(pattern: "(unclosed")) }
            await expectCode(.invalidRequest) { _ = try await api.grep(id, GrepQuery(pattern: "x", context: 11)) }
            await expectCode(.pathOutsideWorkspace) { _ = try await api.grep(id, GrepQuery(pattern: "root", path: "../..")) }
            let flag = try await server.raw("GET", Routes.fsTool(id, "grep") + "?pattern=x&ignoreCase=maybe")
            #expect(flag.status == 400 && flag.body.contains("ignoreCase"))
        }
    }

    @Test func unifiedDiffsApplyWithPatchForManyEdits() async throws {
        // Against the real patch(1): every diff turns the old text into the new one.
        let dir = NSTemporaryDirectory() + "vibe-diff-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            var lines = (0..<Int.random(in: 0...30, using: &generator)).map { "l\($0 % 7)" }
            let old = lines.joined(separator: "\n") + (round % 3 == 0 ? "" : "\n")
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                let at = Int.random(in: 0...lines.count, using: &generator)
                if Bool.random(using: &generator) || lines.isEmpty || at == lines.count {
                    lines.insert("new\(at)", at: at)
                } else {
                    lines.remove(at: at)
                }
            }
            let new = lines.joined(separator: "\n") + (round % 4 == 0 ? "" : "\n")
            let diff = UnifiedDiff.make(old: old, new: new, path: "f")
            #expect(diff.isEmpty == (old == new))
            guard !diff.isEmpty else { continue }
            try Data(old.utf8).write(to: URL(fileURLWithPath: dir + "/f"))
            try Data(diff.utf8).write(to: URL(fileURLWithPath: dir + "/f.diff"))
            let patch = Process()
            patch.executableURL = URL(fileURLWithPath: "/usr/bin/patch")
            patch.arguments = ["-s", "-d", dir, "f", dir + "/f.diff"]
            try patch.run()
            patch.waitUntilExit()
            let result = FileManager.default.contents(atPath: dir + "/f").map { String(decoding: $0, as: UTF8.self) }
            #expect(patch.terminationStatus == 0 && result == new, "round \(round):\n\(diff)")
        }
    }
}

/// The server error a call throws, if any.
private func serverError(_ body: () async throws -> Void) async -> ServerError? {
    do {
        try await body()
        return nil
    } catch {
        return (error as? VibeClientError)?.serverError
    }
}

/// Expects `body` to fail with the server error `code`.
private func expectCode(
    _ code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    let error = await serverError(body)
    #expect(error?.code == code, "expected \(code), got \(error.map(\.description) ?? "no error")", sourceLocation: sourceLocation)
}
