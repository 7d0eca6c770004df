import LedgerApp
import LedgerCore
import LedgerDemo
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import LedgerAuth
import LedgerHTTP
import Logging
import NIOCore
import ServiceLifecycle

/// Flags of the scope gateway and the NUT-21 protected endpoints.
struct GatewayOptions: ParsableArguments {
    @Option(
        help:
            "Origin the gateway forwards to, e.g. http://127.0.0.1:3000, or `mock` for the built-in mock origin (env GRANTLEDGER_GATEWAY_ORIGIN; default none: no gateway)."
    )
    var gatewayOrigin: String?

    @Option(
        help:
            "JSON route table {\"routes\": [{method, path, scope, spend?}]} (env GRANTLEDGER_GATEWAY_ROUTES; default Alby's example table)."
    )
    var gatewayRoutes: String?

    @Option(help: "Seconds the origin has to answer (env GRANTLEDGER_GATEWAY_TIMEOUT_SEC; default 30).")
    var gatewayTimeoutSec: Int?

    @Option(
        name: .customLong("clear-auth-endpoint"),
        help:
            "NUT-21 protected endpoint \"METHOD /path\" or \"METHOD /prefix/*\"; repeatable (env GRANTLEDGER_CLEAR_AUTH_ENDPOINTS, comma-separated)."
    )
    var clearAuthEndpoints: [String] = []

    @Option(
        help:
            "Client id a Clear-auth token must be issued to (env GRANTLEDGER_CLEAR_AUTH_CLIENT_ID; default cashu-client)."
    )
    var clearAuthClientId: String?

    @Option(
        help:
            "OpenID discovery URL of an external issuer of Clear-auth tokens (env GRANTLEDGER_CLEAR_AUTH_DISCOVERY; default this ledger's own tokens)."
    )
    var clearAuthDiscovery: String?

    @Option(help: "Clear-auth requests per minute per sub (env GRANTLEDGER_CLEAR_AUTH_RATE_PER_MIN; default 60).")
    var clearAuthRatePerMin: Int?

    /// Redirects and decompression off, as the forwarder requires; lives as long as the process.
    static let originClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: GatewayForwarder.httpClientConfiguration())
    static let discoveryClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    struct Setup {
        var gateway: GatewaySettings?
        var clearAuth: ClearAuthSettings?
        /// The mock origin's server, when `--gateway-origin mock`.
        var services: [any Service] = []
        var originDescription: String?
    }

    func setup(bodyBytesMax: Int, logger: Logger) async throws -> Setup {
        var result = Setup()
        if let origin = gatewayOrigin ?? Environment.value("GRANTLEDGER_GATEWAY_ORIGIN") {
            let routes: GatewayRouteTable
            if let path = gatewayRoutes ?? Environment.value("GRANTLEDGER_GATEWAY_ROUTES") {
                do { routes = try GatewayRouteTable.load(jsonFile: path) } catch {
                    throw ValidationError("--gateway-routes: \(error.description)")
                }
            } else {
                routes = GatewayRouteTable.albyExample
            }
            var baseURL = origin
            if origin == "mock" {
                let port = try FreePort.loopback()
                baseURL = "http://127.0.0.1:\(port)"
                result.services.append(
                    MockOrigin.buildApplication(port: port, logger: Logger(label: "grantledger.mock-origin")))
                result.originDescription = "\(baseURL) (built-in mock origin)"
            } else {
                result.originDescription = baseURL
            }
            let timeout = try Environment.int(gatewayTimeoutSec, "GRANTLEDGER_GATEWAY_TIMEOUT_SEC", default: 30)
            guard (1...600).contains(timeout) else { throw ValidationError("--gateway-timeout-sec must be 1 to 600") }
            do {
                result.gateway = GatewaySettings(
                    routes: routes,
                    forwarder: try GatewayForwarder(
                        originBaseURL: baseURL, httpClient: Self.originClient, timeout: .seconds(Int64(timeout)),
                        responseBytesMax: 4 << 20))
            } catch {
                throw ValidationError("--gateway-origin: \(error.description)")
            }
        }
        let lines = Environment.list(clearAuthEndpoints, "GRANTLEDGER_CLEAR_AUTH_ENDPOINTS")
        if !lines.isEmpty {
            let endpoints: ProtectedEndpoints
            do { endpoints = try ProtectedEndpoints(parsing: lines) } catch {
                throw ValidationError("--clear-auth-endpoint: \(error.reason)")
            }
            let clientId = clearAuthClientId ?? Environment.value("GRANTLEDGER_CLEAR_AUTH_CLIENT_ID") ?? "cashu-client"
            let rate = try Environment.int(clearAuthRatePerMin, "GRANTLEDGER_CLEAR_AUTH_RATE_PER_MIN", default: 60)
            guard (1...100_000).contains(rate) else {
                throw ValidationError("--clear-auth-rate-per-min must be 1 to 100000")
            }
            var issuer = ClearAuthSettings.Issuer.own
            if let discovery = clearAuthDiscovery ?? Environment.value("GRANTLEDGER_CLEAR_AUTH_DISCOVERY") {
                do {
                    issuer = .external(
                        try await ClearAuthVerifier.discover(
                            discoveryURL: discovery, httpClient: Self.discoveryClient, clientId: clientId),
                        discoveryURL: discovery)
                } catch let error as TokenVerificationError {
                    throw CLIError("--clear-auth-discovery: \(error.reason)")
                }
            }
            result.clearAuth = ClearAuthSettings(
                endpoints: endpoints, clientId: clientId, issuer: issuer, ratePerMinute: rate, burst: max(1, rate / 3))
        }
        return result
    }
}

/// A free loopback port for the mock origin, whose URL the gateway must know before it starts.
/// The port is released before the mock binds it; on a busy machine another process could take
/// it in between, and the mock then fails to start loudly.
enum FreePort {
    static func loopback() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CLIError("cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw CLIError("cannot find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
