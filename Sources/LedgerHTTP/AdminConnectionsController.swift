import LedgerApp
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore

/// `/admin/connections`: grant, read, list, update and revoke connections. HTTP only: it decodes,
/// builds a command, submits it to the writer and maps the outcome to a status.
struct AdminConnectionsController {
    let ledger: Ledger
    let settings: HTTPSettings
    let nwc: NWCSettings

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
        let command: GrantConnection
        do {
            command = try GrantConnection(
                connectionId: Identifiers.make(now: ledger.clock()), userId: body.userId, name: body.name,
                scopes: body.scopes,
                budget: try body.budget.map { b throws(ValidationError) in try nwc.budget(b) },
                expiresAtSec: body.expiresAt, nowMs: ledger.nowMs)
        } catch {
            throw APIError.validation(error)
        }
        let outcome = try await submit(
            .grant(command), request, context, raw: raw, action: .create, subjectUserId: command.userId)
        guard case .accepted(let events, let replayed) = outcome,
            let event = events.first, let granted = try ConnectionEvent(event.payload),
            let connection = ConnectionDecider.evolve(nil, granted, version: event.streamVersion)
        else { throw rejection(of: outcome) }
        // The grant event holds the whole new connection, so the answer needs no read; a replayed
        // create answers with the connection as the first request created it.
        var headers = HTTPFields()
        headers[.location] = "/admin/connections/\(connection.id)"
        if replayed { headers[.idempotentReplayed] = "true" }
        return try connectionResponse(connection, status: .created, headers: headers)
    }

    @Sendable func show(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        try await connectionResponse(id: try id(context))
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
        let page = try await ledger.connections(userId: userId, status: status, afterId: after, limit: limit)
        return try JSONResponse.make(
            .ok,
            ConnectionListJSON(
                connections: page.map(ConnectionJSON.init), nextAfter: page.count == limit ? page.last?.id : nil))
    }

    @Sendable func update(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try id(context)
        let (body, raw) = try await JSONBody.decode(UpdateRequest.self, from: request, bytesMax: settings.bodyBytesMax)
        let command: UpdateConnection
        do {
            let budget: FieldChange<BudgetDefinition> =
                switch body.budget {
                case .keep: .keep
                case .remove: .remove
                case .set(let text): .set(try nwc.budget(text))
                }
            command = try UpdateConnection(
                connectionId: id, name: body.name, scopes: body.scopes, budget: budget, expiresAtSec: body.expiresAt,
                nowMs: ledger.nowMs)
        } catch {
            throw APIError.validation(error)
        }
        let outcome = try await submit(
            .update(command), request, context, raw: raw, action: .update, subjectUserId: try await userId(of: id),
            expectedVersion: try ifMatch(request))
        guard case .accepted = outcome else { throw rejection(of: outcome) }
        return try await connectionResponse(id: id)
    }

    @Sendable func revoke(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let id = try id(context)
        // Form-style `+` for spaces, as curl --data-urlencode and browsers send it.
        let reason = request.uri.queryParameters["reason"].map { String($0).replacingOccurrences(of: "+", with: " ") }
        let command: RevokeConnection
        do {
            command = try RevokeConnection(connectionId: id, reason: reason)
        } catch {
            throw APIError.validation(error)
        }
        let outcome = try await submit(
            .revoke(command), request, context, raw: Data(), action: .delete, subjectUserId: try await userId(of: id),
            expectedVersion: try ifMatch(request))
        guard case .accepted = outcome else { throw rejection(of: outcome) }
        return try await connectionResponse(id: id)
    }

    // MARK: Helpers

    private func id(_ context: LedgerRequestContext) throws -> String {
        guard let id = context.parameters.decoded("id"), (1...64).contains(id.count) else {
            throw APIError(.notFound, code: "not_found", message: "no such connection")
        }
        return id
    }

    private func userId(of id: String) async throws -> String? {
        try await ledger.connection(id: id)?.userId
    }

    private func submit(
        _ command: ConnectionCommand, _ request: Request, _ context: LedgerRequestContext, raw: Data,
        action: EventMetadata.Action, subjectUserId: String?, expectedVersion: Int64? = nil
    ) async throws -> CommandOutcome {
        let key = try RequestMetadata.idempotencyKey(request)
        // Only a keyed request needs its digest: it tells a retry from a different request.
        let digest = key.map { _ in RequestMetadata.requestDigest(request, body: raw) }
        return try await ledger.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(command),
                metadata: RequestMetadata.admin(
                    request, context: context, action: action, subjectUserId: subjectUserId),
                idempotencyKey: key, requestDigest: digest, expectedVersion: expectedVersion))
    }

    private func rejection(of outcome: CommandOutcome) -> APIError {
        if case .rejected(let rejection, _) = outcome { return APIError.rejection(rejection) }
        // An accepted grant always has its event; reaching here is a bug, not bad input.
        return APIError(.internalServerError, code: "internal_error", message: "unexpected outcome")
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

    private func connectionResponse(id: String) async throws -> Response {
        guard let connection = try await ledger.connection(id: id) else {
            throw APIError(.notFound, code: "not_found", message: "no connection with id \(id)")
        }
        return try connectionResponse(connection)
    }

    private func connectionResponse(
        _ connection: Connection, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    )
        throws -> Response
    {
        var headers = headers
        headers[.eTag] = "\"\(connection.version)\""
        return try JSONResponse.make(status, ConnectionJSON(connection), headers: headers)
    }
}
