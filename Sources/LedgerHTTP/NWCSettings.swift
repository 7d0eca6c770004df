import LedgerCore

/// How the NWC surfaces mint tokens and cut budgets into cycles.
public struct NWCSettings: Sendable {
    /// `iss` of the tokens this ledger mints, and the `aud` it expects back.
    public var issuer: String
    /// Longest life of a long-lived token; a requested expiration beyond it is capped, and a
    /// request without one gets exactly this. Never a token that never expires.
    public var tokenLifetimeMaxSec: Int64
    /// How long a reservation holds before it is released by an `expired` event.
    public var holdTimeoutMs: Int64
    public var budgetWindow: BudgetWindowStyle
    /// IANA zone of calendar windows.
    public var budgetTimeZone: String

    public init(
        issuer: String = "http://127.0.0.1:8080", tokenLifetimeMaxSec: Int64 = 365 * 86_400,
        holdTimeoutMs: Int64 = 120_000, budgetWindow: BudgetWindowStyle = .rolling, budgetTimeZone: String = "UTC"
    ) {
        self.issuer = issuer
        self.tokenLifetimeMaxSec = tokenLifetimeMaxSec
        self.holdTimeoutMs = holdTimeoutMs
        self.budgetWindow = budgetWindow
        self.budgetTimeZone = budgetTimeZone
    }

    /// A budget string as a grant records it: parsed, then stamped with how its cycles are cut.
    func budget(_ text: String) throws(ValidationError) -> BudgetDefinition {
        try BudgetDefinition.parse(text).windowed(budgetWindow, timeZone: budgetTimeZone)
    }
}
