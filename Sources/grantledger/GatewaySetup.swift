import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerDemo
import Logging
import ServiceLifecycle

/// The scope gateway and the NUT-21 protected endpoints, built from the configuration: route
/// table loaded, mock origin started when asked for, external issuer discovered.
struct GatewaySetup {
    var gateway: GatewaySettings?
    var clearAuth: ClearAuthSettings?
    /// The mock origin's server, when the origin is `mock`.
    var services: [any Service] = []
    var originDescription: String?

    /// Redirects and decompression off, as the forwarder requires; lives as long as the process.
    static let originClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: GatewayForwarder.httpClientConfiguration())
    static let discoveryClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    init(_ configuration: ServeConfiguration) async throws {
        // Clear auth first and the gateway last: the mock origin starts a listener, and nothing
        // after it may refuse a setting and leave that listener running.
        if let options = configuration.clearAuth {
            let endpoints: ProtectedEndpoints
            do { endpoints = try ProtectedEndpoints(parsing: options.endpoints) } catch {
                throw ValidationError("--clear-auth-endpoint: \(error.reason)")
            }
            var issuer = ClearAuthSettings.Issuer.own
            if let discovery = options.discoveryURL {
                do {
                    issuer = .external(
                        try await ClearAuthVerifier.discover(
                            discoveryURL: discovery, httpClient: Self.discoveryClient, clientId: options.clientId),
                        discoveryURL: discovery)
                } catch let error as TokenVerificationError {
                    throw CLIError("--clear-auth-discovery: \(error.reason)")
                }
            }
            clearAuth = ClearAuthSettings(
                endpoints: endpoints, clientId: options.clientId, issuer: issuer, ratePerMinute: options.ratePerMinute,
                burst: max(1, options.ratePerMinute / 3))
        }
        if let options = configuration.gateway {
            let routes: GatewayRouteTable
            if let path = options.routesPath {
                do { routes = try GatewayRouteTable.load(jsonFile: path) } catch {
                    throw ValidationError("--gateway-routes: \(error.description)")
                }
            } else {
                routes = GatewayRouteTable.albyExample
            }
            var baseURL = options.origin
            var mockOrigin: MockOriginListener?
            if options.origin == "mock" {
                let origin = try await MockOriginListener.start(logger: Logger(label: "grantledger.mock-origin"))
                mockOrigin = origin
                baseURL = origin.baseURL
                services.append(origin)
                originDescription = "\(baseURL) (built-in mock origin)"
            } else {
                originDescription = baseURL
            }
            do {
                gateway = GatewaySettings(
                    routes: routes,
                    forwarder: try GatewayForwarder(
                        originBaseURL: baseURL, httpClient: Self.originClient, timeout: .seconds(options.timeoutSec),
                        responseBytesMax: GatewaySettings.originResponseBytesMax))
            } catch {
                await mockOrigin?.stop()
                throw ValidationError("--gateway-origin: \(error.description)")
            }
        }
    }
}
