import LedgerApp
import LedgerCore

/// A connection as the admin API shows it. Times: `expires_at` in unix seconds (as sent),
/// bookkeeping times in unix milliseconds.
struct ConnectionJSON: Codable, Sendable {
    struct Budget: Codable, Sendable {
        var amount: Int64
        var currency: String
        var period: String
        /// The limit in msat when the currency is SAT; fiat limits are converted at spend time.
        var limitMsat: Int64?
        /// rolling (UTC, from the budget's start) or calendar (in `time_zone`).
        var window: String
        var timeZone: String?
        /// When the current budget started, unix ms: the anchor of rolling cycles.
        var startedAtMs: Int64?
        /// The most one payment may cost, in the unit of `amount`; absent when there is no cap.
        var maxPerPayment: Int64?

        enum CodingKeys: String, CodingKey {
            case amount, currency, period
            case limitMsat = "limit_msat"
            case window
            case timeZone = "time_zone"
            case startedAtMs = "started_at_ms"
            case maxPerPayment = "max_per_payment"
        }
    }

    var id: String
    var userId: String
    var name: String
    var scopes: [String]
    var budget: Budget?
    var expiresAt: Int64?
    var status: String
    var createdAtMs: Int64
    var updatedAtMs: Int64
    var revokedAtMs: Int64?
    var version: Int64

    init(_ c: Connection) {
        id = c.id
        userId = c.userId
        name = c.name
        scopes = c.scopes
        budget = c.budget.map {
            Budget(
                amount: $0.amount, currency: $0.currency, period: $0.period.rawValue, limitMsat: $0.limitMsat,
                window: $0.windowStyle.rawValue, timeZone: $0.timeZone, startedAtMs: c.budgetAnchorMs,
                maxPerPayment: $0.maxPerPayment)
        }
        expiresAt = c.expiresAtSec
        status = c.status.rawValue
        createdAtMs = c.createdAtMs
        updatedAtMs = c.updatedAtMs
        revokedAtMs = c.revokedAtMs
        version = c.version
    }

    enum CodingKeys: String, CodingKey {
        case id
        case userId = "user_id"
        case name, scopes, budget
        case expiresAt = "expires_at"
        case status
        case createdAtMs = "created_at_ms"
        case updatedAtMs = "updated_at_ms"
        case revokedAtMs = "revoked_at_ms"
        case version
    }
}

struct ConnectionListJSON: Codable, Sendable {
    var connections: [ConnectionJSON]
    /// Pass as `after` to get the next page; null on the last page.
    var nextAfter: String?

    enum CodingKeys: String, CodingKey {
        case connections
        case nextAfter = "next_after"
    }
}
