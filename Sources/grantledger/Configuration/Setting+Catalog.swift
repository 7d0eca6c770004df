import LedgerApp
import LedgerCore
import LedgerDemo
import LedgerHTTP
import LedgerStore
import Logging

/// Every setting, in the order the README lists them. Numeric defaults and ranges are the
/// settings types' own (`NWCSettings.holdTimeoutSecBounds`, …); what is written here is only
/// what no type holds.
extension Setting {
    static let dataDir = Setting(
        "data-dir", .text, default: "./data",
        "holds `ledger.sqlite` (event table `events`), `keys/`, `admin-token`, `ledger.lock`")
    static let config = Setting(
        "config", .text, default: "none",
        "a JSON file of settings, `{\"port\": 8080, \"wallet\": \"demo\", …}` with the keys of this table; flags and environment variables win over it")
    static let host = Setting("host", .text, default: "127.0.0.1", "listen address")
    static let port = Setting(
        "port", .integer(HTTPSettings.portBounds), "listen port; `0` picks a free one (printed on the first line)")
    static let adminToken = Setting(
        "admin-token", .text, default: "generated",
        "admin bearer credential (16–512 visible ASCII); when unset, one is generated on first start into `DATA_DIR/admin-token`",
        hasFlag: false, isSecret: true)
    static let trustedIssuerKeys = Setting(
        "trusted-issuer-keys", .list, default: "none",
        "PEM public key files (ES256 only) of the operator's login system, for its short-lived user JWTs",
        flag: "trusted-issuer-key")
    static let trustedIssuer = Setting("trusted-issuer", .text, default: "unchecked", "required `iss` of user JWTs")
    static let trustedAudience = Setting("trusted-audience", .text, default: "unchecked", "required `aud` of user JWTs")
    static let devLogin = Setting(
        "dev-login", .toggle, default: "off",
        "also trust `DATA_DIR/dev-login-key.pem` (generated), the key `grantledger user-token` signs with; never in production")
    static let issuer = Setting(
        "issuer", .text, default: "`http://HOST:PORT` (`grantledger` with `--port 0`)",
        "`iss` and `aud` of the long-lived tokens this ledger mints and accepts")
    static let tokenLifetimeSecMax = Setting(
        "token-lifetime-max-sec", .integer(NWCSettings.tokenLifetimeSecMaxBounds),
        "a requested `expiration` beyond now + this is capped; none requested gets exactly this")
    static let holdTimeoutSec = Setting(
        "hold-timeout-sec", .integer(NWCSettings.holdTimeoutSecBounds),
        "a reservation not settled or released by then is released (`expired`)")
    static let budgetWindow = Setting(
        "budget-window", .choice(BudgetWindowStyle.allCases.map(\.rawValue)), default: "rolling",
        "`rolling` or `calendar` cycles for budgets granted from now on")
    static let budgetTimeZone = Setting("budget-time-zone", .text, default: "UTC", "IANA zone of calendar cycles")
    static let defaultBudget = Setting(
        "default-budget", .text, default: "none",
        "budget string given to grants that ask for none (token exchange, OAuth code, device and client-credentials grants); `none` leaves them unlimited: such an app may spend the whole wallet")
    static let balanceView = Setting(
        "balance-view", .choice(NWCSettings.BalanceView.allCases.map(\.rawValue)), default: "budget",
        "`budget`: `get_balance` shows at most what is left of the connection's budget; `wallet`: the whole balance")
    static let wallet = Setting("wallet", .choice(["demo", "upstream"]), default: "demo", "`demo` or `upstream`")
    static let demoBalanceMsat = Setting(
        "demo-balance-msat", .integer(DemoWallet.startingBalanceMsatBounds),
        "the demo wallet's starting balance per user")
    static let demoFeeMsat = Setting("demo-fee-msat", .integer(DemoWallet.feeMsatBounds), "the demo wallet's flat fee per payment")
    static let upstreamUrl = Setting(
        "upstream-url", .text, default: "none", "base URL of the upstream UMA Auth API, e.g. `https://vasp.example/umanwc/v1`")
    static let upstreamToken = Setting(
        "upstream-token", .text, default: "none", "the upstream's bearer credential", isSecret: true)
    static let accessTokenLifetimeSec = Setting(
        "access-token-lifetime-sec", .integer(OAuthSettings.accessTokenLifetimeSecBounds),
        "OAuth access tokens without `expires_in`; a larger `expires_in` is capped by `--token-lifetime-max-sec`")
    static let refreshTokenLifetimeSec = Setting(
        "refresh-token-lifetime-sec", .integer(OAuthSettings.refreshTokenLifetimeSecBounds),
        "life of each (rotated) refresh token")
    static let authCodeLifetimeSec = Setting(
        "auth-code-lifetime-sec", .integer(OAuthSettings.authorizationCodeLifetimeSecBounds), "life of an authorization code")
    static let deviceCodeLifetimeSec = Setting(
        "device-code-lifetime-sec", .integer(OAuthSettings.deviceCodeLifetimeSecBounds), "life of a device code")
    static let devicePollIntervalSec = Setting(
        "device-poll-interval-sec", .integer(OAuthSettings.devicePollIntervalSecBounds),
        "RFC 8628 `interval`; faster polls get `slow_down`")
    static let auditBodyBytesMax = Setting(
        "audit-body-bytes-max", .integer(HTTPSettings.auditBodyBytesMaxBounds),
        "largest `POST /audit/access` body (a batch of up to 1,000 records)")
    static let auditSubjectClaim = Setting(
        "audit-subject-claim", .text, default: "none",
        "claim of the operator's user JWT holding the user's subject id (e.g. `bsn`): with it they read their own `/audit/subjects/…/accesses`")
    static let auditSubjectIdType = Setting(
        "audit-subject-id-type", .text, default: AuditSettings.bsnIdType,
        "the kind of id `--audit-subject-claim` holds (default: BSN)")
    static let signingMeans = Setting(
        "signing-means", .text, default: "employeeid",
        "means a practitioner may sign a login contract with, comma-separated: `employeeid` (the employer vouches), `dummy` (development only: signs fixed attributes)")
    static let nutsAccessTokenLifetimeSec = Setting(
        "nuts-access-token-lifetime-sec", .integer(NutsSettings.accessTokenLifetimeSecBounds),
        "life of an access token from `/internal/auth/v1/request-access-token` (RFC003: at most 60 s)")
    static let signingSessionLifetimeSec = Setting(
        "signing-session-lifetime-sec", .integer(NutsSettings.signingSessionLifetimeSecBounds),
        "how long a signing session may wait for its signer")
    static let contractValiditySec = Setting(
        "contract-validity-sec", .integer(NutsSettings.contractValiditySecBounds),
        "validity of a contract drawn up without `validDuration`")
    static let contractTimeZone = Setting(
        "contract-time-zone", .text, default: "Europe/Amsterdam", "IANA zone of the times written in login contracts")
    static let dauthPublicKey = Setting(
        "dauth-public-key", .text, default: "none (DAuth off)",
        "PEM file of the RSA public key DAuth tokens are signed with (RS256 only); without it the `DAuth` header is ignored, as OBP does")
    static let dauthAllowedIPs = Setting(
        "dauth-allowed-ips", .list, default: "none",
        "peer address a `DAuth` header is accepted from (the socket's, not a forwarded header)", flag: "dauth-allowed-ip")
    static let dauthMaxAgeSec = Setting(
        "dauth-max-age-sec", .integer(ObpSettings.dauthMaxAgeSecBounds),
        "a DAuth token whose `timestamp` is older than this is refused as expired")
    static let loginURL = Setting(
        "login-url", .text, default: "none (`/dev/login` with `--dev-login`)",
        "the operator's login page: pages send a browser there with `redirect_uri`, and it comes back with the user's JWT as `token` (seed 000)")
    static let sessionLifetimeSec = Setting(
        "session-lifetime-sec", .integer(OAuthSettings.sessionLifetimeSecBounds),
        "life of a browser session on the consent, device and account pages")
    static let gatewayOrigin = Setting(
        "gateway-origin", .text, default: "none",
        "origin URL the gateway forwards to, or `mock` for the built-in mock origin; without it there is no gateway")
    static let gatewayRoutes = Setting(
        "gateway-routes", .text, default: "Alby's table",
        "JSON route table file (method, path pattern, scope, optional spend)")
    static let gatewayTimeoutSec = Setting(
        "gateway-timeout-sec", .integer(GatewaySettings.originTimeoutSecBounds),
        "the origin's time to answer (504 beyond)")
    static let clearAuthEndpoints = Setting(
        "clear-auth-endpoints", .list, default: "none",
        "NUT-21 protected endpoint, `\"METHOD /path\"` or `\"METHOD /prefix/*\"`", flag: "clear-auth-endpoint")
    static let clearAuthClientId = Setting(
        "clear-auth-client-id", .text, default: ClearAuthSettings.defaultClientId,
        "`azp`/`client_id` a Clear-auth token must carry")
    static let clearAuthDiscovery = Setting(
        "clear-auth-discovery", .text, default: "this ledger",
        "OpenID discovery URL of an external issuer (ES256 or RS256 via its JWKS)")
    static let clearAuthRatePerMin = Setting(
        "clear-auth-rate-per-min", .integer(ClearAuthSettings.ratePerMinuteBounds),
        "Clear-auth requests per minute per `sub` (429 beyond)")
    static let synchronous = Setting(
        "synchronous", .choice(Ledger.Synchronous.allCases.map(\.rawValue)), default: "full",
        "`full`: every commit is fsynced before anyone is answered (the writer syncs the WAL on a thread of its own while it commits the next batch; a sync that fails stops the writer until a restart). `normal`: faster, survives a process crash, but a power cut or OS crash may lose the last commits that were already answered 2xx")
    static let batchSizeMax = Setting(
        "batch-size-max", .integer(WriterConfiguration.batchSizeMaxBounds),
        "most commands in one group commit (1 = one fsync per command)")
    static let batchWaitUs = Setting(
        "batch-wait-us", .integer(WriterConfiguration.batchWaitUsBounds),
        "how long the writer lingers to fill a batch; 0 never waits (commands that arrive during a commit form the next batch)")
    static let queueLengthMax = Setting(
        "queue-length-max", .integer(WriterConfiguration.queueLengthMaxBounds),
        "commands waiting for the writer beyond this get 503 `overloaded`")
    static let bodyBytesMax = Setting(
        "body-bytes-max", .integer(HTTPSettings.bodyBytesMaxBounds), "largest request body (413 beyond)")
    static let logLevel = Setting(
        "log-level", .choice(Logger.Level.allCases.map(\.rawValue)), default: "info", "swift-log level")
    static let logFormat = Setting(
        "log-format", .choice(["text", "json"]), default: "text", "`text` or `json` (one object per line on stderr)")
    static let replayUntil = Setting(
        "replay-until", .text, default: "none", "last event of a partial replay: a seq number or an ISO 8601 time",
        flag: "until", command: "replay")
    static let replayOut = Setting(
        "replay-out", .text, default: "none", "new database file for the state as of `--until`", flag: "out",
        command: "replay")
    static let inspectLimit = Setting(
        "inspect-limit", .integer(SettingBounds(default: 1000, range: 1...100_000)), "most events shown",
        flag: "limit", command: "inspect")
    static let inspectJson = Setting(
        "inspect-json", .toggle, default: "off", "one JSON object per line instead of the readable form", flag: "json",
        command: "inspect")

    /// Every setting, in the README's order.
    static let all: [Setting] = [
        dataDir, config, host, port, adminToken, trustedIssuerKeys, trustedIssuer, trustedAudience, devLogin, issuer,
        tokenLifetimeSecMax, holdTimeoutSec, budgetWindow, budgetTimeZone, defaultBudget, balanceView, wallet,
        demoBalanceMsat, demoFeeMsat, upstreamUrl, upstreamToken, accessTokenLifetimeSec, refreshTokenLifetimeSec,
        authCodeLifetimeSec, deviceCodeLifetimeSec, devicePollIntervalSec, loginURL, sessionLifetimeSec,
        auditBodyBytesMax, auditSubjectClaim, auditSubjectIdType, signingMeans, nutsAccessTokenLifetimeSec,
        signingSessionLifetimeSec, contractValiditySec, contractTimeZone, dauthPublicKey, dauthAllowedIPs, dauthMaxAgeSec, gatewayOrigin,
        gatewayRoutes,
        gatewayTimeoutSec, clearAuthEndpoints, clearAuthClientId, clearAuthDiscovery, clearAuthRatePerMin,
        synchronous, batchSizeMax, batchWaitUs, queueLengthMax, bodyBytesMax, logLevel, logFormat, replayUntil,
        replayOut, inspectLimit, inspectJson,
    ]

    /// What a config file may name: the server's settings (not another command's flags, nor the
    /// file itself).
    static let fileKeys: Set<String> = Set(all.filter { $0.command == nil && $0 != config }.map(\.key))
}
