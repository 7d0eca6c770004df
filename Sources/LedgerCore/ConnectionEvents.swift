public struct ConnectionGranted: DomainEvent {
    public static let type = "ConnectionGranted"
    /// 2: the budget may carry `max_per_payment`; a build that knows only 1 would ignore the cap.
    public static let typeVersion = 2

    public var connectionId: String
    public var userId: String
    public var name: String
    public var scopes: [String]
    public var budget: BudgetDefinition?
    public var expiresAtSec: Int64?
    public var grantedAtMs: Int64
    /// The OAuth client the grant was made to; nil for NWC connections. Absent from older events.
    public var clientId: String?

    enum CodingKeys: String, CodingKey {
        case connectionId = "connection_id"
        case userId = "user_id"
        case name, scopes, budget
        case expiresAtSec = "expires_at"
        case grantedAtMs = "granted_at_ms"
        case clientId = "client_id"
    }
}

/// Only the fields that changed are present; `budgetRemoved` distinguishes "no change" from
/// "budget taken away".
public struct ConnectionUpdated: DomainEvent {
    public static let type = "ConnectionUpdated"
    /// 2: the budget may carry `max_per_payment`; a build that knows only 1 would ignore the cap.
    public static let typeVersion = 2

    public var connectionId: String
    public var name: String?
    public var scopes: [String]?
    public var budget: BudgetDefinition?
    public var budgetRemoved: Bool?
    public var expiresAtSec: Int64?
    public var expiryRemoved: Bool?
    public var updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case connectionId = "connection_id"
        case name, scopes, budget
        case budgetRemoved = "budget_removed"
        case expiresAtSec = "expires_at"
        case expiryRemoved = "expiry_removed"
        case updatedAtMs = "updated_at_ms"
    }
}

public struct ConnectionRevoked: DomainEvent {
    public static let type = "ConnectionRevoked"
    public static let typeVersion = 1

    public var connectionId: String
    public var reason: String?
    public var revokedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case connectionId = "connection_id"
        case reason
        case revokedAtMs = "revoked_at_ms"
    }
}

/// A decision that said no. Recorded so the audit sees denials and a retried command with the
/// same idempotency key gets the same answer.
public struct CommandRejected: DomainEvent {
    public static let type = "CommandRejected"
    public static let typeVersion = 1

    public var command: String
    public var targetStream: String
    public var rejection: Rejection

    public init(command: String, targetStream: String, rejection: Rejection) {
        self.command = command
        self.targetStream = targetStream
        self.rejection = rejection
    }

    enum CodingKeys: String, CodingKey {
        case command
        case targetStream = "target_stream"
        case rejection
    }

    /// Rejections live in a stream of their own beside the target, so they never bump the
    /// target's version (a client's `If-Match` stays valid after someone else's refused command).
    public static func stream(for target: String) -> String { "\(target)/rejections" }
}

/// A bearer token was minted for a connection. Only its `jti` is recorded, never the token: the
/// log must not hold anything a reader could spend.
public struct TokenIssued: DomainEvent {
    public static let type = "TokenIssued"
    public static let typeVersion = 1

    public var jti: String
    public var connectionId: String
    public var userId: String
    /// "uma_nwc": a long-lived token from `/umanwc/token`.
    public var kind: String
    public var issuedAtMs: Int64
    public var expiresAtSec: Int64
    /// OAuth access tokens: the client and the space-separated scope. Absent from NWC tokens.
    public var clientId: String?
    public var scope: String?

    public init(jti: String, connectionId: String, userId: String, kind: String, issuedAtMs: Int64, expiresAtSec: Int64)
    {
        self.jti = jti
        self.connectionId = connectionId
        self.userId = userId
        self.kind = kind
        self.issuedAtMs = issuedAtMs
        self.expiresAtSec = expiresAtSec
    }

    enum CodingKeys: String, CodingKey {
        case jti
        case connectionId = "connection_id"
        case userId = "user_id"
        case kind
        case issuedAtMs = "issued_at_ms"
        case expiresAtSec = "expires_at"
        case clientId = "client_id"
        case scope
    }
}
