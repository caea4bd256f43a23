import Testing
@testable import VibeTUI

@Suite struct TOMLTests {
    @Test func scalarsAndComments() throws {
        let doc = try TOML.parse(
            """
            # a comment
            title = "vibe \\"tui\\"\\n\\u00e9\\U0001F600" # trailing
            path = 'C:\\no\\escapes'
            "quoted key" = 1_000
            hex = 0xff
            neg = -42
            pi = 3.14
            big = 1e3
            yes = true
            no = false
            """)
        #expect(doc["title"] == .string("vibe \"tui\"\né😀"))
        #expect(doc["path"] == .string("C:\\no\\escapes"))
        #expect(doc["quoted key"] == .integer(1000))
        #expect(doc["hex"] == .integer(255))
        #expect(doc["neg"] == .integer(-42))
        #expect(doc["pi"] == .float(3.14))
        #expect(doc["big"] == .float(1000))
        #expect(doc["yes"] == .boolean(true))
        #expect(doc["no"] == .boolean(false))
        #expect(doc.line(of: "pi") == 7)
        #expect(doc.keys.first == "title")
    }

    @Test func tablesDottedKeysArraysInlineTables() throws {
        let doc = try TOML.parse(
            """
            a.b.c = 1
            [colors.primary]
            background = '#000000'
            [ colors . "normal" ]
            black = "0x000000"
            [keys]
            split = [
              "%",   # side by side
              "|",
            ]
            point = { x = 1, y = 2.5, tag.name = "p" }
            empty = []
            nested = [[1, 2], ["a"]]
            """)
        #expect(doc.table("a")?.table("b")?["c"] == .integer(1))
        #expect(doc.table("colors")?.table("primary")?["background"] == .string("#000000"))
        #expect(doc.table("colors")?.table("normal")?["black"] == .string("0x000000"))
        #expect(doc.table("keys")?["split"] == .array([.string("%"), .string("|")]))
        #expect(doc.table("keys")?.line(of: "split") == 7)
        let point = try #require(doc.table("keys")?.table("point"))
        #expect(point["x"] == .integer(1))
        #expect(point["y"] == .float(2.5))
        #expect(point.table("tag")?["name"] == .string("p"))
        #expect(doc.table("keys")?["empty"] == .array([]))
        #expect(doc.table("keys")?["nested"]?.arrayValue?.count == 2)
    }

    @Test(arguments: [
        ("a = ", 1), ("a = 1\nb", 2), ("a = \"open", 1), ("a = 1\na = 2", 2), ("[t]\n[t]", 2),
        ("a = 1\n[a]", 2), ("x = [1, 2", 1), ("x = 1 2", 1), ("x = 'a\nb'", 1), ("= 1", 1),
        ("x = \"\\q\"", 1), ("x = 0x", 1), ("x = 1979-05-27", 1), ("[[arr]]", 1), ("x = \"\"\"a\"\"\"", 1),
        ("x = { a = 1", 1), ("x = 01", 1), ("x = 1__0", 1), ("x = 99999999999999999999", 1), ("x = \"\\uD800\"", 1),
    ])
    func errorsCarryLines(_ input: String, _ line: Int) {
        #expect(throws: TOMLError.self) { try TOML.parse(input) }
        do {
            _ = try TOML.parse(input)
        } catch {
            #expect(error.line == line, "\(input): \(error)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "x = " + String(repeating: "[", count: 10_000)
        #expect(throws: TOMLError.self) { try TOML.parse(deep) }
        let deepTables = "x = " + String(repeating: "{a=", count: 10_000)
        #expect(throws: TOMLError.self) { try TOML.parse(deepTables) }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("ab=[]{}\"'#.,\\ \n\t01x_-+eE:truefalsinf".utf8)
        for i in 0..<3_000 {
            let length = Int(rng.next() % 64)
            let bytes: [UInt8] = (0..<length).map { _ in
                i % 2 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            _ = try? TOML.parse(String(decoding: bytes, as: UTF8.self))
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
