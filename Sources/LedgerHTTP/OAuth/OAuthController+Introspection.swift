import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import NIOCore

extension OAuthController {
    var accessCheck: AccessTokenCheck { AccessTokenCheck(ledger: ledger, tokens: tokens) }

    /// Who may introspect: the admin credential (any token) or an authenticated client (its own
    /// tokens only; another client's token is simply inactive, so nothing leaks about it).
    private func introspectionCaller(_ request: Request, _ form: FormParameters) throws -> AuthenticatedClient? {
        if let bearer = request.bearerToken, admin.matches(bearer: bearer) { return nil }
        return try ClientAuthentication.authenticate(request, form, ledger: ledger)
    }

    struct IntrospectionJSON: Encodable {
        var active = true
        var scope: String
        var clientId: String
        var sub: String
        var exp: Int64
        var iat: Int64
        var iss: String
        var aud: [String]?
        var jti: String?
        var tokenType: String

        enum CodingKeys: String, CodingKey {
            case active, scope
            case clientId = "client_id"
            case sub, exp, iat, iss, aud, jti
            case tokenType = "token_type"
        }
    }

    /// RFC 7662. Anything not currently valid is `{"active": false}` and nothing more (§2.2).
    @Sendable func introspect(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        let caller = try introspectionCaller(request, form)
        guard let token = form["token"], token.utf8.count <= 8192 else {
            throw OAuthError.invalidRequest("token is required")
        }
        let inactive = try JSONResponse.make(.ok, ["active": false], headers: [.cacheControl: "no-store"])
        var answer: IntrospectionJSON?
        if token.contains(".") {
            if let access = try? await accessCheck.check(token) {
                answer = IntrospectionJSON(
                    scope: access.claims.scope, clientId: access.clientId, sub: access.claims.subjectValue,
                    exp: Int64(access.claims.expiresAt.timeIntervalSince1970),
                    iat: Int64(access.claims.issuedAt.timeIntervalSince1970), iss: access.claims.issuerValue,
                    aud: access.claims.audienceValues, jti: access.claims.jtiValue, tokenType: "Bearer")
            }
        } else if let refresh = try ledger.refreshToken(sha256: OAuthSecrets.sha256Hex(token)),
            refresh.status == .active, refresh.expiresAtMs > nowMs,
            let record = try ledger.client(id: refresh.clientId), record.status == .active,
            let connection = try await ledger.connection(id: refresh.connectionId), connection.status == .active,
            !connection.isExpired(atMs: nowMs)
        {
            answer = IntrospectionJSON(
                scope: refresh.scopes.joined(separator: " "), clientId: refresh.clientId, sub: refresh.userId,
                exp: refresh.expiresAtMs / 1000, iat: refresh.issuedAtMs / 1000, iss: tokens.issuer,
                tokenType: "refresh_token")
        }
        guard let answer, caller == nil || caller?.client.id == answer.clientId else { return inactive }
        return try JSONResponse.make(.ok, answer, headers: [.cacheControl: "no-store"])
    }

    struct AlbyIntrospectionJSON: Encodable {
        var clientId: String
        var redirectUri: String
        var scopes: [String: String]

        enum CodingKeys: String, CodingKey {
            case clientId = "client_id"
            case redirectUri = "redirect_uri"
            case scopes
        }
    }

    /// Seed 001's `GET /oauth/token/introspect`: the bearer's own token, described.
    @Sendable func albyIntrospect(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        guard let bearer = request.bearerToken else { throw BearerChallenge.missing }
        let access: AuthorizedAccess
        do {
            access = try await accessCheck.check(bearer)
        } catch {
            throw BearerChallenge.invalidToken(error.reason)
        }
        let origin = try ledger.grantOrigin(connectionId: access.connection.id)
        return try JSONResponse.make(
            .ok,
            AlbyIntrospectionJSON(
                clientId: access.clientId, redirectUri: origin?.redirectUri ?? "",
                scopes: Dictionary(
                    uniqueKeysWithValues: access.claims.scopes.map { ($0, settings.scopes.descriptions[$0] ?? $0) })),
            headers: [.cacheControl: "no-store"])
    }

    /// RFC 7009. Unknown or invalid tokens answer 200 (§2.2); another client's token is refused.
    /// A refresh token takes its whole grant with it, access tokens included (§2.1).
    @Sendable func revoke(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: false)
        let caller = try ClientAuthentication.authenticate(request, form, ledger: ledger)
        guard let token = form["token"], token.utf8.count <= 8192 else {
            throw OAuthError.invalidRequest("token is required")
        }
        let done = Response(status: .ok, headers: [.cacheControl: "no-store"])
        let actor = Self.clientActor(caller.client)
        if token.contains(".") {
            // Signature, iss and aud only: an expired token needs no revoking, and a revoked one is a no-op.
            guard let claims = try? await tokens.verify(token, now: ledger.clock()),
                let record = try ledger.accessToken(jti: claims.jtiValue)
            else { return done }
            guard record.token.clientId == caller.client.id else {
                throw OAuthError(.badRequest, "unauthorized_client", "the token was issued to another client")
            }
            let outcome = try await submit(
                .revokeAccessToken(
                    RevokeAccessToken(
                        jti: claims.jtiValue, connectionId: record.connection.id, reason: "revoked by the client")),
                request, context, actor: actor, userId: record.connection.userId, action: .delete)
            if case .rejected(let rejection, _) = outcome, rejection.code != .notFound {
                throw OAuthError.rejection(rejection)
            }
            return done
        }
        guard let refresh = try ledger.refreshToken(sha256: OAuthSecrets.sha256Hex(token)) else { return done }
        guard refresh.clientId == caller.client.id else {
            throw OAuthError(.badRequest, "unauthorized_client", "the token was issued to another client")
        }
        do {
            let outcome = try await ledger.submit(
                try CommandEnvelope(
                    ConnectionCommandHandler(
                        .revoke(
                            try RevokeConnection(
                                connectionId: refresh.connectionId, reason: "refresh token revoked by the client"))),
                    metadata: RequestMetadata.make(
                        request, context: context, actor: actor, onBehalfOf: refresh.userId, action: .delete,
                        subjectUserId: refresh.userId)))
            if case .rejected(let rejection, _) = outcome, rejection.code != .alreadyRevoked {
                throw OAuthError.rejection(rejection)
            }
        } catch let error as LedgerError {
            throw OAuthError.ledger(error)
        }
        return done
    }
}

/// RFC 6750 §3: a protected resource's 401/403 with a `WWW-Authenticate: Bearer` challenge.
struct BearerChallenge: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let error: String?
    let description: String
    var scope: String?

    static let missing = BearerChallenge(
        status: .unauthorized, error: nil, description: "send an access token as Authorization: Bearer <token>")

    static func invalidToken(_ reason: String) -> BearerChallenge {
        BearerChallenge(status: .unauthorized, error: "invalid_token", description: reason)
    }

    static func insufficientScope(_ scope: String) -> BearerChallenge {
        BearerChallenge(
            status: .forbidden, error: "insufficient_scope", description: "this route needs the scope \(scope)",
            scope: scope)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var challenge = #"Bearer realm="grantledger""#
        if let error {
            // Quotes and backslashes cannot appear in our reasons, but never let one break the header.
            let safe = description.filter { $0 != "\"" && $0 != "\\" && $0.isASCII }
            challenge += #", error="\#(error)", error_description="\#(safe)""#
        }
        if let scope { challenge += #", scope="\#(scope)""# }
        let body = try CanonicalJSON.encode(["error": error ?? "invalid_request", "error_description": description])
        return Response(
            status: status,
            headers: [.wwwAuthenticate: challenge, .contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
