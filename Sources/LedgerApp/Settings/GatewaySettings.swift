import LedgerCore
import LedgerWallet

/// The gateway: which routes it serves and where it forwards them.
public struct GatewaySettings: Sendable {
    public var routes: GatewayRouteTable
    public var forwarder: GatewayForwarder
    /// Held on top of a payment's amount for fees the origin may charge; released if unused.
    public var feeReserve: FeeReservePolicy

    public init(routes: GatewayRouteTable, forwarder: GatewayForwarder, feeReserve: FeeReservePolicy = .default) {
        self.routes = routes
        self.forwarder = forwarder
        self.feeReserve = feeReserve
    }
}
