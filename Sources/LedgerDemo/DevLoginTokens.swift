import Crypto
import Foundation
import JWTKit
import LedgerApp
import LedgerAuth

/// `--dev-login`'s stand-in login form signs with the dev login key, as `grantledger user-token`
/// does: the server trusts that key only when started with `--dev-login`.
public struct DevLoginTokens: StandInLogin {
    let keys: JWTKeyCollection
    let lifetimeSec: Int64
    let clock: @Sendable () -> Date

    public init(key: P256.Signing.PrivateKey, lifetimeSec: Int64 = 600, clock: @escaping @Sendable () -> Date) async throws {
        keys = await JWTKeyCollection().add(ecdsa: try ES256PrivateKey(backing: key))
        self.lifetimeSec = lifetimeSec
        self.clock = clock
    }

    public func userToken(subject: String) async throws -> String {
        let now = clock()
        var claims = UserTokenClaims(
            subject: subject, expiresAt: now.addingTimeInterval(TimeInterval(lifetimeSec)), issuer: DevLogin.issuer,
            audience: DevLogin.issuer, address: nil)
        claims.iat = IssuedAtClaim(value: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
        return try await keys.sign(claims)
    }
}
