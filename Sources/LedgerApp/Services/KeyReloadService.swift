import Foundation
import LedgerAuth
import Logging
import ServiceLifecycle

/// Picks up `grantledger keys rotate` without a restart: every few seconds it lists the key
/// directory and hands a changed list to the ring, so new tokens are signed with the new key.
package struct KeyReloadService: Service {
    package let ring: SigningKeyRing
    /// The data directory; keys live in its `keys/`.
    package let directory: String?
    package let logger: Logger
    package var interval: Duration = .seconds(5)

    package init(ring: SigningKeyRing, directory: String?, logger: Logger, interval: Duration = .seconds(5)) {
        self.ring = ring
        self.directory = directory
        self.logger = logger
        self.interval = interval
    }

    package func run() async throws {
        guard let directory else {
            try? await gracefulShutdown()
            return
        }
        let store = KeyStore(dataDirectory: directory)
        // Cancelled at once by a graceful shutdown, not after the current sleep.
        try? await cancelWhenGracefulShutdown {
            // Only a changed directory listing is worth reading and parsing the PEM files.
            var seen = (try? store.allFileNames()) ?? []
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    let names = try store.allFileNames()
                    guard names != seen else { continue }
                    let keys = try store.list()
                    let rsaKeys = try store.rsaKeys()
                    // Only once parsed: a key file caught half-written is read again next time.
                    defer { seen = names }
                    if try await ring.update(keys, rsa: rsaKeys) {
                        logger.notice(
                            "signing keys reloaded",
                            metadata: ["active_kid": "\(keys.last?.kid ?? "")", "count": "\(keys.count)"])
                    }
                } catch {
                    logger.error("cannot reload signing keys", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
