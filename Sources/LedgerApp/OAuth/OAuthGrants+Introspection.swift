import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// RFC 7662 §2.2's active answer.
package struct TokenIntrospection: Sendable, Equatable {
    package enum Kind: String, Sendable { case bearer = "Bearer", refreshToken = "refresh_token" }

    /// Space-separated, as RFC 7662 §2.2 has it.
    package var scope: String
    package var clientId: String
    package var subject: String
    package var expiresAtSec: Int64
    package var issuedAtSec: Int64
    package var issuer: String
    package var audience: [String]?
    package var jti: String?
    package var kind: Kind
}

/// Seed 001's description of the bearer's own access token.
package struct TokenDescription: Sendable {
    package var clientId: String
    package var redirectUri: String
    package var scopes: [String: String]
}

extension OAuthGrants {
    /// Who may introspect: the admin credential (nil: any token) or an authenticated client (its
    /// own tokens only; another client's token is simply inactive, so nothing leaks about it).
    package func introspectionCaller(bearer: String?, _ presented: PresentedClient) throws(OAuthRefusal)
        -> AuthenticatedClient?
    {
        if let bearer, admin.matches(bearer: bearer) { return nil }
        return try authenticate(presented)
    }

    /// RFC 7662: nil for anything not currently valid, or not the caller's (§2.2).
    package func introspect(token: String?, caller: AuthenticatedClient?) async throws -> TokenIntrospection? {
        guard let token, token.utf8.count <= 8192 else { throw OAuthRefusal.invalidRequest("token is required") }
        var answer: TokenIntrospection?
        if token.containsASCII(".") {
            if let access = try? await accessCheck.check(token) {
                answer = TokenIntrospection(
                    scope: access.claims.scope, clientId: access.clientId, subject: access.claims.subjectValue,
                    expiresAtSec: Int64(access.claims.expiresAt.timeIntervalSince1970),
                    issuedAtSec: Int64(access.claims.issuedAt.timeIntervalSince1970), issuer: access.claims.issuerValue,
                    audience: access.claims.audienceValues, jti: access.claims.jtiValue, kind: .bearer)
            }
        } else if let refresh = try ledger.refreshToken(sha256: OAuthSecrets.sha256Hex(token)),
            refresh.status == .active, refresh.expiresAtMs > nowMs,
            let record = try ledger.client(id: refresh.clientId), record.status == .active,
            let connection = try await ledger.connection(id: refresh.connectionId), connection.status == .active,
            !connection.isExpired(atMs: nowMs)
        {
            answer = TokenIntrospection(
                scope: refresh.scopes.joined(separator: " "), clientId: refresh.clientId, subject: refresh.userId,
                expiresAtSec: refresh.expiresAtMs / 1000, issuedAtSec: refresh.issuedAtMs / 1000, issuer: tokens.issuer,
                kind: .refreshToken)
        }
        guard let answer, caller == nil || caller?.client.id == answer.clientId else { return nil }
        return answer
    }

    /// The bearer's own access token, described (seed 001's `GET /oauth/token/introspect`).
    package func describe(_ access: AuthorizedAccess) throws -> TokenDescription {
        let origin = try ledger.grantOrigin(connectionId: access.connection.id)
        return TokenDescription(
            clientId: access.clientId, redirectUri: origin?.redirectUri ?? "",
            scopes: Dictionary(
                uniqueKeysWithValues: access.claims.scopes.map { ($0, settings.scopes.descriptions[$0] ?? $0) }))
    }

    /// RFC 7009. An unknown or invalid token is no error (§2.2); another client's token is refused.
    /// A refresh token takes its whole grant with it, access tokens included (§2.1).
    package func revoke(token: String?, _ caller: AuthenticatedClient, _ source: RequestSource) async throws {
        guard let token, token.utf8.count <= 8192 else { throw OAuthRefusal.invalidRequest("token is required") }
        let actor = Self.clientActor(caller.client)
        if token.containsASCII(".") {
            // Signature, iss and aud only: an expired token needs no revoking, and a revoked one is a no-op.
            guard let claims = try? await tokens.verify(token, now: ledger.clock()),
                let record = try ledger.accessToken(jti: claims.jtiValue)
            else { return }
            guard record.token.clientId == caller.client.id else {
                throw OAuthRefusal.unauthorizedClient("the token was issued to another client")
            }
            let command = RevokeAccessToken(
                jti: claims.jtiValue, connectionId: record.connection.id, reason: "revoked by the client")
            if case .rejected(let rejection, _) = try await decide(
                .revokeAccessToken(command), source, actor: actor, userId: record.connection.userId, action: .delete),
                rejection.code != .notFound
            {
                throw OAuthRefusal.rejection(rejection)
            }
            return
        }
        guard let refresh = try ledger.refreshToken(sha256: OAuthSecrets.sha256Hex(token)) else { return }
        guard refresh.clientId == caller.client.id else {
            throw OAuthRefusal.unauthorizedClient("the token was issued to another client")
        }
        let command = try RevokeConnection(
            connectionId: refresh.connectionId, reason: "refresh token revoked by the client")
        let context = WriteContext(
            source.metadata(actor: actor, onBehalfOf: refresh.userId, action: .delete, subjectUserId: refresh.userId))
        if case .rejected(let rejection, _) = try await ledger.revokeConnection(command, context),
            rejection.code != .alreadyRevoked
        {
            throw OAuthRefusal.rejection(rejection)
        }
    }
}
