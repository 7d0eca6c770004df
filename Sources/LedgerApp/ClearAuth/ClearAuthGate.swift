import Foundation
import HTTPTypes
import LedgerAuth
import LedgerCore
import LedgerStore
import NIOCore

/// NUT-21: a request to a protected endpoint needs a clear-auth token from the configured OpenID
/// issuer, for the configured client, within the per-user rate. One that passes goes to the origin
/// (the mint) as the token's `sub`.
package struct ClearAuthGate: Sendable {
    package let settings: ClearAuthSettings
    package let tokens: AccessTokenCheck
    package let limiter: SubjectRateLimiter
    package let forwarder: (any OriginForwarding)?

    package init(
        settings: ClearAuthSettings, tokens: AccessTokenCheck, limiter: SubjectRateLimiter,
        forwarder: (any OriginForwarding)?
    ) {
        self.settings = settings
        self.tokens = tokens
        self.limiter = limiter
        self.forwarder = forwarder
    }

    /// NUT-21's refusals (codes 30001 and 30002), and an origin that failed.
    package enum Refusal: Error, Sendable, Equatable {
        case missing
        case failed(String)
        case rateLimited(retryAfterSec: Int)
        case origin(GatewayForwardError)
    }

    /// Endpoints match exactly or by prefix (`/v1/mint/*`), never by regular expression.
    package func protects(method: String, path: String) -> Bool {
        settings.endpoints.matches(method: method, path: path)
    }

    /// The token's identity, once it passed every check and the rate limit. The decision about a
    /// valid token (admitted, or refused for the rate) is recorded first, as the gateway records
    /// its own; a missing or invalid token decided nothing about a grant and is not (DESIGN §8).
    /// `metadata` is built by the caller once the token is known (its actor is the client).
    package func admit(
        token: String?, method: String, path: String, metadata: @Sendable (ClearAuthIdentity) -> EventMetadata
    ) async throws -> ClearAuthIdentity {
        guard let token, !token.isEmpty else { throw Refusal.missing }
        let identity: ClearAuthIdentity
        let connectionId: String?
        do {
            (identity, connectionId) = try await verify(token)
        } catch {
            throw Refusal.failed(error.reason)
        }
        let (allowed, retryAfterSec) = limiter.allow(identity.subject)
        // The endpoint's entry, not the concrete path: no quote ids in the audit key.
        let route = settings.endpoints.match(method: method, path: path)?.path ?? path
        let event = GatewayAccessRecorded(
            connectionId: connectionId ?? "clear-auth:\(identity.clientId)", clientId: identity.clientId,
            jti: identity.jti ?? "", method: method, route: route, scope: "clear-auth", allowed: allowed,
            reason: allowed ? nil : "rate_limited", atMs: 0)
        try await tokens.ledger.recordGatewayAccess(event, WriteContext(metadata(identity)))
        guard allowed else { throw Refusal.rateLimited(retryAfterSec: retryAfterSec) }
        return identity
    }

    /// Forwards an admitted call to the origin; nil when there is none (the router answers).
    package func forward(_ call: GatewayAccess.Call, as identity: ClearAuthIdentity) async throws(Refusal)
        -> GatewayForwardResponse?
    {
        guard let forwarder else { return nil }
        do {
            return try await forwarder.forward(
                method: call.method, pathAndQuery: call.pathAndQuery, headers: call.headers,
                body: call.body.isEmpty ? nil : ByteBuffer(bytes: call.body), userId: identity.subject,
                clientId: identity.clientId, scopes: [])
        } catch let error as GatewayForwardError {
            throw .origin(error)
        } catch {
            throw .origin(GatewayForwardError(.connectionLost, "\(error)"))
        }
    }

    /// The identity, and the grant when this ledger issued the token.
    private func verify(_ token: String) async throws(TokenVerificationError) -> (ClearAuthIdentity, String?) {
        switch settings.issuer {
        case .own:
            let checked = try await tokens.check(token)
            guard checked.clientId == settings.clientId else {
                throw TokenVerificationError(reason: "the token was issued to another client")
            }
            return (
                ClearAuthIdentity(
                    subject: checked.claims.subjectValue, clientId: checked.clientId, jti: checked.claims.jtiValue,
                    expiresAt: checked.claims.expiresAt),
                checked.connection.id
            )
        case .external(let verifier, _):
            return (try await verifier.verify(token, now: tokens.ledger.clock()), nil)
        }
    }
}
