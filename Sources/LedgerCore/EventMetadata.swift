import Foundation

/// Who did what, to whom, why and from where: the envelope NEN 7513 asks of every access record.
/// It travels with every event so the log doubles as the audit trail.
public struct EventMetadata: Codable, Sendable, Equatable {
    public struct Actor: Codable, Sendable, Equatable {
        public var id: String
        public var role: String
        public init(id: String, role: String) {
            self.id = id
            self.role = role
        }
    }

    public struct Subject: Codable, Sendable, Equatable {
        public var id: String
        public var idType: String
        public init(id: String, idType: String) {
            self.id = id
            self.idType = idType
        }
        enum CodingKeys: String, CodingKey {
            case id
            case idType = "id_type"
        }
    }

    public struct Source: Codable, Sendable, Equatable {
        public var serviceId: String
        public var ip: String?
        public init(serviceId: String, ip: String? = nil) {
            self.serviceId = serviceId
            self.ip = ip
        }
        enum CodingKeys: String, CodingKey {
            case serviceId = "service_id"
            case ip
        }
    }

    /// NEN 7513 / FHIR AuditEvent action codes.
    public enum Action: String, Codable, Sendable {
        case create = "C"
        case read = "R"
        case update = "U"
        case delete = "D"
        case execute = "E"
    }

    public var actor: Actor
    public var onBehalfOf: String?
    public var subject: Subject?
    public var action: Action
    public var purpose: String?
    public var source: Source
    public var requestId: String
    public var traceId: String?
    /// SHA-256 of the request that carried an idempotency key, set by the writer.
    public var requestDigest: String?

    public init(
        actor: Actor,
        onBehalfOf: String? = nil,
        subject: Subject? = nil,
        action: Action,
        purpose: String? = nil,
        source: Source,
        requestId: String,
        traceId: String? = nil
    ) {
        self.actor = actor
        self.onBehalfOf = onBehalfOf
        self.subject = subject
        self.action = action
        self.purpose = purpose
        self.source = source
        self.requestId = requestId
        self.traceId = traceId
    }

    enum CodingKeys: String, CodingKey {
        case actor
        case onBehalfOf = "on_behalf_of"
        case subject, action, purpose, source
        case requestId = "request_id"
        case traceId = "trace_id"
        case requestDigest = "request_digest"
    }
}
