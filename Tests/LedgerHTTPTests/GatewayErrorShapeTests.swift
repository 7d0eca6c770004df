import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The gateway and the token exchange answer every failure in their own protocol's shape, also
/// the ones the router or the body reader raise (found by schemathesis against the document).
@Suite struct GatewayErrorShapeTests {
    @Test func aGatewayPathAskedWithAnotherMethodAnswers405InOAuthsShape() async throws {
        try await GatewayTests.withGateway { _, client in
            for path in ["/balance", "/invoices/abc"] {
                let answer = try await client.execute(uri: path, method: .put)
                #expect(answer.status == .methodNotAllowed)
                #expect(answer.headers[.allow] == "GET, HEAD")
                #expect(answer.json["error"] as? String == "invalid_request", "\(String(buffer: answer.body))")
            }
        }
    }

    @Test func aBodyTooLargeForTheGatewayAnswers413InOAuthsShape() async throws {
        try await GatewayTests.withGateway { _, client in
            let answer = try await client.execute(
                uri: "/payments/keysend", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 70_000))
            #expect(answer.status == .contentTooLarge)
            #expect(answer.json["error"] as? String == "invalid_request", "\(String(buffer: answer.body))")
        }
    }

    @Test func theTokenExchangeAnswers405InTheSeedsShape() async throws {
        let server = try TestServer()
        try await server.run { client in
            let answer = try await client.execute(uri: "/umanwc/token", method: .get)
            #expect(answer.status == .methodNotAllowed)
            #expect(answer.json["error"] as? String == "GET is not allowed here; this path answers POST")
            #expect(answer.json["code"] == nil)
        }
    }
}
