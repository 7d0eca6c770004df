import LedgerApp
import LedgerWallet
import LedgerCore
import Foundation

/// The mock origin's wallets: one per user, in memory, in sats as LNDhub counts them.
actor MockOriginAccounts {
    struct Invoice: Codable, Sendable {
        var paymentHash: String
        var paymentRequest: String
        var amount: Int64
        var description: String
        var createdAt: Int64
        var expiresAt: Int64
        var settled: Bool
        var type: String

        enum CodingKeys: String, CodingKey {
            case paymentHash = "payment_hash"
            case paymentRequest = "payment_request"
            case amount, description
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case settled, type
        }
    }

    struct Payment: Codable, Sendable {
        var paymentHash: String
        var paymentPreimage: String
        var amount: Int64
        var fee: Int64
        var status: String
        var type: String
        var destination: String?
        var description: String?
        var createdAt: Int64

        enum CodingKeys: String, CodingKey {
            case paymentHash = "payment_hash"
            case paymentPreimage = "payment_preimage"
            case amount, fee, status, type
            case destination, description
            case createdAt = "created_at"
        }
    }

    struct Account {
        var balanceSat: Int64
        /// Newest last; the oldest are forgotten past `historyMax`.
        var incoming: [Invoice] = []
        var outgoing: [Payment] = []
    }

    enum PaymentRefusal: Error {
        case alreadyPaid
        case insufficientBalance(balance: Int64, needed: Int64)
    }

    let settings: MockOrigin.Settings
    private var accounts: [String: Account] = [:]
    /// First-seen order, for forgetting the oldest user when `usersMax` is reached.
    private var order: [String] = []
    private var head = 0

    init(settings: MockOrigin.Settings) {
        self.settings = settings
    }

    func balance(of user: String) -> Int64 {
        account(user).balanceSat
    }

    func addInvoice(_ invoice: Invoice, for user: String) {
        update(user) { account in
            account.incoming.append(invoice)
            Self.trim(&account.incoming, to: settings.historyMax)
        }
    }

    func incoming(of user: String) -> [Invoice] { account(user).incoming.reversed() }
    func outgoing(of user: String) -> [Payment] { account(user).outgoing.reversed() }

    func invoice(_ paymentHash: String, of user: String) -> (any Encodable & Sendable)? {
        let account = account(user)
        if let invoice = account.incoming.last(where: { $0.paymentHash == paymentHash }) { return invoice }
        return account.outgoing.last(where: { $0.paymentHash == paymentHash })
    }

    /// Debits amount plus fee and records the payment, or changes nothing.
    func pay(_ payment: Payment, for user: String) throws(PaymentRefusal) {
        var account = account(user)
        if account.outgoing.contains(where: { $0.paymentHash == payment.paymentHash }) {
            throw .alreadyPaid
        }
        let needed = payment.amount + payment.fee
        guard needed <= account.balanceSat else {
            throw .insufficientBalance(balance: account.balanceSat, needed: needed)
        }
        account.balanceSat -= needed
        account.outgoing.append(payment)
        Self.trim(&account.outgoing, to: settings.historyMax)
        accounts[user] = account
    }

    private func account(_ user: String) -> Account {
        if let account = accounts[user] { return account }
        let account = Account(balanceSat: settings.startingBalanceSat)
        accounts[user] = account
        order.append(user)
        while accounts.count > settings.usersMax, head < order.count {
            accounts[order[head]] = nil
            head += 1
        }
        if head > settings.usersMax {
            order.removeFirst(head)
            head = 0
        }
        return account
    }

    private func update(_ user: String, _ change: (inout Account) -> Void) {
        var account = account(user)
        change(&account)
        accounts[user] = account
    }

    private static func trim<T>(_ list: inout [T], to count: Int) {
        if list.count > count { list.removeFirst(list.count - count) }
    }
}
