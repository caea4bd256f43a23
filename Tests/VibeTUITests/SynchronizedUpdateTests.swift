import Testing
@testable import VibeTUI

@Suite struct SynchronizedUpdateTests {
    @Test func anOpenUpdateHoldsTheFrameUntilItEndsOrTimesOut() {
        let start = ContinuousClock.now
        var update = SynchronizedUpdate()
        #expect(!update.holds(at: start))
        update.observe(true, at: start)
        #expect(update.holds(at: start + .milliseconds(100)))
        update.observe(true, at: start + .milliseconds(100))
        #expect(update.since == start, "a longer update keeps its start")
        #expect(!update.holds(at: start + SynchronizedUpdate.timeout), "an update left open is drawn anyway")
        update.observe(false, at: start + .milliseconds(120))
        #expect(!update.holds(at: start + .milliseconds(121)), "the end of the update releases the frame")
    }
}
