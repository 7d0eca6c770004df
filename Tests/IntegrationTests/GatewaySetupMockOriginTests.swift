import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import grantledger

/// The built-in mock origin holds the port the gateway forwards to from the moment the gateway is
/// set up. A port picked free, released and bound again later was now and then taken in between
/// by another process's socket, and the server exited right after it printed where it listened.
@Suite struct GatewaySetupMockOriginTests {
    /// A minute's limit: a listener that missed the graceful shutdown would hang the test instead.
    @Test(.timeLimit(.minutes(1)))
    func theMockOriginListensOnTheGatewaysOriginWhenTheSetupReturnsAndStopsWithItsServices() async throws {
        let configuration = try ServeConfiguration(
            SettingSources(flags: [:], environment: ["GRANTLEDGER_GATEWAY_ORIGIN": "mock"]))
        let setup = try await GatewaySetup(configuration)
        let description = try #require(setup.originDescription)
        // "http://127.0.0.1:PORT (built-in mock origin)": the URL the gateway forwards to.
        let port = try #require(
            description.split(separator: " ").first.flatMap { URLComponents(string: String($0))?.port }, "\(description)")

        // Only the setup has run: the server's services (the origin among them) have not.
        #expect(loopbackAccepts(port: port), "nothing listens on the gateway's origin \(description)")

        let group = ServiceGroup(services: setup.services, logger: Logger(label: "test.mock-origin"))
        let running = Task { try await group.run() }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!loopbackAccepts(port: port), "the origin still listens after its services stopped")
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted.
    private func loopbackAccepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
