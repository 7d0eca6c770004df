import Foundation

/// Reads a reported record from its JSON object, field by field, so a refusal names the first
/// missing or malformed field by its path (`user.role`), in the order NEN 7513's mandatory
/// fields are listed. Written by hand rather than with `Decodable`, whose errors name coding keys
/// and stop at the first type mismatch in declaration order, not in the order the standard sets.
public enum AuditRecordReader {
    /// Every text field's limit; a record is a log line, not a document.
    public static let textBytesMax = 1024

    /// A control character a record's text may not hold: category Cc but the tab. Cc is exactly
    /// U+0000–001F and U+007F–009F, compared directly, since the Unicode property look-up per
    /// scalar showed in profiles of batch reports.
    public static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
    }
    public static let longTextBytesMax = 4096

    /// `path` prefixes every field named in an error (`records[3].` for the fourth of a batch).
    public static func read(_ value: JSONValue, path prefix: String = "") throws(ValidationError) -> AuditRecord {
        func field(_ name: String) -> String { prefix + name }
        guard case .object(let json) = value else {
            throw ValidationError(field: prefix.isEmpty ? "record" : String(prefix.dropLast()), reason: "must be an object")
        }
        func object(_ name: String, required: Bool) throws(ValidationError) -> [String: JSONValue]? {
            switch json[name] {
            case nil, .null?:
                if required { throw ValidationError(field: field(name), reason: "is required") }
                return nil
            case .object(let members)?: return members
            default: throw ValidationError(field: field(name), reason: "must be an object")
            }
        }
        func text(_ value: JSONValue?, _ path: String, required: Bool, bytesMax: Int = textBytesMax)
            throws(ValidationError) -> String?
        {
            switch value {
            case nil, .null?:
                if required { throw ValidationError(field: path, reason: "is required") }
                return nil
            case .string(let string)?:
                guard !string.isEmpty || !required else { throw ValidationError(field: path, reason: "is required") }
                guard string.utf8.count <= bytesMax else {
                    throw ValidationError(field: path, reason: "is longer than \(bytesMax) bytes")
                }
                guard !hasControlCharacter(string) else {
                    throw ValidationError(field: path, reason: "must not contain control characters")
                }
                return string
            default:
                throw ValidationError(field: path, reason: "must be a string")
            }
        }

        let event = try object("event", required: true)
        let code = try text(event?["code"], field("event.code"), required: true)!
        let action = try text(json["action"], field("action"), required: true)!
        guard let parsedAction = EventMetadata.Action(rawValue: action) else {
            throw ValidationError(field: field("action"), reason: "must be one of C, R, U, D, E")
        }
        let occurredAt = try text(json["occurred_at"], field("occurred_at"), required: true)!
        guard let occurredMs = milliseconds(occurredAt) else {
            throw ValidationError(field: field("occurred_at"), reason: "must be an RFC 3339 time, e.g. 2026-11-30T10:00:00Z")
        }
        let user = try object("user", required: true)
        let userId = try text(user?["id"], field("user.id"), required: true)!
        let userRole = try text(user?["role"], field("user.role"), required: true)!
        let subject = try object("subject", required: true)
        let subjectType = try text(subject?["id_type"], field("subject.id_type"), required: true)!
        let subjectId = try text(subject?["id"], field("subject.id"), required: true)!
        let protocolText = try text(json["authorization_protocol"], field("authorization_protocol"), required: true)!
        var responsible: AuditRecord.Person?
        if let given = try object("responsible_user", required: false) {
            responsible = AuditRecord.Person(
                id: try text(given["id"], field("responsible_user.id"), required: true)!,
                role: try text(given["role"], field("responsible_user.role"), required: true)!,
                name: try text(given["name"], field("responsible_user.name"), required: false))
        }
        var accessPoint: AuditRecord.AccessPoint?
        if let given = try object("access_point", required: false) {
            accessPoint = AuditRecord.AccessPoint(
                type: try text(given["type"], field("access_point.type"), required: true)!,
                id: try text(given["id"], field("access_point.id"), required: true)!)
        }
        var organization: AuditRecord.Organization?
        if let given = try object("organization", required: false) {
            organization = AuditRecord.Organization(
                id: try text(given["id"], field("organization.id"), required: true)!,
                name: try text(given["name"], field("organization.name"), required: false))
        }
        var outcome: AuditRecord.Outcome?
        if let given = try text(json["outcome"], field("outcome"), required: false) {
            guard let parsed = AuditRecord.Outcome(rawValue: given) else {
                throw ValidationError(field: field("outcome"), reason: "must be success or failure")
            }
            outcome = parsed
        }
        var emergency: Bool?
        switch json["emergency"] {
        case nil, .null?: emergency = nil
        case .bool(let flag)?: emergency = flag
        default: throw ValidationError(field: field("emergency"), reason: "must be true or false")
        }
        let recordId = try text(json["record_id"], field("record_id"), required: false, bytesMax: 128)
        return AuditRecord(
            recordId: recordId,
            event: AuditRecord.Coding(
                code: code, system: try text(event?["system"], field("event.system"), required: false),
                display: try text(event?["display"], field("event.display"), required: false)),
            action: parsedAction, occurredAt: format(occurredMs),
            user: AuditRecord.Person(
                id: userId, role: userRole, name: try text(user?["name"], field("user.name"), required: false)),
            responsibleUser: responsible,
            subject: AuditRecord.Subject(idType: subjectType, id: subjectId), authorizationProtocol: protocolText,
            accessPoint: accessPoint, outcome: outcome,
            outcomeReason: try text(json["outcome_reason"], field("outcome_reason"), required: false),
            emergency: emergency, purpose: try text(json["purpose"], field("purpose"), required: false),
            data: try text(json["data"], field("data"), required: false, bytesMax: longTextBytesMax),
            query: try text(json["query"], field("query"), required: false, bytesMax: longTextBytesMax),
            requestId: try text(json["request_id"], field("request_id"), required: false, bytesMax: 128),
            traceId: try text(json["trace_id"], field("trace_id"), required: false, bytesMax: 128),
            organization: organization, siteId: try text(json["site_id"], field("site_id"), required: false))
    }

    /// RFC 3339 with a zone (`Z` or an offset), optional fraction, as milliseconds since 1970.
    public static func milliseconds(_ text: String) -> Int64? { RFC3339.unixMs(text) }

    /// `2026-11-30T10:00:00.000Z`: one spelling for every stored time.
    public static func format(_ ms: Int64) -> String { RFC3339.string(unixMs: ms) }
}
