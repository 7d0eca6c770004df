import Foundation
import LedgerCore
import LedgerStore
import Synchronization
import Testing

/// Reads from request handlers must not wait on one another through the cooperative thread pool:
/// a read that holds one of GRDB's readers while suspended, waiting for a pool thread, and pool
/// threads blocked waiting for a reader, stop the whole server (seen under load at 2 cores: every
/// request hung, /health included).
@Suite struct ConcurrentReadsTests {
    @Test func manyConcurrentReadsOfEveryKindAllFinish() async throws {
        // A deadlocked cooperative pool cannot run Swift Testing's own time limit either, so a
        // plain thread watches: a hang fails the run loudly instead of stalling CI. The reads
        // take a second alone, but in the whole suite they wait for a pool thread behind every
        // test that blocks one (clean-clone runs took 61 s and 54 s; a CI run whose output kept
        // only a trap's backtrace most likely died of the old 60 s limit), so the limit is five
        // minutes: a deadlock never ends.
        let done = Atomic<Bool>(false)
        Thread.detachNewThread {
            for _ in 0..<3_000 {
                Thread.sleep(forTimeInterval: 0.1)
                if done.load(ordering: .acquiring) { return }
            }
            fatalError("concurrent reads deadlocked: the cooperative pool waits for readers held by suspended tasks")
        }
        defer { done.store(true, ordering: .releasing) }
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        let reads = 2_000
        let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<reads {
                group.addTask {
                    switch index % 4 {
                    case 0: return try await test.ledger.connection(id: "c1") != nil
                    case 1: return try await test.ledger.spend(id: "none") == nil
                    case 2: return try await test.ledger.budgetStatus(connectionId: "c1") != nil
                    default: return try await test.ledger.token(jti: "none") == nil
                    }
                }
            }
            var count = 0
            for try await answered in group where answered { count += 1 }
            return count
        }
        #expect(finished == reads)
    }
}
