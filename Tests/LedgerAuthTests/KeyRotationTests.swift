import Foundation
import LedgerAuth
import LedgerCore
import Testing

@Suite struct KeyRotationTests {
    static let issuer = "http://grantledger.test"

    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gl-rotate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func claims(_ jti: String) -> AccessTokenClaims {
        AccessTokenClaims(
            issuer: Self.issuer, subject: "alice", audience: Self.issuer, issuedAt: Date(),
            expiresAt: Date().addingTimeInterval(600), jti: jti, clientId: "app", scopes: ["balance:read"])
    }

    static func kid(of token: String) throws -> String? {
        let header = try JSONSerialization.jsonObject(with: Base64URL.decode(token.split(separator: ".")[0])!)
        return (header as? [String: Any])?["kid"] as? String
    }

    @Test func afterRotationNewTokensUseTheNewKeyAndOldTokensVerifyUntilTheirKeyIsPruned() async throws {
        let store = KeyStore(dataDirectory: try temporaryDirectory())
        let first = try store.generate(now: Date(timeIntervalSince1970: 1_000))
        let ring = try await SigningKeyRing(keys: try store.list())
        let tokens = AccessTokens(ring: ring, issuer: Self.issuer, audience: Self.issuer)
        let old = try await tokens.mint(claims("a"))
        #expect(try Self.kid(of: old) == first.kid)

        let second = try store.generate(now: Date(timeIntervalSince1970: 2_000))
        #expect(try await ring.update(try store.list()))
        #expect(try await !ring.update(try store.list()))
        let new = try await tokens.mint(claims("b"))
        #expect(try Self.kid(of: new) == second.kid)
        #expect(try await tokens.verify(old, now: Date()).jtiValue == "a")
        #expect(try await tokens.verify(new, now: Date()).jtiValue == "b")
        #expect(KeyStore.jwks(ring.keys)["keys"]?.map { $0["kid"] } == [first.kid, second.kid])

        // The first key retired at 2,000 s (when the second was made). `keys rotate` prunes keys
        // retired before now − the longest token life: kept while that cutoff is earlier.
        #expect(try store.prune(retiredBefore: Date(timeIntervalSince1970: 1_999)).isEmpty)
        #expect(try store.prune(retiredBefore: Date(timeIntervalSince1970: 2_001)).map(\.kid) == [first.kid])
        #expect(try store.list().map(\.kid) == [second.kid])
        try await ring.update(try store.list())
        // Even a verification remembered in the cache stops once its key is gone.
        await #expect(throws: TokenVerificationError.self) { try await tokens.verify(old, now: Date()) }
        #expect(try await tokens.verify(new, now: Date()).jtiValue == "b")
    }

    @Test func accessTokensAndConnectionTokensCannotPassForEachOther() async throws {
        let store = KeyStore(dataDirectory: try temporaryDirectory())
        let ring = try await SigningKeyRing(keys: [try store.generate()])
        let access = AccessTokens(ring: ring, issuer: Self.issuer, audience: Self.issuer)
        let connections = ConnectionTokens(ring: ring, issuer: Self.issuer, audience: Self.issuer)
        let accessToken = try await access.mint(claims("c"))
        let connectionToken = try await connections.mint(
            ConnectionTokenClaims(
                subject: "alice", issuer: Self.issuer, audience: Self.issuer, issuedAt: Date(),
                expiresAt: Date().addingTimeInterval(600), jti: "d", address: nil, scopes: ["pay_invoice"],
                connectionId: "cnx"))
        await #expect(throws: TokenVerificationError.self) { try await access.verify(connectionToken, now: Date()) }
        await #expect(throws: TokenVerificationError.self) { try await connections.verify(accessToken, now: Date()) }
    }
}
