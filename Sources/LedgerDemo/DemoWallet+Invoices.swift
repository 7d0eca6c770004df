import LedgerWallet
import Crypto
import Foundation
import LedgerCore

extension DemoWallet {
    public func makeInvoice(_ user: WalletUser, _ request: MakeInvoiceRequest) throws(WalletError) -> Transaction {
        guard request.amount > 0, request.amount <= Bolt11Invoice.maxAmountMsat else {
            throw WalletError(.badRequest, "amount must be between 1 and \(Bolt11Invoice.maxAmountMsat) msat")
        }
        let expirySec = request.expiry ?? Bolt11Invoice.defaultExpirySec
        guard expirySec > 0, expirySec <= Self.expirySecMax else {
            throw WalletError(.badRequest, "expiry must be between 1 and \(Self.expirySecMax) seconds")
        }
        if let description = request.description, description.utf8.count > Self.maxDescriptionBytes {
            throw WalletError(.badRequest, "description is longer than \(Self.maxDescriptionBytes) bytes")
        }
        let descriptionHash = request.descriptionHash?.lowercased()
        if let descriptionHash, !Hex.isHex(descriptionHash, byteCount: 32) {
            throw WalletError(.badRequest, "description_hash must be 32 bytes of hex")
        }
        try ensureAccount(user)

        let createdAt = now
        let preimage = Self.randomPreimage()
        let paymentHash = SHA256.hash(data: preimage).hexString
        let invoice = Bolt11Invoice.encode(
            network: networkPrefix, amountMsat: request.amount, timestamp: createdAt, paymentHash: paymentHash,
            description: request.description, descriptionHash: descriptionHash, expirySec: expirySec)
        let transaction = Transaction(
            type: .incoming, invoice: invoice, description: request.description, descriptionHash: descriptionHash,
            paymentHash: paymentHash, amount: request.amount, createdAt: createdAt,
            expiresAt: createdAt + expirySec)
        invoices[paymentHash] = DemoInvoice(ownerUserId: user.userId, preimage: preimage.hexString, settled: false)
        append(transaction, to: user.userId)
        return transaction
    }

    /// Checks run in a fixed order, so the first failing one decides the error: the request's
    /// shape, then the invoice's state, then the balance, then forced failures.
    public func payInvoice(_ user: WalletUser, _ request: PayInvoiceRequest) throws(WalletError) -> PaymentResult {
        let invoice = try parseForThisNetwork(request.invoice)
        let amountMsat = try Self.amountToPay(invoice, requestedMsat: request.amount)
        let totalMsat = try add(amountMsat, feeMsat)
        let budgetCurrencyAmount = try request.budgetCurrencyCode.map { code throws(WalletError) in
            try rates.unitsRoundingUp(forMsat: totalMsat, of: code)
        }
        try ensureAccount(user)

        let paidAt = now
        guard invoice.expiresAt >= paidAt else { throw WalletError(.paymentFailed, "invoice expired") }
        let demoInvoice = invoices[invoice.paymentHash]
        let alreadyPaidHere = accounts[user.userId]?.transactions.contains {
            $0.type == .outgoing && $0.paymentHash == invoice.paymentHash
        }
        guard demoInvoice?.settled != true, alreadyPaidHere != true else {
            throw WalletError(.paymentFailed, "invoice already paid")
        }
        try requireBalance(user.userId, covers: totalMsat)
        if invoice.description?.contains(Self.failureMarker) == true {
            throw WalletError(.paymentFailed, "the invoice asks the demo wallet to fail (\(Self.failureMarker))")
        }

        accounts[user.userId]?.balanceMsat -= totalMsat
        let preimage: String
        if let demoInvoice {
            preimage = demoInvoice.preimage
            settle(
                invoice.paymentHash, of: demoInvoice.ownerUserId, amountMsat: amountMsat, preimage: preimage, at: paidAt
            )
        } else {
            // Another node's invoice: nothing here knows its preimage, so a stand-in derived from
            // the hash keeps repeated demo runs reproducible.
            preimage = SHA256.hash(data: Hex.decode(invoice.paymentHash) ?? []).hexString
        }
        append(
            Transaction(
                type: .outgoing, invoice: request.invoice, description: invoice.description,
                descriptionHash: invoice.descriptionHash, preimage: preimage, paymentHash: invoice.paymentHash,
                amount: amountMsat, feesPaid: feeMsat, createdAt: paidAt, expiresAt: invoice.expiresAt,
                settledAt: paidAt),
            to: user.userId)
        return PaymentResult(
            preimage: preimage, amountMsat: amountMsat, feesPaidMsat: feeMsat,
            totalBudgetCurrencyAmount: budgetCurrencyAmount)
    }

    public func payKeysend(_ user: WalletUser, _ request: PayKeysendRequest) throws(WalletError) -> PaymentResult {
        guard request.amount > 0, request.amount <= Bolt11Invoice.maxAmountMsat else {
            throw WalletError(.badRequest, "amount must be between 1 and \(Bolt11Invoice.maxAmountMsat) msat")
        }
        guard Hex.isHex(request.pubkey, byteCount: 33) else {
            throw WalletError(.badRequest, "pubkey must be a 33-byte compressed public key in hex")
        }
        var preimage = Self.randomPreimage()
        if let given = request.preimage {
            guard Hex.isHex(given, byteCount: 32), let bytes = Hex.decode(given) else {
                throw WalletError(.badRequest, "preimage must be 32 bytes of hex")
            }
            preimage = bytes
        }
        guard (request.tlvRecords?.count ?? 0) <= Self.maxTLVRecords else {
            throw WalletError(.badRequest, "at most \(Self.maxTLVRecords) TLV records")
        }
        let totalMsat = try add(request.amount, feeMsat)
        let budgetCurrencyAmount = try request.budgetCurrencyCode.map { code throws(WalletError) in
            try rates.unitsRoundingUp(forMsat: totalMsat, of: code)
        }
        try ensureAccount(user)
        try requireBalance(user.userId, covers: totalMsat)
        if request.pubkey == Self.failingKeysendPubkey {
            throw WalletError(.paymentFailed, "no route to the all-zero pubkey (demo failure)")
        }

        let paidAt = now
        let preimageHex = preimage.hexString
        accounts[user.userId]?.balanceMsat -= totalMsat
        append(
            Transaction(
                type: .outgoing, preimage: preimageHex, paymentHash: SHA256.hash(data: preimage).hexString,
                amount: request.amount, feesPaid: feeMsat, createdAt: paidAt, settledAt: paidAt),
            to: user.userId)
        return PaymentResult(
            preimage: preimageHex, amountMsat: request.amount, feesPaidMsat: feeMsat,
            totalBudgetCurrencyAmount: budgetCurrencyAmount)
    }

    /// Credits the receiver of a demo invoice and marks their incoming transaction settled.
    private func settle(
        _ paymentHash: String, of ownerUserId: String, amountMsat: Int64, preimage: String, at paidAt: Int64
    ) {
        invoices[paymentHash]?.settled = true
        guard var owner = accounts[ownerUserId] else { return }
        owner.balanceMsat = owner.balanceMsat.saturatingAdding(amountMsat)
        if let index = owner.transactions.lastIndex(where: { $0.type == .incoming && $0.paymentHash == paymentHash }) {
            owner.transactions[index].settledAt = paidAt
            owner.transactions[index].preimage = preimage
            // A 0-amount invoice is settled for what was paid.
            owner.transactions[index].amount = amountMsat
        }
        accounts[ownerUserId] = owner
    }
}
