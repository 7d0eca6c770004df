import Foundation
import JWTKit
import Synchronization

/// The ledger's signing keys as the running server holds them. `grantledger keys rotate` writes a
/// new key file; `update` (from the key reload service) adds it here, so new tokens are signed
/// with it while tokens signed by older keys keep verifying until those keys are pruned.
public final class SigningKeyRing: Sendable {
    let collection = JWTKeyCollection()
    private let state: Mutex<(keys: [SigningKey], kids: Set<String>)>

    public init(keys: [SigningKey]) async throws {
        guard !keys.isEmpty else {
            throw TokenVerificationError(reason: "no signing key: run `grantledger keys generate`")
        }
        state = Mutex(([], []))
        try await update(keys)
    }

    /// Keys oldest first; the last one signs.
    public var keys: [SigningKey] { state.withLock { $0.keys } }

    var signingKid: String { state.withLock { $0.keys.last?.kid ?? "" } }

    func knows(kid: String) -> Bool { state.withLock { $0.kids.contains(kid) } }

    /// Replaces the key list (oldest first). Returns whether anything changed. A key no longer
    /// listed stops verifying at once: `knows(kid:)` is checked before the collection is used.
    @discardableResult
    public func update(_ keys: [SigningKey]) async throws -> Bool {
        guard !keys.isEmpty else { return false }
        let known = state.withLock { $0.kids }
        let newKids = keys.map(\.kid)
        guard newKids != self.keys.map(\.kid) else { return false }
        for key in keys where !known.contains(key.kid) {
            await collection.add(
                ecdsa: try ES256PrivateKey(backing: key.privateKey), kid: JWKIdentifier(string: key.kid))
        }
        state.withLock { $0 = (keys, Set(newKids)) }
        return true
    }
}

/// Tokens whose signature, `iss` and `aud` already checked out. An app sends the same token on
/// every call, and an ES256 verification costs more than the rest of a read; the signature of a
/// given string cannot stop being valid while its key is listed, so only `exp` (and the key) are
/// checked again, and revocation is always the caller's fresh look-up.
final class VerifiedTokens<Claims: Sendable>: Sendable {
    static var capacity: Int { 10_000 }
    private let entries = Mutex<[String: (kid: String, claims: Claims)]>([:])

    func claims(for token: String) -> (kid: String, claims: Claims)? {
        entries.withLock { $0[token] }
    }

    func remember(_ token: String, kid: String, _ claims: Claims) {
        entries.withLock { entries in
            // Bounded; when full, start over rather than track recency: a miss only costs a verification.
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = (kid, claims)
        }
    }
}
