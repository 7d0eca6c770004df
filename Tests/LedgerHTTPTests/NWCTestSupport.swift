import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerAuth
import LedgerCore
import NIOCore
import Testing

/// What a test needs from a token exchange: the long-lived token and its claims.
struct ExchangedToken {
    var token: String
    var claims: [String: Any]
    var connectionId: String { claims["cnx"] as? String ?? "" }
}

extension TestServer {
    /// `POST /umanwc/token` as the NWC image sends it; fails the test unless it answers 200.
    func exchange(
        _ client: some TestClientProtocol, user: String = "alice", permissions: [String], budget: String? = nil,
        expiration: Int64? = nil
    ) async throws -> ExchangedToken {
        var body: [String: Any] = ["permissions": permissions]
        if let budget { body["budget"] = budget }
        if let expiration { body["expiration"] = expiration }
        let response = try await client.execute(
            uri: "/umanwc/token", method: .post,
            headers: Self.headers(token: try await userToken(user, address: "$\(user)@localhost")),
            body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        try #require(response.status == .ok, "exchange answered \(response.status): \(String(buffer: response.body))")
        let token = try #require(response.json["token"] as? String)
        return ExchangedToken(token: token, claims: try Self.claims(of: token))
    }

    static func claims(of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        let payload = try #require(Base64URL.decode(parts[1]))
        return try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
    }

    /// An invoice made by `payee`'s own connection on the demo wallet.
    func invoice(_ client: some TestClientProtocol, payee: ExchangedToken, amountMsat: Int64, memo: String = "test")
        async throws -> String
    {
        let response = try await client.execute(
            uri: "/umanwc/v1/invoice", method: .post, headers: Self.headers(token: payee.token),
            body: ByteBuffer(json: #"{"amount":\#(amountMsat),"description":"\#(memo)"}"#))
        try #require(response.status == .ok, "invoice answered \(response.status): \(String(buffer: response.body))")
        return try #require(response.json["invoice"] as? String)
    }

    func pay(_ client: some TestClientProtocol, _ payer: ExchangedToken, invoice: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/umanwc/v1/payments/bolt11", method: .post, headers: Self.headers(token: payer.token),
            body: ByteBuffer(json: #"{"invoice":"\#(invoice)"}"#))
    }
}

/// Hand-made JWTs for the attacks a verifier must refuse.
enum ForgedToken {
    static func segment(_ object: [String: Any]) throws -> String {
        Base64URL.encode(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// `alg: none`, no signature.
    static func unsigned(claims: [String: Any], kid: String?) throws -> String {
        var header: [String: Any] = ["alg": "none", "typ": "JWT"]
        if let kid { header["kid"] = kid }
        return "\(try segment(header)).\(try segment(claims))."
    }

    /// HS256 keyed with the server's public key in PEM: the classic algorithm-confusion attack.
    static func hmacWithPublicKey(claims: [String: Any], kid: String?, publicKeyPEM: String) throws -> String {
        var header: [String: Any] = ["alg": "HS256", "typ": "JWT"]
        if let kid { header["kid"] = kid }
        let input = "\(try segment(header)).\(try segment(claims))"
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(input.utf8), using: SymmetricKey(data: Data(publicKeyPEM.utf8)))
        return "\(input).\(Base64URL.encode(Data(mac)))"
    }

    /// Properly ES256-signed, but by a key the server does not hold, under its `kid`.
    static func signedByStranger(claims: [String: Any], kid: String) throws -> String {
        let header: [String: Any] = ["alg": "ES256", "typ": "JWT", "kid": kid]
        let input = "\(try segment(header)).\(try segment(claims))"
        let signature = try P256.Signing.PrivateKey().signature(for: Data(input.utf8))
        return "\(input).\(Base64URL.encode(signature.rawRepresentation))"
    }
}
