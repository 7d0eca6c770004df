import Crypto
import Foundation

/// The hash chain of DESIGN §3: `hash = SHA256(prev_hash ‖ canonical encoding of the other columns)`.
/// Canonical encoding: integers as 8-byte big-endian, byte strings as a 4-byte big-endian length
/// followed by the bytes, the nullable idempotency key behind a 0/1 presence byte. Lengths make the
/// encoding unambiguous (no two rows encode alike), which a plain concatenation would not be.
public enum EventHasher {
    public static let genesis = Data(repeating: 0, count: 32)

    /// The encoding laid out in one buffer and hashed in one call: a SHA-256 update per field
    /// (fifteen, with a `Data` made for each text) took, under callgrind, 39,450 instructions per
    /// event in the writer against 33,700 for one buffer. The buffer is a temporary one (on the
    /// stack for an event of up to a kilobyte, as a payment's is), where a `GrowableBytes` was
    /// two allocations per event, and texts are read where they lie, where each was copied for
    /// the mutating `withUTF8`: `replay` hashes every event again, on its preparing thread. The
    /// digests are held by `theHashOfAnEventIsTheOneItAlwaysWas`.
    public static func hash(of event: RecordedEvent) -> Data {
        withUnsafePointer(to: event) { hash(at: $0) }
    }

    /// The same, for an event read where it lies (`ReplayPipeline`'s batches): passed as a
    /// value from memory the compiler cannot see to the end of, an event is copied for the call
    /// (a retain and a release of each of its references, 2,300 instructions under callgrind).
    static func hash(at event: UnsafePointer<RecordedEvent>) -> Data {
        // 33: four integers and the key's presence byte; 6 * 4: the byte strings' lengths (five
        // without a key: a bound, not the length).
        let capacity =
            event.pointee.prevHash.count + 33 + 6 * 4 + event.pointee.eventId.utf8.count
            + (event.pointee.idempotencyKey?.utf8.count ?? 0) + event.pointee.stream.utf8.count
            + event.pointee.type.utf8.count + event.pointee.data.count + event.pointee.meta.count
        return withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 8) { buffer in
            var encoding = Encoding(buffer)
            event.pointee.prevHash.withUnsafeBytes { encoding.append($0) }
            encoding.appendBigEndian(event.pointee.seq)
            encoding.appendWithLength(event.pointee.eventId)
            if let key = event.pointee.idempotencyKey {
                encoding.append(1)
                encoding.appendWithLength(key)
            } else {
                encoding.append(0)
            }
            encoding.appendWithLength(event.pointee.stream)
            encoding.appendBigEndian(event.pointee.streamVersion)
            encoding.appendWithLength(event.pointee.type)
            encoding.appendBigEndian(Int64(event.pointee.typeVersion))
            event.pointee.data.withUnsafeBytes { encoding.appendWithLength($0) }
            event.pointee.meta.withUnsafeBytes { encoding.appendWithLength($0) }
            encoding.appendBigEndian(event.pointee.recordedAtMs)
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<encoding.count]))
            return hasher.finalize().withUnsafeBytes { Data($0) }
        }
    }

    /// Writes the encoding into a buffer sized for it.
    private struct Encoding {
        let buffer: UnsafeMutableRawBufferPointer
        var count = 0

        init(_ buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

        mutating func append(_ bytes: UnsafeRawBufferPointer) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            precondition(count + bytes.count <= buffer.count, "more bytes than the encoding was sized for")
            (buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
            count += bytes.count
        }

        mutating func append(_ byte: UInt8) {
            precondition(count < buffer.count, "more bytes than the encoding was sized for")
            buffer[count] = byte
            count += 1
        }

        mutating func appendBigEndian<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: value.bigEndian) { append($0) }
        }

        mutating func appendWithLength(_ bytes: UnsafeRawBufferPointer) {
            appendBigEndian(UInt32(bytes.count))
            append(bytes)
        }

        mutating func appendWithLength(_ text: String) {
            if text.utf8.withContiguousStorageIfAvailable({ appendWithLength(UnsafeRawBufferPointer($0)) }) != nil {
                return
            }
            var text = text
            text.withUTF8 { appendWithLength(UnsafeRawBufferPointer($0)) }
        }
    }
}
