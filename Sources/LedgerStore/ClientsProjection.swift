import GRDB
import LedgerCore

/// The `oauth_clients` table: one row per registered client, folded with `ClientDecider.evolve`.
public struct ClientsProjection: Projection {
    public let name = "oauth_clients"
    public var tables: [(name: String, orderBy: String)] { [("oauth_clients", "id")] }

    public init() {}

    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        guard let clientEvent = try domainEvent(typed, event, ClientEvent.init, ClientEvent.init) else { return }
        let current: OAuthClient? =
            if case .registered = clientEvent { nil } else { try Self.fetch(id: clientEvent.clientId, db) }
        guard let next = ClientDecider.evolve(current, clientEvent, version: event.streamVersion) else { return }
        // Redirect URIs and scopes hold no spaces (ClientRules, ConnectionRules): space-separated is unambiguous.
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO oauth_clients (id, name, url, image_url, redirect_uris, public, scopes,
                  secret_sha256, status, created_at_ms, updated_at_ms, version, pkce, access_token_alg, id_token_alg)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            next.id, next.name, next.url, next.imageUrl, next.redirectUris.joined(separator: " "), next.isPublic,
            next.scopes.joined(separator: " "), next.secretSha256, next.status.rawValue, next.createdAtMs,
            next.updatedAtMs, next.version, next.pkce.rawValue, next.accessTokenAlg.rawValue, next.idTokenAlg.rawValue,
        ])
    }

    public static func fetch(id: String, _ db: Database) throws -> OAuthClient? {
        try Row.fetchFirst(db.cachedStatement(sql: "SELECT * FROM oauth_clients WHERE id = ?"), arguments: [id], client(from:))
    }

    public static func list(afterId: String?, limit: Int, _ db: Database) throws -> [OAuthClient] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM oauth_clients WHERE status = 'active' AND id > ? ORDER BY id LIMIT ?",
            arguments: [afterId ?? "", limit]
        ).map(client(from:))
    }

    static func client(from row: Row) -> OAuthClient {
        let uris: String = row["redirect_uris"]
        let scopes: String = row["scopes"]
        return OAuthClient(
            id: row["id"], name: row["name"], url: row["url"], imageUrl: row["image_url"],
            redirectUris: uris.split(separator: " ").map(String.init), isPublic: row["public"],
            scopes: scopes.split(separator: " ").map(String.init), secretSha256: row["secret_sha256"],
            status: OAuthClient.Status(rawValue: row["status"]) ?? .deleted, createdAtMs: row["created_at_ms"],
            updatedAtMs: row["updated_at_ms"], version: row["version"],
            pkce: PKCEPolicy(rawValue: row["pkce"]) ?? .required,
            accessTokenAlg: SigningAlgorithm(rawValue: row["access_token_alg"]) ?? .es256,
            idTokenAlg: SigningAlgorithm(rawValue: row["id_token_alg"]) ?? .rs256)
    }
}
