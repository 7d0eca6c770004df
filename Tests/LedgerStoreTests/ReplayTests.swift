import Foundation
import GRDB
import LedgerCore
import LedgerStore
import Testing
import LedgerTestSupport

@Suite struct ReplayTests {
    /// Grants, updates, revocations and refusals, with the clock moving between them.
    func mixedWorkload(_ test: TestLedger) async throws {
        for index in 0..<30 {
            try await test.submit(try test.grantCommand("c\(index)", user: "user-\(index % 4)"))
            test.clock.advance(ms: 1000)
        }
        for index in stride(from: 0, to: 30, by: 3) {
            try await test.submit(
                .update(
                    try UpdateConnection(
                        connectionId: "c\(index)", scopes: ["get_balance", "pay_invoice"],
                        budget: .set(BudgetDefinition(amount: 500, period: .weekly)), nowMs: test.nowMs)))
        }
        for index in stride(from: 0, to: 30, by: 5) {
            try await test.submit(.revoke(try RevokeConnection(connectionId: "c\(index)", reason: "test")))
        }
        try await test.submit(.revoke(try RevokeConnection(connectionId: "c0")))  // refused: already revoked
        try await test.submit(.revoke(try RevokeConnection(connectionId: "ghost")))  // refused: not found
    }

    @Test func replayAfterAMixedWorkloadEqualsTheLiveProjections() async throws {
        let test = try TestLedger()
        try await mixedWorkload(test)
        let live = try test.ledger.projectionChecksums()
        let liveRows = try await test.ledger.connections(userId: nil, status: nil, afterId: nil, limit: 100)
        let report = try await test.ledger.replay()
        #expect(report.eventCount == 30 + 10 + 6 + 2)
        #expect(report.checksums == live)
        #expect(try await test.ledger.connections(userId: nil, status: nil, afterId: nil, limit: 100) == liveRows)
        #expect(try test.ledger.verify().isIntact)
    }

    @Test func replayUntilASeqWritesTheEarlierStateToANewFile() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))  // seq 1
        try await test.submit(.revoke(try RevokeConnection(connectionId: "c1")))  // seq 2
        let out = test.directory.appendingPathComponent("as-of-1.sqlite").path
        let report = try test.ledger.replay(until: .seq(1), into: out)
        #expect(report.eventCount == 1)
        let earlier = try Ledger(path: out)
        #expect(try await earlier.connection(id: "c1")?.status == .active)
        #expect(try earlier.verify().isIntact)
        #expect(try await test.ledger.connection(id: "c1")?.status == .revoked)
    }

    @Test func replayUntilATimeStopsAtThatMoment() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("early"))
        let between = Date(timeIntervalSince1970: Double(test.nowMs) / 1000 + 30)
        test.clock.advance(ms: 60_000)
        try await test.submit(try test.grantCommand("late"))
        let out = test.directory.appendingPathComponent("as-of-time.sqlite").path
        let report = try test.ledger.replay(until: .time(between), into: out)
        #expect(report.eventCount == 1)
        let earlier = try Ledger(path: out)
        #expect(try await earlier.connection(id: "early") != nil)
        #expect(try await earlier.connection(id: "late") == nil)
    }

    @Test func replayUntilRefusesToOverwriteAFile() async throws {
        let test = try TestLedger()
        try await test.submit(try test.grantCommand("c1"))
        #expect(throws: ReplayError.self) { try test.ledger.replay(until: .seq(1), into: test.path) }
    }

    @Test func replayOnABrokenChainRefusesAndKeepsTheProjections() async throws {
        let test = try TestLedger()
        try await mixedWorkload(test)
        try await test.ledger.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            try db.execute(sql: "UPDATE events SET recorded_at = recorded_at + 1 WHERE seq = 7")
        }
        // Taken after the tampering: the audit trail's checksum reads each record's time from its
        // event, so the edited event shows in it; the replay must change nothing more.
        let before = try test.ledger.projectionChecksums()
        await #expect(throws: ReplayError.self) { try await test.ledger.replay() }
        #expect(try test.ledger.projectionChecksums() == before)
    }
}
