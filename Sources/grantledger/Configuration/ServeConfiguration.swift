import ArgumentParser
import Foundation
import LedgerApp
import LedgerCore
import LedgerHTTP
import LedgerStore

/// Everything `grantledger serve` is configured with, resolved once from flags, environment,
/// config file and defaults (in that order) and checked against the bounds the settings types
/// declare. Nothing else in the executable reads an option or an environment variable.
struct ServeConfiguration: Sendable {
    enum Wallet: Sendable, Equatable {
        case demo(startingBalanceMsat: Int64, feeMsat: Int64)
        case upstream(baseURL: String, token: String)
    }

    struct Gateway: Sendable, Equatable {
        /// A URL, or `mock` for the built-in mock origin.
        var origin: String
        /// The route table file; nil for Alby's example table.
        var routesPath: String?
        var timeoutSec: Int64
    }

    struct ClearAuth: Sendable, Equatable {
        var endpoints: [String]
        var clientId: String
        var discoveryURL: String?
        var ratePerMinute: Int
    }

    var dataDirectory: String
    var http: HTTPSettings
    var synchronous: Ledger.Synchronous
    var writer: WriterConfiguration
    var logLevel: String
    var logFormat: String
    var trustedIssuerKeyPaths: [String]
    var trustedIssuer: String?
    var trustedAudience: String?
    var devLogin: Bool
    var nwc: NWCSettings
    var oauth: OAuthSettings
    var audit: AuditSettings
    var nuts: NutsSettings
    /// DAuth: the key file, the allowed peers and the token age (the verifier is made at start).
    var dauthPublicKeyPath: String?
    var dauthAllowedIPs: Set<String>
    var dauthMaxAgeSec: Int
    var wallet: Wallet
    var gateway: Gateway?
    var clearAuth: ClearAuth?

    init(_ sources: SettingSources) throws {
        func text(_ setting: Setting) throws -> String? { try sources.string(setting)?.value }
        /// A text setting whose default is a value, not a description.
        func textOrDefault(_ setting: Setting) throws -> String {
            guard let fallback = setting.defaultText else { preconditionFailure("\(setting.key) has no default") }
            return try text(setting) ?? fallback
        }

        /// An absolute http(s) URL: the browser is sent there with the query extended.
        func loginURL() throws -> String? {
            guard let given = try sources.string(.loginURL) else { return nil }
            guard given.value.utf8.count <= 2000, let components = URLComponents(string: given.value),
                ["http", "https"].contains(components.scheme?.lowercased() ?? ""), components.host?.isEmpty == false,
                components.fragment == nil
            else {
                throw ValidationError(
                    "\(sources.name(.loginURL, given.source)): \"\(given.value.prefix(80))\" is not an absolute http(s) URL without a fragment")
            }
            return given.value
        }

        dataDirectory = try textOrDefault(.dataDir)
        http = HTTPSettings(
            host: try textOrDefault(.host), port: Int(try sources.integer(.port)),
            bodyBytesMax: Int(try sources.integer(.bodyBytesMax)),
            auditBodyBytesMax: Int(try sources.integer(.auditBodyBytesMax)))
        synchronous = Ledger.Synchronous(rawValue: try sources.choice(.synchronous))!
        writer = WriterConfiguration(
            batchSizeMax: Int(try sources.integer(.batchSizeMax)), batchWaitUs: Int(try sources.integer(.batchWaitUs)),
            queueLengthMax: Int(try sources.integer(.queueLengthMax)))
        logLevel = try sources.choice(.logLevel)
        logFormat = try sources.choice(.logFormat)
        trustedIssuerKeyPaths = try sources.list(.trustedIssuerKeys)?.value ?? []
        trustedIssuer = try text(.trustedIssuer)
        trustedAudience = try text(.trustedAudience)
        devLogin = try sources.toggle(.devLogin)

        let budgetTimeZone = try textOrDefault(.budgetTimeZone)
        do {
            _ = try BudgetWindow(period: .daily, style: .calendar, timeZoneIdentifier: budgetTimeZone, anchorMs: 0)
        } catch {
            throw ValidationError("budget-time-zone: \(error.reason)")
        }
        var defaultBudget: BudgetDefinition?
        if let given = try text(.defaultBudget), given.lowercased() != "none" {
            do {
                defaultBudget = try BudgetDefinition.parse(given, field: "--default-budget")
            } catch {
                throw ValidationError(error.description)
            }
        }
        let tokenLifetimeSecMax = try sources.integer(.tokenLifetimeSecMax)
        nwc = NWCSettings(
            // With --port 0 the port is only known after binding; "grantledger" is then a stable name.
            issuer: try text(.issuer) ?? (http.port == 0 ? "grantledger" : "http://\(http.host):\(http.port)"),
            tokenLifetimeSecMax: tokenLifetimeSecMax, holdTimeoutMs: try sources.integer(.holdTimeoutSec) * 1000,
            budgetWindow: BudgetWindowStyle(rawValue: try sources.choice(.budgetWindow))!,
            budgetTimeZone: budgetTimeZone, defaultBudget: defaultBudget,
            balanceView: NWCSettings.BalanceView(rawValue: try sources.choice(.balanceView))!)
        oauth = OAuthSettings(
            accessTokenLifetimeSec: try sources.integer(.accessTokenLifetimeSec),
            accessTokenLifetimeSecMax: tokenLifetimeSecMax,
            refreshTokenLifetimeSec: try sources.integer(.refreshTokenLifetimeSec),
            authorizationCodeLifetimeSec: try sources.integer(.authCodeLifetimeSec),
            deviceCodeLifetimeSec: try sources.integer(.deviceCodeLifetimeSec),
            devicePollIntervalSec: try sources.integer(.devicePollIntervalSec), loginURL: try loginURL(),
            sessionLifetimeSec: try sources.integer(.sessionLifetimeSec))

        audit = AuditSettings(
            subjectClaim: try text(.auditSubjectClaim).map { claim in
                guard (1...64).contains(claim.utf8.count), claim.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                    throw ValidationError("--audit-subject-claim must be a claim name of 1 to 64 ASCII characters")
                }
                return claim
            },
            subjectIdType: try text(.auditSubjectIdType).map { type in
                guard (1...256).contains(type.utf8.count) else {
                    throw ValidationError("--audit-subject-id-type must be 1 to 256 bytes")
                }
                return type
            } ?? AuditSettings.bsnIdType)

        let meansText = try textOrDefault(.signingMeans)
        var means: Set<SigningSession.Means> = []
        for word in meansText.split(separator: ",", omittingEmptySubsequences: true) {
            let name = word.trimmingCharacters(in: .whitespaces).lowercased()
            guard let one = SigningSession.Means(rawValue: name) else {
                throw ValidationError(
                    "--signing-means: \"\(name.prefix(40))\" is not a means (employeeid, dummy)")
            }
            means.insert(one)
        }
        let contractZone = try textOrDefault(.contractTimeZone)
        guard let timeZone = TimeZone(identifier: contractZone) else {
            throw ValidationError("--contract-time-zone: \(contractZone.prefix(64)) is not an IANA time zone")
        }
        nuts = NutsSettings(
            signingMeans: means, accessTokenLifetimeSec: try sources.integer(.nutsAccessTokenLifetimeSec),
            signingSessionLifetimeSec: try sources.integer(.signingSessionLifetimeSec),
            contractValiditySec: try sources.integer(.contractValiditySec), timeZone: timeZone, publicURL: "")

        dauthPublicKeyPath = try text(.dauthPublicKey)
        dauthAllowedIPs = Set(try sources.list(.dauthAllowedIPs)?.value ?? [])
        dauthMaxAgeSec = Int(try sources.integer(.dauthMaxAgeSec))
        if dauthPublicKeyPath != nil && dauthAllowedIPs.isEmpty {
            throw ValidationError("--dauth-public-key needs at least one --dauth-allowed-ip: DAuth is accepted only from listed addresses")
        }
        for ip in dauthAllowedIPs where ip.isEmpty || ip.utf8.count > 64 || ip.contains(where: \.isWhitespace) {
            throw ValidationError("--dauth-allowed-ip: \"\(ip.prefix(64))\" is not an address")
        }

        switch try sources.choice(.wallet) {
        case "upstream":
            guard let url = try text(.upstreamUrl), let parsed = URL(string: url),
                parsed.scheme == "https" || parsed.scheme == "http", parsed.host != nil
            else { throw ValidationError("--wallet upstream needs --upstream-url http(s)://host/…") }
            guard let token = try text(.upstreamToken) else {
                throw ValidationError("--wallet upstream needs --upstream-token")
            }
            wallet = .upstream(baseURL: url, token: token)
        default:
            wallet = .demo(
                startingBalanceMsat: try sources.integer(.demoBalanceMsat), feeMsat: try sources.integer(.demoFeeMsat))
        }

        if let origin = try text(.gatewayOrigin) {
            gateway = Gateway(
                origin: origin, routesPath: try text(.gatewayRoutes), timeoutSec: try sources.integer(.gatewayTimeoutSec))
        }
        let endpoints = try sources.list(.clearAuthEndpoints)?.value ?? []
        if !endpoints.isEmpty {
            let ratePerMinute = Int(try sources.integer(.clearAuthRatePerMin))
            clearAuth = ClearAuth(
                endpoints: endpoints, clientId: try textOrDefault(.clearAuthClientId),
                discoveryURL: try text(.clearAuthDiscovery), ratePerMinute: ratePerMinute)
        }
    }

    var databasePath: String { (dataDirectory as NSString).appendingPathComponent("ledger.sqlite") }
}
