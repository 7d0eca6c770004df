import Hummingbird
import LedgerDemo
import Logging
import ServiceLifecycle

/// The built-in mock origin, already listening when the gateway is built: it binds a port the
/// system picks, and the gateway forwards to the port it holds. (A port picked free, released and
/// bound again once the server's services started was now and then taken in between by another
/// process's socket, and the server exited right after it printed where it listened.)
///
/// It runs in a service group of its own, started here. As one of the server's services it passes
/// that group's graceful shutdown on, which comes after the server's own (the server is last in
/// its list), so requests the gateway still forwards are answered; if the origin fails, its error
/// ends the server as any service's does.
struct MockOriginListener: Service {
    let baseURL: String
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    static func start(logger: Logger) async throws -> MockOriginListener {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let application = MockOrigin.buildApplication(port: 0, logger: logger) { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let running = Task {
            defer { portSink.finish() }
            try await group.run()
        }
        guard let port = await ports.first(where: { _ in true }) else {
            // It ended before it listened, and its error says why; or this task was cancelled
            // while it started, and the cancellation ends it (a task's value does not pass
            // cancellation on).
            running.cancel()
            try await running.value
            throw CLIError("the mock origin stopped before it listened")
        }
        let listener = MockOriginListener(baseURL: "http://127.0.0.1:\(port)", group: group, running: running)
        guard port > 0 else {
            await listener.stop()
            throw CLIError("the mock origin listens on an address without a port")
        }
        return listener
    }

    /// Stops it outside a service group: for a setup that fails after the origin started.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }

    func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await running.value
            } onGracefulShutdown: {
                Task { await group.triggerGracefulShutdown() }
            }
        } onCancel: {
            running.cancel()
        }
    }
}
