import ArgumentParser
import Configuration

/// The server's flags, one per setting of the catalog (`Setting+Catalog.swift`), which gives
/// each its name and help; values are checked when the configuration is resolved, so a bad
/// one is reported the same way whether it came from a flag, the environment or the file.
struct ServeOptions: ParsableArguments {
    @Option(name: .customLong(Setting.dataDir.longName), help: .init(Setting.dataDir.help))
    var dataDir: String?

    @Option(name: .customLong(Setting.config.longName), help: .init(Setting.config.help))
    var config: String?

    @Option(name: .customLong(Setting.host.longName), help: .init(Setting.host.help))
    var host: String?

    @Option(name: .customLong(Setting.port.longName), help: .init(Setting.port.help))
    var port: String?

    @Option(name: .customLong(Setting.trustedIssuerKeys.longName), help: .init(Setting.trustedIssuerKeys.help + " Repeatable."))
    var trustedIssuerKeys: [String] = []

    @Option(name: .customLong(Setting.trustedIssuer.longName), help: .init(Setting.trustedIssuer.help))
    var trustedIssuer: String?

    @Option(name: .customLong(Setting.trustedAudience.longName), help: .init(Setting.trustedAudience.help))
    var trustedAudience: String?

    @Flag(name: .customLong(Setting.devLogin.longName), help: .init(Setting.devLogin.help))
    var devLogin = false

    @Option(name: .customLong(Setting.issuer.longName), help: .init(Setting.issuer.help))
    var issuer: String?

    @Option(name: .customLong(Setting.tokenLifetimeSecMax.longName), help: .init(Setting.tokenLifetimeSecMax.help))
    var tokenLifetimeSecMax: String?

    @Option(name: .customLong(Setting.holdTimeoutSec.longName), help: .init(Setting.holdTimeoutSec.help))
    var holdTimeoutSec: String?

    @Option(name: .customLong(Setting.budgetWindow.longName), help: .init(Setting.budgetWindow.help))
    var budgetWindow: String?

    @Option(name: .customLong(Setting.budgetTimeZone.longName), help: .init(Setting.budgetTimeZone.help))
    var budgetTimeZone: String?

    @Option(name: .customLong(Setting.defaultBudget.longName), help: .init(Setting.defaultBudget.help))
    var defaultBudget: String?

    @Option(name: .customLong(Setting.balanceView.longName), help: .init(Setting.balanceView.help))
    var balanceView: String?

    @Option(name: .customLong(Setting.wallet.longName), help: .init(Setting.wallet.help))
    var wallet: String?

    @Option(name: .customLong(Setting.demoBalanceMsat.longName), help: .init(Setting.demoBalanceMsat.help))
    var demoBalanceMsat: String?

    @Option(name: .customLong(Setting.demoFeeMsat.longName), help: .init(Setting.demoFeeMsat.help))
    var demoFeeMsat: String?

    @Option(name: .customLong(Setting.upstreamUrl.longName), help: .init(Setting.upstreamUrl.help))
    var upstreamUrl: String?

    @Option(name: .customLong(Setting.upstreamToken.longName), help: .init(Setting.upstreamToken.help))
    var upstreamToken: String?

    @Option(name: .customLong(Setting.accessTokenLifetimeSec.longName), help: .init(Setting.accessTokenLifetimeSec.help))
    var accessTokenLifetimeSec: String?

    @Option(name: .customLong(Setting.refreshTokenLifetimeSec.longName), help: .init(Setting.refreshTokenLifetimeSec.help))
    var refreshTokenLifetimeSec: String?

    @Option(name: .customLong(Setting.authCodeLifetimeSec.longName), help: .init(Setting.authCodeLifetimeSec.help))
    var authCodeLifetimeSec: String?

    @Option(name: .customLong(Setting.deviceCodeLifetimeSec.longName), help: .init(Setting.deviceCodeLifetimeSec.help))
    var deviceCodeLifetimeSec: String?

    @Option(name: .customLong(Setting.devicePollIntervalSec.longName), help: .init(Setting.devicePollIntervalSec.help))
    var devicePollIntervalSec: String?

    @Option(name: .customLong(Setting.auditBodyBytesMax.longName), help: .init(Setting.auditBodyBytesMax.help))
    var auditBodyBytesMax: String?

    @Option(name: .customLong(Setting.auditSubjectClaim.longName), help: .init(Setting.auditSubjectClaim.help))
    var auditSubjectClaim: String?

    @Option(name: .customLong(Setting.auditSubjectIdType.longName), help: .init(Setting.auditSubjectIdType.help))
    var auditSubjectIdType: String?

    @Option(name: .customLong(Setting.signingMeans.longName), help: .init(Setting.signingMeans.help))
    var signingMeans: String?

    @Option(name: .customLong(Setting.nutsAccessTokenLifetimeSec.longName), help: .init(Setting.nutsAccessTokenLifetimeSec.help))
    var nutsAccessTokenLifetimeSec: String?

    @Option(name: .customLong(Setting.signingSessionLifetimeSec.longName), help: .init(Setting.signingSessionLifetimeSec.help))
    var signingSessionLifetimeSec: String?

    @Option(name: .customLong(Setting.contractValiditySec.longName), help: .init(Setting.contractValiditySec.help))
    var contractValiditySec: String?

    @Option(name: .customLong(Setting.contractTimeZone.longName), help: .init(Setting.contractTimeZone.help))
    var contractTimeZone: String?

    @Option(name: .customLong(Setting.dauthPublicKey.longName), help: .init(Setting.dauthPublicKey.help))
    var dauthPublicKey: String?

    @Option(name: .customLong(Setting.dauthAllowedIPs.longName), help: .init(Setting.dauthAllowedIPs.help + " Repeatable."))
    var dauthAllowedIPs: [String] = []

    @Option(name: .customLong(Setting.dauthMaxAgeSec.longName), help: .init(Setting.dauthMaxAgeSec.help))
    var dauthMaxAgeSec: String?

    @Option(name: .customLong(Setting.loginURL.longName), help: .init(Setting.loginURL.help))
    var loginURL: String?

    @Option(name: .customLong(Setting.sessionLifetimeSec.longName), help: .init(Setting.sessionLifetimeSec.help))
    var sessionLifetimeSec: String?

    @Option(name: .customLong(Setting.gatewayOrigin.longName), help: .init(Setting.gatewayOrigin.help))
    var gatewayOrigin: String?

    @Option(name: .customLong(Setting.gatewayRoutes.longName), help: .init(Setting.gatewayRoutes.help))
    var gatewayRoutes: String?

    @Option(name: .customLong(Setting.gatewayTimeoutSec.longName), help: .init(Setting.gatewayTimeoutSec.help))
    var gatewayTimeoutSec: String?

    @Option(name: .customLong(Setting.clearAuthEndpoints.longName), help: .init(Setting.clearAuthEndpoints.help + " Repeatable."))
    var clearAuthEndpoints: [String] = []

    @Option(name: .customLong(Setting.clearAuthClientId.longName), help: .init(Setting.clearAuthClientId.help))
    var clearAuthClientId: String?

    @Option(name: .customLong(Setting.clearAuthDiscovery.longName), help: .init(Setting.clearAuthDiscovery.help))
    var clearAuthDiscovery: String?

    @Option(name: .customLong(Setting.clearAuthRatePerMin.longName), help: .init(Setting.clearAuthRatePerMin.help))
    var clearAuthRatePerMin: String?

    @Option(name: .customLong(Setting.synchronous.longName), help: .init(Setting.synchronous.help))
    var synchronous: String?

    @Option(name: .customLong(Setting.batchSizeMax.longName), help: .init(Setting.batchSizeMax.help))
    var batchSizeMax: String?

    @Option(name: .customLong(Setting.batchWaitUs.longName), help: .init(Setting.batchWaitUs.help))
    var batchWaitUs: String?

    @Option(name: .customLong(Setting.queueLengthMax.longName), help: .init(Setting.queueLengthMax.help))
    var queueLengthMax: String?

    @Option(name: .customLong(Setting.bodyBytesMax.longName), help: .init(Setting.bodyBytesMax.help))
    var bodyBytesMax: String?

    @Option(name: .customLong(Setting.logLevel.longName), help: .init(Setting.logLevel.help))
    var logLevel: String?

    @Option(name: .customLong(Setting.logFormat.longName), help: .init(Setting.logFormat.help))
    var logFormat: String?

    /// The flags given, by setting key.
    var flags: [String: ConfigContent] {
        var flags: [String: ConfigContent] = [:]
        if let dataDir { flags[Setting.dataDir.key] = .string(dataDir) }
        if let config { flags[Setting.config.key] = .string(config) }
        if let host { flags[Setting.host.key] = .string(host) }
        if let port { flags[Setting.port.key] = .string(port) }
        if !trustedIssuerKeys.isEmpty { flags[Setting.trustedIssuerKeys.key] = .stringArray(trustedIssuerKeys) }
        if let trustedIssuer { flags[Setting.trustedIssuer.key] = .string(trustedIssuer) }
        if let trustedAudience { flags[Setting.trustedAudience.key] = .string(trustedAudience) }
        if devLogin { flags[Setting.devLogin.key] = .bool(true) }
        if let issuer { flags[Setting.issuer.key] = .string(issuer) }
        if let tokenLifetimeSecMax { flags[Setting.tokenLifetimeSecMax.key] = .string(tokenLifetimeSecMax) }
        if let holdTimeoutSec { flags[Setting.holdTimeoutSec.key] = .string(holdTimeoutSec) }
        if let budgetWindow { flags[Setting.budgetWindow.key] = .string(budgetWindow) }
        if let budgetTimeZone { flags[Setting.budgetTimeZone.key] = .string(budgetTimeZone) }
        if let defaultBudget { flags[Setting.defaultBudget.key] = .string(defaultBudget) }
        if let balanceView { flags[Setting.balanceView.key] = .string(balanceView) }
        if let wallet { flags[Setting.wallet.key] = .string(wallet) }
        if let demoBalanceMsat { flags[Setting.demoBalanceMsat.key] = .string(demoBalanceMsat) }
        if let demoFeeMsat { flags[Setting.demoFeeMsat.key] = .string(demoFeeMsat) }
        if let upstreamUrl { flags[Setting.upstreamUrl.key] = .string(upstreamUrl) }
        if let upstreamToken { flags[Setting.upstreamToken.key] = .string(upstreamToken) }
        if let accessTokenLifetimeSec { flags[Setting.accessTokenLifetimeSec.key] = .string(accessTokenLifetimeSec) }
        if let refreshTokenLifetimeSec { flags[Setting.refreshTokenLifetimeSec.key] = .string(refreshTokenLifetimeSec) }
        if let authCodeLifetimeSec { flags[Setting.authCodeLifetimeSec.key] = .string(authCodeLifetimeSec) }
        if let deviceCodeLifetimeSec { flags[Setting.deviceCodeLifetimeSec.key] = .string(deviceCodeLifetimeSec) }
        if let devicePollIntervalSec { flags[Setting.devicePollIntervalSec.key] = .string(devicePollIntervalSec) }
        if let loginURL { flags[Setting.loginURL.key] = .string(loginURL) }
        if let auditBodyBytesMax { flags[Setting.auditBodyBytesMax.key] = .string(auditBodyBytesMax) }
        if let signingMeans { flags[Setting.signingMeans.key] = .string(signingMeans) }
        if let nutsAccessTokenLifetimeSec { flags[Setting.nutsAccessTokenLifetimeSec.key] = .string(nutsAccessTokenLifetimeSec) }
        if let signingSessionLifetimeSec { flags[Setting.signingSessionLifetimeSec.key] = .string(signingSessionLifetimeSec) }
        if let contractValiditySec { flags[Setting.contractValiditySec.key] = .string(contractValiditySec) }
        if let contractTimeZone { flags[Setting.contractTimeZone.key] = .string(contractTimeZone) }
        if let dauthPublicKey { flags[Setting.dauthPublicKey.key] = .string(dauthPublicKey) }
        if !dauthAllowedIPs.isEmpty { flags[Setting.dauthAllowedIPs.key] = .stringArray(dauthAllowedIPs) }
        if let dauthMaxAgeSec { flags[Setting.dauthMaxAgeSec.key] = .string(dauthMaxAgeSec) }
        if let auditSubjectClaim { flags[Setting.auditSubjectClaim.key] = .string(auditSubjectClaim) }
        if let auditSubjectIdType { flags[Setting.auditSubjectIdType.key] = .string(auditSubjectIdType) }
        if let sessionLifetimeSec { flags[Setting.sessionLifetimeSec.key] = .string(sessionLifetimeSec) }
        if let gatewayOrigin { flags[Setting.gatewayOrigin.key] = .string(gatewayOrigin) }
        if let gatewayRoutes { flags[Setting.gatewayRoutes.key] = .string(gatewayRoutes) }
        if let gatewayTimeoutSec { flags[Setting.gatewayTimeoutSec.key] = .string(gatewayTimeoutSec) }
        if !clearAuthEndpoints.isEmpty { flags[Setting.clearAuthEndpoints.key] = .stringArray(clearAuthEndpoints) }
        if let clearAuthClientId { flags[Setting.clearAuthClientId.key] = .string(clearAuthClientId) }
        if let clearAuthDiscovery { flags[Setting.clearAuthDiscovery.key] = .string(clearAuthDiscovery) }
        if let clearAuthRatePerMin { flags[Setting.clearAuthRatePerMin.key] = .string(clearAuthRatePerMin) }
        if let synchronous { flags[Setting.synchronous.key] = .string(synchronous) }
        if let batchSizeMax { flags[Setting.batchSizeMax.key] = .string(batchSizeMax) }
        if let batchWaitUs { flags[Setting.batchWaitUs.key] = .string(batchWaitUs) }
        if let queueLengthMax { flags[Setting.queueLengthMax.key] = .string(queueLengthMax) }
        if let bodyBytesMax { flags[Setting.bodyBytesMax.key] = .string(bodyBytesMax) }
        if let logLevel { flags[Setting.logLevel.key] = .string(logLevel) }
        if let logFormat { flags[Setting.logFormat.key] = .string(logFormat) }
        return flags
    }
}
