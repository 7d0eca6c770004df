import LedgerCore
import LedgerStore
import Logging
import ServiceLifecycle

/// Releases holds nobody settled or released in time (DESIGN §7), once a second. Stops with the
/// server; a hold that expires while it is down is released on the first sweep after start.
struct HoldExpiryService: Service {
    let ledger: Ledger
    let logger: Logger
    var interval: Duration = .seconds(1)

    static let metadata = EventMetadata(
        actor: .init(id: "system:hold-expiry", role: "system"), action: .update,
        purpose: "reservation timeout", source: .init(serviceId: RequestMetadata.serviceId),
        requestId: "hold-expiry")

    func run() async throws {
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
