import LedgerAuth
import LedgerCore

/// NUT-21 clear authentication: which endpoints need a `Clear-auth` token and who may issue it.
public struct ClearAuthSettings: Sendable {
    public enum Issuer: Sendable {
        /// This ledger's own OAuth access tokens (revocation checked too).
        case own
        /// An external OpenID provider, found through its discovery document.
        case external(ClearAuthVerifier, discoveryURL: String)
    }

    public var endpoints: ProtectedEndpoints
    public var clientId: String
    public var issuer: Issuer
    /// Requests per minute per `sub` (and the burst), NUT-21's suggested use of `sub`.
    public var ratePerMinute: Int
    public var burst: Int

    public static let ratePerMinuteBounds = SettingBounds(default: 60, range: 1...100_000)
    public static let defaultClientId = "cashu-client"

    public init(
        endpoints: ProtectedEndpoints, clientId: String, issuer: Issuer,
        ratePerMinute: Int = Int(ClearAuthSettings.ratePerMinuteBounds.defaultValue), burst: Int = 20
    ) {
        self.endpoints = endpoints
        self.clientId = clientId
        self.issuer = issuer
        self.ratePerMinute = ratePerMinute
        self.burst = burst
    }
}
