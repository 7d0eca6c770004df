import LedgerCore
import LedgerWallet

/// The gateway: which routes it serves and where it forwards them.
public struct GatewaySettings: Sendable {
    public var routes: GatewayRouteTable
    public var forwarder: any OriginForwarding
    /// Held on top of a payment's amount for fees the origin may charge; released if unused.
    public var feeReserve: FeeReservePolicy

    /// The origin's time to answer before the gateway says 504.
    public static let originTimeoutSecBounds = SettingBounds(default: 30, range: 1...600)
    /// The largest origin answer passed on (4 MiB): the gateway buffers it to record the spend.
    public static let originResponseBytesMax = 4 << 20

    public init(routes: GatewayRouteTable, forwarder: any OriginForwarding, feeReserve: FeeReservePolicy = .default) {
        self.routes = routes
        self.forwarder = forwarder
        self.feeReserve = feeReserve
    }
}
