import Foundation
import LedgerAuth
import Testing

@Suite struct ProtectedEndpointsTests {
    func endpoints(_ lines: String...) throws -> ProtectedEndpoints {
        try ProtectedEndpoints(parsing: lines)
    }

    @Test(arguments: [
        ("POST /v1/auth/blind/mint", "POST", "/v1/auth/blind/mint", true),
        ("POST /v1/auth/blind/mint", "POST", "/v1/auth/blind/mint/extra", false),
        ("POST /v1/auth/blind/mint", "POST", "/v1/auth/blind/min", false),
        ("POST /v1/auth/blind/mint", "POST", "/v1/auth/blind", false),
        ("GET /v1/mint/*", "GET", "/v1/mint/quote/bolt11", true),
        ("GET /v1/mint/*", "GET", "/v1/mint/", true),
        ("GET /v1/mint/*", "GET", "/v1/mint", false),
        ("GET /v1/mint/*", "GET", "/v1/minty", false),
        ("POST /v1/mint/bolt*", "POST", "/v1/mint/bolt11", true),
        ("POST /v1/mint/bolt*", "POST", "/v1/mint/bolt12", true),
        ("POST /v1/mint/bolt*", "POST", "/v1/mint/quote/bolt11", false),
        ("POST /v1/*", "POST", "/v1/swap", true),
        ("POST /v1/*", "POST", "/v2/swap", false),
    ])
    func exactAndPrefixMatchingFollowNUT21(line: String, method: String, path: String, expected: Bool) throws {
        #expect(try endpoints(line).matches(method: method, path: path) == expected)
    }

    @Test func theMethodMustMatchAndIsCaseInsensitive() throws {
        let list = try endpoints("post /v1/auth/blind/mint")
        #expect(list.endpoints == [try ProtectedEndpoint(method: "POST", path: "/v1/auth/blind/mint")])
        #expect(list.matches(method: "post", path: "/v1/auth/blind/mint"))
        #expect(!list.matches(method: "GET", path: "/v1/auth/blind/mint"))
        #expect(!list.matches(method: "PUT", path: "/v1/auth/blind/mint"))
    }

    @Test func pathsTheRouterTreatsAsTheSameEndpointAreProtectedToo() throws {
        let list = try endpoints("POST /v1/auth/blind/mint")
        #expect(list.matches(method: "POST", path: "/v1/auth/blind/mint/"))
        #expect(list.matches(method: "POST", path: "//v1//auth/blind/mint"))
        #expect(list.matches(method: "POST", path: "/v1/auth/blind/mint?x=1"))
    }

    @Test(arguments: [
        "POST ^/v1/.*",  // regex anchor: not a path
        "POST /v1/(mint|swap)",  // alternation
        "POST /v1/[a-z]+",  // character class
        "POST /v1/mint\\d",  // escape
        "POST /v1/*/quote",  // * not final
        "POST /v1/**",  // * twice
        "POST v1/mint",  // no leading /
        "POST /v1/mint?x=1",  // query
        "POST",  // no path
        "POST /v1/a /v1/b",  // two paths
        "P0ST /v1/mint",  // method not letters
        "* /v1/mint",  // any-method wildcard is not offered
        "POST /v1/m\u{e9}lt",  // non-ASCII
    ])
    func anythingButAnExactPathOrFinalStarPrefixIsRefused(line: String) {
        #expect(throws: ProtectedEndpointError.self) { try ProtectedEndpoints(parsing: [line]) }
    }

    @Test func refusalsSayWhatIsWrong() {
        #expect(
            throws: ProtectedEndpointError(
                reason: "path \"/v1/*/quote\": * is allowed only as the final character (prefix match)")
        ) {
            try ProtectedEndpoint(parsing: "GET /v1/*/quote")
        }
        #expect(throws: ProtectedEndpointError(reason: "path \"^/v1/.*\" must start with /")) {
            try ProtectedEndpoint(parsing: "GET ^/v1/.*")
        }
    }

    @Test func decodingANUT21ListValidatesEachEntry() throws {
        let good = Data(#"[{"method":"POST","path":"/v1/auth/blind/mint"}]"#.utf8)
        #expect(try JSONDecoder().decode([ProtectedEndpoint].self, from: good).first?.path == "/v1/auth/blind/mint")
        let regex = Data(#"[{"method":"POST","path":"/v1/.*(x)"}]"#.utf8)
        #expect(throws: (any Error).self) { try JSONDecoder().decode([ProtectedEndpoint].self, from: regex) }
    }

    @Test func encodesAsTheNUT21InfoShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(try ProtectedEndpoint(parsing: "POST /v1/auth/blind/mint"))
        #expect(String(decoding: json, as: UTF8.self) == #"{"method":"POST","path":"/v1/auth/blind/mint"}"#)
    }

    @Test func theListIsBounded() throws {
        let many = (0...ProtectedEndpoints.maxCount).map { "GET /v1/e\($0)" }
        #expect(throws: ProtectedEndpointError.self) { try ProtectedEndpoints(parsing: many) }
        #expect(try ProtectedEndpoints(parsing: Array(many.dropLast())).endpoints.count == ProtectedEndpoints.maxCount)
    }
}
