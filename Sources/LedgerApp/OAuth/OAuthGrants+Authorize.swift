import Foundation
import LedgerAuth
import LedgerCore
import LedgerStore

/// An authorization request's parameters (RFC 6749 §4.1.1, RFC 7636 §4.3), as sent.
package struct AuthorizationRequest: Sendable {
    package var clientId: String?
    package var redirectUri: String?
    package var state: String?
    package var responseType: String?
    package var scopes: [String]?
    package var codeChallenge: String?
    package var codeChallengeMethod: String?
    /// Seed 000's requested access-token lifetime, in seconds, as text.
    package var expiresIn: String?
    package var budget: String?
    /// OpenID Connect Core §3.1.2.1: echoed in the ID token.
    package var nonce: String?

    package init(
        clientId: String?, redirectUri: String?, state: String?, responseType: String?, scopes: [String]?,
        codeChallenge: String?, codeChallengeMethod: String?, expiresIn: String?, budget: String?, nonce: String? = nil
    ) {
        self.nonce = nonce
        self.clientId = clientId
        self.redirectUri = redirectUri
        self.state = state
        self.responseType = responseType
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.expiresIn = expiresIn
        self.budget = budget
    }
}

/// Where the user agent goes next: the client's redirect URI with these query parameters added,
/// a code on success, an error otherwise (§4.1.2, §4.1.2.1).
package struct AuthorizationRedirect: Sendable, Equatable {
    package var redirectUri: String
    package var parameters: [QueryParameter]

    package struct QueryParameter: Sendable, Equatable {
        package var name: String
        package var value: String
    }

    init(_ redirectUri: String, _ parameters: [(String, String?)]) {
        self.redirectUri = redirectUri
        self.parameters = parameters.compactMap { name, value in value.map { QueryParameter(name: name, value: $0) } }
    }
}

/// An authorization request that checked out: what the consent page shows and what a yes issues.
package struct ValidAuthorization: Sendable {
    package var client: OAuthClient
    package var redirectUri: String
    package var redirectUriExplicit: Bool
    package var state: String?
    package var scopes: [String]
    package var challenge: (s256: String, method: String)?
    package var lifetimeSec: Int64
    package var budget: BudgetDefinition?
    package var nonce: String?
}

/// A request either checks out, or is refused by a redirect to the client (§4.1.2.1).
package enum AuthorizationCheck: Sendable {
    case valid(ValidAuthorization)
    case refused(AuthorizationRedirect)
}

extension OAuthGrants {
    /// RFC 6749 §4.1.1 with RFC 7636, for the operator's own front end: the user's token comes
    /// with the request and a yes is implied. What is wrong with the client or its redirect URI,
    /// or with the user's token, is thrown (never redirected to an unverified URI, §4.1.2.1);
    /// every later refusal is a redirect carrying `error`.
    package func authorize(_ request: AuthorizationRequest, userToken: String?, _ source: RequestSource)
        async throws -> AuthorizationRedirect
    {
        let valid: ValidAuthorization
        switch try check(request) {
        case .refused(let redirect): return redirect
        case .valid(let checked): valid = checked
        }
        let user = try await user(token: userToken)
        return try await approve(valid, user: user, source)
    }

    /// Checks every parameter before anything is shown or recorded: the client and its redirect
    /// URI (thrown), then the rest (redirected).
    package func check(_ request: AuthorizationRequest) throws -> AuthorizationCheck {
        guard let clientId = request.clientId, clientId.utf8.count <= 64 else {
            throw OAuthRefusal.invalidRequest("client_id is required")
        }
        guard let client = try ledger.client(id: clientId), client.status == .active else {
            throw OAuthRefusal.invalidRequest("unknown client_id")
        }
        let redirectUri = try Self.redirectUri(request.redirectUri, of: client)
        let state = request.state
        func refused(_ error: String, _ description: String) -> AuthorizationCheck {
            .refused(self.refused(redirectUri, state: state, error, description))
        }
        guard state.map({ $0.utf8.count <= 1024 }) ?? true else {
            return refused("invalid_request", "state is longer than 1024 bytes")
        }
        guard request.responseType == "code" else {
            return refused("unsupported_response_type", "only response_type=code is supported")
        }
        guard request.nonce.map({ (1...512).contains($0.utf8.count) }) ?? true else {
            return refused("invalid_request", "nonce must be 1 to 512 bytes")
        }
        let scopes: [String]
        do {
            scopes = try clientScopes(client, requested: request.scopes)
        } catch {
            return refused(error.error, error.description)
        }
        let challenge: (s256: String, method: String)?
        do {
            challenge = try Self.codeChallenge(request.codeChallenge, method: request.codeChallengeMethod, client)
        } catch {
            return refused(error.error, error.description)
        }
        var lifetimeSec = settings.accessTokenLifetimeSec
        if let text = request.expiresIn {
            guard let seconds = Int64(text), seconds > 0 else {
                return refused("invalid_request", "expires_in must be a positive number of seconds")
            }
            lifetimeSec = min(seconds, settings.accessTokenLifetimeSecMax)
        }
        let budget: BudgetDefinition?
        do {
            budget = try nwc.grantBudget(request.budget)
        } catch {
            return refused("invalid_request", error.description)
        }
        return .valid(
            ValidAuthorization(
                client: client, redirectUri: redirectUri, redirectUriExplicit: request.redirectUri != nil, state: state,
                scopes: scopes, challenge: challenge, lifetimeSec: lifetimeSec, budget: budget, nonce: request.nonce))
    }

    /// The user said yes: a code, recorded with who said it and when they logged in.
    package func approve(_ valid: ValidAuthorization, user: UserIdentity, _ source: RequestSource) async throws
        -> AuthorizationRedirect
    {
        let code = OAuthSecrets.make()
        let command = IssueAuthorizationCode(
            codeSha256: OAuthSecrets.sha256Hex(code), connectionId: Identifiers.make(now: ledger.clock()),
            clientId: valid.client.id, userId: user.subject, redirectUri: valid.redirectUri,
            redirectUriExplicit: valid.redirectUriExplicit, scopes: valid.scopes,
            codeChallengeS256: valid.challenge?.s256, codeChallengeMethod: valid.challenge?.method,
            accessTokenLifetimeSec: valid.lifetimeSec, budget: valid.budget,
            expiresAtMs: nowMs + settings.authorizationCodeLifetimeSec * 1000, nonce: valid.nonce,
            authTimeMs: (user.authTime ?? ledger.clock()).unixMs)
        switch try await decide(
            .issueCode(command), source, actor: Self.userActor(user), userId: user.subject, action: .create)
        {
        case .recorded:
            return AuthorizationRedirect(
                valid.redirectUri, [("code", code), ("state", valid.state), ("iss", tokens.issuer)])
        case .rejected(let rejection, _):
            let refusal = OAuthRefusal.rejection(rejection)
            return refused(valid.redirectUri, state: valid.state, refusal.error, refusal.description)
        }
    }

    /// An error for the client at its verified redirect URI, with `iss` (RFC 9207 §2: on errors too).
    package func refused(_ redirectUri: String, state: String?, _ error: String, _ description: String)
        -> AuthorizationRedirect
    {
        AuthorizationRedirect(
            redirectUri,
            [("error", error), ("error_description", description), ("state", state), ("iss", tokens.issuer)])
    }

    /// The registered redirect URI the request names, or the only one registered (§3.1.2.3).
    static func redirectUri(_ given: String?, of client: OAuthClient) throws(OAuthRefusal) -> String {
        if let given {
            guard client.redirectUris.contains(given) else {
                throw .invalidRequest("redirect_uri is not registered for this client")
            }
            return given
        }
        guard client.redirectUris.count == 1 else {
            throw .invalidRequest("redirect_uri is required: the client registered several")
        }
        return client.redirectUris[0]
    }

    /// RFC 7636 §4.3: the challenge as S256 (a plain one is hashed here), required of public clients.
    static func codeChallenge(_ challenge: String?, method: String?, _ client: OAuthClient) throws(OAuthRefusal)
        -> (s256: String, method: String)?
    {
        guard let challenge else {
            if client.pkce == .required {
                throw .invalidRequest("code_challenge is required: this client must use PKCE (RFC 7636)")
            }
            if method != nil { throw .invalidRequest("code_challenge_method without code_challenge") }
            return nil
        }
        guard OAuthSecrets.isPKCEString(challenge) else {
            throw .invalidRequest("code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
        }
        switch method ?? "plain" {
        case "S256": return (challenge, "S256")
        case "plain": return (OAuthSecrets.s256(challenge), "plain")
        default: throw .invalidRequest("code_challenge_method must be S256 or plain")
        }
    }
}
