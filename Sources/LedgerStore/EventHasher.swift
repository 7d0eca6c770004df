import Crypto
import Foundation

/// The hash chain of DESIGN §3: `hash = SHA256(prev_hash ‖ canonical encoding of the other columns)`.
/// Canonical encoding: integers as 8-byte big-endian, byte strings as a 4-byte big-endian length
/// followed by the bytes, the nullable idempotency key behind a 0/1 presence byte. Lengths make the
/// encoding unambiguous (no two rows encode alike), which a plain concatenation would not be.
public enum EventHasher {
    public static let genesis = Data(repeating: 0, count: 32)

    /// The encoding laid out in one buffer and hashed in one call, as the chain check hashes a
    /// row: a SHA-256 update per field (fifteen, with a `Data` made for each text) took, under
    /// callgrind, 39,450 instructions per event in the writer against 33,700 now; `replay`,
    /// which hashes every event again, 257,100 against 251,800 per event. The digests are
    /// held by `theHashOfAnEventIsTheOneItAlwaysWas`.
    public static func hash(of event: RecordedEvent) -> Data {
        var bytes: [UInt8] = []
        // 33: four integers and the key's presence byte; 6 * 4: the byte strings' lengths.
        bytes.reserveCapacity(
            event.prevHash.count + 33 + 6 * 4 + event.eventId.utf8.count + (event.idempotencyKey?.utf8.count ?? 0)
                + event.stream.utf8.count + event.type.utf8.count + event.data.count + event.meta.count)
        bytes.append(contentsOf: event.prevHash)
        appendBigEndian(event.seq, to: &bytes)
        appendWithLength(event.eventId.utf8, to: &bytes)
        if let key = event.idempotencyKey {
            bytes.append(1)
            appendWithLength(key.utf8, to: &bytes)
        } else {
            bytes.append(0)
        }
        appendWithLength(event.stream.utf8, to: &bytes)
        appendBigEndian(event.streamVersion, to: &bytes)
        appendWithLength(event.type.utf8, to: &bytes)
        appendBigEndian(Int64(event.typeVersion), to: &bytes)
        appendWithLength(event.data, to: &bytes)
        appendWithLength(event.meta, to: &bytes)
        appendBigEndian(event.recordedAtMs, to: &bytes)
        return Data(SHA256.hash(data: bytes))
    }

    private static func appendBigEndian(_ value: Int64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// A byte string behind its length, 4 bytes big-endian.
    private static func appendWithLength(_ value: some Collection<UInt8>, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(value.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: value)
    }
}

extension SHA256 {
    mutating func append(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { update(bufferPointer: $0) }
    }

    mutating func append(bytes: Data) {
        append(UInt32(bytes.count))
        update(data: bytes)
    }

    mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { update(bufferPointer: $0) }
    }
}
