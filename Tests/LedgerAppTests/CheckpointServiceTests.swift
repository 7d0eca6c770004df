import Foundation
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerTestSupport
import Logging
import Testing

/// The checkpoint service: when it signs the head, with which key, and that the key is in the log.
@Suite struct CheckpointServiceTests {
    struct Fixture {
        let directory: URL
        let ledger: Ledger
        let keyStore: KeyStore
        let context = WriteContext(
            EventMetadata(
                actor: .init(id: "admin", role: "admin"), action: .create, source: .init(serviceId: "grantledger-tests"),
                requestId: "checkpoint-test"))

        init() throws {
            directory = try TemporaryDirectory.make("gl-checkpoints")
            ledger = try Ledger(
                path: directory.appendingPathComponent("ledger.sqlite").path, options: .init(synchronous: .normal))
            keyStore = KeyStore(dataDirectory: directory.path)
        }

        func service(everyEvents: Int64 = 1_000, afterHeadMoved: Duration = .seconds(3600)) async throws
            -> CheckpointService
        {
            try await CheckpointService.prepare(
                ledger: ledger, keyStore: keyStore, logger: Logger(label: "test"), everyEvents: everyEvents,
                afterHeadMoved: afterHeadMoved
            ).service
        }

        func grant(_ id: String) async throws {
            let grant = try GrantConnection(
                connectionId: id, userId: "alice", name: "App \(id)", scopes: ["get_info"], budget: nil,
                expiresAtSec: nil, nowMs: Date().unixMs)
            _ = try await ledger.grantConnection(grant, context)
        }

        /// Waits up to two seconds for a checkpoint at `seq` or beyond.
        func checkpointed(atLeast seq: Int64) async throws -> Int64 {
            for _ in 0..<200 {
                let checkpointed = try ledger.checkpointedSeq()
                if checkpointed >= seq { return checkpointed }
                try await Task.sleep(for: .milliseconds(10))
            }
            return try ledger.checkpointedSeq()
        }
    }

    @Test func theFirstStartGeneratesAnOwnerOnlyKeyAndRecordsItInTheLogOnce() async throws {
        let fixture = try Fixture()
        let first = try await CheckpointService.prepare(
            ledger: fixture.ledger, keyStore: fixture.keyStore, logger: Logger(label: "test"))
        #expect(first.generated)
        #expect(URL(fileURLWithPath: first.key.path).lastPathComponent.hasPrefix("checkpoint-es256-"))
        let mode = try FileManager.default.attributesOfItem(atPath: first.key.path)[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
        let second = try await CheckpointService.prepare(
            ledger: fixture.ledger, keyStore: fixture.keyStore, logger: Logger(label: "test"))
        #expect(!second.generated && second.key.kid == first.key.kid)
        // The kid is the same RFC 7638 thumbprint the token keys use.
        #expect(try fixture.ledger.checkpointKeys().map(\.kid) == [first.key.kid])
        #expect(try fixture.keyStore.list().isEmpty, "a checkpoint key is not a token signing key")
    }

    @Test func aCheckpointFollowsTheDelayAfterTheHeadMoved() async throws {
        let fixture = try Fixture()
        let service = try await fixture.service(afterHeadMoved: .milliseconds(50))
        try await service.run {
            #expect(try await fixture.checkpointed(atLeast: 1) == 1, "the key event left unsigned at start")
            try await fixture.grant("c1")
            #expect(try await fixture.checkpointed(atLeast: 2) == 2)
        }
        #expect(try fixture.ledger.verify().isIntact)
    }

    @Test func everyNEventsGetACheckpointWithoutWaitingForTheDelay() async throws {
        let fixture = try Fixture()
        let service = try await fixture.service(everyEvents: 3)
        try await service.run {
            for index in 1...3 { try await fixture.grant("c\(index)") }
            // seq 1 is the key; the third grant is the third event past the (absent) last checkpoint.
            #expect(try await fixture.checkpointed(atLeast: 3) >= 3)
        }
    }

    @Test func theShutdownCheckpointCoversTheLastCommitAndAnIdleServiceWritesNothing() async throws {
        let fixture = try Fixture()
        let service = try await fixture.service(afterHeadMoved: .milliseconds(20))
        try await service.run {
            #expect(try await fixture.checkpointed(atLeast: 1) == 1)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try fixture.ledger.checkpointedSeq() == 1, "nothing changed, nothing signed")
        }
        let slow = try await fixture.service()
        try await slow.run {
            try await fixture.grant("c1")
            try await fixture.grant("c2")
        }
        #expect(try fixture.ledger.latestCheckpoint()?.seq == 3)
        let report = try fixture.ledger.verify()
        #expect(report.isIntact && report.checkpointsChecked == 2)
    }
}
