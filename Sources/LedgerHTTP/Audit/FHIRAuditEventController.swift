import Foundation
import HTTPTypes
import Hummingbird
import LedgerApp
import LedgerCore
import LedgerStore

/// FHIR R4 `AuditEvent` (read and search) over the trail, as the Zorgviewer / VZVZ profiles
/// shape it. Every search and read is itself recorded, like any read of the log.
struct FHIRAuditEventController: Sendable {
    let trail: AuditTrail
    let baseURL: String
    static let contentType = "application/fhir+json; charset=utf-8"

    func addRoutes(to group: RouterGroup<LedgerRequestContext>) {
        group.get("AuditEvent", use: search)
        group.get("AuditEvent/:id", use: read)
    }

    @Sendable func search(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await trail.caller(bearer: request.bearerToken.map(String.init), needs: AuditScope.read)
        let query = request.uri.queryParameters
        var filter = AuditFilter()
        if let patient = query["patient"].map(String.init) {
            // `system|` alone is FHIR's "any value in this system".
            let (system, value) = try Self.searchToken(patient, parameter: "patient", systemAlone: true)
            filter.subjectId = value
            filter.subjectIdType = system
            // The system an AuditEvent shows for a BSN finds the records it was shown for.
            if system == FHIRAuditEvent.bsnSystem { filter.subjectIdTypeAlternatives = FHIRAuditEvent.bsnIdTypes }
        }
        if let agent = query["agent"].map(String.init) {
            // A user is found by id alone: an agent's system cannot narrow the search.
            filter.userId = try Self.searchToken(agent, parameter: "agent", systemAlone: false).value
        }
        if let action = query["action"].map(String.init) {
            guard let parsed = EventMetadata.Action(rawValue: action) else {
                throw FHIRError(.badRequest, "invalid", "action must be one of C, R, U, D, E")
            }
            filter.action = parsed
        }
        for date in query.getAll("date") {
            let prefix = String(date.prefix(2))
            let value = ["ge", "le", "gt", "lt", "eq"].contains(prefix) ? String(date.dropFirst(2)) : date
            guard let ms = Self.date(value) else {
                throw FHIRError(.badRequest, "invalid", "date must be a FHIR date or dateTime with ge/le, e.g. ge2026-11-01")
            }
            switch prefix {
            case "ge", "gt": filter.fromMs = ms
            case "le", "lt": filter.untilMs = ms
            default:
                filter.fromMs = ms
                filter.untilMs = ms + (value.count <= 10 ? 86_400_000 - 1 : 0)
            }
        }
        var count = 100
        if let text = query["_count"] {
            guard let value = Int(String(text)), (1...AuditTrail.pageSizeMax).contains(value) else {
                throw FHIRError(.badRequest, "invalid", "_count must be 1 to \(AuditTrail.pageSizeMax)")
            }
            count = value
        }
        let page: AuditPage
        do {
            page = try await trail.events(
                filter, cursor: query["_cursor"].map(String.init), limit: count, query: "fhir:" + (request.uri.query ?? ""),
                by: caller, RequestMetadata.source(request, context: context))
        } catch let error as ValidationError {
            throw FHIRError(.badRequest, "invalid", error.description)
        }
        let selfURL = baseURL + "/fhir/AuditEvent" + (request.uri.query.map { "?" + $0 } ?? "")
        let nextURL = page.nextCursor.map { cursor -> String in
            var components = URLComponents()
            components.queryItems =
                (URLComponents(string: selfURL)?.queryItems ?? []).filter { $0.name != "_cursor" }
                + [URLQueryItem(name: "_cursor", value: cursor)]
            return baseURL + "/fhir/AuditEvent?" + (components.percentEncodedQuery ?? "")
        }
        let bundle = FHIRAuditEvent.bundle(
            try page.rows.map(StoredAuditRecord.init), baseURL: baseURL, selfURL: selfURL, nextURL: nextURL, total: nil)
        return try Self.answer(bundle)
    }

    @Sendable func read(_ request: Request, context: LedgerRequestContext) async throws -> Response {
        let caller = try await trail.caller(bearer: request.bearerToken.map(String.init), needs: AuditScope.read)
        guard let id = context.parameters.decoded("id"), (1...64).contains(id.utf8.count),
            let row = try await trail.record(id: id, by: caller, RequestMetadata.source(request, context: context))
        else { throw FHIRError(.notFound, "not-found", "no AuditEvent with this id") }
        return try Self.answer(FHIRAuditEvent.resource(try StoredAuditRecord(row), baseURL: baseURL))
    }

    /// A token search's `system|value`, bare value, or (where `systemAlone`) `system|`: refused
    /// when it names nothing or a part is longer than the trail's filters take, since the search
    /// is recorded with its patient as subject. The trail refuses control characters.
    static func searchToken(_ text: String, parameter: String, systemAlone: Bool) throws -> (
        system: String?, value: String?
    ) {
        let (system, value) = token(text)
        let bytesMax = AuditTrail.filterTextBytesMax
        let named = !value.isEmpty || (systemAlone && system != nil)
        guard named, value.utf8.count <= bytesMax, (system?.utf8.count ?? 0) <= bytesMax else {
            throw FHIRError(
                .badRequest, "invalid",
                "\(parameter) must be a token, [system|]value\(systemAlone ? " or system|" : ""), each part at most \(bytesMax) bytes")
        }
        return (system, value.isEmpty ? nil : value)
    }

    static func token(_ text: String) -> (system: String?, value: String) {
        guard let bar = text.firstIndex(of: "|") else { return (nil, text) }
        let system = String(text[..<bar])
        return (system.isEmpty ? nil : system, String(text[text.index(after: bar)...]))
    }

    /// A FHIR `date` (YYYY-MM-DD, the start of that UTC day) or `dateTime`.
    static func date(_ text: String) -> Int64? {
        if text.count == 10 { return AuditRecordReader.milliseconds(text + "T00:00:00Z") }
        return AuditRecordReader.milliseconds(text)
    }

    static func answer(_ resource: [String: Any]) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        let body = try FHIRJSON.encode(resource)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// FHIR's error answer: an `OperationOutcome` with one issue.
struct FHIRError: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let diagnostics: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ diagnostics: String) {
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let outcome: [String: Any] = [
            "resourceType": "OperationOutcome",
            "issue": [["severity": "error", "code": code, "diagnostics": diagnostics]],
        ]
        var headers = self.headers
        headers[.contentType] = FHIRAuditEventController.contentType
        let body = try JSONSerialization.data(withJSONObject: outcome, options: [.sortedKeys])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The FHIR surface answers every error as an OperationOutcome.
enum FHIRErrors: ErrorShape {
    static func render(_ error: any Error) -> (any HTTPResponseError)? {
        switch error {
        case let error as FHIRError: return error
        case let refusal as AuditRefusal:
            var answer = FHIRError(
                refusal.status == .unauthorized ? .unauthorized : .forbidden, refusal.status == .unauthorized ? "login" : "forbidden",
                refusal.message)
            answer.headers[.wwwAuthenticate] = #"Bearer realm="grantledger-audit""#
            return answer
        case let error as ValidationError: return FHIRError(.badRequest, "invalid", error.description)
        case let error as HTTPError:
            return FHIRError(error.status, error.status == .notFound ? "not-found" : "invalid", error.body ?? "\(error.status)")
        case let error as any HTTPResponseError where error.status.code < 500:
            return FHIRError(error.status, "invalid", "\(error.status.code) \(error.status.reasonPhrase)")
        case let error as LedgerError: return FHIRError(.serviceUnavailable, "transient", error.message)
        default: return nil
        }
    }

    static var unexpected: any HTTPResponseError { FHIRError(.internalServerError, "exception", "internal error; see the server log") }
}
