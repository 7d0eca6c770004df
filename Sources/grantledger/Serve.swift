import LedgerApp
import LedgerDemo
import ArgumentParser
import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import LedgerWallet
import Logging
import Metrics
import NIOCore
import Prometheus

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server on the ledger in --data-dir.")

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var gatewayOptions: GatewayOptions

    @Option(help: "Address to listen on (env GRANTLEDGER_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (env GRANTLEDGER_PORT; default 8080).")
    var port: Int?

    @Option(
        name: .customLong("trusted-issuer-key"),
        help:
            "PEM public key (ES256) of the operator's login system; repeatable (env GRANTLEDGER_TRUSTED_ISSUER_KEYS, comma-separated)."
    )
    var trustedIssuerKeys: [String] = []

    @Option(help: "Required `iss` of user JWTs (env GRANTLEDGER_TRUSTED_ISSUER).")
    var trustedIssuer: String?

    @Option(help: "Required `aud` of user JWTs (env GRANTLEDGER_TRUSTED_AUDIENCE).")
    var trustedAudience: String?

    @Option(
        help:
            "full: fsync every commit (default); normal: a power cut may lose answered commits (env GRANTLEDGER_SYNCHRONOUS)."
    )
    var synchronous: String?

    @Option(help: "Most commands per group commit (env GRANTLEDGER_BATCH_SIZE_MAX; default 256).")
    var batchSizeMax: Int?

    @Option(help: "Microseconds the writer waits to fill a batch (env GRANTLEDGER_BATCH_WAIT_US; default 0).")
    var batchWaitUs: Int?

    @Option(
        help:
            "Most commands waiting for the writer before new ones get 503 (env GRANTLEDGER_QUEUE_LENGTH_MAX; default 10000)."
    )
    var queueLengthMax: Int?

    @Option(help: "Largest request body in bytes (env GRANTLEDGER_BODY_BYTES_MAX; default 65536).")
    var bodyBytesMax: Int?

    @Flag(
        help:
            "Trust a generated dev login key (DATA_DIR/dev-login-key.pem) so `grantledger user-token` can stand in for the operator's login system (env GRANTLEDGER_DEV_LOGIN=1). Never in production."
    )
    var devLogin = false

    @Option(
        help:
            "`iss` of the tokens this ledger mints (env GRANTLEDGER_ISSUER; default http://HOST:PORT, or grantledger with --port 0)."
    )
    var issuer: String?

    @Option(
        help:
            "Longest life of a long-lived NWC token, in seconds (env GRANTLEDGER_TOKEN_LIFETIME_MAX_SEC; default 31536000)."
    )
    var tokenLifetimeSecMax: Int?

    @Option(
        help: "Seconds a spend reservation holds before it is released (env GRANTLEDGER_HOLD_TIMEOUT_SEC; default 120)."
    )
    var holdTimeoutSec: Int?

    @Option(
        help:
            "rolling (1/7/30/365 days from the budget's start, UTC) or calendar (env GRANTLEDGER_BUDGET_WINDOW; default rolling)."
    )
    var budgetWindow: String?

    @Option(help: "IANA time zone of calendar budget windows (env GRANTLEDGER_BUDGET_TIME_ZONE; default UTC).")
    var budgetTimeZone: String?

    @Option(
        help:
            "Budget of grants that ask for none (UMA token exchange, OAuth code, device and client-credentials grants): \"<amount>[.<CUR>][/<period>][;max=<amount>]\", or none to leave them unlimited (env GRANTLEDGER_DEFAULT_BUDGET; default none)."
    )
    var defaultBudget: String?

    @Option(
        help:
            "What get_balance shows a connection with a budget: budget (at most what is left of it) or wallet (the whole balance) (env GRANTLEDGER_BALANCE_VIEW; default budget)."
    )
    var balanceView: String?

    @Option(help: "demo or upstream (env GRANTLEDGER_WALLET; default demo).")
    var wallet: String?

    @Option(
        help:
            "Starting balance of each user the demo wallet first sees (env GRANTLEDGER_DEMO_BALANCE_MSAT; default 1000000000)."
    )
    var demoBalanceMsat: Int?

    @Option(help: "Flat fee of each demo wallet payment (env GRANTLEDGER_DEMO_FEE_MSAT; default 0).")
    var demoFeeMsat: Int?

    @Option(
        help:
            "Base URL of the upstream UMA Auth API, e.g. https://vasp.example/umanwc/v1 (env GRANTLEDGER_UPSTREAM_URL)."
    )
    var upstreamUrl: String?

    @Option(help: "Bearer credential for the upstream (env GRANTLEDGER_UPSTREAM_TOKEN).")
    var upstreamToken: String?

    @Option(
        help:
            "Life of an OAuth access token without expires_in (env GRANTLEDGER_ACCESS_TOKEN_LIFETIME_SEC; default 3600)."
    )
    var accessTokenLifetimeSec: Int?

    @Option(help: "Life of an OAuth refresh token (env GRANTLEDGER_REFRESH_TOKEN_LIFETIME_SEC; default 2592000).")
    var refreshTokenLifetimeSec: Int?

    @Option(help: "Life of an authorization code (env GRANTLEDGER_AUTH_CODE_LIFETIME_SEC; default 60).")
    var authCodeLifetimeSec: Int?

    @Option(help: "Life of a device code (env GRANTLEDGER_DEVICE_CODE_LIFETIME_SEC; default 600).")
    var deviceCodeLifetimeSec: Int?

    @Option(help: "Least seconds between device-code polls (env GRANTLEDGER_DEVICE_POLL_INTERVAL_SEC; default 5).")
    var devicePollIntervalSec: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env GRANTLEDGER_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "text or json (env GRANTLEDGER_LOG_FORMAT; default text).")
    var logFormat: String?

    func run() async throws {
        let settings = HTTPSettings(
            host: host ?? Environment.value("GRANTLEDGER_HOST") ?? "127.0.0.1",
            port: try Environment.int(port, "GRANTLEDGER_PORT", default: 8080),
            bodyBytesMax: try Environment.int(
                bodyBytesMax, "GRANTLEDGER_BODY_BYTES_MAX", default: HTTPSettings.defaultBodyBytesMax))
        guard (0...65535).contains(settings.port) else { throw ValidationError("--port must be 0 to 65535") }
        guard (1024...(16 << 20)).contains(settings.bodyBytesMax) else {
            throw ValidationError("--body-bytes-max must be 1024 to 16777216")
        }
        let syncText = synchronous ?? Environment.value("GRANTLEDGER_SYNCHRONOUS") ?? "full"
        guard let sync = Ledger.Synchronous(rawValue: syncText.lowercased()) else {
            throw ValidationError("--synchronous must be full or normal")
        }
        let writer = WriterConfiguration(
            batchSizeMax: try Environment.int(batchSizeMax, "GRANTLEDGER_BATCH_SIZE_MAX", default: 256),
            batchWaitMicros: try Environment.int(batchWaitUs, "GRANTLEDGER_BATCH_WAIT_US", default: 0),
            queueLengthMax: try Environment.int(queueLengthMax, "GRANTLEDGER_QUEUE_LENGTH_MAX", default: 10_000))
        let logger = try LogSetup.bootstrap(
            level: logLevel ?? Environment.value("GRANTLEDGER_LOG_LEVEL") ?? "info",
            format: logFormat ?? Environment.value("GRANTLEDGER_LOG_FORMAT") ?? "text")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let directory = data.directory
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let lock = try DataDirectoryLock(directory: directory)
        defer { withExtendedLifetime(lock) {} }

        let ledger = try Ledger(
            path: data.databasePath, options: .init(synchronous: sync, writer: writer, logger: logger))
        let keyStore = KeyStore(dataDirectory: directory)
        let (activeKey, generated) = try keyStore.activeKey()
        let adminToken = try await AdminCredentialSetup.ensure(ledger: ledger, directory: directory)
        var devLoginPEMs: [String] = []
        var devLoginLine: String?
        if devLogin || Environment.value("GRANTLEDGER_DEV_LOGIN") == "1" {
            let dev = try DevLogin.ensureKey(directory: directory)
            devLoginPEMs.append(dev.key.publicKey.pemRepresentation)
            devLoginLine = "\(dev.path)\(dev.generated ? " (generated now)" : "") — NOT for production"
        }
        let issuers: TrustedIssuers
        do {
            issuers = try await TrustedIssuers.loading(
                paths: Environment.list(trustedIssuerKeys, "GRANTLEDGER_TRUSTED_ISSUER_KEYS"), extraPEMs: devLoginPEMs,
                issuer: trustedIssuer ?? Environment.value("GRANTLEDGER_TRUSTED_ISSUER"),
                audience: trustedAudience ?? Environment.value("GRANTLEDGER_TRUSTED_AUDIENCE"))
        } catch let error as TokenVerificationError {
            throw CLIError(error.reason)
        }
        let devLoginNote = devLoginLine
        let nwc = try nwcSettings(settings)
        let walletBackend = try makeWallet()
        if let budget = nwc.defaultBudget, !budget.isBitcoin {
            // A default budget the wallet cannot price would refuse every payment of every grant
            // that got it. The demo wallet's answer is final; an upstream may just be down now.
            do {
                _ = try await walletBackend.conversionRate(currencyCode: budget.currency)
            } catch {
                guard walletBackend.kind == "upstream" else {
                    throw ValidationError("--default-budget: the \(walletBackend.kind) wallet cannot price \(budget.currency): \(error.message)")
                }
                logger.warning(
                    "the upstream cannot price the default budget's currency now; payments against it are refused until it can",
                    metadata: ["currency": "\(budget.currency)", "error": "\(error)"])
            }
        }
        let gatewaySetup = try await gatewayOptions.setup(bodyBytesMax: settings.bodyBytesMax, logger: logger)
        var oauth = try oauthSettings(nwc)
        if let routes = gatewaySetup.gateway?.routes { oauth.scopes = oauth.scopes.adding(routes.routes.map(\.scope)) }
        let demoClients: [String] =
            devLoginNote == nil
            ? []
            : try await DemoClients.ensure(
                ledger: ledger, directory: directory, clearAuthClientId: gatewaySetup.clearAuth?.clientId,
                scopes: oauth.scopes.sorted)

        let services = LedgerServices(
            ledger: ledger, keyRing: try await SigningKeyRing(keys: try keyStore.list()),
            adminTokenSha256: adminToken.sha256, trustedIssuers: issuers, metrics: registry, wallet: walletBackend,
            nwc: nwc, oauth: oauth, dataDirectory: directory, gateway: gatewaySetup.gateway,
            clearAuth: gatewaySetup.clearAuth)
        let app = try buildApplication(
            services, settings: settings, logger: logger, extraServices: gatewaySetup.services
        ) { channel in
            let bound = channel.localAddress?.port ?? settings.port
            let base = "http://\(settings.host):\(bound)"
            // Plain stdout, not the logger: this is the operator's quick-start, and scripts parse the first line.
            say("listening on \(base)")
            say("  data:        \(data.databasePath) (synchronous=\(sync.rawValue))")
            say("  signing key: \(activeKey.path) kid=\(activeKey.kid)\(generated ? " (generated now)" : "")")
            say("  admin token: \(adminToken.describe)")
            say(
                "  wallet:      \(walletBackend.kind); budgets \(nwc.budgetWindow.rawValue)\(nwc.budgetWindow == .calendar ? " in \(nwc.budgetTimeZone)" : ""); default budget \(nwc.defaultBudget?.description ?? "none (grants without a budget are unlimited)"); balance view \(nwc.balanceView.rawValue)"
            )
            if let devLoginNote {
                say("  dev login:   \(devLoginNote)")
                say(
                    #"  nwc:         T=$(\#(CommandLine.arguments[0]) user-token --data-dir \#(directory) --sub alice --address '$alice@localhost')"#
                )
                say(
                    #"               curl -s -X POST -H "Authorization: Bearer $T" -d '{"permissions":["send_payments","read_balance"],"budget":"50000/daily"}' \#(base)/umanwc/token"#
                )
            }
            if let origin = gatewaySetup.originDescription {
                say("  gateway:     \(gatewaySetup.gateway?.routes.routes.count ?? 0) routes → \(origin)")
            }
            if let clearAuth = gatewaySetup.clearAuth {
                say(
                    "  clear-auth:  \(clearAuth.endpoints.endpoints.map { "\($0.method) \($0.path)" }.joined(separator: ", ")) (client \(clearAuth.clientId)); \(base)/v1/info"
                )
            }
            for (index, line) in demoClients.enumerated() {
                say(
                    (index == 0 ? "  oauth:       " : "               ")
                        + line.replacingOccurrences(of: "{BASE}", with: base))
            }
            say("  try:         curl -s \(base)/health")
            say(
                #"               curl -s -H "Authorization: Bearer $(cat \#(directory)/admin-token)" \#(base)/admin/connections"#
            )
        }
        try await app.runService()
    }

    private func oauthSettings(_ nwc: NWCSettings) throws -> OAuthSettings {
        func seconds(_ value: Int?, _ env: String, default fallback: Int, _ range: ClosedRange<Int>, _ flag: String)
            throws -> Int64
        {
            let result = try Environment.int(value, env, default: fallback)
            guard range.contains(result) else {
                throw ValidationError("--\(flag) must be \(range.lowerBound) to \(range.upperBound) seconds")
            }
            return Int64(result)
        }
        return OAuthSettings(
            accessTokenLifetimeSec: try seconds(
                accessTokenLifetimeSec, "GRANTLEDGER_ACCESS_TOKEN_LIFETIME_SEC", default: 3600, 60...86_400 * 366,
                "access-token-lifetime-sec"),
            accessTokenLifetimeSecMax: nwc.tokenLifetimeSecMax,
            refreshTokenLifetimeSec: try seconds(
                refreshTokenLifetimeSec, "GRANTLEDGER_REFRESH_TOKEN_LIFETIME_SEC", default: 30 * 86_400,
                60...86_400 * 3660, "refresh-token-lifetime-sec"),
            authorizationCodeLifetimeSec: try seconds(
                authCodeLifetimeSec, "GRANTLEDGER_AUTH_CODE_LIFETIME_SEC", default: 60, 1...600,
                "auth-code-lifetime-sec"),
            deviceCodeLifetimeSec: try seconds(
                deviceCodeLifetimeSec, "GRANTLEDGER_DEVICE_CODE_LIFETIME_SEC", default: 600, 10...86_400,
                "device-code-lifetime-sec"),
            devicePollIntervalSec: try seconds(
                devicePollIntervalSec, "GRANTLEDGER_DEVICE_POLL_INTERVAL_SEC", default: 5, 1...60,
                "device-poll-interval-sec"))
    }

    private func nwcSettings(_ http: HTTPSettings) throws -> NWCSettings {
        let lifetime = try Environment.int(
            tokenLifetimeSecMax, "GRANTLEDGER_TOKEN_LIFETIME_MAX_SEC", default: 365 * 86_400)
        guard (60...(10 * 366 * 86_400)).contains(lifetime) else {
            throw ValidationError("--token-lifetime-max-sec must be 60 s to 10 years")
        }
        let hold = try Environment.int(holdTimeoutSec, "GRANTLEDGER_HOLD_TIMEOUT_SEC", default: 120)
        guard (1...86_400).contains(hold) else { throw ValidationError("--hold-timeout-sec must be 1 to 86400") }
        let windowText = budgetWindow ?? Environment.value("GRANTLEDGER_BUDGET_WINDOW") ?? "rolling"
        guard let window = BudgetWindowStyle(rawValue: windowText.lowercased()) else {
            throw ValidationError("--budget-window must be rolling or calendar")
        }
        let zone = budgetTimeZone ?? Environment.value("GRANTLEDGER_BUDGET_TIME_ZONE") ?? "UTC"
        do {
            _ = try BudgetWindow(period: .daily, style: .calendar, timeZoneIdentifier: zone, anchorMs: 0)
        } catch {
            throw ValidationError("--budget-time-zone: \(error.reason)")
        }
        let defaultBudgetText = defaultBudget ?? Environment.value("GRANTLEDGER_DEFAULT_BUDGET") ?? "none"
        var grantDefault: BudgetDefinition?
        if defaultBudgetText.lowercased() != "none" {
            do {
                grantDefault = try BudgetDefinition.parse(defaultBudgetText, field: "--default-budget")
            } catch {
                throw ValidationError(error.description)
            }
        }
        let viewText = balanceView ?? Environment.value("GRANTLEDGER_BALANCE_VIEW") ?? "budget"
        guard let view = NWCSettings.BalanceView(rawValue: viewText.lowercased()) else {
            throw ValidationError("--balance-view must be budget or wallet")
        }
        return NWCSettings(
            // With --port 0 the port is only known after binding; "grantledger" is then a stable name.
            issuer: issuer ?? Environment.value("GRANTLEDGER_ISSUER")
                ?? (http.port == 0 ? "grantledger" : "http://\(http.host):\(http.port)"),
            tokenLifetimeSecMax: Int64(lifetime), holdTimeoutMs: Int64(hold) * 1000, budgetWindow: window,
            budgetTimeZone: zone, defaultBudget: grantDefault, balanceView: view)
    }

    /// Lives as long as the process. Redirects are refused: a redirect could carry the upstream
    /// credential's request somewhere the operator never configured.
    static let upstreamClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    private func makeWallet() throws -> any WalletBackend {
        switch (wallet ?? Environment.value("GRANTLEDGER_WALLET") ?? "demo").lowercased() {
        case "demo":
            let balance = try Environment.int(demoBalanceMsat, "GRANTLEDGER_DEMO_BALANCE_MSAT", default: 1_000_000_000)
            let fee = try Environment.int(demoFeeMsat, "GRANTLEDGER_DEMO_FEE_MSAT", default: 0)
            guard balance >= 0, fee >= 0 else { throw ValidationError("demo balance and fee must not be negative") }
            return DemoWallet(startingBalanceMsat: Int64(balance), feeMsat: Int64(fee))
        case "upstream":
            guard let urlText = upstreamUrl ?? Environment.value("GRANTLEDGER_UPSTREAM_URL"),
                let url = URL(string: urlText),
                url.scheme == "https" || url.scheme == "http", url.host != nil
            else { throw ValidationError("--wallet upstream needs --upstream-url http(s)://host/…") }
            guard let token = upstreamToken ?? Environment.value("GRANTLEDGER_UPSTREAM_TOKEN") else {
                throw ValidationError("--wallet upstream needs --upstream-token")
            }
            return UpstreamWallet(baseURL: urlText, upstreamToken: token, httpClient: Self.upstreamClient)
        default:
            throw ValidationError("--wallet must be demo or upstream")
        }
    }
}

/// One server per data directory: a second one would fork the hash chain (the triggers would then
/// refuse its writes, but it is better not to start at all).
final class DataDirectoryLock {
    private let descriptor: Int32

    init(directory: String) throws {
        let path = (directory as NSString).appendingPathComponent("ledger.lock")
        descriptor = open(path, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else { throw CLIError("cannot open \(path)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw CLIError("another grantledger process is serving \(directory)")
        }
    }

    deinit { close(descriptor) }
}
