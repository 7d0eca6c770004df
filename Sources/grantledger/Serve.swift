import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import LedgerAuth
import LedgerCore
import LedgerHTTP
import LedgerStore
import Logging
import Metrics
import NIOCore
import Prometheus

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server on the ledger in --data-dir.")

    @OptionGroup var data: DataDirectoryOptions

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
        let issuers = try await TrustedIssuers.loading(
            paths: Environment.list(trustedIssuerKeys, "GRANTLEDGER_TRUSTED_ISSUER_KEYS"),
            issuer: trustedIssuer ?? Environment.value("GRANTLEDGER_TRUSTED_ISSUER"),
            audience: trustedAudience ?? Environment.value("GRANTLEDGER_TRUSTED_AUDIENCE"))

        let services = LedgerServices(
            ledger: ledger, signingKeys: try keyStore.list(), adminTokenSha256: adminToken.sha256,
            trustedIssuers: issuers,
            metrics: registry)
        let app = buildApplication(services, settings: settings, logger: logger) { channel in
            let bound = channel.localAddress?.port ?? settings.port
            let base = "http://\(settings.host):\(bound)"
            // Plain stdout, not the logger: this is the operator's quick-start, and scripts parse the first line.
            say("listening on \(base)")
            say("  data:        \(data.databasePath) (synchronous=\(sync.rawValue))")
            say("  signing key: \(activeKey.path) kid=\(activeKey.kid)\(generated ? " (generated now)" : "")")
            say("  admin token: \(adminToken.describe)")
            say("  try:         curl -s \(base)/health")
            say(
                #"               curl -s -H "Authorization: Bearer $(cat \#(directory)/admin-token)" \#(base)/admin/connections"#
            )
        }
        try await app.runService()
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
