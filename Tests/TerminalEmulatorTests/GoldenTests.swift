import Testing
@testable import TerminalEmulator

@Suite("Golden screens")
struct GoldenTests {
    @Test("golden files exist and parse")
    func filesParse() throws {
        let names = GoldenLoader.fileNames()
        #expect(names.count >= 12, "expected one golden file per family, found \(names)")
        for name in names {
            let cases = try GoldenLoader.load(name)
            #expect(!cases.isEmpty, "\(name) has no cases")
        }
    }

    @Test("golden case", arguments: GoldenLoader.fileNames())
    func goldenFile(_ fileName: String) throws {
        for c in try GoldenLoader.load(fileName) {
            let failures = c.run()
            for f in failures {
                Issue.record("\(c.description): \(f)")
            }
        }
    }
}
