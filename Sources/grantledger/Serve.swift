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

    @OptionGroup var options: ServeOptions

    func run() async throws {
        let sources = try await SettingSources.load(flags: options.flags)
        let configuration = try ServeConfiguration(sources)
        let settings = configuration.http
        let sync = configuration.synchronous
        let logger = try LogSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let directory = configuration.dataDirectory
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try DataDirectoryOptions.requireWritable(directory)
        let lock = try DataDirectoryLock(directory: directory)
        defer { withExtendedLifetime(lock) {} }

        let ledger = try Ledger(
            path: configuration.databasePath,
            options: .init(synchronous: sync, writer: configuration.writer, logger: logger))
        let keyStore = KeyStore(dataDirectory: directory)
        let (activeKey, generated) = try keyStore.activeKey()
        let (activeRSAKey, generatedRSA) = try keyStore.activeRSAKey()
        let adminToken = try await AdminCredentialSetup.ensure(
            ledger: ledger, directory: directory,
            given: try sources.string(.adminToken).map { ($0.value, sources.name(.adminToken, $0.source)) })
        let checkpoints = try await CheckpointService.prepare(ledger: ledger, keyStore: keyStore, logger: logger)
        var devLoginPEMs: [String] = []
        var devLoginLine: String?
        var standInLogin: (any StandInLogin)?
        if configuration.devLogin {
            let dev = try DevLogin.ensureKey(directory: directory)
            standInLogin = try await DevLoginTokens(key: dev.key, clock: ledger.clock)
            devLoginPEMs.append(dev.key.publicKey.pemRepresentation)
            devLoginLine = "\(dev.path)\(dev.generated ? " (generated now)" : "") — NOT for production"
        }
        let issuers: TrustedIssuers
        do {
            issuers = try await TrustedIssuers.loading(
                paths: configuration.trustedIssuerKeyPaths, extraPEMs: devLoginPEMs,
                issuer: configuration.trustedIssuer, audience: configuration.trustedAudience)
        } catch let error as TokenVerificationError {
            throw CLIError(error.reason)
        }
        let devLoginNote = devLoginLine
        let nwc = configuration.nwc
        let walletBackend = makeWallet(configuration.wallet)
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
        let gatewaySetup = try await GatewaySetup(configuration)
        var oauth = configuration.oauth
        if let routes = gatewaySetup.gateway?.routes { oauth.scopes = oauth.scopes.adding(routes.routes.map(\.scope)) }
        let demoClients: [String] =
            devLoginNote == nil
            ? []
            : try await DemoClients.ensure(
                ledger: ledger, directory: directory, clearAuthClientId: gatewaySetup.clearAuth?.clientId,
                scopes: oauth.scopes.sorted)

        var obp = ObpSettings(dauthAllowedIPs: configuration.dauthAllowedIPs, localProvider: nwc.issuer)
        if let path = configuration.dauthPublicKeyPath {
            do {
                obp.dauth = try await DAuthVerifier.loading(path: path, maxAgeSec: configuration.dauthMaxAgeSec)
            } catch let error as TokenVerificationError {
                throw CLIError(error.reason)
            }
        }
        let dauthNote = obp.dauth == nil ? "off (--dauth-public-key)" : "from \(obp.dauthAllowedIPs.sorted().joined(separator: ", "))"
        let services = LedgerServices(
            ledger: ledger, keyRing: try await SigningKeyRing(keys: try keyStore.list(), rsaKeys: try keyStore.rsaKeys()),
            adminTokenSha256: adminToken.sha256, trustedIssuers: issuers, metrics: registry, wallet: walletBackend,
            nwc: nwc, oauth: oauth, audit: configuration.audit, nuts: configuration.nuts, obp: obp, dataDirectory: directory, gateway: gatewaySetup.gateway,
            clearAuth: gatewaySetup.clearAuth, standInLogin: standInLogin)
        let loginNote =
            oauth.loginURL ?? (standInLogin != nil ? "\(nwc.issuer)/dev/login (stand-in)" : "none: set --login-url")
        let app = try buildApplication(
            services, settings: settings, logger: logger, extraServices: gatewaySetup.services
        ) { channel in
            let bound = channel.localAddress?.port ?? settings.port
            let base = "http://\(settings.host):\(bound)"
            // Plain stdout, not the logger: this is the operator's quick-start, and scripts parse the first line.
            say("listening on \(base)")
            say("  data:        \(configuration.databasePath) (synchronous=\(sync.rawValue))")
            say("  signing key: \(activeKey.path) kid=\(activeKey.kid)\(generated ? " (generated now)" : "")")
            say(
                "  ID tokens:   \(activeRSAKey.path) kid=\(activeRSAKey.kid)\(generatedRSA ? " (generated now)" : "") (RS256)")
            say(
                "  pages:       \(nwc.issuer)/account, \(nwc.issuer)/oauth/device; login at \(loginNote)")
            say("  admin token: \(adminToken.describe)")
            say("  allocator:   \(MemoryAllocator.description)")
            say(
                "  checkpoints: \(checkpoints.key.path) kid=\(checkpoints.key.kid)\(checkpoints.generated ? " (generated now)" : ""); every \(checkpoints.service.everyEvents) events or \(checkpoints.service.afterHeadMoved) after a change, and at shutdown"
            )
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
            say(
                "  obp:         \(base)/obp/v5.1.0 (entitlements, views, account access); DAuth \(dauthNote); decisions at \(base)/authz/check"
            )
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
        // Beside the server and stopped after it (the writer drained), so the last checkpoint
        // covers the last commit.
        try await checkpoints.service.run(around: { try await app.runService() })
    }

    /// Lives as long as the process. Redirects are refused: a redirect could carry the upstream
    /// credential's request somewhere the operator never configured.
    static let upstreamClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    private func makeWallet(_ choice: ServeConfiguration.Wallet) -> any WalletBackend {
        switch choice {
        case .demo(let balanceMsat, let feeMsat):
            DemoWallet(startingBalanceMsat: balanceMsat, feeMsat: feeMsat)
        case .upstream(let baseURL, let token):
            UpstreamWallet(baseURL: baseURL, upstreamToken: token, httpClient: Self.upstreamClient)
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
        guard descriptor >= 0 else { throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw CLIError("another grantledger process is serving \(directory)")
        }
    }

    deinit { close(descriptor) }
}
