import Crypto
import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore
import Logging
import ServiceLifecycle

/// Signs the chain head with the checkpoint key (NEN 7513: a log rewritten or cut back must be
/// detectable): a checkpoint once `everyEvents` events were appended since the last one, or
/// `afterHeadMoved` after the head first moved past it, whichever comes first; and one at graceful
/// shutdown. While the log does not change it waits on the writer's commits: no polling, no reads.
///
/// Start it after the server (outside the application's own service group) so its graceful
/// shutdown comes after the writer drained and the final checkpoint covers the last commit.
package struct CheckpointService: Service {
    package let ledger: Ledger
    package let signer: CheckpointSigner
    package let logger: Logger
    package let everyEvents: Int64
    package let afterHeadMoved: Duration

    package init(
        ledger: Ledger, signer: CheckpointSigner, logger: Logger, everyEvents: Int64 = 1_000,
        afterHeadMoved: Duration = .seconds(1)
    ) {
        self.ledger = ledger
        self.signer = signer
        self.logger = logger
        self.everyEvents = max(1, everyEvents)
        self.afterHeadMoved = afterHeadMoved
    }

    package static let metadata = SystemActor.metadata("checkpoints", action: .create, purpose: "checkpoint key")

    /// The checkpoint key from `DATA_DIR/keys/checkpoint-es256-<ms>.pem`, generated on first start,
    /// and every checkpoint key's public half recorded in the log (once each), so a verifier finds
    /// them all there. Returns the service signing with the newest key.
    package static func prepare(
        ledger: Ledger, keyStore: KeyStore, logger: Logger, everyEvents: Int64 = 1_000,
        afterHeadMoved: Duration = .seconds(1), now: Date = Date()
    ) async throws -> (service: CheckpointService, key: SigningKey, generated: Bool) {
        let (active, generated) = try keyStore.activeCheckpointKey(now: now)
        for key in try keyStore.checkpointKeys() {
            if try await ledger.recordCheckpointKey(key.privateKey.publicKey, WriteContext(metadata)) {
                logger.notice("checkpoint key recorded", metadata: ["kid": "\(key.kid)"])
            }
        }
        let service = CheckpointService(
            ledger: ledger, signer: CheckpointSigner(privateKey: active.privateKey), logger: logger,
            everyEvents: everyEvents, afterHeadMoved: afterHeadMoved)
        return (service, active, generated)
    }

    package func run() async throws {
        var failure: (any Error)?
        do {
            try await signWhileRunning()
        } catch {
            // A service cancelled before it got going lands here too: it still signs the head.
            if !Task.isCancelled { failure = error }
        }
        // Graceful shutdown: sign the final head. In a task of its own, so a cancelled service
        // still does (the database refuses work to a cancelled task).
        _ = await Task { await checkpoint() }.value
        if let failure { throw failure }
    }

    private func signWhileRunning() async throws {
        let watch = try await ledger.watchHead()
        let initial = try ledger.checkpointedSeq()
        let everyEvents = self.everyEvents
        let afterHeadMoved = self.afterHeadMoved
        try? await cancelWhenGracefulShutdown {
            var checkpointed = initial
            while !Task.isCancelled {
                // Sleeps until a commit moves the head past the last checkpoint (at start: right
                // away when the last run left events unsigned).
                await watch.wait(untilHeadReaches: checkpointed + 1)
                if Task.isCancelled { break }
                let enough = checkpointed + everyEvents
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await watch.wait(untilHeadReaches: enough) }
                    group.addTask { try? await Task.sleep(for: afterHeadMoved) }
                    await group.next()
                    group.cancelAll()
                }
                if Task.isCancelled { break }
                // On failure it tries again `afterHeadMoved` later.
                checkpointed = await checkpoint() ?? checkpointed
            }
        }
    }

    /// Runs the service beside `body` (the server, with its own service group and signal handling)
    /// and stops it once `body` returned or threw: after the server's graceful shutdown drained
    /// the writer, so the final checkpoint covers the last commit.
    package func run<T>(around body: () async throws -> T) async throws -> T {
        let task = Task { try await self.run() }
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        task.cancel()
        if case .failure(let error) = await task.result {
            logger.error("the checkpoint service stopped", metadata: ["error": "\(error)"])
        }
        return try result.get()
    }

    /// The newest checkpointed seq after signing the head, nil when that failed.
    private func checkpoint() async -> Int64? {
        do {
            if let checkpoint = try await ledger.writeCheckpoint(signer) {
                logger.debug("checkpoint written", metadata: ["seq": "\(checkpoint.seq)", "kid": "\(signer.kid)"])
                return checkpoint.seq
            }
            return try ledger.checkpointedSeq()
        } catch {
            logger.warning("cannot write a checkpoint", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
