import LedgerCore
import LedgerStore
import Logging
import ServiceLifecycle

/// Releases holds nobody settled or released in time (DESIGN §7), once a second. Stops with the
/// server; a hold that expires while it is down is released on the first sweep after start.
package struct HoldExpiryService: Service {
    package let ledger: Ledger
    package let logger: Logger
    package var interval: Duration = .seconds(1)

    package init(ledger: Ledger, logger: Logger, interval: Duration = .seconds(1)) {
        self.ledger = ledger
        self.logger = logger
        self.interval = interval
    }

    package static let metadata = SystemActor.metadata("hold-expiry", action: .update, purpose: "reservation timeout")

    package func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let released = try await ledger.expireHolds(metadata: Self.metadata)
                    if released > 0 { logger.info("released expired holds", metadata: ["count": "\(released)"]) }
                } catch let error as LedgerError where error.code == .shuttingDown {
                    return
                } catch {
                    logger.warning("hold expiry sweep failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
