import Hummingbird
import LedgerApp
import LedgerAuth
import LedgerCore
import NIOCore
import Synchronization

/// The JSON of the answers given last, by token id. An access token's answer stays the same while
/// it is active (its claims are signed), and once the rows it is checked against were kept in
/// memory, Foundation's encoder was the largest part of an introspection's CPU (13 %). A body is
/// used again only for an answer equal to the one it was made from.
final class IntrospectionBodies: Sendable {
    static let capacity = 10_000
    private let bodies = Mutex(BoundedMap<String, (answer: TokenIntrospection, body: ByteBuffer)>(capacity: capacity))

    func body(for answer: TokenIntrospection) throws -> ByteBuffer {
        guard let jti = answer.jti else { return try Self.encode(answer) }
        if let kept = bodies.withLock({ $0[jti] }), kept.answer == answer { return kept.body }
        let body = try Self.encode(answer)
        bodies.withLock { $0[jti] = (answer, body) }  // past `capacity`, the oldest is forgotten
        return body
    }

    private static func encode(_ answer: TokenIntrospection) throws -> ByteBuffer {
        ByteBuffer(bytes: try CanonicalJSON.encode(OAuthController.IntrospectionJSON(answer)))
    }
}

extension OAuthController {
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

        init(_ answer: TokenIntrospection) {
            scope = answer.scope
            clientId = answer.clientId
            sub = answer.subject
            exp = answer.expiresAtSec
            iat = answer.issuedAtSec
            iss = answer.issuer
            aud = answer.audience
            jti = answer.jti
            tokenType = answer.kind.rawValue
        }
    }

    /// RFC 7662. Anything not currently valid is `{"active": false}` and nothing more (§2.2).
    @Sendable func introspect(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await form(request, includeQuery: false)
        let presented = try ClientCredentials.presented(request, form)
        let caller = try grants.introspectionCaller(bearer: request.bearerToken.map(String.init), presented)
        guard let answer = try await grants.introspect(token: form["token"], caller: caller) else {
            return try JSONResponse.make(.ok, ["active": false], headers: [.cacheControl: "no-store"])
        }
        return Response(
            status: .ok,
            headers: [.cacheControl: "no-store", .contentType: "application/json; charset=utf-8"],  // as JSONResponse.make
            body: .init(byteBuffer: try introspectionBodies.body(for: answer)))
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
            access = try await grants.accessCheck.check(bearer)
        } catch {
            throw BearerChallenge.invalidToken(error.reason)
        }
        let description = try grants.describe(access)
        return try JSONResponse.make(
            .ok,
            AlbyIntrospectionJSON(
                clientId: description.clientId, redirectUri: description.redirectUri, scopes: description.scopes),
            headers: [.cacheControl: "no-store"])
    }

    /// RFC 7009: 200 whether or not the token was known (§2.2).
    @Sendable func revoke(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await form(request, includeQuery: false)
        let caller = try grants.authenticate(try ClientCredentials.presented(request, form))
        try await grants.revoke(token: form["token"], caller, Self.source(request, context))
        return Response(status: .ok, headers: [.cacheControl: "no-store"])
    }
}
