import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore

extension OAuthController {
    /// RFC 6749 §4.1.1 with RFC 7636. Errors about the client or the redirect URI are answered
    /// here (never redirected to an unverified URI, §4.1.2.1); every later error is redirected.
    @Sendable func authorize(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let form = try await FormParameters.of(request, bytesMax: bodyBytesMax, includeQuery: true)
        guard let clientId = form["client_id"], clientId.utf8.count <= 64 else {
            throw OAuthError.invalidRequest("client_id is required")
        }
        guard let client = try ledger.client(id: clientId), client.status == .active else {
            throw OAuthError.invalidRequest("unknown client_id")
        }
        let redirectUri: String
        if let given = form["redirect_uri"] {
            guard client.redirectUris.contains(given) else {
                throw OAuthError.invalidRequest("redirect_uri is not registered for this client")
            }
            redirectUri = given
        } else {
            guard client.redirectUris.count == 1 else {
                throw OAuthError.invalidRequest("redirect_uri is required: the client registered several")
            }
            redirectUri = client.redirectUris[0]
        }
        let state = form["state"]
        func redirect(_ error: String, _ description: String) -> Response {
            Self.redirect(redirectUri, ["error": error, "error_description": description, "state": state])
        }
        guard state.map({ $0.utf8.count <= 1024 }) ?? true else {
            return redirect("invalid_request", "state is longer than 1024 bytes")
        }
        guard form["response_type"] == "code" else {
            return redirect("unsupported_response_type", "only response_type=code is supported")
        }
        let user = try await user(request, form)
        let scopes: [String]
        do {
            scopes = try requestedScopes(form) ?? client.scopes
        } catch {
            return redirect("invalid_scope", error.description)
        }
        guard client.permits(scopes) else {
            return redirect("invalid_scope", "the client may ask for: \(client.scopes.joined(separator: " "))")
        }
        var challengeS256: String?
        let method = form["code_challenge_method"]
        if let challenge = form["code_challenge"] {
            guard Self.isPKCEString(challenge) else {
                return redirect("invalid_request", "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
            }
            switch method ?? "plain" {
            case "S256": challengeS256 = challenge
            case "plain": challengeS256 = OAuthSecrets.s256(challenge)
            default: return redirect("invalid_request", "code_challenge_method must be S256 or plain")
            }
        } else if client.isPublic {
            return redirect("invalid_request", "public clients must send a code_challenge (PKCE, RFC 7636)")
        } else if method != nil {
            return redirect("invalid_request", "code_challenge_method without code_challenge")
        }
        var lifetime = settings.accessTokenLifetimeSec
        if let text = form["expires_in"] {
            guard let seconds = Int64(text), seconds > 0 else {
                return redirect("invalid_request", "expires_in must be a positive number of seconds")
            }
            lifetime = min(seconds, settings.accessTokenLifetimeMaxSec)
        }
        let budget: BudgetDefinition?
        do {
            budget = try nwc.grantBudget(form["budget"])
        } catch {
            return redirect("invalid_request", error.description)
        }
        let code = OAuthSecrets.make()
        let command = IssueAuthorizationCode(
            codeSha256: OAuthSecrets.sha256Hex(code), connectionId: Identifiers.make(now: ledger.clock()),
            clientId: client.id, userId: user.subject, redirectUri: redirectUri,
            redirectUriExplicit: form["redirect_uri"] != nil, scopes: scopes, codeChallengeS256: challengeS256,
            codeChallengeMethod: challengeS256 == nil ? nil : (method ?? "plain"), accessTokenLifetimeSec: lifetime,
            budget: budget, expiresAtMs: nowMs + settings.authorizationCodeLifetimeSec * 1000)
        let outcome = try await submit(
            .issueCode(command), request, context, actor: .init(id: "user:\(user.subject)", role: "user"),
            userId: user.subject, action: .create)
        switch outcome {
        case .accepted:
            return Self.redirect(redirectUri, ["code": code, "state": state, "iss": tokens.issuer])
        case .rejected(let rejection, _):
            let error = OAuthError.rejection(rejection)
            return redirect(error.error, error.description)
        }
    }

    /// RFC 7636 §4.1: 43 to 128 unreserved characters.
    static func isPKCEString(_ value: String) -> Bool {
        (43...128).contains(value.utf8.count)
            && value.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"):
                    true
                default: false
                }
            }
    }

    /// 302 to the redirect URI with the parameters added to its query (§4.1.2), never cached.
    static func redirect(_ uri: String, _ parameters: KeyValuePairs<String, String?>) -> Response {
        var components = URLComponents(string: uri) ?? URLComponents()
        var items = components.queryItems ?? []
        for (name, value) in parameters { if let value { items.append(URLQueryItem(name: name, value: value)) } }
        components.queryItems = items
        // URLComponents leaves "+" alone in queries; a form decoder would read it as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return Response(
            status: .found, headers: [.location: components.string ?? uri, .cacheControl: "no-store"])
    }
}
