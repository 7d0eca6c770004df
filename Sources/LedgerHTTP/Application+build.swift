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
    /// Who may read a subject's overview with the operator's user JWT.
    public var audit: AuditSettings
    /// Practitioner login (the Nuts auth v1 API); its public URL defaults to the issuer.
    public var nuts: NutsSettings
    /// Open Bank Project's grants and DAuth (off unless a DAuth key is configured).
    public var obp: ObpSettings
    /// The data directory whose `keys/` `KeyReloadService` watches; nil when keys never change.
    public var dataDirectory: String?
    /// The scope gateway in front of an origin; nil serves no gateway routes.
    public var gateway: GatewaySettings?
    /// NUT-21 protected endpoints; nil protects none.
    public var clearAuth: ClearAuthSettings?
    /// `--dev-login`'s stand-in login form; nil in production (the operator's `--login-url` instead).
    public var standInLogin: (any StandInLogin)?

    public init(
        ledger: Ledger, keyRing: SigningKeyRing, adminTokenSha256: String, trustedIssuers: TrustedIssuers? = nil,
        metrics: PrometheusCollectorRegistry? = nil, wallet: any WalletBackend, nwc: NWCSettings,
        oauth: OAuthSettings = OAuthSettings(), audit: AuditSettings = AuditSettings(), nuts: NutsSettings = NutsSettings(publicURL: ""), obp: ObpSettings = ObpSettings(), dataDirectory: String? = nil, gateway: GatewaySettings? = nil,
        clearAuth: ClearAuthSettings? = nil, standInLogin: (any StandInLogin)? = nil
    ) {
        self.standInLogin = standInLogin
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
        self.audit = audit
        self.nuts = nuts
        self.obp = obp
        self.dataDirectory = dataDirectory
    }

    /// NWC connection tokens and OAuth access tokens share the key ring and the issuer; each
    /// expects its own `aud`/`typ`, so neither passes for the other.
    public var connectionTokens: ConnectionTokens {
        ConnectionTokens(ring: keyRing, issuer: nwc.issuer, audience: nwc.issuer)
    }

    public var accessTokens: AccessTokens { AccessTokens(ring: keyRing, issuer: nwc.issuer, audience: nwc.issuer) }
}

/// Why the router could not be built from this configuration.
public struct RouterConfigurationError: Error, CustomStringConvertible {
    public var description: String
}

/// The router of every surface; tests drive it in-process with `app.test(.router)`. Each surface
/// is a router group with its own error shape; the gateway's routes are registered from its table.
public func buildRouter(_ services: LedgerServices, settings: HTTPSettings) throws -> Router<LedgerRequestContext> {
    let router = Router(context: LedgerRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Access log at debug (`--log-level debug`): method and path only, never headers or the
    // query, so neither the admin credential nor a user's token can reach the log.
    router.add(middleware: AccessLogMiddleware(level: .debug))
    if services.metrics != nil { router.add(middleware: MetricsMiddleware()) }

    let ledger = services.ledger
    let pricing = BudgetPricing(wallet: services.wallet, logger: Logger(label: "grantledger.pricing"))
    let saga = PaymentSaga(
        ledger: ledger, pricing: pricing, holdTimeoutMs: services.nwc.holdTimeoutMs,
        logger: Logger(label: "grantledger.payments"))
    let accessCheck = AccessTokenCheck(ledger: ledger, tokens: services.accessTokens)
    let admin = AdminCredentialDigest(hex: services.adminTokenSha256)
    let authenticator = NWCAuthenticator(
        access: ConnectionAccess(
            ledger: ledger, tokens: services.connectionTokens, trustedIssuers: services.trustedIssuers, admin: admin))
    var surfaces: [(prefix: String, shape: any ErrorShape.Type)] = []
    func group<Shape: ErrorShape>(_ prefix: String, _ shape: Shape.Type) -> RouterGroup<LedgerRequestContext> {
        if !prefix.isEmpty { surfaces.append(("/" + prefix, shape)) }
        return router.group(RouterPath(prefix)).add(middleware: Shape.middleware)
    }

    // NUT-21 sits in front of everything: its endpoints are usually the origin's, not routes.
    if let clearAuth = services.clearAuth {
        router.add(
            middleware: ClearAuthMiddleware(
                gate: ClearAuthGate(
                    settings: clearAuth, tokens: accessCheck,
                    limiter: SubjectRateLimiter(
                        ratePerMinute: clearAuth.ratePerMinute, burst: clearAuth.burst, clock: ledger.clock),
                    forwarder: services.gateway?.forwarder),
                bodyBytesMax: settings.bodyBytesMax))
    }

    OperationsController(ledger: ledger, keyRing: services.keyRing, metrics: services.metrics)
        .addRoutes(to: group("", AdminErrors.self))
    let adminGroup = group("admin", AdminErrors.self).add(middleware: AdminAuthMiddleware(tokenSha256Hex: services.adminTokenSha256))
    AdminConnectionsController(connections: AdminConnections(ledger: ledger, nwc: services.nwc), settings: settings)
        .addRoutes(to: adminGroup)
    AdminClientsController(clients: ClientRegistry(ledger: ledger, scopes: services.oauth.scopes), settings: settings)
        .addRoutes(to: adminGroup)
    AdminOrganizationsController(ledger: ledger, settings: settings).addRoutes(to: adminGroup)

    UMATokenController(
        tokenExchange: TokenExchange(ledger: ledger, tokens: services.connectionTokens, settings: services.nwc),
        authenticator: authenticator, bodyBytesMax: settings.bodyBytesMax
    ).addRoutes(to: router.group("umanwc").add(middleware: TokenExchangeErrors.middleware))
    surfaces.append(("/umanwc/token", TokenExchangeErrors.self))
    surfaces.append(("/umanwc/v1/token", TokenExchangeErrors.self))
    UMAAuthController(
        operations: UMAOperations(
            ledger: ledger, wallet: services.wallet, saga: saga, balanceView: services.nwc.balanceView),
        authenticator: authenticator, bodyBytesMax: settings.bodyBytesMax
    ).addRoutes(to: group("umanwc/v1", UMAErrors.self))
    let v1 = group("v1", UMAErrors.self)
    BudgetServiceController(
        service: BudgetService(ledger: ledger, pricing: pricing, holdTimeoutMs: services.nwc.holdTimeoutMs),
        authenticator: authenticator, settings: settings
    ).addRoutes(to: v1)
    if let clearAuth = services.clearAuth {
        MintInfoController(settings: clearAuth, issuer: services.nwc.issuer).addRoutes(to: v1)
    }

    let grants = OAuthGrants(
        ledger: ledger, tokens: services.accessTokens, users: services.trustedIssuers, settings: services.oauth,
        nwc: services.nwc, admin: admin)
    let pages = try Pages()
    let browser = BrowserLogin(
        sessions: BrowserSessions(lifetimeSec: services.oauth.sessionLifetimeSec, clock: ledger.clock),
        issuer: services.nwc.issuer, loginURL: services.oauth.loginURL, standIn: services.standInLogin != nil)
    let oauthGroup = group("oauth", OAuthErrors.self)
    OAuthController(grants: grants, bodyBytesMax: settings.bodyBytesMax, browser: browser, pages: pages)
        .addRoutes(to: oauthGroup)
    let pagesGroup = router.group().add(middleware: AdminErrors.middleware)
    LoginController(
        grants: grants, browser: browser, pages: pages, standIn: services.standInLogin,
        bodyBytesMax: settings.bodyBytesMax
    ).addRoutes(oauth: oauthGroup, root: pagesGroup)
    AccountController(account: UserAccount(ledger: ledger), browser: browser, pages: pages, bodyBytesMax: settings.bodyBytesMax)
        .addRoutes(to: pagesGroup)
    MetadataController(issuer: services.nwc.issuer, scopes: services.oauth.scopes)
        .addRoutes(to: router.group().add(middleware: OAuthErrors.middleware))
    let trail = AuditTrail(
        ledger: ledger, tokens: accessCheck, admin: admin, users: services.trustedIssuers, settings: services.audit)
    AuditController(trail: trail, bodyBytesMax: settings.auditBodyBytesMax).addRoutes(to: group("audit", AuditErrors.self))
    FHIRAuditEventController(trail: trail, baseURL: services.nwc.issuer).addRoutes(to: group("fhir", FHIRErrors.self))

    var nuts = services.nuts
    if nuts.publicURL.isEmpty { nuts.publicURL = services.nwc.issuer }
    NutsAuthController(
        login: PractitionerLogin(ledger: ledger, tokens: NutsTokens(ring: services.keyRing), settings: nuts),
        access: NutsInternalAccess(tokens: accessCheck, admin: admin), bodyBytesMax: settings.bodyBytesMax, pages: pages
    ).addRoutes(internal: group("internal/auth/v1", NutsErrors.self), public: group("public/auth/v1", NutsErrors.self))

    let obpAuthentication = ObpAuthentication(
        ledger: ledger, admin: admin, users: services.trustedIssuers, settings: services.obp, refusals: DAuthRefusalLog())
    ObpController(
        grants: OpenBankGrants(ledger: ledger, settings: services.obp), auth: obpAuthentication,
        bodyBytesMax: settings.bodyBytesMax
    ).addRoutes(to: group("obp/v5.1.0", ObpErrors.self))
    AuthzController(
        checks: AuthorizationChecks(ledger: ledger, access: ScopedAccess(tokens: accessCheck, admin: admin)),
        bodyBytesMax: settings.bodyBytesMax
    ).addRoutes(to: group("authz", ObpErrors.self))

    var gatewayRoutes: [(path: RouterPath, method: HTTPRequest.Method)] = []
    if let gateway = services.gateway {
        gatewayRoutes = GatewayController.routerPaths(gateway.routes)
        // The table is the operator's: a route of ours it would shadow is a configuration error.
        let ours = Set(router.routes.map { "\($0.method.rawValue) \(RoutePattern.normalized($0.path))" })
        if let clash = gatewayRoutes.first(where: { ours.contains("\($0.method.rawValue) \(RoutePattern.normalized($0.path))") }) {
            throw RouterConfigurationError(
                description: "gateway route \(clash.method.rawValue) \(clash.path) is also one of this server's routes")
        }
        GatewayController(
            access: GatewayAccess(settings: gateway, tokens: accessCheck, saga: saga),
            bodyBytesMax: settings.bodyBytesMax
        ).addRoutes(to: router.group().add(middleware: GatewayErrors.middleware))
        // A gateway path asked with a method it does not forward answers 405 in the gateway's shape.
        for route in gateway.routes.routes {
            let literal = route.path.split(separator: "/").prefix { !$0.hasPrefix("{") && !$0.hasPrefix(":") }
            if !literal.isEmpty { surfaces.append(("/" + literal.joined(separator: "/"), GatewayErrors.self)) }
        }
    }

    // Last: by now every route is registered, and middlewares added now wrap only the router's
    // not-found responder. The router answers HEAD wherever it answers GET (it generates those
    // when it is built, after this); the gateway forwards only the methods its table names.
    let routerRoutes = router.routes.flatMap { route in
        route.method == .get ? [(path: route.path, method: .get), (path: route.path, method: .head)]
            : [(path: route.path, method: route.method)]
    }
    router.add(
        middleware: UnroutedErrorMiddleware(
            surfaces: surfaces.sorted { $0.prefix.count > $1.prefix.count }, fallback: AdminErrors.self))
    router.add(middleware: MethodNotAllowedMiddleware(allowed: AllowedMethods(routes: routerRoutes)))
    return router
}

/// A route's path with every parameter written the same way, to compare two tables' routes.
enum RoutePattern {
    static func normalized(_ path: RouterPath) -> String {
        "/" + path.components.map { component -> String in
            let text = component.description
            return text.hasPrefix("{") || text.hasPrefix(":") ? "{}" : text
        }.joined(separator: "/")
    }
}

extension ErrorShape {
    static var middleware: SurfaceErrorMiddleware<Self> { SurfaceErrorMiddleware<Self>() }
}

/// The whole server: HTTP plus the ledger's writer, shut down in that order so requests in flight
/// are answered and the batch in flight is committed before the process exits.
public func buildApplication(
    _ services: LedgerServices, settings: HTTPSettings, logger: Logger, extraServices: [any Service] = [],
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try Application(
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
