import Foundation
import LedgerCore
import LedgerTestSupport
import PropertyBased
import Testing

@testable import LedgerStore

/// The writer's projections take the envelope's `metadata` for the metadata a replay reads back from the
/// stored `meta`. The envelope no longer reads it back: it must be what reading back would give,
/// byte for byte in every text, or the audit rows written live would differ from a replay's.
@Suite struct CommandEnvelopeTests {
    /// What reading `encoded` back gives, as the replay does it.
    static func readBack(_ encoded: Data) throws -> EventMetadata {
        try CanonicalJSON.decode(EventMetadata.self, from: encoded)
    }

    /// Equal as values and, since `==` on Strings is canonical equivalence, written alike: the
    /// canonical encoding writes each text's own UTF-8 bytes.
    static func sameBytes(_ a: EventMetadata, _ b: EventMetadata) throws -> Bool {
        try a == b && CanonicalJSON.encode(a) == CanonicalJSON.encode(b)
    }

    @Test func theStoredMetadataIsWhatAReplayReadsBackForAnyTexts() async {
        let texts = Gen.int(in: 0...(TrickyTexts.pieces.count - 1)).array(of: 0...6)
        await propertyCheck(count: 500, input: texts, texts, texts, Gen.int(in: 0...31)) {
            first, second, third, shape in
            let metadata = TrickyTexts.metadata(first, second, third, shape: shape)
            let envelope = try CommandEnvelope(
                SetAdminCredential(tokenSha256: String(repeating: "a", count: 64)), metadata: metadata,
                idempotencyKey: shape % 3 == 0 ? TrickyTexts.text(first) : nil)
            let readBack = try Self.readBack(envelope.encodedMetadata)
            #expect(try Self.sameBytes(envelope.metadata, readBack))
            #expect(envelope.metadata.requestDigest == envelope.requestDigest)
        }
    }

    /// The decomposed "é" and the precomposed one are equal Strings; the one written is the one kept.
    @Test func aTextEqualToAnotherAsAStringKeepsItsOwnBytes() throws {
        let decomposed = EventMetadata(
            actor: .init(id: "e\u{301}", role: "user"), action: .read, source: .init(serviceId: "s"), requestId: "r")
        let envelope = try CommandEnvelope(
            SetAdminCredential(tokenSha256: String(repeating: "b", count: 64)), metadata: decomposed)
        #expect(Array(envelope.metadata.actor.id.utf8) == [0x65, 0xCC, 0x81])
        #expect(Array(try Self.readBack(envelope.encodedMetadata).actor.id.utf8) == [0x65, 0xCC, 0x81])
    }
}
