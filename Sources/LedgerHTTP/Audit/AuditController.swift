import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore

/// `/audit/…`: resource servers report accesses, readers query the trail and a subject's
/// overview (NEN 7513 ch. 7 and 9). Translation only; `AuditTrail` decides.
struct AuditController: Sendable {
    let trail: AuditTrail
    /// `--audit-body-bytes-max`: a batch of 1,000 records needs more than other routes' bodies.
    let bodyBytesMax: Int

    func addRoutes(to group: RouterGroup<LedgerRequestContext>) {
        group.post("access", use: report)
        group.get("events", use: events)
        group.get("subjects/:id_type/:id/accesses", use: subjectAccesses)
        group.get("checkpoints/latest", use: latestCheckpoint)
    }

    /// The newest signed checkpoint of the chain head, for an outside witness to keep (and to
    /// hand back to `grantledger verify --checkpoint FILE`).
    @Sendable func latestCheckpoint(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        _ = try await trail.caller(bearer: request.bearerToken.map(String.init), needs: AuditScope.read)
        guard let checkpoint = try trail.ledger.latestCheckpoint() else {
            throw APIError(.notFound, code: "not_found", message: "no checkpoint has been written yet")
        }
        return try JSONResponse.make(.ok, checkpoint, headers: [.cacheControl: "no-store"])
    }

    @Sendable func report(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await trail.caller(bearer: request.bearerToken.map(String.init), needs: AuditScope.write)
        let data = try await JSONBody.bytes(from: request, bytesMax: bodyBytesMax)
        let body: JSONValue
        do {
            body = try CanonicalJSON.decode(JSONValue.self, from: data)
        } catch {
            throw APIError.badRequest("invalid_json", "the body must be a record or {\"records\": [...]} in JSON")
        }
        let ids = try await trail.report(body, by: caller, RequestMetadata.source(request, context: context))
        return try JSONResponse.make(.created, ["ids": ids], headers: [.cacheControl: "no-store"])
    }

    @Sendable func events(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await trail.caller(bearer: request.bearerToken.map(String.init), needs: AuditScope.read)
        let query = request.uri.queryParameters
        let filter = try Self.filter(query)
        let page = try await trail.events(
            filter, cursor: query["cursor"].map(String.init), limit: try Self.limit(query),
            query: request.uri.query ?? "", by: caller, RequestMetadata.source(request, context: context))
        return try Self.page(page)
    }

    /// NEN 7513 ch. 9: the accesses to one subject's data, with the same filters and paging.
    @Sendable func subjectAccesses(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        guard let idType = context.parameters.decoded("id_type"), let id = context.parameters.decoded("id"),
            (1...256).contains(idType.utf8.count), (1...256).contains(id.utf8.count)
        else { throw APIError(.notFound, code: "not_found", message: "no such subject") }
        let caller = try await trail.overviewCaller(
            bearer: request.bearerToken.map(String.init), subject: AuditRecord.Subject(idType: idType, id: id))
        let query = request.uri.queryParameters
        var filter = try Self.filter(query)
        filter.subjectId = id
        filter.subjectIdType = idType
        let page = try await trail.events(
            filter, cursor: query["cursor"].map(String.init), limit: try Self.limit(query),
            query: "subject=\(idType)/\(id)&" + (request.uri.query ?? ""), by: caller,
            RequestMetadata.source(request, context: context))
        return try Self.page(page)
    }

    static func page(_ page: AuditPage) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try AuditRecordJSON.page(page.rows, nextCursor: page.nextCursor))))
    }

    static func filter(_ query: Parameters) throws -> AuditFilter {
        func text(_ name: String) throws -> String? {
            guard let value = query[Substring(name)].map(String.init) else { return nil }
            guard (1...AuditTrail.filterTextBytesMax).contains(value.utf8.count) else {
                throw APIError.badRequest("invalid_query", "\(name) must be 1 to \(AuditTrail.filterTextBytesMax) bytes")
            }
            return value
        }
        func time(_ name: String) throws -> Int64? {
            guard let value = try text(name) else { return nil }
            guard let ms = AuditRecordReader.milliseconds(value) else {
                throw APIError.badRequest("invalid_query", "\(name) must be an RFC 3339 time, e.g. 2026-11-30T10:00:00Z")
            }
            return ms
        }
        var filter = AuditFilter(
            subjectId: try text("subject_id"), subjectIdType: try text("subject_id_type"), userId: try text("user_id"),
            fromMs: try time("from"), untilMs: try time("until"), eventCode: try text("event_code"))
        if let action = try text("action") {
            guard let parsed = EventMetadata.Action(rawValue: action) else {
                throw APIError.badRequest("invalid_query", "action must be one of C, R, U, D, E")
            }
            filter.action = parsed
        }
        if let outcome = try text("outcome") {
            guard let parsed = AuditRecord.Outcome(rawValue: outcome) else {
                throw APIError.badRequest("invalid_query", "outcome must be success or failure")
            }
            filter.outcome = parsed
        }
        if let emergency = try text("emergency") {
            guard emergency == "true" || emergency == "false" else {
                throw APIError.badRequest("invalid_query", "emergency must be true or false")
            }
            filter.emergency = emergency == "true"
        }
        return filter
    }

    static func limit(_ query: Parameters) throws -> Int {
        guard let text = query["limit"] else { return 100 }
        guard let value = Int(String(text)), (1...AuditTrail.pageSizeMax).contains(value) else {
            throw APIError.badRequest("invalid_query", "limit must be a whole number from 1 to \(AuditTrail.pageSizeMax)")
        }
        return value
    }
}

/// The audit surface answers in the admin API's shape; a missing or weak credential is a Bearer challenge.
enum AuditErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        if let refusal = error as? AuditRefusal {
            var answer = APIError(
                refusal.status == .unauthorized ? .unauthorized : .forbidden,
                code: refusal.status == .unauthorized ? "unauthorized" : "insufficient_scope", message: refusal.message)
            answer.headers[.wwwAuthenticate] =
                refusal.status == .unauthorized
                ? #"Bearer realm="grantledger-audit""# : #"Bearer realm="grantledger-audit", error="insufficient_scope""#
            return answer
        }
        return AdminErrors.render(error)
    }

    static var unexpected: any HTTPResponseError { AdminErrors.unexpected }
}
