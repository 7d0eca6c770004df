import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore

/// `/admin/connections`: grant, read, list, update and revoke connections (`AdminConnections`).
/// Translation only: JSON and headers in, the connection with its version as ETag out.
struct AdminConnectionsController {
    let connections: AdminConnections
    let settings: HTTPSettings

    func addRoutes(to group: RouterGroup<LedgerRequestContext>) {
        group.post("connections", use: create)
        group.get("connections", use: list)
        group.get("connections/:id", use: show)
        group.patch("connections/:id", use: update)
        group.delete("connections/:id", use: revoke)
    }

    struct CreateRequest: Decodable {
        var userId: String
        var name: String
        var scopes: [String]
        var budget: String?
        var expiresAt: Int64?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case userId = "user_id"
            case name, scopes, budget
            case expiresAt = "expires_at"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            userId = try container.decode(String.self, forKey: .userId)
            name = try container.decode(String.self, forKey: .name)
            scopes = try container.decode([String].self, forKey: .scopes)
            budget = try container.decodeIfPresent(String.self, forKey: .budget)
            expiresAt = try container.decodeIfPresent(Int64.self, forKey: .expiresAt)
        }
    }

    /// Absent members stay as they are; `null` removes a budget or an expiry.
    struct UpdateRequest: Decodable {
        var name: String?
        var scopes: [String]?
        var budget: FieldChange<String> = .keep
        var expiresAt: FieldChange<Int64> = .keep

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, scopes, budget
            case expiresAt = "expires_at"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            scopes = try container.decodeIfPresent([String].self, forKey: .scopes)
            budget = try Self.change(container, .budget)
            expiresAt = try Self.change(container, .expiresAt)
        }

        static func change<T: Decodable>(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws
            -> FieldChange<T>
        {
            guard container.contains(key) else { return .keep }
            if try container.decodeNil(forKey: key) { return .remove }
            return .set(try container.decode(T.self, forKey: key))
        }
    }

    @Sendable func create(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let (body, raw) = try await JSONBody.decode(CreateRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        let (connection, replayed) = try await connections.grant(
            userId: body.userId, name: body.name, scopes: body.scopes, budget: body.budget,
            expiresAtSec: body.expiresAt, try adminRequest(request, context, raw: raw))
        // A replayed create answers with the connection as the first request created it.
        var headers = HTTPFields()
        headers[.location] = "/admin/connections/\(connection.id)"
        if replayed { headers[.idempotentReplayed] = "true" }
        return try connectionResponse(connection, status: .created, headers: headers)
    }

    @Sendable func show(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try connectionResponse(try await connections.connection(id: try id(context)))
    }

    @Sendable func list(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let limit: Int
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...settings.pageSizeMax).contains(value) else {
                throw APIError.badRequest(
                    "invalid_query", "limit must be a whole number from 1 to \(settings.pageSizeMax)")
            }
            limit = value
        } else {
            limit = min(100, settings.pageSizeMax)
        }
        var status: Connection.Status?
        if let text = query["status"] {
            guard let value = Connection.Status(rawValue: String(text)) else {
                throw APIError.badRequest("invalid_query", "status must be active or revoked")
            }
            status = value
        }
        let userId = query["user_id"].map(String.init)
        let after = query["after"].map(String.init)
        guard (userId?.count ?? 0) <= 256, (after?.count ?? 0) <= 64 else {
            throw APIError.badRequest("invalid_query", "user_id or after is too long")
        }
        let page = try await connections.list(userId: userId, status: status, afterId: after, limit: limit)
        return try JSONResponse.make(
            .ok,
            ConnectionListJSON(
                connections: page.map(ConnectionJSON.init), nextAfter: page.count == limit ? page.last?.id : nil))
    }

    @Sendable func update(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try id(context)
        let (body, raw) = try await JSONBody.decode(UpdateRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        return try connectionResponse(
            try await connections.update(
                id: id, name: body.name, scopes: body.scopes, budget: body.budget, expiresAtSec: body.expiresAt,
                try adminRequest(request, context, raw: raw, expectedVersion: try ifMatch(request))))
    }

    @Sendable func revoke(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try id(context)
        // Form-style `+` for spaces, as curl --data-urlencode and browsers send it.
        let reason = request.uri.queryParameters["reason"].map { String($0).replacingOccurrences(of: "+", with: " ") }
        return try connectionResponse(
            try await connections.revoke(
                id: id, reason: reason,
                try adminRequest(request, context, raw: Data(), expectedVersion: try ifMatch(request))))
    }

    // MARK: Helpers

    private func id(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("id"), (1...64).contains(id.count) else {
            throw APIError(.notFound, code: "not_found", message: "no such connection")
        }
        return id
    }

    private func adminRequest(
        _ request: Request, _ context: LedgerRequestContext, raw: Data, expectedVersion: Int64? = nil
    ) throws -> AdminRequest {
        let key = try RequestMetadata.idempotencyKey(request)
        // Only a keyed request needs its digest: it tells a retry from a different request.
        return AdminRequest(
            source: RequestMetadata.source(request, context: context), idempotencyKey: key,
            requestDigest: key.map { _ in RequestMetadata.requestDigest(request, body: raw) },
            expectedVersion: expectedVersion)
    }

    /// `If-Match: "3"` (or `3`, or `W/"3"`): the version the caller last saw.
    private func ifMatch(_ request: Request) throws -> Int64? {
        guard let header = request.headers[.ifMatch] else { return nil }
        let trimmed = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int64(trimmed), version >= 0 else {
            throw APIError.badRequest(
                "invalid_header", "If-Match must be a version as given in the ETag header, e.g. \"3\"")
        }
        return version
    }

    private func connectionResponse(
        _ connection: Connection, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) throws -> Response {
        var headers = headers
        headers[.eTag] = "\"\(connection.version)\""
        return try JSONResponse.make(status, ConnectionJSON(connection), headers: headers)
    }
}
