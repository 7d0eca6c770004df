import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp

/// The client credentials a request carries (RFC 6749 §2.3.1): HTTP Basic, whose id and secret
/// are form-urlencoded before base64 (§2.3.1), and the body's `client_id` / `client_secret`.
/// Whether they prove anything is `OAuthGrants.authenticate`'s to say.
enum ClientCredentials {
    static func presented(_ request: Request, _ form: FormParameters) throws(OAuthError) -> PresentedClient {
        var basic: (id: String, secret: String)?
        if let header = request.headers[.authorization], let credentials = AuthorizationHeader.credentials(header, scheme: "basic") {
            guard header.utf8.count <= 4096, let decoded = Data(base64Encoded: String(credentials)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                let id = FormParameters.decode(text[..<colon]),
                let secret = FormParameters.decode(text[text.index(after: colon)...])
            else { throw .invalidClient("the Basic credentials are malformed", basic: true) }
            basic = (id, secret)
        }
        return PresentedClient(basic: basic, formClientId: form["client_id"], formClientSecret: form["client_secret"])
    }
}
