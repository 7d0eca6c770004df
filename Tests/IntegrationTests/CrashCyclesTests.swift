import Foundation
import Testing

/// Issue 15's crash cycles, short: `tools/crash-cycles.sh 3` kills the real binary with SIGKILL
/// three times at random moments under a mixed load (grants, reserves over and under budget,
/// settles and releases, OAuth client_credentials, audit batches, malformed bodies). After each
/// restart every request answered 2xx is in the log, nothing of one answered 5xx or refused before
/// a decision is, a 4xx decision is only its denial event; then `verify` passes.
@Suite struct CrashCyclesTests {
    @Test func threeKillNineCyclesLoseNothingAnsweredAndKeepNothingRefused() async throws {
        let script = PythonClientTests.packageRoot.appendingPathComponent("tools/crash-cycles.sh").path
        var environment = ProcessInfo.processInfo.environment
        environment["GRANTLEDGER_BINARY"] = ServerProcess.binary.path
        let (status, output) = try await runToCompletion(
            URL(fileURLWithPath: "/bin/bash"), [script, "3", "--seed", "20261130", "--data-dir", try ServerProcess.temporaryDataDirectory()],
            environment: environment)
        print(output)
        #expect(status == 0, "\(output)")
        #expect(output.contains("3 cycles in") && output.contains(", 0 failed"), "\(output)")
        #expect(output.contains("verify: exit 0"), "\(output)")
    }
}
