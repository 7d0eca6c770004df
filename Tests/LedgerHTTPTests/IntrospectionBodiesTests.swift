import Foundation
import NIOCore
import Testing

@testable import LedgerApp
@testable import LedgerHTTP

/// Introspection answers' JSON is kept by token id and used again only for an equal answer.
@Suite struct IntrospectionBodiesTests {
    private func answer(scope: String, jti: String? = "jti-1") -> TokenIntrospection {
        TokenIntrospection(
            scope: scope, clientId: "client-1", subject: "alice", expiresAtSec: 2_000_000_000,
            issuedAtSec: 1_900_000_000, issuer: "https://ledger.example", audience: ["https://ledger.example"],
            jti: jti, kind: .bearer)
    }

    private func json(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
    }

    @Test func anEqualAnswerGetsTheSameBodyAndAnotherItsOwn() throws {
        let bodies = IntrospectionBodies()
        let first = try bodies.body(for: answer(scope: "balance:read"))
        #expect(try bodies.body(for: answer(scope: "balance:read")) == first)
        #expect(try json(first)["scope"] as? String == "balance:read")
        #expect(try json(first)["active"] as? Bool == true)

        // The same token id with another answer (not one the ledger gives, but kept bodies must
        // never stand for an answer they were not made from).
        let other = try bodies.body(for: answer(scope: "payments:send"))
        #expect(try json(other)["scope"] as? String == "payments:send")
        #expect(try bodies.body(for: answer(scope: "balance:read")) == first)
    }

    @Test func anAnswerWithoutATokenIdIsEncodedEachTime() throws {
        let bodies = IntrospectionBodies()
        let body = try bodies.body(for: answer(scope: "balance:read", jti: nil))
        #expect(try json(body)["jti"] == nil)
        #expect(try json(body)["client_id"] as? String == "client-1")
        // Nothing is kept for it: another answer without a token id gets its own body.
        let other = try bodies.body(for: answer(scope: "payments:send", jti: nil))
        #expect(try json(other)["scope"] as? String == "payments:send")
    }
}
