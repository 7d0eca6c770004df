/// Why a command was refused. Codes are stable strings that clients may match on; the cases are
/// ordered by precedence so the first failing check wins deterministically.
public struct Rejection: Error, Codable, Sendable, Equatable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        case versionConflict = "version_conflict"
        case notFound = "not_found"
        case alreadyExists = "already_exists"
        case alreadyRevoked = "already_revoked"
        case expired = "expired"
        /// The target exists but is in a state the command cannot apply to (e.g. settling a
        /// released spend).
        case invalidState = "invalid_state"
        case invalidCommand = "invalid_command"
        /// OAuth (RFC 6749 §5.2): a code, device code or refresh token that cannot be redeemed.
        case invalidGrant = "invalid_grant"
        case invalidScope = "invalid_scope"
        case unauthorizedClient = "unauthorized_client"
        /// RFC 8628 §3.5: the device code's user has not answered yet; the device polls on.
        case authorizationPending = "authorization_pending"
        /// RFC 6749 §4.1.2.1 / RFC 8628 §3.5: the user said no.
        case accessDenied = "access_denied"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Input that never reaches a decider: refused before anything is decided or written.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
