import Logging
import Synchronization
import Testing

@testable import grantledger

/// The text log's handler keeps metadata aside and hands it over with each message logged.
@Suite struct DeferredMetadataLogHandlerTests {
    /// What the inner handler was given, one entry per message.
    final class Received: Sendable {
        let events = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
        let keysSet = Mutex(0)
    }

    /// Records each message with the metadata it came with, and every key set on it.
    struct Recording: LogHandler {
        let received: Received
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set {
                received.keysSet.withLock { $0 += 1 }
                metadata[key] = newValue
            }
        }
        func log(event: LogEvent) {
            received.events.withLock { $0.append(("\(event.message)", event.metadata ?? [:])) }
        }
    }

    @Test func metadataSetOnTheLoggerReachesEachMessageAndTheMessagesOwnWins() {
        let received = Received()
        var logger = Logger(label: "test") { _ in DeferredMetadataLogHandler(Recording(received: received)) }
        logger.logLevel = .info
        logger[metadataKey: "request_id"] = "r1"
        logger[metadataKey: "route"] = "/a"
        logger.debug("below the level")
        logger.info("first", metadata: ["route": "/b", "extra": "x"])
        logger[metadataKey: "request_id"] = nil
        logger.warning("second")
        let events = received.events.withLock { $0 }
        #expect(events.map(\.message) == ["first", "second"])
        #expect(events.first?.metadata == ["request_id": "r1", "route": "/b", "extra": "x"])
        #expect(events.last?.metadata == ["route": "/a"])
        #expect(logger[metadataKey: "route"] == "/a")
        // Nothing reached the inner handler but the messages: it is never asked to keep (and
        // pretty-print) a key.
        #expect(received.keysSet.withLock { $0 } == 0)
    }
}
