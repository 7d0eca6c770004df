import Foundation
import LedgerCore
import LedgerStore

/// A record as one RFC 4180 row: a column for every field of the record, nested ones joined by
/// `_` (`user_id`, `user_role`), so nothing reported is lost and a spreadsheet can filter on any.
/// Values are written verbatim (no prefix against spreadsheet formulas: the export is evidence,
/// and a changed value would no longer be the value the log holds).
package enum AuditCSV {
    package static let columns = [
        "id", "seq", "recorded_at", "source_id", "record_id", "event_code", "event_system", "event_display", "action",
        "occurred_at", "user_id", "user_role", "user_name", "responsible_user_id", "responsible_user_role",
        "responsible_user_name", "organization_id", "organization_name", "subject_id_type", "subject_id",
        "authorization_protocol", "access_point_type", "access_point_id", "outcome", "outcome_reason", "emergency",
        "purpose", "data", "query", "request_id", "trace_id", "site_id",
    ]

    package static func row(_ row: AuditRow, _ record: AuditRecord) -> String {
        let values: [String?] = [
            row.id, String(row.seq), RFC3339.string(unixMs: row.recordedAtMs), row.sourceId, record.recordId,
            record.event.code, record.event.system, record.event.display, record.action.rawValue, record.occurredAt,
            record.user.id, record.user.role, record.user.name, record.responsibleUser?.id,
            record.responsibleUser?.role, record.responsibleUser?.name, record.organization?.id,
            record.organization?.name, record.subject.idType, record.subject.id, record.authorizationProtocol,
            record.accessPoint?.type, record.accessPoint?.id, record.outcome?.rawValue, record.outcomeReason,
            record.emergency.map { $0 ? "true" : "false" }, record.purpose, record.data, record.query,
            record.requestId, record.traceId, record.siteId,
        ]
        return values.map { field($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    /// Quoted when it holds a comma, a quote or a line break (RFC 4180 §2.6), quotes doubled.
    package static func field(_ value: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and equals neither "\r" nor "\n".
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
