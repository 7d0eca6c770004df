import Crypto
import Foundation
import JWTKit

/// One key a CAT may be signed with. Each sits alone in its own collection: jwt-kit falls back to
/// a collection's default key when a token's `kid` is unknown, so which key verifies is decided
/// here, by `kid` and `alg`, never by the library.
struct ClearAuthKey: Sendable {
    let kid: String
    /// "ES256" or "RS256": the only `alg` this key verifies.
    let alg: String
    let collection: JWTKeyCollection

    static func es256(_ publicKey: P256.Signing.PublicKey, kid: String) async throws -> ClearAuthKey {
        let key = try ES256PublicKey(backing: publicKey)
        return ClearAuthKey(
            kid: kid, alg: "ES256",
            collection: await JWTKeyCollection().add(ecdsa: key, kid: JWKIdentifier(string: kid)))
    }

    /// The JWKS keys we can use: `RSA` (RS256) and `EC` on P-256 (ES256), for signing, with a
    /// `kid`. Others (encryption keys, PS256, other curves, RSA under 2048 bits) are skipped rather
    /// than failing the whole set: providers publish such keys beside their signing keys. jwt-kit's
    /// own `add(jwksJSON:)` would instead refuse the set over one key it cannot decode.
    static func fromJWKS(_ data: Data) async throws(TokenVerificationError) -> [ClearAuthKey] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = object["keys"] as? [Any]
        else { throw TokenVerificationError(reason: "JWKS is not a JSON object with a \"keys\" array") }
        guard entries.count <= ClearAuthVerifier.maxJWKSKeys else {
            throw TokenVerificationError(reason: "JWKS lists more than \(ClearAuthVerifier.maxJWKSKeys) keys")
        }
        var keys: [ClearAuthKey] = []
        for case let entry as [String: Any] in entries {
            if let key = await usable(entry) { keys.append(key) }
        }
        guard !keys.isEmpty else {
            throw TokenVerificationError(
                reason: "JWKS has no usable signing key (RS256 RSA ≥ 2048 bits or ES256 P-256, with kid)")
        }
        return keys
    }

    private static func usable(_ jwk: [String: Any]) async -> ClearAuthKey? {
        guard let kid = jwk["kid"] as? String, !kid.isEmpty, kid.utf8.count <= 256 else { return nil }
        if let use = jwk["use"] as? String, use != "sig" { return nil }
        let alg = jwk["alg"] as? String
        let identifier = JWKIdentifier(string: kid)
        switch jwk["kty"] as? String {
        case "RSA":
            guard alg == nil || alg == "RS256", let n = jwk["n"] as? String, let e = jwk["e"] as? String,
                let key = try? Insecure.RSA.PublicKey(modulus: n, exponent: e)
            else { return nil }
            let collection = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256, kid: identifier)
            return ClearAuthKey(kid: kid, alg: "RS256", collection: collection)
        case "EC":
            guard alg == nil || alg == "ES256", jwk["crv"] as? String == "P-256", let x = jwk["x"] as? String,
                let y = jwk["y"] as? String, let key = try? ES256PublicKey(parameters: (x, y))
            else { return nil }
            return ClearAuthKey(
                kid: kid, alg: "ES256", collection: await JWTKeyCollection().add(ecdsa: key, kid: identifier))
        default:
            return nil
        }
    }
}

/// The keys in use, and for discovered verifiers the way to fetch them again. A token naming an
/// unknown `kid` triggers a refetch, at most once per `refetchIntervalSec` whatever the outcome,
/// so a key rotation at the provider is picked up while a stream of made-up `kid`s cannot turn
/// this server into a load generator against the provider. Concurrent callers share one fetch.
actor ClearAuthKeyRing {
    private(set) var keys: [ClearAuthKey]
    private let fetch: (@Sendable () async throws(TokenVerificationError) -> [ClearAuthKey])?
    private let clock: @Sendable () -> Date
    private var lastFetch: Date?
    private var inFlight: Task<Result<[ClearAuthKey], TokenVerificationError>, Never>?

    static let refetchIntervalSec: TimeInterval = 60

    init(
        keys: [ClearAuthKey], fetchedAt: Date? = nil,
        fetch: (@Sendable () async throws(TokenVerificationError) -> [ClearAuthKey])? = nil,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.keys = keys
        self.lastFetch = fetchedAt
        self.fetch = fetch
        self.clock = clock
    }

    /// Keys for a header's `kid` (all keys of that `alg` when the token names none).
    func candidates(kid: String?, alg: String) -> [ClearAuthKey] {
        keys.filter { $0.alg == alg && (kid == nil || $0.kid == kid) }
    }

    func knows(kid: String) -> Bool { keys.contains { $0.kid == kid } }

    /// Refetches unless the last fetch was under `refetchIntervalSec` ago; says whether the keys
    /// may have changed. A failed fetch keeps the keys we had.
    func refreshIfDue() async -> Bool {
        if let inFlight {
            _ = await inFlight.value
            return true
        }
        guard fetch != nil else { return false }
        if let lastFetch, clock().timeIntervalSince(lastFetch) < Self.refetchIntervalSec { return false }
        _ = await refresh()
        return true
    }

    /// Fetches now, ignoring the interval (for an operator's timer or a forced reload).
    func refresh() async -> Result<Void, TokenVerificationError> {
        guard let fetch else { return .failure(TokenVerificationError(reason: "these keys were not discovered")) }
        lastFetch = clock()
        let task =
            inFlight
            ?? Task { () -> Result<[ClearAuthKey], TokenVerificationError> in
                do throws(TokenVerificationError) { return .success(try await fetch()) } catch {
                    return .failure(error)
                }
            }
        inFlight = task
        let result = await task.value
        inFlight = nil
        switch result {
        case .success(let fresh):
            keys = fresh
            return .success(())
        case .failure(let error):
            return .failure(error)
        }
    }
}
