import LedgerCore

/// How the NWC surfaces mint tokens and cut budgets into cycles.
public struct NWCSettings: Sendable {
    /// `iss` of the tokens this ledger mints, and the `aud` it expects back.
    public var issuer: String
    /// Longest life of a long-lived token; a requested expiration beyond it is capped, and a
    /// request without one gets exactly this. Never a token that never expires.
    public var tokenLifetimeSecMax: Int64
    /// How long a reservation holds before it is released by an `expired` event.
    public var holdTimeoutMs: Int64
    public var budgetWindow: BudgetWindowStyle
    /// IANA zone of calendar windows.
    public var budgetTimeZone: String
    /// The budget of a grant that asks for none (UMA token exchange, OAuth code and device grants,
    /// client credentials); nil keeps such grants unlimited.
    public var defaultBudget: BudgetDefinition?
    /// What `get_balance` shows a connection with a budget.
    public var balanceView: BalanceView

    /// `budget`: at most what is left of the connection's budget (an app sees its allowance, not the
    /// user's wealth, as Alby Hub does); `wallet`: the wallet's whole balance.
    public enum BalanceView: String, Sendable, CaseIterable {
        case budget, wallet
    }

    /// Tokens live at most a year unless the operator says otherwise, and never beyond ten.
    public static let tokenLifetimeSecMaxBounds = SettingBounds(default: 365 * 86_400, range: 60...(10 * 366 * 86_400))
    /// Two minutes covers a Lightning payment that routes slowly; a day is the longest a hold may
    /// keep a budget's money from other payments.
    public static let holdTimeoutSecBounds = SettingBounds(default: 120, range: 1...86_400)

    public init(
        issuer: String = "http://127.0.0.1:8080",
        tokenLifetimeSecMax: Int64 = NWCSettings.tokenLifetimeSecMaxBounds.defaultValue,
        holdTimeoutMs: Int64 = NWCSettings.holdTimeoutSecBounds.defaultValue * 1000, budgetWindow: BudgetWindowStyle = .rolling, budgetTimeZone: String = "UTC",
        defaultBudget: BudgetDefinition? = nil, balanceView: BalanceView = .budget
    ) {
        self.issuer = issuer
        self.tokenLifetimeSecMax = tokenLifetimeSecMax
        self.holdTimeoutMs = holdTimeoutMs
        self.budgetWindow = budgetWindow
        self.budgetTimeZone = budgetTimeZone
        self.defaultBudget = defaultBudget
        self.balanceView = balanceView
    }

    /// A budget string as a grant records it: parsed, then stamped with how its cycles are cut.
    package func budget(_ text: String) throws(ValidationError) -> BudgetDefinition {
        try BudgetDefinition.parse(text).windowed(budgetWindow, timeZone: budgetTimeZone)
    }

    /// The budget a new grant records: the one it asked for, else the configured default.
    package func grantBudget(_ text: String?) throws(ValidationError) -> BudgetDefinition? {
        if let text { return try budget(text) }
        return defaultBudget?.windowed(budgetWindow, timeZone: budgetTimeZone)
    }
}
