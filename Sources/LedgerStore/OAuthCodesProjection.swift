import Foundation
import GRDB
import LedgerCore

/// The `oauth_codes` table: authorization codes and device codes by digest, with their state.
public struct OAuthCodesProjection: Projection {
    public let name = "oauth_codes"
    public var tables: [(name: String, orderBy: String)] { [("oauth_codes", "code_sha256")] }

    public init() {}

    /// Folds with `GrantDecider.evolve`: a new code is inserted, an answered or redeemed one is
    /// read, evolved and written back (OAuth is off the hot path; the row is one key away).
    public func apply(_ event: RecordedEvent, typed: (any DomainEvent)?, _ db: Database) throws {
        guard let grantEvent = try domainEvent(typed, event, GrantEvent.init, GrantEvent.init) else { return }
        let codeSha256: String
        switch grantEvent {
        case .codeIssued, .deviceStarted:
            if let created = GrantDecider.evolve(PendingGrant?.none, grantEvent) { try save(created, db) }
            return
        case .deviceAnswered(let e): codeSha256 = e.deviceCodeSha256
        case .redeemed(let e): codeSha256 = e.codeSha256
        case .replayed, .refreshIssued, .refreshRotated, .refreshReused, .tokenRevoked, .connection: return
        }
        guard let current = try Self.fetch(codeSha256: codeSha256, db),
            let next = GrantDecider.evolve(current, grantEvent), next != current
        else { return }
        try save(next, db)
    }

    static func budgetText(_ budget: BudgetDefinition) throws -> String {
        String(decoding: try CanonicalJSON.encode(budget), as: UTF8.self)
    }

    private func save(_ g: PendingGrant, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO oauth_codes (code_sha256, kind, connection_id, client_id, user_id, redirect_uri,
                  redirect_uri_explicit, scopes, code_challenge_s256, access_lifetime_sec, budget, user_code_sha256,
                  interval_sec, status, issued_at_ms, expires_at_ms, nonce, auth_time_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            g.codeSha256, g.kind.rawValue, g.connectionId, g.clientId, g.userId, g.redirectUri, g.redirectUriExplicit,
            g.scopes.joined(separator: " "), g.codeChallengeS256, g.accessTokenLifetimeSec,
            try g.budget.map(Self.budgetText), g.userCodeSha256, g.intervalSec, g.status.rawValue, g.issuedAtMs,
            g.expiresAtMs, g.nonce, g.authTimeMs,
        ])
    }

    public static func fetch(codeSha256: String, _ db: Database) throws -> PendingGrant? {
        try Row.fetchFirst(
            db.cachedStatement(sql: "SELECT * FROM oauth_codes WHERE code_sha256 = ?"), arguments: [codeSha256],
            grant(from:))
    }

    public static func fetch(userCodeSha256: String, _ db: Database) throws -> PendingGrant? {
        try Row.fetchFirst(
            db.cachedStatement(sql: "SELECT * FROM oauth_codes WHERE user_code_sha256 = ? ORDER BY issued_at_ms DESC"),
            arguments: [userCodeSha256], grant(from:))
    }

    /// The code a connection was born from (for the redirect URI Alby's introspection shows).
    public static func fetch(connectionId: String, _ db: Database) throws -> PendingGrant? {
        try Row.fetchFirst(
            db.cachedStatement(sql: "SELECT * FROM oauth_codes WHERE connection_id = ? LIMIT 1"),
            arguments: [connectionId], grant(from:))
    }

    static func grant(from row: Row) throws -> PendingGrant {
        let scopes: String = row["scopes"]
        let budgetText: String? = row["budget"]
        return PendingGrant(
            codeSha256: row["code_sha256"],
            kind: PendingGrant.Kind(rawValue: row["kind"]) ?? .authorizationCode,
            connectionId: row["connection_id"], clientId: row["client_id"], userId: row["user_id"],
            redirectUri: row["redirect_uri"], redirectUriExplicit: row["redirect_uri_explicit"],
            scopes: scopes.split(separator: " ").map(String.init), codeChallengeS256: row["code_challenge_s256"],
            accessTokenLifetimeSec: row["access_lifetime_sec"],
            budget: try budgetText.map { try CanonicalJSON.decode(BudgetDefinition.self, from: Data($0.utf8)) },
            userCodeSha256: row["user_code_sha256"], intervalSec: row["interval_sec"],
            status: PendingGrant.Status(rawValue: row["status"]) ?? .redeemed, issuedAtMs: row["issued_at_ms"],
            expiresAtMs: row["expires_at_ms"], nonce: row["nonce"], authTimeMs: row["auth_time_ms"])
    }
}
