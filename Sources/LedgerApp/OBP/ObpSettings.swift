import LedgerAuth
import LedgerCore

/// The Open Bank Project surface's settings. DAuth is off unless a public key is configured, and
/// then only from the listed addresses (OBP's `allow_dauth`, `jwt.public_key_rsa`, `dauth.host`).
public struct ObpSettings: Sendable {
    /// Verifies DAuth tokens; nil turns DAuth off (the header is then ignored, as OBP does).
    public var dauth: DAuthVerifier?
    /// Peer addresses DAuth is accepted from (the socket's, never a forwarded header).
    public var dauthAllowedIPs: Set<String>
    /// The provider of users the admin creates and the operator's login signs in.
    public var localProvider: String

    public init(dauth: DAuthVerifier? = nil, dauthAllowedIPs: Set<String> = [], localProvider: String = "grantledger") {
        self.dauth = dauth
        self.dauthAllowedIPs = dauthAllowedIPs
        self.localProvider = localProvider
    }

    public static let dauthMaxAgeSecBounds = SettingBounds(default: 300, range: 1...86_400)

    /// Bounds on what one request lists.
    public static let pageSizeMax = 500
    /// Roles one `POST /user-entitlements` may grant at once.
    public static let rolesPerRequestMax = 50
}
