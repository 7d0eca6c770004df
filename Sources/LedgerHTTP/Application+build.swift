import LedgerApp
import Foundation
import HTTPTypes
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerStore
import LedgerWallet
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// Everything the HTTP surfaces depend on, as values a test can replace.
public struct LedgerServices: Sendable {
    public var ledger: Ledger
    /// The signing keys as the server holds them now (`KeyReloadService` adds rotated keys).
    public var keyRing: SigningKeyRing
    public var adminTokenSha256: String
    public var trustedIssuers: TrustedIssuers?
    public var metrics: PrometheusCollectorRegistry?
    public var wallet: any WalletBackend
    public var nwc: NWCSettings
    public var oauth: OAuthSettings
    /// The data directory whose `keys/` `KeyReloadService` watches; nil when keys never change.
    public var dataDirectory: String?
    /// The scope gateway in front of an origin; nil serves no gateway routes.
    public var gateway: GatewaySettings?
    /// NUT-21 protected endpoints; nil protects none.
    public var clearAuth: ClearAuthSettings?

    public init(
        ledger: Ledger, keyRing: SigningKeyRing, adminTokenSha256: String, trustedIssuers: TrustedIssuers? = nil,
        metrics: PrometheusCollectorRegistry? = nil, wallet: any WalletBackend, nwc: NWCSettings,
        oauth: OAuthSettings = OAuthSettings(), dataDirectory: String? = nil, gateway: GatewaySettings? = nil,
        clearAuth: ClearAuthSettings? = nil
    ) {
        self.gateway = gateway
        self.clearAuth = clearAuth
        self.ledger = ledger
        self.keyRing = keyRing
        self.adminTokenSha256 = adminTokenSha256
        self.trustedIssuers = trustedIssuers
        self.metrics = metrics
        self.wallet = wallet
        self.nwc = nwc
        self.oauth = oauth
        self.dataDirectory = dataDirectory
    }

    /// NWC connection tokens and OAuth access tokens share the key ring and the issuer; each
    /// expects its own `aud`/`typ`, so neither passes for the other.
    public var connectionTokens: ConnectionTokens {
        ConnectionTokens(ring: keyRing, issuer: nwc.issuer, audience: nwc.issuer)
    }

    public var accessTokens: AccessTokens { AccessTokens(ring: keyRing, issuer: nwc.issuer, audience: nwc.issuer) }
}

/// The router of every surface; tests drive it in-process with `app.test(.router)`.
public func buildRouter(_ services: LedgerServices, settings: HTTPSettings) -> Router<LedgerRequestContext> {
    let router = Router(context: LedgerRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Access log at debug (`--log-level debug`): method and path only, never headers, so the
    // admin credential cannot reach the log.
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: ErrorMiddleware())
    if services.metrics != nil { router.add(middleware: MetricsMiddleware()) }
    let accessCheck = AccessTokenCheck(ledger: services.ledger, tokens: services.accessTokens)
    let spends = SpendService(
        ledger: services.ledger, wallet: services.wallet, settings: services.nwc,
        logger: Logger(label: "grantledger.spends"))
    if let clearAuth = services.clearAuth {
        router.add(
            middleware: ClearAuthMiddleware(
                settings: clearAuth, access: accessCheck,
                limiter: SubjectRateLimiter(
                    ratePerMinute: clearAuth.ratePerMinute, burst: clearAuth.burst, clock: services.ledger.clock),
                forwarder: services.gateway?.forwarder, bodyBytesMax: settings.bodyBytesMax))
        MintInfoController(settings: clearAuth, issuer: services.nwc.issuer).addRoutes(to: router)
    }
    if let gateway = services.gateway {
        router.add(
            middleware: GatewayMiddleware(
                settings: gateway, access: accessCheck, spends: spends, holdTimeoutMs: services.nwc.holdTimeoutMs,
                bodyBytesMax: settings.bodyBytesMax, logger: Logger(label: "grantledger.gateway")))
    }
    OperationsController(ledger: services.ledger, keyRing: services.keyRing, metrics: services.metrics)
        .addRoutes(to: router)
    let admin = router.group("admin").add(middleware: AdminAuthMiddleware(tokenSha256Hex: services.adminTokenSha256))
    AdminConnectionsController(ledger: services.ledger, settings: settings, nwc: services.nwc).addRoutes(to: admin)
    AdminClientsController(ledger: services.ledger, settings: settings, scopes: services.oauth.scopes)
        .addRoutes(to: admin)

    let connectionTokens = services.connectionTokens
    let authenticator = NWCAuthenticator(
        ledger: services.ledger, tokens: connectionTokens, trustedIssuers: services.trustedIssuers,
        admin: AdminCredentialDigest(hex: services.adminTokenSha256))
    UMATokenController(
        ledger: services.ledger, authenticator: authenticator, tokens: connectionTokens,
        settings: services.nwc,
        bodyBytesMax: settings.bodyBytesMax
    ).addRoutes(to: router)
    UMAAuthController(
        ledger: services.ledger, authenticator: authenticator, wallet: services.wallet, spends: spends,
        bodyBytesMax: settings.bodyBytesMax
    ).addRoutes(to: router)
    BudgetServiceController(
        ledger: services.ledger, authenticator: authenticator, spends: spends, wallet: services.wallet,
        settings: settings
    ).addRoutes(to: router)
    OAuthController(
        ledger: services.ledger, tokens: services.accessTokens, users: services.trustedIssuers,
        settings: services.oauth, nwc: services.nwc, bodyBytesMax: settings.bodyBytesMax,
        admin: AdminCredentialDigest(hex: services.adminTokenSha256)
    ).addRoutes(to: router)
    MetadataController(issuer: services.nwc.issuer, scopes: services.oauth.scopes).addRoutes(to: router)
    // Last: by now every route is registered, and a middleware added now wraps only the
    // not-found responder.
    let gatewayRoutes = (services.gateway?.routes.routes ?? []).map {
        (path: RouterPath($0.path), method: HTTPRequest.Method($0.method) ?? .get)
    }
    // The router answers HEAD wherever it answers GET (it generates those when it is built, after
    // this); the gateway forwards only the methods its table names.
    let routerRoutes = router.routes.flatMap { route in
        route.method == .get ? [(path: route.path, method: .get), (path: route.path, method: .head)]
            : [(path: route.path, method: route.method)]
    }
    router.add(
        middleware: MethodNotAllowedMiddleware(allowed: AllowedMethods(routes: routerRoutes + gatewayRoutes)))
    return router
}

/// The whole server: HTTP plus the ledger's writer, shut down in that order so requests in flight
/// are answered and the batch in flight is committed before the process exits.
public func buildApplication(
    _ services: LedgerServices, settings: HTTPSettings, logger: Logger, extraServices: [any Service] = [],
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(services, settings: settings),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "grantledger"),
        services: [
            LedgerWriterService(ledger: services.ledger, logger: logger),
            HoldExpiryService(ledger: services.ledger, logger: logger),
            KeyReloadService(ring: services.keyRing, directory: services.dataDirectory, logger: logger),
        ] + extraServices,
        onServerRunning: onServerRunning,
        logger: logger)
}

/// Keeps the writer alive for the life of the server and drains it on graceful shutdown.
struct LedgerWriterService: Service {
    let ledger: Ledger
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("draining the ledger writer")
        await ledger.close()
        logger.info("ledger writer drained")
    }
}
