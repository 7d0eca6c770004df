import Foundation

/// A field of an update: left as it is, set to a value, or removed.
public enum FieldChange<Value: Sendable & Equatable>: Sendable, Equatable {
    case keep
    case set(Value)
    case remove
}

/// A token to mint together with a grant, so the connection and its token appear atomically.
public struct TokenGrant: Sendable, Equatable {
    public var jti: String
    public var kind: String
    public var expiresAtSec: Int64

    public init(jti: String, kind: String, expiresAtSec: Int64) {
        self.jti = jti
        self.kind = kind
        self.expiresAtSec = expiresAtSec
    }
}

public struct GrantConnection: Sendable, Equatable {
    public var connectionId: String
    public var userId: String
    public var name: String
    public var scopes: [String]
    public var budget: BudgetDefinition?
    public var expiresAtSec: Int64?
    public var token: TokenGrant?

    /// Checks everything that can be checked without the ledger's state; `nowMs` only bounds
    /// `expiresAtSec`, so a grant cannot be born expired.
    public init(
        connectionId: String, userId: String, name: String, scopes: [String],
        budget: BudgetDefinition?, expiresAtSec: Int64?, token: TokenGrant? = nil, nowMs: Int64
    ) throws(ValidationError) {
        self.token = token
        self.connectionId = try ConnectionRules.identifier(connectionId, field: "id")
        self.userId = try ConnectionRules.text(userId, field: "user_id", maxLength: 256)
        self.name = try ConnectionRules.text(name, field: "name", maxLength: 200)
        self.scopes = try ConnectionRules.scopes(scopes)
        self.budget = budget
        self.expiresAtSec = try expiresAtSec.map { s throws(ValidationError) in
            try ConnectionRules.expiry(s, nowMs: nowMs)
        }
    }
}

public struct UpdateConnection: Sendable, Equatable {
    public var connectionId: String
    public var name: String?
    public var scopes: [String]?
    public var budget: FieldChange<BudgetDefinition>
    public var expiresAtSec: FieldChange<Int64>

    public init(
        connectionId: String, name: String? = nil, scopes: [String]? = nil,
        budget: FieldChange<BudgetDefinition> = .keep, expiresAtSec: FieldChange<Int64> = .keep, nowMs: Int64
    ) throws(ValidationError) {
        self.connectionId = try ConnectionRules.identifier(connectionId, field: "id")
        self.name = try name.map { n throws(ValidationError) in
            try ConnectionRules.text(n, field: "name", maxLength: 200)
        }
        self.scopes = try scopes.map { s throws(ValidationError) in try ConnectionRules.scopes(s) }
        self.budget = budget
        if case .set(let seconds) = expiresAtSec {
            self.expiresAtSec = .set(try ConnectionRules.expiry(seconds, nowMs: nowMs))
        } else {
            self.expiresAtSec = expiresAtSec
        }
    }
}

public struct RevokeConnection: Sendable, Equatable {
    public var connectionId: String
    public var reason: String?

    public init(connectionId: String, reason: String? = nil) throws(ValidationError) {
        self.connectionId = try ConnectionRules.identifier(connectionId, field: "id")
        self.reason = try reason.map { r throws(ValidationError) in
            try ConnectionRules.text(r, field: "reason", maxLength: 500)
        }
    }
}

public enum ConnectionCommand: Sendable, Equatable {
    case grant(GrantConnection)
    case update(UpdateConnection)
    case revoke(RevokeConnection)

    public var connectionId: String {
        switch self {
        case .grant(let c): c.connectionId
        case .update(let c): c.connectionId
        case .revoke(let c): c.connectionId
        }
    }

    public var name: String {
        switch self {
        case .grant: "GrantConnection"
        case .update: "UpdateConnection"
        case .revoke: "RevokeConnection"
        }
    }
}

/// Input limits shared by the connection commands.
public enum ConnectionRules {
    public static let scopesMax = 64
    public static let scopeLengthMax = 64
    /// Expiries further out than this are almost certainly a unit mistake (ms sent as s).
    public static let expiryHorizonSec: Int64 = 100 * 366 * 24 * 3600

    private static func isIdentifierScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }

    private static func isScopeScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "0"..."9", "_", ":", ".", "-": true
        default: false
        }
    }

    /// An OAuth-style scope with a namespace, e.g. `payments:send`.
    public static func isNamespacedScope(_ value: String) -> Bool {
        (1...scopeLengthMax).contains(value.utf8.count) && value.containsASCII(":")
            && value.unicodeScalars.allSatisfy(isScopeScalar)
    }

    static func identifier(_ value: String, field: String) throws(ValidationError) -> String {
        guard (1...64).contains(value.utf8.count),
            value.unicodeScalars.allSatisfy(isIdentifierScalar)
        else {
            throw ValidationError(field: field, reason: "must be 1 to 64 characters of A-Z a-z 0-9 _ -")
        }
        return value
    }

    static func text(_ value: String, field: String, maxLength: Int) throws(ValidationError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ValidationError(field: field, reason: "must not be empty") }
        guard trimmed.count <= maxLength else {
            throw ValidationError(field: field, reason: "must be at most \(maxLength) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw ValidationError(field: field, reason: "must not contain control characters")
        }
        return trimmed
    }

    /// Scopes are a set: duplicates fold and the order is canonical, so equal grants give equal events.
    static func scopes(_ values: [String]) throws(ValidationError) -> [String] {
        guard !values.isEmpty else { throw ValidationError(field: "scopes", reason: "must name at least one scope") }
        guard values.count <= scopesMax else {
            throw ValidationError(field: "scopes", reason: "at most \(scopesMax) scopes")
        }
        for scope in values {
            guard (1...scopeLengthMax).contains(scope.utf8.count),
                scope.unicodeScalars.allSatisfy(isScopeScalar)
            else {
                throw ValidationError(
                    field: "scopes",
                    reason: "\"\(scope.prefix(80))\" is not a scope: 1 to 64 characters of a-z 0-9 _ : . -")
            }
        }
        return Array(Set(values)).sorted()
    }

    static func expiry(_ seconds: Int64, nowMs: Int64) throws(ValidationError) -> Int64 {
        let nowSec = nowMs / 1000
        guard seconds > nowSec else {
            throw ValidationError(field: "expires_at", reason: "must be in the future (unix seconds)")
        }
        guard seconds <= nowSec + expiryHorizonSec else {
            throw ValidationError(
                field: "expires_at", reason: "is more than 100 years away; send unix seconds, not milliseconds")
        }
        return seconds
    }
}
