import Foundation

public struct OrganizationRegistered: DomainEvent {
    public static let type = "OrganizationRegistered"
    public static let typeVersion = 1
    public var id: String
    public var name: String
    public var city: String

    public init(id: String, name: String, city: String) {
        self.id = id
        self.name = name
        self.city = city
    }

    public static func stream(_ id: String) -> String { "organization/\(id)" }
}

public struct OrganizationChanged: DomainEvent {
    public static let type = "OrganizationChanged"
    public static let typeVersion = 1
    public var id: String
    public var name: String
    public var city: String

    public init(id: String, name: String, city: String) {
        self.id = id
        self.name = name
        self.city = city
    }
}

public struct OrganizationRemoved: DomainEvent {
    public static let type = "OrganizationRemoved"
    public static let typeVersion = 1
    public var id: String

    public init(id: String) { self.id = id }
}

/// A signing session began: who is to sign which contract with which means. The employeeid
/// means' page secret is kept as a hash only.
public struct SigningSessionStarted: DomainEvent {
    public static let type = "SigningSessionStarted"
    public static let typeVersion = 1
    public var session: SigningSession

    public init(session: SigningSession) { self.session = session }

    public static func stream(_ id: String) -> String { "signing-session/\(id)" }
}

/// A signing session moved on (created → in-progress → completed, cancelled, errored, expired, or
/// vp-requested once its presentation was handed out).
public struct SigningSessionChanged: DomainEvent {
    public static let type = "SigningSessionChanged"
    public static let typeVersion = 1
    public var sessionId: String
    public var status: SigningSession.Status
    public var atMs: Int64

    public init(sessionId: String, status: SigningSession.Status, atMs: Int64) {
        self.sessionId = sessionId
        self.status = status
        self.atMs = atMs
    }

    enum CodingKeys: String, CodingKey {
        case sessionId = "session_id"
        case status
        case atMs = "at_ms"
    }
}

/// An access token carrying a practitioner's identity, issued for a signed login contract. The
/// token itself is never stored: its `jti` and what introspection answers are.
public struct NutsAccessTokenIssued: DomainEvent {
    public static let type = "NutsAccessTokenIssued"
    public static let typeVersion = 1
    public var token: NutsAccessToken

    public init(token: NutsAccessToken) { self.token = token }

    public static func stream(_ jti: String) -> String { "nuts-token/\(jti)" }
}
