import Foundation
import TOMLKit
import Testing
@testable import VibeTUI

/// `TOMLKeyLines` finds the line of each key by scanning the text; nothing inside a value may be
/// taken for a key.
@Suite struct TOMLKeyLinesTests {
    @Test func headersDottedAndQuotedKeys() {
        let lines = TOMLKeyLines(
            scanning: """
                a.b.c = 1
                [ colors . "normal" ]
                black = "#000000"
                "quoted \\u0041" = 2
                'literal.key' = 3
                [[servers]]
                name = "x"
                [[servers]]
                name = "y"
                """)
        #expect(lines.line(of: ["a"]) == 1)
        #expect(lines.line(of: ["a", "b", "c"]) == 1)
        #expect(lines.line(of: ["colors"]) == 2)
        #expect(lines.line(of: ["colors", "normal", "black"]) == 3)
        #expect(lines.line(of: ["colors", "normal", "quoted A"]) == 4)
        #expect(lines.line(of: ["colors", "normal", "literal.key"]) == 5)
        #expect(lines.line(of: ["servers"]) == 6)
        #expect(lines.line(of: ["servers", "name"]) == 7)
    }

    @Test func valuesSpanningLinesHideWhatLooksLikeKeys() {
        let lines = TOMLKeyLines(
            scanning: """
                text = \"\"\"
                fake = 1
                [fake_table]
                \"\"\"
                raw = '''
                fake2 = 2 '''
                list = [ # a comment with ] and "
                  "]", '[',
                  { inner = 1 },
                  \"\"\"
                fake3 = 3\"\"\",
                ]
                after = true
                cont = "a \\" b = c" # fake4 = 4
                last = 1
                """)
        #expect(lines.line(of: ["text"]) == 1)
        #expect(lines.line(of: ["raw"]) == 5)
        #expect(lines.line(of: ["list"]) == 7)
        #expect(lines.line(of: ["after"]) == 13)
        #expect(lines.line(of: ["cont"]) == 14)
        #expect(lines.line(of: ["last"]) == 15)
        for fake in ["fake", "fake_table", "fake2", "fake3", "fake4", "inner", "b"] {
            #expect(lines.line(of: [fake]) == nil, "\(fake)")
        }
    }

    @Test func crlfAndByteOrderMark() {
        let lines = TOMLKeyLines(scanning: "\u{FEFF}a = 1\r\n\r\n[t]\r\nb = 2\r\n")
        #expect(lines.line(of: ["a"]) == 1)
        #expect(lines.line(of: ["t", "b"]) == 4)
    }

    /// Every key TOMLKit reads from the shipped themes and the guide's example has a line, and that
    /// line names the key.
    @Test func everyKeyOfRealFilesIsFound() throws {
        let themes = try #require(RepoPaths.themes)
        var texts = try FileManager.default.contentsOfDirectory(at: themes, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
            .map { try String(contentsOf: $0, encoding: .utf8) }
        let guide = try String(contentsOf: try #require(RepoPaths.userGuide), encoding: .utf8)
        texts += guide.components(separatedBy: "```toml\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        #expect(texts.count >= 5)
        for text in texts {
            let doc = try TOMLDocument(parsing: text)
            let sourceLines = text.components(separatedBy: "\n")
            func check(_ table: TOMLTable, _ path: [String]) {
                for key in table.keys {
                    let line = doc.line(of: path + [key])
                    #expect(line != nil, "\(path + [key])")
                    if let line, line <= sourceLines.count {
                        #expect(sourceLines[line - 1].contains(key), "\(path + [key]) on line \(line)")
                    }
                    if let sub = table[key]?.table { check(sub, path + [key]) }
                }
            }
            check(doc.root, [])
        }
    }
}
