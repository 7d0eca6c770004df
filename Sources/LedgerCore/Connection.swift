/// A grant of scopes (and optionally a budget) from a user to an app, as the projection holds it.
public struct Connection: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case active, revoked
    }

    public var id: String
    public var userId: String
    public var name: String
    public var scopes: [String]
    public var budget: BudgetDefinition?
    public var expiresAtSec: Int64?
    public var status: Status
    public var createdAtMs: Int64
    public var updatedAtMs: Int64
    public var revokedAtMs: Int64?
    /// The stream version of the last event applied: the value `If-Match` compares against.
    public var version: Int64
    /// When the current budget started: the anchor of its rolling cycles and the key its usage is
    /// counted under, so a period change starts usage afresh.
    public var budgetAnchorMs: Int64?
    /// The OAuth client the grant was made to; nil for NWC connections.
    public var clientId: String?

    public init(
        id: String, userId: String, name: String, scopes: [String], budget: BudgetDefinition?,
        expiresAtSec: Int64?, status: Status, createdAtMs: Int64, updatedAtMs: Int64,
        revokedAtMs: Int64?, version: Int64, budgetAnchorMs: Int64? = nil, clientId: String? = nil
    ) {
        self.clientId = clientId
        self.budgetAnchorMs = budgetAnchorMs
        self.id = id
        self.userId = userId
        self.name = name
        self.scopes = scopes
        self.budget = budget
        self.expiresAtSec = expiresAtSec
        self.status = status
        self.createdAtMs = createdAtMs
        self.updatedAtMs = updatedAtMs
        self.revokedAtMs = revokedAtMs
        self.version = version
    }

    public static func stream(_ id: String) -> String { "connection/\(id)" }

    public func allows(_ method: String) -> Bool { scopes.contains(method) }

    /// The budget's cycles, when it has a budget.
    public var budgetWindow: BudgetWindow? {
        guard let budget, let budgetAnchorMs else { return nil }
        return try? budget.cycles(anchorMs: budgetAnchorMs)
    }

    public func isExpired(atMs nowMs: Int64) -> Bool {
        guard let expiresAtSec else { return false }
        return expiresAtSec * 1000 <= nowMs
    }
}
