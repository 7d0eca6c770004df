import Foundation
import LedgerCore
import Testing

@testable import LedgerStore

/// An event's hash is over a documented canonical form (DESIGN §4): whatever makes it faster,
/// the digests of events already in a log, and of checkpoints kept outside it, must not change.
@Suite struct EventHasherTests {
    /// Digests as the first implementation (a SHA-256 update per field) computed them: with and
    /// without an idempotency key, with non-ASCII text, empty values and a long `meta`.
    @Test func theHashOfAnEventIsTheOneItAlwaysWas() {
        let previous = Data((0..<32).map { UInt8($0 * 7 % 256) })
        let events = [
            RecordedEvent(
                seq: 1, eventId: "01a22f63-55a6-792e-a0ba-88d2d93940c4", idempotencyKey: nil,
                stream: "spend/01a22f63-55a6-792e-a0ba-88d2d93940c5", streamVersion: 1, type: "SpendReserved",
                typeVersion: 1, data: Data(#"{"amount_msat":1000}"#.utf8), meta: Data(#"{"request_id":"r"}"#.utf8),
                recordedAtMs: 1_796_091_368_871, prevHash: EventHasher.genesis),
            RecordedEvent(
                seq: 9_007_199_254_740_993, eventId: "e", idempotencyKey: "Zoë’s key", stream: "connection/ü",
                streamVersion: -1, type: "", typeVersion: 0, data: Data(), meta: Data(repeating: 0x7B, count: 70_000),
                recordedAtMs: -5, prevHash: previous),
        ]
        let digests = events.map { $0.hash.hexString }
        #expect(
            digests == [
                "67148b0fde85f5ed28dba6e7ff3e885949d4c1c710affb0b008cb1f218a0f891",
                "61fa850420e5b7e55899aea28092966be273e586527d3b7b3721bdf3c4959f11",
            ])
    }
}
