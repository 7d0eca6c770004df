import Dispatch
import Foundation
import Testing

@testable import LedgerStore

/// `BackgroundResult` hands back what its work returned or threw, on another thread than the
/// caller's, as often as it is asked.
@Suite struct BackgroundResultTests {
    struct Failure: Error, Equatable {}

    @Test func aValueIsHandedBackToEveryCall() throws {
        let callerThread = pthread_self()
        let result = BackgroundResult { () -> Bool in pthread_equal(pthread_self(), callerThread) == 0 }
        #expect(try result.value(), "the work ran on another thread")
        #expect(try result.value())
    }

    @Test func anErrorIsThrownToEveryCall() {
        let result = BackgroundResult { () -> Int in throw Failure() }
        #expect(throws: Failure.self) { try result.value() }
        #expect(throws: Failure.self) { try result.value() }
    }

    @Test func theCallerWaitsForWorkStillRunning() throws {
        let started = DispatchSemaphore(value: 0)
        let result = BackgroundResult { () -> Int in
            started.signal()
            Thread.sleep(forTimeInterval: 0.2)
            return 7
        }
        started.wait()
        #expect(try result.value() == 7)
    }
}
