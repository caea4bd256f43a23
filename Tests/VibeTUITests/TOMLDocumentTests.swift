import Foundation
import TOMLKit
import Testing
@testable import VibeTUI

/// TOML goes through TOMLKit; these check what config and themes rely on: values of every type they
/// use decode right, syntax errors carry a line, and each key's line is found.
@Suite struct TOMLDocumentTests {
    @Test func valuesOfEveryTypeDecode() throws {
        let doc = try TOMLDocument(
            parsing: """
                # a comment
                title = "vibe \\"tui\\"\\n\\u00e9\\U0001F600" # trailing
                path = 'C:\\no\\escapes'
                "quoted key" = 1_000
                hex = 0xff
                neg = -42
                pi = 3.14
                yes = true
                [keys]
                split = [
                  "%",   # side by side
                  "|",
                ]
                empty = []
                point = { x = 1, tag.name = "p" }
                """)
        let root = doc.root
        #expect(root["title"]?.string == "vibe \"tui\"\né😀")
        #expect(root["path"]?.string == "C:\\no\\escapes")
        #expect(root["quoted key"]?.int == 1000)
        #expect(root["hex"]?.int == 255)
        #expect(root["neg"]?.int == -42)
        #expect(root["pi"]?.double == 3.14)
        #expect(root["pi"]?.int == nil)
        #expect(root["yes"]?.bool == true)
        let keys = try #require(root["keys"]?.table)
        #expect(keys["split"]?.array.map { $0.compactMap(\.string) } == ["%", "|"])
        #expect(keys["empty"]?.array?.isEmpty == true)
        #expect(keys["point"]?.table?["tag"]?.table?["name"]?.string == "p")
        #expect(doc.line(of: ["pi"]) == 7)
        #expect(doc.line(of: ["keys"]) == 9)
        #expect(doc.line(of: ["keys", "split"]) == 10)
        #expect(doc.line(of: ["keys", "point", "tag", "name"]) == 15)
        #expect(doc.line(of: ["nope"]) == nil)
    }

    @Test func valuesAreShownAsWrittenInMessages() throws {
        let doc = try TOMLDocument(parsing: "s = \"x\"\ni = 3\nf = 2.5\nb = false\na = [1, \"two\"]\nt = { k = 1 }\nd = 1979-05-27\n")
        let shown = ["s", "i", "f", "b", "a", "t", "d"].map { doc.root[$0]?.shownInMessage ?? "-" }
        #expect(shown == ["\"x\"", "3", "2.5", "false", "[1, \"two\"]", "a table", "1979-05-27"])
        let types = ["s", "i", "f", "b", "a", "t", "d"].map { doc.root[$0]?.typeName ?? "-" }
        #expect(types == ["string", "integer", "float", "boolean", "array", "table", "date"])
    }

    @Test func keysComeInDocumentOrder() throws {
        let doc = try TOMLDocument(parsing: "zebra = 1\napple = 2\n[mid]\nb = 1\na = 2\n")
        #expect(doc.keys(of: doc.root, at: []) == ["zebra", "apple", "mid"])
        let mid = try #require(doc.root["mid"]?.table)
        #expect(doc.keys(of: mid, at: ["mid"]) == ["b", "a"])
    }

    @Test(arguments: [
        ("a = ", 1), ("a = 1\nb", 2), ("a = \"open", 1), ("a = 1\na = 2", 2), ("[t]\n[t]", 2),
        ("a = 1\n[a]", 2), ("x = [1, 2", 1), ("x = 1 2", 1), ("x = 'a\nb'", 1), ("= 1", 1),
        ("x = \"\\q\"", 1), ("x = 0x", 1), ("\n\nx = { a = 1", 3), ("x = 01", 1), ("x = 1__0", 1),
        ("x = 99999999999999999999", 1), ("x = \"\\uD800\"", 1), ("é = 1", 1), ("a = 1 é", 1), ("a = 1\n\n  ñ = 2", 3),
        ("a = [\n 1,\n é]", 3),
        // Headers the toml++ inside TOMLKit would assert on: reported by TOMLDocument itself.
        ("[&]", 1), ("a = 1\n[[[x]]]", 2), ("[é]", 1), ("[\n", 1), ("a = 1\n  [ \"ok\" ]\n[ #", 3),
    ])
    func syntaxErrorsCarryLines(_ input: String, _ line: Int) {
        do {
            _ = try TOMLDocument(parsing: input)
            Issue.record("expected a syntax error for \(input)")
        } catch {
            #expect(error.line == line, "\(input): \(error)")
            #expect(error.column >= 1)
            #expect(!error.message.isEmpty)
            #expect(error.description.hasPrefix("line \(line), column \(error.column): "))
        }
    }

    @Test func malformedHeaderErrorsAreLikeTOMLKits() {
        #expect(throws: TOMLSyntaxError(
            line: 2, column: 4,
            message: "error while parsing table header: expected bare key starting character or string delimiter, saw '&'")
        ) { try TOMLDocument(parsing: "a = 1\n [ &]") }
        // An error before the header is the one reported.
        do {
            _ = try TOMLDocument(parsing: "a = \"open\n[&]")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.line == 1, "\(error)")
        }
        // Brackets inside values are not headers.
        #expect(throws: Never.self) { try TOMLDocument(parsing: "a = [\n[1], [ 2 ]\n]\nb = \"\"\"\n[&]\n\"\"\"\n") }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        #expect(throws: TOMLSyntaxError.self) { try TOMLDocument(parsing: "x = " + String(repeating: "[", count: 10_000)) }
        #expect(throws: TOMLSyntaxError.self) { try TOMLDocument(parsing: "x = " + String(repeating: "{a=", count: 10_000)) }
    }

    @Test func randomInputNeverCrashes() {
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("ab=[[[]{}\"'#.,\\ \n\t01x_-+eE:truefalsinfé&?".utf8)
        for i in 0..<2_000 {
            let length = Int(rng.next() % 64)
            let bytes: [UInt8] = (0..<length).map { _ in
                i % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            if let doc = try? TOMLDocument(parsing: String(decoding: bytes, as: UTF8.self)) {
                _ = doc.keys(of: doc.root, at: [])
            }
        }
    }
}

/// A tiny deterministic random generator for fuzz-style tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
