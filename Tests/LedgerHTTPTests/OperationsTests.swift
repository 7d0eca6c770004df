import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct OperationsTests {
    @Test func healthReadyAndJWKSAnswerWithoutCredentials() async throws {
        let server = try TestServer()
        try await server.run { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["head_seq"] as? Int == 0)
            let jwks = try await client.execute(uri: "/.well-known/jwks.json", method: .get)
            let keys = try #require(jwks.json["keys"] as? [[String: Any]])
            // One ES256 key (access and connection tokens), one RS256 key (ID tokens); no private parts.
            #expect(keys.map { $0["alg"] as? String } == ["ES256", "RS256"])
            for key in keys {
                for privateMember in ["d", "p", "q", "dp", "dq", "qi"] { #expect(key[privateMember] == nil) }
            }
        }
    }
}
