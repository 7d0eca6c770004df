import LedgerCore

/// Quotes this process fetched from the upstream, so the ledger can size a reservation before
/// executing one. Bounded: quotes live minutes, and a caller could fetch them in a loop.
actor UpstreamQuoteCache {
    static let capacity = 10_000
    private var quotes = BoundedMap<String, Quote>(capacity: capacity)

    func remember(_ quote: Quote) { quotes[quote.paymentHash.lowercased()] = quote }

    func quote(paymentHash: String) -> Quote? { quotes[paymentHash.lowercased()] }
}
