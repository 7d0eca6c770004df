import LedgerAuth
import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore

/// `/admin/clients`: register, read, list, update and delete OAuth clients (seed 001's admin API,
/// behind the admin credential). A confidential client's secret appears once, in the 201 answer.
struct AdminClientsController {
    let clients: ClientRegistry
    let settings: HTTPSettings

    func addRoutes(to group: RouterGroup<LedgerRequestContext>) {
        group.post("clients", use: create)
        group.get("clients", use: list)
        group.get("clients/:id", use: show)
        group.put("clients/:id", use: update)
        group.delete("clients/:id", use: delete)
    }

    /// Our fields, plus Alby's names for them (`imageUrl`, `domain` as the one callback).
    struct CreateRequest: Decodable {
        var clientId: String?
        var name: String
        var redirectUris: [String]
        var isPublic: Bool
        var scopes: [String]
        var url: String?
        var imageUrl: String?
        var pkce: PKCEPolicy
        var accessTokenAlg: SigningAlgorithm
        var idTokenAlg: SigningAlgorithm

        enum CodingKeys: String, CodingKey, CaseIterable {
            case pkce
            case accessTokenAlg = "access_token_signing_alg"
            case idTokenAlg = "id_token_signed_response_alg"
            case clientId = "client_id"
            case name
            case redirectUris = "redirect_uris"
            case domain
            case isPublic = "public"
            case scopes, url
            case imageUrl = "image_url"
            case imageUrlAlby = "imageUrl"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            clientId = try c.decodeIfPresent(String.self, forKey: .clientId)
            name = try c.decode(String.self, forKey: .name)
            var uris = try c.decodeIfPresent([String].self, forKey: .redirectUris) ?? []
            if let domain = try c.decodeIfPresent(String.self, forKey: .domain) { uris.append(domain) }
            redirectUris = uris
            isPublic = try c.decodeIfPresent(Bool.self, forKey: .isPublic) ?? false
            scopes = try c.decode([String].self, forKey: .scopes)
            url = try c.decodeIfPresent(String.self, forKey: .url)
            imageUrl =
                try c.decodeIfPresent(String.self, forKey: .imageUrl)
                ?? c.decodeIfPresent(String.self, forKey: .imageUrlAlby)
            pkce = try c.decodeIfPresent(PKCEPolicy.self, forKey: .pkce) ?? .required
            accessTokenAlg = try c.decodeIfPresent(SigningAlgorithm.self, forKey: .accessTokenAlg) ?? .es256
            idTokenAlg = try c.decodeIfPresent(SigningAlgorithm.self, forKey: .idTokenAlg) ?? .rs256
        }
    }

    /// PUT replaces the fields it names; `null` removes `url` or `image_url`.
    struct UpdateRequest: Decodable {
        var name: String?
        var redirectUris: [String]?
        var scopes: [String]?
        var url: FieldChange<String> = .keep
        var imageUrl: FieldChange<String> = .keep
        var pkce: PKCEPolicy?
        var accessTokenAlg: SigningAlgorithm?
        var idTokenAlg: SigningAlgorithm?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case pkce
            case accessTokenAlg = "access_token_signing_alg"
            case idTokenAlg = "id_token_signed_response_alg"
            case name
            case redirectUris = "redirect_uris"
            case scopes, url
            case imageUrl = "image_url"
            case imageUrlAlby = "imageUrl"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            redirectUris = try c.decodeIfPresent([String].self, forKey: .redirectUris)
            scopes = try c.decodeIfPresent([String].self, forKey: .scopes)
            url = try Self.change(c, .url)
            imageUrl = try c.contains(.imageUrl) ? Self.change(c, .imageUrl) : Self.change(c, .imageUrlAlby)
            pkce = try c.decodeIfPresent(PKCEPolicy.self, forKey: .pkce)
            accessTokenAlg = try c.decodeIfPresent(SigningAlgorithm.self, forKey: .accessTokenAlg)
            idTokenAlg = try c.decodeIfPresent(SigningAlgorithm.self, forKey: .idTokenAlg)
        }

        private static func change(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> FieldChange<
            String
        > {
            guard c.contains(key) else { return .keep }
            if try c.decodeNil(forKey: key) { return .remove }
            return .set(try c.decode(String.self, forKey: key))
        }
    }

    struct ClientJSON: Encodable {
        var id: String
        var clientId: String
        var clientSecret: String?
        var name: String
        var url: String?
        var imageUrl: String?
        var redirectUris: [String]
        var isPublic: Bool
        var scopes: [String]
        var createdAtMs: Int64
        var updatedAtMs: Int64
        var pkce: String
        var accessTokenAlg: String
        var idTokenAlg: String

        init(_ client: OAuthClient, secret: String? = nil) {
            pkce = client.pkce.rawValue
            accessTokenAlg = client.accessTokenAlg.rawValue
            idTokenAlg = client.idTokenAlg.rawValue
            id = client.id
            clientId = client.id
            clientSecret = secret
            name = client.name
            url = client.url
            imageUrl = client.imageUrl
            redirectUris = client.redirectUris
            isPublic = client.isPublic
            scopes = client.scopes
            createdAtMs = client.createdAtMs
            updatedAtMs = client.updatedAtMs
        }

        enum CodingKeys: String, CodingKey {
            case id
            case clientId = "client_id"
            case clientSecret = "client_secret"
            case name, url
            case imageUrl = "image_url"
            case redirectUris = "redirect_uris"
            case isPublic = "public"
            case scopes
            case createdAtMs = "created_at_ms"
            case updatedAtMs = "updated_at_ms"
            case pkce
            case accessTokenAlg = "access_token_signing_alg"
            case idTokenAlg = "id_token_signed_response_alg"
        }
    }

    @Sendable func create(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let (body, raw) = try await JSONBody.decode(CreateRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        let (client, secret) = try await clients.register(
            ClientRegistry.Registration(
                clientId: body.clientId, name: body.name, redirectUris: body.redirectUris, isPublic: body.isPublic,
                scopes: body.scopes, url: body.url, imageUrl: body.imageUrl, pkce: body.pkce,
                accessTokenAlg: body.accessTokenAlg, idTokenAlg: body.idTokenAlg),
            adminRequest(request, context, raw: raw))
        var headers = HTTPFields()
        headers[.location] = "/admin/clients/\(client.id)"
        headers[.cacheControl] = "no-store"
        return try JSONResponse.make(.created, ClientJSON(client, secret: secret), headers: headers)
    }

    @Sendable func show(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, ClientJSON(try clients.client(id: try id(context))))
    }

    @Sendable func list(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var limit = min(100, settings.pageSizeMax)
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...settings.pageSizeMax).contains(value) else {
                throw APIError.badRequest(
                    "invalid_query", "limit must be a whole number from 1 to \(settings.pageSizeMax)")
            }
            limit = value
        }
        let after = query["after"].map(String.init)
        guard (after?.count ?? 0) <= 64 else { throw APIError.badRequest("invalid_query", "after is too long") }
        // Alby's `GET /admin/clients` answers a bare array; so do we, with the next page's cursor
        // in a header instead of a wrapper.
        let page = try await clients.list(afterId: after, limit: limit)
        var headers = HTTPFields()
        if page.count == limit, let last = page.last { headers[.xNextAfter] = last.id }
        return try JSONResponse.make(.ok, page.map { ClientJSON($0) }, headers: headers)
    }

    @Sendable func update(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try id(context)
        let (body, raw) = try await JSONBody.decode(UpdateRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        let client = try await clients.update(
            id: id, name: body.name, redirectUris: body.redirectUris, scopes: body.scopes, url: body.url,
            imageUrl: body.imageUrl, pkce: body.pkce, accessTokenAlg: body.accessTokenAlg, idTokenAlg: body.idTokenAlg,
            adminRequest(request, context, raw: raw))
        return try JSONResponse.make(.ok, ClientJSON(client))
    }

    @Sendable func delete(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try await clients.delete(id: try id(context), adminRequest(request, context, raw: Data()))
        return Response(status: .noContent)
    }

    private func id(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("id"), (1...64).contains(id.utf8.count) else {
            throw APIError(.notFound, code: "not_found", message: "no client with this id")
        }
        return id
    }

    /// No idempotency key on this resource (a replayed registration could not show the secret).
    private func adminRequest(_ request: Request, _ context: LedgerRequestContext, raw: Data) -> AdminRequest {
        AdminRequest(
            source: RequestMetadata.source(request, context: context),
            requestDigest: RequestMetadata.requestDigest(request, body: raw))
    }
}

extension HTTPField.Name {
    static let xNextAfter = Self("X-Next-After")!
}
