import Foundation
import LedgerTestSupport
import PropertyBased
import Testing

@testable import LedgerCore

/// `EventMetadata` writes its canonical JSON by hand (`CanonicalJSONWriting`) and reads it back
/// by hand (`CanonicalJSONReading`): the bytes must be Foundation's, since they are hashed into
/// the log, and the value read Foundation's, since every replay reads them back.
@Suite struct EventMetadataJSONTests {
    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func written(_ value: some CanonicalJSONWriting) -> String {
        var bytes: [UInt8] = []
        value.appendCanonicalJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func foundationWrites(_ value: some Encodable) throws -> String {
        String(decoding: try foundation.encode(value), as: UTF8.self)
    }

    @Test func anyMetadataIsWrittenAsFoundationWritesIt() async {
        let texts = Gen.int(in: 0...(TrickyTexts.pieces.count - 1)).array(of: 0...6)
        await propertyCheck(count: 1_000, input: texts, texts, texts, Gen.int(in: 0...63)) {
            first, second, third, shape in
            var metadata = TrickyTexts.metadata(first, second, third, shape: shape)
            metadata.requestDigest = shape & 32 == 0 ? nil : TrickyTexts.text(first)
            let foundation = try Self.foundationWrites(metadata)
            #expect(Self.written(metadata) == foundation)
            #expect(String(decoding: try CanonicalJSON.encode(metadata), as: UTF8.self) == foundation)
            // And read back by its own reader, as Foundation reads it.
            let data = Data(foundation.utf8)
            let read = try CanonicalJSONObjectReader.read(EventMetadata.self, from: data)
            #expect(read == metadata)
            #expect(read == (try JSONDecoder().decode(EventMetadata.self, from: data)))
            // Byte for byte: `==` on texts would pass canonically equivalent ones.
            #expect(Array(Self.written(read).utf8) == Array(foundation.utf8))
        }
    }

    /// Every optional member present, and none: the members' order is their keys' byte order
    /// (`action` < `actor`, `request_digest` < `request_id`, `source` < `subject`, `id` < `id_type`).
    @Test(arguments: [
        (
            EventMetadata(
                actor: .init(id: "u", role: "user"), action: .read, source: .init(serviceId: "s"), requestId: "r"),
            #"{"action":"R","actor":{"id":"u","role":"user"},"request_id":"r","source":{"service_id":"s"}}"#
        ),
        (
            {
                var full = EventMetadata(
                    actor: .init(id: "connection:c", role: "app"), onBehalfOf: "payer",
                    subject: .init(id: "payer", idType: "user"), action: .execute, purpose: "TREAT",
                    source: .init(serviceId: "grantledger", ip: "127.0.0.1"), requestId: "r1", traceId: "t/1")
                full.requestDigest = "d"
                return full
            }(),
            #"{"action":"E","actor":{"id":"connection:c","role":"app"},"on_behalf_of":"payer","purpose":"TREAT","request_digest":"d","request_id":"r1","source":{"ip":"127.0.0.1","service_id":"grantledger"},"subject":{"id":"payer","id_type":"user"},"trace_id":"t/1"}"#
        ),
    ])
    func theMembersComeInTheirKeysOrder(_ metadata: EventMetadata, _ expected: String) throws {
        #expect(Self.written(metadata) == expected)
        #expect(try Self.foundationWrites(metadata) == expected)
    }

    @Test func theLogsOwnMetadataIsWrittenBackByteForByte() throws {
        let meta = try JSONDecoder().decode(EventMetadata.self, from: Data(StoredFixtures.meta.utf8))
        #expect(Self.written(meta) == StoredFixtures.meta)
    }
}
