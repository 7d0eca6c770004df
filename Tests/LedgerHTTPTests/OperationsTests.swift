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
            #expect(keys.count == 1)
            #expect(keys.first?["alg"] as? String == "ES256")
            #expect(keys.first?["d"] == nil)
        }
    }
}
