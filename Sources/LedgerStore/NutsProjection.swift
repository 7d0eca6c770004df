import Foundation
import GRDB
import LedgerCore

/// Organisations, signing sessions and Nuts access tokens: each row the stream's state folded by
/// the domain's `evolve`, kept as canonical JSON beside the columns the look-ups use.
public struct NutsProjection: Projection {
    public let name = "nuts"
    public var tables: [(name: String, orderBy: String)] {
        [("nuts_organizations", "id"), ("signing_sessions", "id"), ("nuts_access_tokens", "jti")]
    }

    public init() {}

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        switch event.type {
        case OrganizationRegistered.type, OrganizationChanged.type, OrganizationRemoved.type:
            let domain: any DomainEvent
            if let typed {
                domain = typed
            } else if event.type == OrganizationRegistered.type {
                domain = try event.payload.decode(as: OrganizationRegistered.self)
            } else if event.type == OrganizationChanged.type {
                domain = try event.payload.decode(as: OrganizationChanged.self)
            } else {
                domain = try event.payload.decode(as: OrganizationRemoved.self)
            }
            let id =
                (domain as? OrganizationRegistered)?.id ?? (domain as? OrganizationChanged)?.id
                ?? (domain as? OrganizationRemoved)?.id ?? ""
            guard let next = OrganizationDecider.evolve(try Self.organization(id: id, includingRemoved: true, db), domain)
            else { return }
            try db.execute(
                sql: "INSERT OR REPLACE INTO nuts_organizations (id, name, city, removed, state) VALUES (?, ?, ?, ?, ?)",
                arguments: [next.id, next.name, next.city, next.removed, Self.json(next)])
        case SigningSessionStarted.type, SigningSessionChanged.type:
            let domain: any DomainEvent
            if let typed {
                domain = typed
            } else if event.type == SigningSessionStarted.type {
                domain = try event.payload.decode(as: SigningSessionStarted.self)
            } else {
                domain = try event.payload.decode(as: SigningSessionChanged.self)
            }
            let id = (domain as? SigningSessionStarted)?.session.id ?? (domain as? SigningSessionChanged)?.sessionId ?? ""
            guard let next = SigningSessionDecider.evolve(try Self.signingSession(id: id, db), domain) else { return }
            try db.execute(
                sql: "INSERT OR REPLACE INTO signing_sessions (id, status, expires_at_ms, state) VALUES (?, ?, ?, ?)",
                arguments: [next.id, next.status.rawValue, next.expiresAtMs, Self.json(next)])
        case NutsAccessTokenIssued.type:
            let issued = try (typed as? NutsAccessTokenIssued) ?? event.payload.decode(as: NutsAccessTokenIssued.self)
            try db.execute(
                sql: "INSERT OR REPLACE INTO nuts_access_tokens (jti, expires_at_ms, state) VALUES (?, ?, ?)",
                arguments: [issued.token.jti, issued.token.expiresAtMs, Self.json(issued.token)])
        default:
            return
        }
    }

    static func json(_ value: some Encodable) throws -> String { try StateJSON.encode(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? { try StateJSON.decode(type, text) }

    public static func organization(id: String, includingRemoved: Bool = false, _ db: Database) throws -> Organization? {
        let state = try String.fetchOne(
            db, sql: "SELECT state FROM nuts_organizations WHERE id = ?" + (includingRemoved ? "" : " AND removed = 0"),
            arguments: [id])
        return try decode(Organization.self, state)
    }

    /// The registered organisation a contract names (the first by id, should two share both).
    public static func organization(name: String, city: String, _ db: Database) throws -> Organization? {
        try decode(
            Organization.self,
            try String.fetchOne(
                db, sql: "SELECT state FROM nuts_organizations WHERE name = ? AND city = ? AND removed = 0 ORDER BY id LIMIT 1",
                arguments: [name, city]))
    }

    public static func organizations(afterId: String?, limit: Int, _ db: Database) throws -> [Organization] {
        try String.fetchAll(
            db, sql: "SELECT state FROM nuts_organizations WHERE removed = 0 AND id > ? ORDER BY id LIMIT ?",
            arguments: [afterId ?? "", limit]
        ).compactMap { try decode(Organization.self, $0) }
    }

    public static func signingSession(id: String, _ db: Database) throws -> SigningSession? {
        try decode(SigningSession.self, try String.fetchOne(db, sql: "SELECT state FROM signing_sessions WHERE id = ?", arguments: [id]))
    }

    public static func accessToken(jti: String, _ db: Database) throws -> NutsAccessToken? {
        try decode(
            NutsAccessToken.self, try String.fetchOne(db, sql: "SELECT state FROM nuts_access_tokens WHERE jti = ?", arguments: [jti]))
    }
}
