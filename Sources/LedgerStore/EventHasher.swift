import Crypto
import Foundation

/// The hash chain of DESIGN §3: `hash = SHA256(prev_hash ‖ canonical encoding of the other columns)`.
/// Canonical encoding: integers as 8-byte big-endian, byte strings as a 4-byte big-endian length
/// followed by the bytes, the nullable idempotency key behind a 0/1 presence byte. Lengths make the
/// encoding unambiguous (no two rows encode alike), which a plain concatenation would not be.
public enum EventHasher {
    public static let genesis = Data(repeating: 0, count: 32)

    /// The encoding laid out in one buffer (`GrowableBytes`, as the chain check lays out its
    /// rows) and hashed in one call: a SHA-256 update per field (fifteen, with a `Data` made for each text) took, under
    /// callgrind, 39,450 instructions per event in the writer against 33,700 (30,600 since the
    /// buffer is `GrowableBytes`); `replay`,
    /// which hashes every event again, 257,100 against 251,800 per event. The digests are
    /// held by `theHashOfAnEventIsTheOneItAlwaysWas`.
    public static func hash(of event: RecordedEvent) -> Data {
        // 33: four integers and the key's presence byte; 6 * 4: the byte strings' lengths.
        let bytes = GrowableBytes(
            capacity: event.prevHash.count + 33 + 6 * 4 + event.eventId.utf8.count
                + (event.idempotencyKey?.utf8.count ?? 0) + event.stream.utf8.count + event.type.utf8.count
                + event.data.count + event.meta.count)
        event.prevHash.withUnsafeBytes { bytes.append($0) }
        bytes.appendBigEndian(event.seq)
        appendWithLength(event.eventId, to: bytes)
        if let key = event.idempotencyKey {
            bytes.append(1)
            appendWithLength(key, to: bytes)
        } else {
            bytes.append(0)
        }
        appendWithLength(event.stream, to: bytes)
        bytes.appendBigEndian(event.streamVersion)
        appendWithLength(event.type, to: bytes)
        bytes.appendBigEndian(Int64(event.typeVersion))
        event.data.withUnsafeBytes { bytes.appendWithLength($0) }
        event.meta.withUnsafeBytes { bytes.appendWithLength($0) }
        bytes.appendBigEndian(event.recordedAtMs)
        return Data(SHA256.hash(data: bytes.buffer))
    }

    private static func appendWithLength(_ text: String, to bytes: GrowableBytes) {
        var text = text
        text.withUTF8 { bytes.appendWithLength(UnsafeRawBufferPointer($0)) }
    }
}
