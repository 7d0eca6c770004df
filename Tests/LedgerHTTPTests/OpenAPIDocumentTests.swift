import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerHTTP
import NIOCore
import Testing

/// `GET /openapi.json` is the document of every route the router serves, kept true here: the same
/// paths (with the router's parameter names) and methods, each declaring the statuses every route
/// can answer.
@Suite struct OpenAPIDocumentTests {
    /// An origin that is never called: these tests only build the router.
    struct UnusedOrigin: OriginForwarding {
        func forward(
            method: HTTPRequest.Method, pathAndQuery: String, headers: HTTPFields, body: ByteBuffer?, userId: String,
            clientId: String, scopes: [String]
        ) async throws -> GatewayForwardResponse {
            throw GatewayForwardError(.unreachable, "unused")
        }
    }

    /// Every surface switched on: the gateway with Alby's table, and NUT-21 protecting the two
    /// endpoints the document uses as examples.
    static func fullServer() throws -> TestServer {
        var server = try TestServer()
        server.gateway = GatewaySettings(routes: .albyExample, forwarder: UnusedOrigin())
        server.clearAuth = ClearAuthSettings(
            endpoints: try ProtectedEndpoints(parsing: clearAuthEndpoints),
            clientId: "cashu-client", issuer: .own)
        return server
    }

    static let clearAuthEndpoints = ["POST /v1/auth/blind/mint", "POST /v1/mint/quote/bolt11"]

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "options", "head", "trace"]

    /// `METHOD /path/{name}` of every operation in the served document.
    static func documentedOperations(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return Set(
            paths.flatMap { path, item in
                item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
    }

    @Test func theServedDocumentHasExactlyTheRoutersRoutesWithTheirParameterNames() async throws {
        let server = try Self.fullServer()
        let router = try buildRouter(try await server.services(), settings: HTTPSettings())
        // HEAD is generated wherever GET is served and, as the document says, not listed.
        var routes = Set(
            router.routes.map { route in
                "\(route.method.rawValue) /" + route.path.components.map { component in
                    let text = component.description
                    return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                }.joined(separator: "/")
            })
        // NUT-21's protected endpoints are answered by its middleware in front of the router.
        routes.formUnion(Self.clearAuthEndpoints)
        let served = routes

        try await server.run { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let documented = try Self.documentedOperations(document)
            #expect(
                documented.subtracting(served).isEmpty,
                "documented but not served: \(documented.subtracting(served).sorted())")
            #expect(
                served.subtracting(documented).isEmpty,
                "served but not documented: \(served.subtracting(documented).sorted())")
        }
    }

    /// What every route can answer, whatever it does: a wrong method (405, with `Allow`), and for
    /// every route taking a body, one too large (413).
    @Test func everyOperationDeclaresTheStatusesEveryRouteCanAnswer() async throws {
        let server = try Self.fullServer()
        try await server.run { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            let components = document["components"] as? [String: Any]
            let sharedResponses = components?["responses"] as? [String: Any] ?? [:]
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, item) in paths {
                for (method, value) in item where Self.methods.contains(method) {
                    let operation = try #require(value as? [String: Any])
                    let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path)")
                    // NUT-21's protected endpoints are the origin's, not routes: other methods go there too.
                    if !Self.clearAuthEndpoints.contains("\(method.uppercased()) \(path)") {
                        #expect(responses["405"] != nil, "\(method.uppercased()) \(path) does not declare 405")
                    }
                    if operation["requestBody"] != nil {
                        #expect(responses["413"] != nil, "\(method.uppercased()) \(path) does not declare 413")
                    }
                    // Every reference resolves inside the document (self-contained).
                    for case let reference as [String: Any] in responses.values {
                        if let ref = reference["$ref"] as? String {
                            #expect(ref.hasPrefix("#/components/responses/"), "\(ref)")
                            #expect(sharedResponses[String(ref.dropFirst("#/components/responses/".count))] != nil)
                        }
                    }
                }
            }
            // No external references anywhere: the UMA Auth API's schemas are copied in.
            let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
            #expect(!text.contains(#""$ref": "http"#) && !text.contains(#""$ref":"http"#))
            #expect(!text.contains(#""nullable""#), "3.0's nullable is written as type [T, \"null\"] in 3.1")
        }
    }
}
