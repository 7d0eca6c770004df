import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore

/// A client that proved who it is at the token, introspection or revocation endpoint.
struct AuthenticatedClient: Sendable {
    var client: OAuthClient
    /// It sent HTTP Basic (so a 401 carries a Basic challenge).
    var usedBasic: Bool
}

/// RFC 6749 §2.3.1: HTTP Basic (form-urlencoded id and secret) or `client_id` + `client_secret`
/// in the body, never both; a public client names itself with `client_id` alone (or Basic with an
/// empty password, as seed 001 documents).
enum ClientAuthentication {
    static func authenticate(_ request: Request, _ form: FormParameters, ledger: Ledger) throws(OAuthError)
        -> AuthenticatedClient
    {
        var basic: (id: String, secret: String)?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic ") {
            guard header.utf8.count <= 4096, let decoded = Base64URL.decodeStandard(header.dropFirst(6)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                let id = String(text[..<colon]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                let secret = String(text[text.index(after: colon)...]).replacingOccurrences(of: "+", with: " ")
                    .removingPercentEncoding
            else { throw .invalidClient("the Basic credentials are malformed", basic: true) }
            basic = (id, secret)
        }
        if basic != nil, form["client_secret"] != nil {
            throw .invalidRequest("authenticate with HTTP Basic or client_secret, not both")
        }
        if let basic, let formId = form["client_id"], formId != basic.id {
            throw .invalidRequest("client_id does not match the Basic credentials")
        }
        guard let clientId = basic?.id ?? form["client_id"], !clientId.isEmpty, clientId.utf8.count <= 64 else {
            throw .invalidClient("client authentication is required", basic: false)
        }
        let usedBasic = basic != nil
        let client: OAuthClient?
        do {
            client = try ledger.client(id: clientId)
        } catch {
            throw OAuthError(.serviceUnavailable, "temporarily_unavailable", "the ledger cannot be read")
        }
        guard let client, client.status == .active else {
            throw .invalidClient("unknown client", basic: usedBasic)
        }
        let secret = basic?.secret ?? form["client_secret"] ?? ""
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

extension Base64URL {
    /// Standard base64 with padding, as HTTP Basic uses it.
    static func decodeStandard(_ text: some StringProtocol) -> Data? {
        Data(base64Encoded: String(text.trimmingCharacters(in: .whitespaces)))
    }
}
