import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerStore
import NIOCore
import Prometheus

/// `/health`, `/ready`, `/metrics`, the public signing keys and the OpenAPI document of every
/// route. No credential needed.
struct OperationsController {
    let ledger: Ledger
    let keyRing: SigningKeyRing
    let metrics: PrometheusCollectorRegistry?

    func addRoutes(to router: RouterGroup<LedgerRequestContext>) {
        router.get("health", use: health)
        router.get("ready", use: ready)
        router.get("metrics", use: metricsText)
        router.get(".well-known/jwks.json", use: jwks)
        router.get("openapi.json", use: openAPIDocument)
    }

    /// The OpenAPI 3.1 document (`OpenAPIDocument.swift`), as written: a test keeps its paths and
    /// methods equal to the router's.
    static let openAPIBytes = ByteBuffer(string: OpenAPIDocument.json)

    @Sendable func openAPIDocument(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: Self.openAPIBytes))
    }

    /// Liveness: the process answers. Deliberately touches nothing else, so it measures the HTTP ceiling.
    @Sendable func health(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, ["status": "ok"])
    }

    /// Readiness: the database answers a read.
    @Sendable func ready(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        do {
            let head = try await ledger.headSeq()
            return try JSONResponse.make(.ok, ReadyJSON(status: "ready", headSeq: head))
        } catch {
            throw APIError(.serviceUnavailable, code: "not_ready", message: "the database does not answer")
        }
    }

    @Sendable func metricsText(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        guard let metrics else { throw APIError(.notFound, code: "not_found", message: "metrics are not enabled") }
        var buffer: [UInt8] = []
        metrics.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    @Sendable func jwks(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        var response = try JSONResponse.make(.ok, KeyStore.jwks(keyRing.keys, rsa: keyRing.rsaKeys))
        response.headers[.cacheControl] = "public, max-age=300"
        return response
    }

    struct ReadyJSON: Encodable {
        var status: String
        var headSeq: Int64
        enum CodingKeys: String, CodingKey {
            case status
            case headSeq = "head_seq"
        }
    }
}
