import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore
import NIOCore

/// `/admin/organizations`: the registry of care organisations practitioners act for (what a
/// Nuts node reads from trusted organisation credentials). Every change is an event; a removed
/// organisation's contracts stay verifiable.
struct AdminOrganizationsController {
    let ledger: Ledger
    let settings: HTTPSettings

    func addRoutes(to group: RouterGroup<LedgerRequestContext>) {
        group.post("organizations", use: create)
        group.get("organizations", use: list)
        group.get("organizations/:id", use: show)
        group.put("organizations/:id", use: replace)
        group.delete("organizations/:id", use: remove)
    }

    struct Body: Decodable {
        var id: String?
        var name: String
        var city: String

        enum CodingKeys: String, CodingKey, CaseIterable { case id, name, city }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            city = try container.decode(String.self, forKey: .city)
        }
    }

    static func checked(_ body: Body) throws -> (String, String) {
        do {
            try OrganizationDecider.checkText(body.name, field: "name")
            try OrganizationDecider.checkText(body.city, field: "city")
        } catch {
            throw APIError.badRequest("invalid_field", error.message)
        }
        return (body.name, body.city)
    }

    func metadata(_ request: Request, _ context: LedgerRequestContext, _ action: EventMetadata.Action) -> WriteContext {
        WriteContext(RequestMetadata.make(request, context: context, actor: .init(id: "admin", role: "admin"), action: action, subjectUserId: nil))
    }

    func id(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("id"), (try? OrganizationDecider.checkId(id)) != nil else {
            throw APIError(.notFound, code: "not_found", message: "no such organization")
        }
        return id
    }

    @Sendable func create(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let (body, _) = try await JSONBody.decode(Body.self, from: request, bytesMax: settings.bodyBytesMax)
        guard let id = body.id else { throw APIError.badRequest("invalid_field", "id is required: the organization's DID") }
        do { try OrganizationDecider.checkId(id) } catch { throw APIError.badRequest("invalid_field", error.message) }
        let (name, city) = try Self.checked(body)
        let organization = try await ledger.registerOrganization(
            Organization(id: id, name: name, city: city), metadata(request, context, .create))
        return try answer(organization, status: .created, location: true)
    }

    @Sendable func show(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        guard let organization = try ledger.organization(id: try id(context)) else {
            throw APIError(.notFound, code: "not_found", message: "no such organization")
        }
        return try answer(organization)
    }

    @Sendable func list(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var limit = min(100, settings.pageSizeMax)
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...settings.pageSizeMax).contains(value) else {
                throw APIError.badRequest("invalid_query", "limit must be a whole number from 1 to \(settings.pageSizeMax)")
            }
            limit = value
        }
        let after = query["after"].map(String.init)
        guard (after?.utf8.count ?? 0) <= OrganizationDecider.idBytesMax else {
            throw APIError.badRequest("invalid_query", "after is too long")
        }
        let page = try ledger.organizations(afterId: after, limit: limit)
        var body: [String: Any] = ["organizations": page.map(Self.json)]
        if page.count == limit, let last = page.last { body["next_after"] = last.id }
        return try Self.response(body, status: .ok)
    }

    @Sendable func replace(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try id(context)
        let (body, _) = try await JSONBody.decode(Body.self, from: request, bytesMax: settings.bodyBytesMax)
        if let bodyId = body.id, bodyId != id {
            throw APIError.badRequest("invalid_field", "id in the body differs from the path")
        }
        let (name, city) = try Self.checked(body)
        return try answer(try await ledger.changeOrganization(id: id, name: name, city: city, metadata(request, context, .update)))
    }

    @Sendable func remove(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try id(context)
        try await ledger.removeOrganization(id: id, metadata(request, context, .delete))
        return Response(status: .noContent)
    }

    static func json(_ organization: Organization) -> [String: Any] {
        ["id": organization.id, "name": organization.name, "city": organization.city, "version": organization.version]
    }

    func answer(_ organization: Organization, status: HTTPResponse.Status = .ok, location: Bool = false) throws -> Response {
        var response = try Self.response(Self.json(organization), status: status)
        if location {
            let encoded = organization.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", ":"]))
            response.headers[.location] = "/admin/organizations/" + (encoded ?? organization.id)
        }
        return response
    }

    static func response(_ object: [String: Any], status: HTTPResponse.Status) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
