import Crypto
import Foundation
import LedgerCore

/// A signed statement "ledger `ledgerId` had chain head (`seq`, `hash`) at `recordedAt`": an ES256
/// compact JWS over `{ledger_id, seq, hash, recorded_at}`. Kept in the `checkpoints` table and,
/// ideally, somewhere else too: a log rewritten or cut back no longer matches it, and nobody
/// without the checkpoint key can sign a new one.
public struct Checkpoint: Codable, Sendable, Equatable {
    public var ledgerId: String
    public var seq: Int64
    /// Lowercase hex of the event's 32-byte hash.
    public var hash: String
    /// RFC 3339, UTC, milliseconds: `2026-01-31T12:00:00.000Z`.
    public var recordedAt: String
    /// `base64url(header).base64url(payload).base64url(r‖s)`.
    public var jws: String

    public init(ledgerId: String, seq: Int64, hash: String, recordedAt: String, jws: String) {
        self.ledgerId = ledgerId
        self.seq = seq
        self.hash = hash
        self.recordedAt = recordedAt
        self.jws = jws
    }

    enum CodingKeys: String, CodingKey {
        case ledgerId = "ledger_id"
        case seq, hash
        case recordedAt = "recorded_at"
        case jws
    }

    /// The checkpoint as its JWS states it; the other fields are only a readable copy.
    public init(jws: String) throws {
        let parsed = try CheckpointJWS.parse(jws)
        self.init(
            ledgerId: parsed.payload.ledgerId, seq: parsed.payload.seq, hash: parsed.payload.hash,
            recordedAt: parsed.payload.recordedAt, jws: jws)
    }
}

/// What a checkpoint's JWS signs.
struct CheckpointPayload: Codable, Sendable, Equatable {
    var ledgerId: String
    var seq: Int64
    var hash: String
    var recordedAt: String

    enum CodingKeys: String, CodingKey {
        case ledgerId = "ledger_id"
        case seq, hash
        case recordedAt = "recorded_at"
    }
}

/// The key that signs checkpoints. Only the public half ever reaches the ledger's database.
public struct CheckpointSigner: Sendable {
    public let privateKey: P256.Signing.PrivateKey
    /// RFC 7638 thumbprint of the public key.
    public let kid: String

    public init(privateKey: P256.Signing.PrivateKey) {
        self.privateKey = privateKey
        self.kid = CheckpointJWS.thumbprint(of: privateKey.publicKey)
    }

    func sign(_ payload: CheckpointPayload) throws -> Checkpoint {
        let header = CheckpointJWS.Header(alg: "ES256", kid: kid, typ: CheckpointJWS.typ)
        let signingInput =
            Base64URL.encode(try CanonicalJSON.encode(header)) + "."
            + Base64URL.encode(try CanonicalJSON.encode(payload))
        let signature = try privateKey.signature(for: Data(signingInput.utf8))
        return Checkpoint(
            ledgerId: payload.ledgerId, seq: payload.seq, hash: payload.hash, recordedAt: payload.recordedAt,
            jws: signingInput + "." + Base64URL.encode(signature.rawRepresentation))
    }
}

public struct CheckpointFormatError: Error, CustomStringConvertible {
    public var description: String
}

enum CheckpointJWS {
    static let typ = "checkpoint+jwt"

    struct Header: Codable, Equatable {
        var alg: String
        var kid: String
        var typ: String?
    }

    struct Parsed {
        var header: Header
        var payload: CheckpointPayload
        var signingInput: Data
        var signature: Data
    }

    /// Split as bytes and read by `CanonicalJSON.decode` (the tape decoder, Foundation's only for
    /// what it refuses): `verify` parses every stored checkpoint, and with `String.split` (by
    /// Characters) and two Foundation decodes each, parsing cost as much CPU as the signature
    /// check, 0.1 ms a checkpoint.
    static func parse(_ jws: String) throws -> Parsed {
        let parts = jws.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw CheckpointFormatError(description: "not a compact JWS (three parts)") }
        guard let headerBytes = Base64URL.decode(Substring(parts[0]), strict: true),
            let payloadBytes = Base64URL.decode(Substring(parts[1]), strict: true),
            let signature = Base64URL.decode(Substring(parts[2]), strict: true)
        else { throw CheckpointFormatError(description: "a JWS part is not base64url") }
        let header: Header
        let payload: CheckpointPayload
        do {
            header = try CanonicalJSON.decode(Header.self, from: headerBytes)
            payload = try CanonicalJSON.decode(CheckpointPayload.self, from: payloadBytes)
        } catch {
            throw CheckpointFormatError(description: "the JWS header or payload is not a checkpoint's: \(error)")
        }
        return Parsed(
            header: header, payload: payload, signingInput: Data(jws.utf8[..<parts[1].endIndex]), signature: signature)
    }

    /// Nil when the signature holds; otherwise why not.
    static func signatureProblem(_ parsed: Parsed, publicJWK: [String: String]) -> String? {
        guard parsed.header.alg == "ES256" else { return "alg is \(parsed.header.alg), not ES256" }
        guard let key = publicKey(fromJWK: publicJWK) else { return "the recorded key is not a P-256 JWK" }
        return signatureProblem(parsed, key: key)
    }

    /// The same, with the key already read from its JWK (`verify` reads each recorded key once,
    /// not once per checkpoint it signed).
    static func signatureProblem(_ parsed: Parsed, key: P256.Signing.PublicKey) -> String? {
        guard parsed.header.alg == "ES256" else { return "alg is \(parsed.header.alg), not ES256" }
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: parsed.signature),
            key.isValidSignature(signature, for: parsed.signingInput)
        else { return "the ES256 signature does not verify with key \(parsed.header.kid)" }
        return nil
    }

    static func publicKey(fromJWK jwk: [String: String]) -> P256.Signing.PublicKey? {
        guard jwk["kty"] == "EC", jwk["crv"] == "P-256", let x = jwk["x"].flatMap({ Base64URL.decode($0, strict: true) }),
            let y = jwk["y"].flatMap({ Base64URL.decode($0, strict: true) }), x.count == 32, y.count == 32
        else { return nil }
        return try? P256.Signing.PublicKey(x963Representation: Data([4]) + x + y)
    }

    static func publicJWK(of key: P256.Signing.PublicKey) -> [String: String] {
        let (x, y) = coordinates(of: key)
        return [
            "kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": thumbprint(of: key), "use": "sig", "alg": "ES256",
        ]
    }

    /// RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace (the
    /// same kid `SigningKey` gives the same key).
    static func thumbprint(of key: P256.Signing.PublicKey) -> String {
        let (x, y) = coordinates(of: key)
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        return Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8))))
    }

    static func coordinates(of key: P256.Signing.PublicKey) -> (x: String, y: String) {
        // x963 is 0x04 ‖ x ‖ y, each coordinate 32 bytes.
        let raw = key.x963Representation
        return (Base64URL.encode(raw.subdata(in: 1..<33)), Base64URL.encode(raw.subdata(in: 33..<65)))
    }
}
