import Foundation
import GRDB
import LedgerCore
import LedgerStore
import Synchronization
import LedgerTestSupport

/// A ledger in a fresh temporary directory, with a clock the test controls.
struct TestLedger {
    let ledger: Ledger
    let directory: URL
    let clock: TestClock
    var path: String { directory.appendingPathComponent("ledger.sqlite").path }

    /// `synchronous: .normal` skips the fsync of each commit, for tests that commit thousands.
    init(
        writer: WriterConfiguration = .init(), clock: TestClock = TestClock(), synchronous: Ledger.Synchronous = .full,
        projections: Projections = .standard, wrapWALSync: @escaping @Sendable (any WALSyncing) -> any WALSyncing = { $0 },
        afterBatchCommit: (@Sendable () -> Void)? = nil
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.clock = clock
        var options = Ledger.Options(synchronous: synchronous, writer: writer, clock: clock.now)
        options.wrapWALSync = wrapWALSync
        options.afterBatchCommit = afterBatchCommit
        ledger = try Ledger(
            path: directory.appendingPathComponent("ledger.sqlite").path, options: options, projections: projections)
    }

    var nowMs: Int64 { clock.ms }

    func grantCommand(_ id: String, user: String = "user-1", scopes: [String] = ["pay_invoice"]) throws
        -> ConnectionCommand
    {
        .grant(
            try GrantConnection(
                connectionId: id, userId: user, name: "App \(id)", scopes: scopes, budget: nil, expiresAtSec: nil,
                nowMs: nowMs))
    }

    func envelope(
        _ command: ConnectionCommand, key: String? = nil, digest: String? = nil, expectedVersion: Int64? = nil
    )
        throws -> CommandEnvelope
    {
        try CommandEnvelope(
            ConnectionCommandHandler(command), metadata: Self.metadata, idempotencyKey: key, requestDigest: digest,
            expectedVersion: expectedVersion)
    }

    @discardableResult
    func submit(_ command: ConnectionCommand, key: String? = nil, digest: String? = nil, expectedVersion: Int64? = nil)
        async throws -> CommandOutcome
    {
        try await ledger.submit(try envelope(command, key: key, digest: digest, expectedVersion: expectedVersion))
    }

    /// A reserve of 1,000 msat (fee reserve 10, held 60 s) on the connection, as the tests' spends make.
    static func reserveEnvelope(spendId: String, connectionId: String, method: String) throws -> CommandEnvelope {
        try CommandEnvelope(
            SpendCommandHandler(
                .reserve(
                    try ReserveSpend(
                        spendId: spendId, connectionId: connectionId, method: method, amountMsat: 1_000,
                        feeReserveMsat: 10, holdTimeoutMs: 60_000))),
            metadata: metadata)
    }

    static let metadata = EventMetadata(
        actor: .init(id: "admin", role: "admin"), subject: .init(id: "user-1", idType: "user"), action: .create,
        purpose: "test", source: .init(serviceId: "tests", ip: "127.0.0.1"), requestId: "req-1")
}

extension TestLedger {
    /// The spend's row itself, read from the file: not a held spend answered from memory
    /// (`CommittedHeldSpends`), as `Ledger.spend(id:)` may.
    func spendRow(_ id: String) async throws -> Spend? {
        try await ledger.database.read { try SpendsProjection.fetch(id: id, $0) }
    }
}
