import Testing
import VibeScript

/// The `vibe run` script format: words, options, errors with their line.
@Suite("Script steps")
struct ScriptStepTests {
    @Test func parsesEveryStepWithOptionsAnywhere() throws {
        let script = """
            # a comment, then a blank line

            send 'make test' Enter   # trailing comment
            send -l "say \\"hi\\"" C-c
            expect --timeout 60 'passed'
            expect 'done' --on line --regex\r
            capture --format dump --scrollback 5
            sleep 0.5
            wait-quiet 300 --timeout 5
            wait-exit
            """
        let steps = try ScriptStep.parse(script).get()
        #expect(steps.map(\.line) == [3, 4, 5, 6, 7, 8, 9, 10])
        #expect(steps[0].action == .send(words: ["make test", "Enter"], literal: false))
        #expect(steps[1].action == .send(words: ["say \"hi\"", "C-c"], literal: true))
        #expect(steps[2].action == .expect(ScreenPattern(text: "passed"), scope: .screen, timeout: .seconds(60)))
        #expect(steps[3].action == .expect(try ScreenPattern(regex: "done"), scope: .line, timeout: ScriptStep.defaultTimeout))
        #expect(steps[4].action == .capture(.dump, scrollback: 5))
        #expect(steps[5].action == .sleep(.milliseconds(500)))
        #expect(steps[6].action == .waitQuiet(.milliseconds(300), timeout: .seconds(5)))
        #expect(steps[7].action == .waitExit(timeout: ScriptStep.defaultTimeout))
    }

    @Test func aWrongLineIsNamed() {
        let cases: [(String, String)] = [
            ("send x\nfrobnicate", "line 2: unknown step frobnicate"),
            ("expect 'open", "line 1: a ' is not closed"),
            ("expect a b", "line 1: expect takes one pattern (quote it)"),
            ("expect --on nowhere x", "line 1: --on is screen, line or stream, not nowhere"),
            ("send --timeout 5 x", "line 1: send takes no --timeout"),
            ("expect --bogus x", "line 1: unknown option --bogus (put -- before a pattern that starts with -)"),
            ("sleep forever", "line 1: sleep takes seconds, e.g. sleep 0.5"),
            ("expect --regex '('", "line 1: bad pattern"),
        ]
        for (script, message) in cases {
            guard case .failure(let error) = ScriptStep.parse(script) else {
                Issue.record("\(script) should not parse")
                continue
            }
            #expect(error.description.hasPrefix(message), "\(script): \(error)")
        }
    }

    @Test func aPatternThatLooksLikeAnOptionGoesAfterDashes() throws {
        let steps = try ScriptStep.parse("expect -- --version\nsend -- -x").get()
        #expect(steps[0].action == .expect(ScreenPattern(text: "--version"), scope: .screen, timeout: ScriptStep.defaultTimeout))
        #expect(steps[1].action == .send(words: ["-x"], literal: false))
    }
}
