import Hummingbird
import HTTPTypes
import LedgerCore
import NIOCore

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
