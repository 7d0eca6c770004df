import Foundation

/// One NEN 7513:2018 (ch. 7) access-log record, as a resource server reports it
/// (`POST /audit/access`) and as every query answers it. The ledger's own decisions use the same
/// shape. Field names are fixed by the interface clients rely on (issue 12).
public struct AuditRecord: Codable, Sendable, Equatable {
    public struct Coding: Codable, Sendable, Equatable {
        public var code: String
        public var system: String?
        public var display: String?

        public init(code: String, system: String? = nil, display: String? = nil) {
            self.code = code
            self.system = system
            self.display = display
        }
    }

    public struct Person: Codable, Sendable, Equatable {
        public var id: String
        public var role: String
        public var name: String?

        public init(id: String, role: String, name: String? = nil) {
            self.id = id
            self.role = role
            self.name = name
        }
    }

    public struct Subject: Codable, Sendable, Equatable {
        public var idType: String
        public var id: String

        public init(idType: String, id: String) {
            self.idType = idType
            self.id = id
        }

        enum CodingKeys: String, CodingKey {
            case idType = "id_type"
            case id
        }
    }

    public struct AccessPoint: Codable, Sendable, Equatable {
        public var type: String
        public var id: String
    }

    public struct Organization: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
    }

    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case success, failure
    }

    public var recordId: String?
    public var event: Coding
    /// C, R, U, D or E (execute), as `EventMetadata.Action`.
    public var action: EventMetadata.Action
    /// RFC 3339 in UTC with `Z`, as given (normalised to whole milliseconds).
    public var occurredAt: String
    public var user: Person
    public var responsibleUser: Person?
    public var subject: Subject
    public var authorizationProtocol: String
    public var accessPoint: AccessPoint?
    public var outcome: Outcome?
    public var outcomeReason: String?
    public var emergency: Bool?
    public var purpose: String?
    public var data: String?
    public var query: String?
    public var requestId: String?
    public var traceId: String?
    public var organization: Organization?
    public var siteId: String?

    enum CodingKeys: String, CodingKey {
        case recordId = "record_id"
        case event, action
        case occurredAt = "occurred_at"
        case user
        case responsibleUser = "responsible_user"
        case subject
        case authorizationProtocol = "authorization_protocol"
        case accessPoint = "access_point"
        case outcome
        case outcomeReason = "outcome_reason"
        case emergency, purpose, data, query
        case requestId = "request_id"
        case traceId = "trace_id"
        case organization
        case siteId = "site_id"
    }

    /// `occurred_at` as Unix milliseconds (it was checked when the record was read).
    public var occurredAtMs: Int64 { AuditRecordReader.milliseconds(occurredAt) ?? 0 }
}
