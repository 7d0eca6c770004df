import LedgerApp
import Foundation
import LedgerHTTP
import Synchronization
import Testing
import LedgerTestSupport

@Suite struct SubjectRateLimiterTests {
    let clock = TestClock()

    func limiter(ratePerMinute: Int = 6, burst: Int = 3, capacityMax: Int = 100_000) -> SubjectRateLimiter {
        let clock = clock
        return SubjectRateLimiter(ratePerMinute: ratePerMinute, burst: burst, capacityMax: capacityMax) { clock.date }
    }

    @Test func aBurstIsAllowedThenRefusedWithRetryAfter() {
        let limiter = limiter()
        for _ in 0..<3 { #expect(limiter.allow("alice") == (true, 0)) }
        // 6 a minute: one token every 10 s.
        #expect(limiter.allow("alice") == (false, 10))
        clock.advance(seconds: 4)
        #expect(limiter.allow("alice") == (false, 6))
    }

    @Test func tokensRefillOverTimeUpToTheBurst() {
        let limiter = limiter()
        for _ in 0..<3 { _ = limiter.allow("alice") }
        clock.advance(seconds: 10)
        #expect(limiter.allow("alice").allowed)
        #expect(!limiter.allow("alice").allowed)
        clock.advance(seconds: 3600)
        for _ in 0..<3 { #expect(limiter.allow("alice").allowed) }
        #expect(!limiter.allow("alice").allowed)
    }

    @Test func subjectsHaveSeparateBuckets() {
        let limiter = limiter(burst: 1)
        #expect(limiter.allow("alice").allowed)
        #expect(!limiter.allow("alice").allowed)
        #expect(limiter.allow("bob").allowed)
        #expect(!limiter.allow("bob").allowed)
    }

    @Test func aClockSteppingBackGrantsNothing() {
        let limiter = limiter(burst: 1)
        #expect(limiter.allow("alice").allowed)
        clock.advance(seconds: -3600)
        #expect(!limiter.allow("alice").allowed)
    }

    @Test func theMapNeverHoldsMoreThanCapacityMax() {
        let limiter = limiter(capacityMax: 100)
        for index in 0..<1_000 {
            _ = limiter.allow("subject-\(index)")
            #expect(limiter.trackedSubjects <= 100)
        }
    }

    @Test func refilledBucketsAreDroppedBeforeBusyOnes() {
        let limiter = limiter(burst: 1, capacityMax: 10)
        // Nine quiet subjects, then one busy one that is out of tokens.
        for index in 0..<9 { _ = limiter.allow("quiet-\(index)") }
        clock.advance(seconds: 60)
        _ = limiter.allow("busy")
        #expect(!limiter.allow("busy").allowed)
        // Full map: the newcomer evicts the refilled quiet buckets, not the empty busy one.
        #expect(limiter.allow("newcomer").allowed)
        #expect(limiter.trackedSubjects == 2)
        #expect(!limiter.allow("busy").allowed)
    }

    @Test func withNothingRefilledTheLeastRecentlyUsedGo() {
        let limiter = limiter(burst: 1, capacityMax: 10)
        for index in 0..<10 {
            _ = limiter.allow("s\(index)")
            clock.advance(seconds: 0.5)
        }
        #expect(limiter.allow("newcomer").allowed)
        #expect(limiter.trackedSubjects == 10)
        // s0 was the oldest: forgotten, so it starts over with a full bucket; s9 is still limited.
        #expect(limiter.allow("s0").allowed)
        #expect(!limiter.allow("s9").allowed)
    }

    @Test func concurrentCallersNeverExceedTheBurst() async {
        let limiter = limiter(burst: 50)
        let allowed = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 { group.addTask { limiter.allow("alice").allowed } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 50)
    }
}
