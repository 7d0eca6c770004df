import Foundation
import JWTKit
import LedgerCore
import Synchronization

/// The ledger's signing keys as the running server holds them. `grantledger keys rotate` writes a
/// new key file; `update` (from the key reload service) adds it here, so new tokens are signed
/// with it while tokens signed by older keys keep verifying until those keys are pruned.
public final class SigningKeyRing: Sendable {
    let collection = JWTKeyCollection()
    private struct State {
        var keys: [SigningKey] = []
        var rsaKeys: [RSASigningKey] = []
        /// Every listed key's id and the one algorithm it may verify.
        var algorithms: [String: SigningAlgorithm] = [:]
    }
    private let state: Mutex<State>

    public init(keys: [SigningKey], rsaKeys: [RSASigningKey] = []) async throws {
        guard !keys.isEmpty else {
            throw TokenVerificationError(reason: "no signing key: run `grantledger keys generate`")
        }
        state = Mutex(State())
        try await update(keys, rsa: rsaKeys)
    }

    /// ES256 keys oldest first; the last one signs.
    public var keys: [SigningKey] { state.withLock { $0.keys } }
    /// RS256 keys oldest first; the last one signs.
    public var rsaKeys: [RSASigningKey] { state.withLock { $0.rsaKeys } }

    var signingKid: String { state.withLock { $0.keys.last?.kid ?? "" } }

    /// The kid that signs with `algorithm`, and the algorithm it is: ES256 stands in for RS256
    /// while no RS256 key is loaded (a ring built from ES256 keys alone).
    func signer(for algorithm: SigningAlgorithm) -> (kid: String, algorithm: SigningAlgorithm) {
        state.withLock { state in
            if algorithm == .rs256, let rsa = state.rsaKeys.last { return (rsa.kid, .rs256) }
            return (state.keys.last?.kid ?? "", .es256)
        }
    }

    func knows(kid: String) -> Bool { state.withLock { $0.algorithms[kid] != nil } }

    func algorithm(ofKid kid: String) -> SigningAlgorithm? { state.withLock { $0.algorithms[kid] } }

    /// Replaces the key lists (oldest first). Returns whether anything changed. A key no longer
    /// listed stops verifying at once: `knows(kid:)` is checked before the collection is used.
    @discardableResult
    public func update(_ keys: [SigningKey], rsa: [RSASigningKey]? = nil) async throws -> Bool {
        guard !keys.isEmpty else { return false }
        let (known, currentRSA) = state.withLock { ($0.algorithms, $0.rsaKeys) }
        let rsa = rsa ?? currentRSA
        guard keys.map(\.kid) != self.keys.map(\.kid) || rsa.map(\.kid) != currentRSA.map(\.kid) else { return false }
        for key in keys where known[key.kid] == nil {
            await collection.add(
                ecdsa: try ES256PrivateKey(backing: key.privateKey), kid: JWKIdentifier(string: key.kid))
        }
        for key in rsa where known[key.kid] == nil {
            await collection.add(rsa: key.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        }
        var algorithms: [String: SigningAlgorithm] = [:]
        for key in keys { algorithms[key.kid] = .es256 }
        for key in rsa { algorithms[key.kid] = .rs256 }
        state.withLock { $0 = State(keys: keys, rsaKeys: rsa, algorithms: algorithms) }
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
