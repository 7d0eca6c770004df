import LedgerAuth
import LedgerCore
import LedgerStore

/// The client credentials a request presented: HTTP Basic (already decoded by the surface) and
/// the body's `client_id` / `client_secret`.
package struct PresentedClient: Sendable {
    package var basic: (id: String, secret: String)?
    package var formClientId: String?
    package var formClientSecret: String?

    package init(basic: (id: String, secret: String)?, formClientId: String?, formClientSecret: String?) {
        self.basic = basic
        self.formClientId = formClientId
        self.formClientSecret = formClientSecret
    }
}

/// A client that proved who it is at the token, introspection or revocation endpoint.
package struct AuthenticatedClient: Sendable {
    package var client: OAuthClient
    /// It sent HTTP Basic (so a 401 carries a Basic challenge).
    package var usedBasic: Bool
}

extension OAuthGrants {
    /// RFC 6749 §2.3.1: HTTP Basic or `client_id` + `client_secret` in the body, never both; a
    /// public client names itself with `client_id` alone (or Basic with an empty password, as
    /// seed 001 documents). Secrets are compared by digest in constant time.
    package func authenticate(_ presented: PresentedClient) throws(OAuthRefusal) -> AuthenticatedClient {
        if presented.basic != nil, presented.formClientSecret != nil {
            throw .invalidRequest("authenticate with HTTP Basic or client_secret, not both")
        }
        if let basic = presented.basic, let formId = presented.formClientId, formId != basic.id {
            throw .invalidRequest("client_id does not match the Basic credentials")
        }
        let usedBasic = presented.basic != nil
        guard let clientId = presented.basic?.id ?? presented.formClientId, !clientId.isEmpty,
            clientId.utf8.count <= 64
        else { throw .invalidClient("client authentication is required", basic: false) }
        let client: OAuthClient?
        do {
            client = try ledger.client(id: clientId)
        } catch {
            throw .unreadable
        }
        guard let client, client.status == .active else { throw .invalidClient("unknown client", basic: usedBasic) }
        let secret = presented.basic?.secret ?? presented.formClientSecret ?? ""
        if client.isPublic {
            guard secret.isEmpty else { throw .invalidClient("a public client has no secret", basic: usedBasic) }
        } else {
            guard !secret.isEmpty, let stored = client.secretSha256,
                OAuthSecrets.digestsMatch(OAuthSecrets.sha256Hex(secret), stored)
            else { throw .invalidClient("client authentication failed", basic: usedBasic) }
        }
        return AuthenticatedClient(client: client, usedBasic: usedBasic)
    }
}
