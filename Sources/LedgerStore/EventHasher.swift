import Crypto
import Foundation

/// The hash chain of DESIGN §3: `hash = SHA256(prev_hash ‖ canonical encoding of the other columns)`.
/// Canonical encoding: integers as 8-byte big-endian, byte strings as a 4-byte big-endian length
/// followed by the bytes, the nullable idempotency key behind a 0/1 presence byte. Lengths make the
/// encoding unambiguous (no two rows encode alike), which a plain concatenation would not be.
public enum EventHasher {
    public static let genesis = Data(repeating: 0, count: 32)

    public static func hash(of event: RecordedEvent) -> Data {
        var hasher = SHA256()
        hasher.update(data: event.prevHash)
        hasher.append(event.seq)
        hasher.append(bytes: Data(event.eventId.utf8))
        if let key = event.idempotencyKey {
            hasher.update(data: [1])
            hasher.append(bytes: Data(key.utf8))
        } else {
            hasher.update(data: [0])
        }
        hasher.append(bytes: Data(event.stream.utf8))
        hasher.append(event.streamVersion)
        hasher.append(bytes: Data(event.type.utf8))
        hasher.append(Int64(event.typeVersion))
        hasher.append(bytes: event.data)
        hasher.append(bytes: event.meta)
        hasher.append(event.recordedAtMs)
        return Data(hasher.finalize())
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
