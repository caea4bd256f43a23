#if canImport(Glibc)
import Glibc
import Testing
@testable import TerminalEmulator

@Suite("Width table")
struct WidthTableTests {
    /// The generated table must agree with this machine's glibc wcwidth in C.UTF-8 for
    /// every scalar (when the glibc version matches the one the table was generated from).
    @Test func matchesGlibcWcwidth() throws {
        // wcwidth and gnu_get_libc_version are not imported by the Glibc module: look them up.
        typealias WcwidthFn = @convention(c) (Int32) -> Int32
        typealias VersionFn = @convention(c) () -> UnsafePointer<CChar>
        guard let libc = dlopen(nil, RTLD_NOW),
              let wcwidthSymbol = dlsym(libc, "wcwidth"),
              let versionSymbol = dlsym(libc, "gnu_get_libc_version") else { return }
        let wcwidth = unsafeBitCast(wcwidthSymbol, to: WcwidthFn.self)
        let version = String(cString: unsafeBitCast(versionSymbol, to: VersionFn.self)())
        guard version == WidthTable.glibcVersion, setlocale(LC_CTYPE, "C.UTF-8") != nil else { return }
        var mismatches: [String] = []
        for v in UInt32(0x20)...0x10FFFF {
            if (0x7F...0x9F).contains(v) || (0xD800...0xDFFF).contains(v) { continue }
            let w = wcwidth(Int32(bitPattern: v))
            let expected = w < 0 ? 1 : Int(w)
            if CharacterWidth.of(v) != expected && mismatches.count < 10 {
                mismatches.append("U+\(String(v, radix: 16)): glibc \(w), table \(CharacterWidth.of(v))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
#endif
