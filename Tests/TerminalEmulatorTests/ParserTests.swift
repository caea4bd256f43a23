import Testing
@testable import TerminalEmulator

/// Records parser callbacks as readable strings.
struct RecordingHandler: VTParserHandler {
    var log: [String] = []
    var oscSizes: [Int] = []

    mutating func print(_ scalar: UInt32) { log.append("print \(String(scalar, radix: 16))") }
    mutating func printASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
        log.append("text \(String(decoding: bytes, as: UTF8.self))")
    }
    mutating func execute(_ control: UInt8) { log.append("exec \(control)") }
    mutating func csiDispatch(_ params: inout VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8) {
        let groups = (0..<params.count).map { i in
            params.group(i).map { $0.map(String.init) ?? "_" }.joined(separator: ":")
        }
        let pre = prefix == 0 ? "" : String(UnicodeScalar(prefix))
        log.append("csi \(pre)\(groups.joined(separator: ";")) i=\(intermediates) \(String(UnicodeScalar(final)))")
    }
    mutating func escDispatch(intermediates: UInt16, final: UInt8) {
        log.append("esc i=\(intermediates) \(String(UnicodeScalar(final)))")
    }
    mutating func oscDispatch(_ data: UnsafeBufferPointer<UInt8>, bellTerminated: Bool) {
        oscSizes.append(data.count)
        log.append("osc \(data.count < 64 ? String(decoding: data, as: UTF8.self) : "<\(data.count)>") bel=\(bellTerminated)")
    }
    mutating func dcsHook(_ params: VTParams, prefix: UInt8, intermediates: UInt16, final: UInt8) {
        log.append("hook \(String(UnicodeScalar(final)))")
    }
    mutating func dcsPut(_ byte: UInt8) { log.append("put \(String(UnicodeScalar(byte)))") }
    mutating func dcsUnhook(completed: Bool) { log.append("unhook \(completed)") }
}

func parse(_ bytes: [UInt8], chunk: Int? = nil, parser: inout VTParser) -> RecordingHandler {
    var h = RecordingHandler()
    if let chunk {
        var i = 0
        while i < bytes.count {
            let part = Array(bytes[i..<min(bytes.count, i + chunk)])
            part.withUnsafeBytes { parser.advance(&h, $0) }
            i += chunk
        }
    } else {
        bytes.withUnsafeBytes { parser.advance(&h, $0) }
    }
    return h
}

func parse(_ s: String, chunk: Int? = nil) -> [String] {
    var p = VTParser()
    return parse(Array(s.utf8), chunk: chunk, parser: &p).log
}

@Suite("VTParser")
struct ParserTests {
    @Test func asciiRunsAreBatched() {
        #expect(parse("hello\r\nworld") == ["text hello", "exec 13", "exec 10", "text world"])
    }

    @Test func invalidUTF8BecomesReplacement() {
        var p = VTParser()
        let log = parse([0x61, 0xFF, 0xC3, 0x28, 0xE2, 0x82, 0x41, 0xF4, 0x90, 0x80, 0x80], parser: &p).log
        #expect(log == ["text a", "print fffd", "print fffd", "text (", "print fffd", "text A",
                        "print fffd", "print fffd", "print fffd", "print fffd"])
    }

    @Test func utf8SplitAcrossChunks() {
        #expect(parse("中é", chunk: 1) == ["print 4e2d", "print e9"])
    }

    @Test func incompleteUTF8BeforeEscapeIsReplaced() {
        var p = VTParser()
        let log = parse([0xE4, 0xB8, 0x1B, 0x5B, 0x41], parser: &p).log
        #expect(log == ["print fffd", "csi  i=0 A"])
    }

    @Test func csiParameters() {
        #expect(parse("\u{1B}[1;22;333m") == ["csi 1;22;333 i=0 m"])
        #expect(parse("\u{1B}[;5H") == ["csi _;5 i=0 H"])
        #expect(parse("\u{1B}[5;H") == ["csi 5;_ i=0 H"])
        #expect(parse("\u{1B}[?1049h") == ["csi ?1049 i=0 h"])
        #expect(parse("\u{1B}[2 q") == ["csi 2 i=32 q"])
    }

    @Test func colonSubParameters() {
        #expect(parse("\u{1B}[38:2::10:20:30;4:3m") == ["csi 38:2:_:10:20:30;4:3 i=0 m"])
        let p = VTParams([[4, 3], [1]])
        #expect(p.count == 2)
        #expect(p.hasSubparameters(0))
        #expect(p.subparameter(0, 1) == 3)
        #expect(!p.hasSubparameters(1))
        #expect(p.param(1, default: 9) == 1)
        #expect(p.param(5, default: 9) == 9)
    }

    @Test func parametersAreBounded() {
        let many = (1...100).map(String.init).joined(separator: ";")
        let log = parse("\u{1B}[\(many)m")
        #expect(log.count == 1)
        let groups = log[0].dropFirst(4).split(separator: " ")[0].split(separator: ";")
        #expect(groups.count == VTParams.capacity)
        #expect(parse("\u{1B}[99999999999A") == ["csi 65535 i=0 A"])
    }

    @Test func canAndSubAbortSequences() {
        #expect(parse("\u{1B}[12\u{18}x") == ["exec 24", "text x"])
        #expect(parse("\u{1B}]2;title\u{1A}y") == ["exec 26", "text y"])
        #expect(parse("\u{1B}P1$qm\u{18}z") == ["hook q", "put m", "unhook false", "exec 24", "text z"])
    }

    @Test func oscTerminators() {
        #expect(parse("\u{1B}]0;hi\u{07}") == ["osc 0;hi bel=true"])
        #expect(parse("\u{1B}]0;hi\u{1B}\\") == ["osc 0;hi bel=false", "esc i=0 \\"])
        #expect(parse("\u{1B}]0;hé\u{07}") == ["osc 0;hé bel=true"])
    }

    @Test func hugeOSCIsBoundedAndDropped() {
        var p = VTParser(maxStringLength: 4096)
        var h = RecordingHandler()
        let head = Array("\u{1B}]52;c;".utf8)
        head.withUnsafeBytes { p.advance(&h, $0) }
        let block = [UInt8](repeating: UInt8(ascii: "A"), count: 64 * 1024)
        for _ in 0..<160 {  // 10 MiB
            block.withUnsafeBytes { p.advance(&h, $0) }
            #expect(p.bufferedStringCount <= 4096)
        }
        Array("\u{07}ok".utf8).withUnsafeBytes { p.advance(&h, $0) }
        #expect(h.oscSizes.isEmpty)
        #expect(h.log == ["text ok"])
        #expect(p.bufferedStringCount == 0)
    }

    @Test func escapeSequences() {
        #expect(parse("\u{1B}(0\u{1B}7\u{1B}#8") == ["esc i=40 0", "esc i=0 7", "esc i=35 8"])
    }

    @Test func ignoredStrings() {
        #expect(parse("\u{1B}_apc data\u{1B}\\a\u{1B}^pm\u{1B}\\b\u{1B}Xsos\u{1B}\\c")
                == ["esc i=0 \\", "text a", "esc i=0 \\", "text b", "esc i=0 \\", "text c"])
    }

    @Test func c1ControlsFromUTF8() {
        #expect(parse("\u{9B}5A") == ["csi 5 i=0 A"])
        #expect(parse("\u{85}") == ["exec 133"])
    }

    @Test func chunkingDoesNotChangeResults() {
        let input = "ab\u{1B}[1;31mc\u{1B}]2;t\u{07}中\u{1B}P$qm\u{1B}\\d"
        let whole = parse(input)
        for size in 1...7 {
            let chunked = parse(input, chunk: size)
            // ASCII runs may split differently; compare with runs merged.
            #expect(merge(chunked) == merge(whole))
        }
    }

    private func merge(_ log: [String]) -> [String] {
        var out: [String] = []
        for entry in log {
            if entry.hasPrefix("text "), let last = out.last, last.hasPrefix("text ") {
                out[out.count - 1] = last + entry.dropFirst(5)
            } else {
                out.append(entry)
            }
        }
        return out
    }
}
