import Testing
import VibeClient

@Suite struct BackoffTests {
    let policy = BackoffPolicy.reconnect

    @Test func ceilingDoublesFrom250msToA10sCap() {
        let ceilings = (0..<10).map { policy.ceiling(attempt: $0) }
        #expect(ceilings[0] == .milliseconds(250))
        #expect(ceilings[1] == .milliseconds(500))
        #expect(ceilings[2] == .seconds(1))
        #expect(ceilings[5] == .seconds(8))
        #expect(ceilings[6] == .seconds(10))
        #expect(ceilings[9] == .seconds(10))
        #expect(policy.ceiling(attempt: 10_000) == .seconds(10))
    }

    @Test func fullJitterStaysWithinZeroAndTheCeiling() {
        for attempt in 0..<12 {
            #expect(policy.delay(attempt: attempt, unit: 0) == .zero)
            #expect(policy.delay(attempt: attempt, unit: 1) == policy.ceiling(attempt: attempt))
            let mid = policy.delay(attempt: attempt, unit: 0.5)
            #expect(mid > .zero && mid < policy.ceiling(attempt: attempt))
        }
        #expect(policy.delay(attempt: 2, unit: 0.5) == .milliseconds(500))
    }

    @Test func injectedRandomSourceMakesSequencesDeterministic() {
        var backoff = Backoff(policy: policy, random: .constant(1))
        let delays = (0..<8).map { _ in backoff.next() }
        #expect(
            delays == [
                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
                .seconds(10), .seconds(10),
            ])
        backoff.reset()
        #expect(backoff.attempt == 0)
        #expect(backoff.next() == .milliseconds(250))

        var seq = Backoff(policy: policy, random: .sequence([0.5, 0.25, 0]))
        #expect(seq.next() == .milliseconds(125))
        #expect(seq.next() == .milliseconds(125))
        #expect(seq.next() == .zero)
        #expect(seq.next() == .zero)
    }

    @Test func equalJitterNeverGoesBelowHalf() {
        let p = BackoffPolicy(initial: .milliseconds(300), maximum: .seconds(2), multiplier: 1.5, jitter: .equal)
        #expect(p.delay(attempt: 0, unit: 0) == .milliseconds(150))
        #expect(p.delay(attempt: 0, unit: 1) == .milliseconds(300))
        #expect(p.ceiling(attempt: 20) == .seconds(2))
    }
}
