import Foundation
import Testing

/// Runs one of `tools/`'s fault scripts against the real binary. It must exit 0 having printed
/// "0 failed", or say SKIP where it cannot make its filesystem (it mounts one, which needs root).
func expectFaultToolPasses(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let path = PythonClientTests.packageRoot.appendingPathComponent("tools/\(script)").path
    let (status, output) = try await runToCompletion(
        URL(fileURLWithPath: "/usr/bin/env"), ["python3", path, "--binary", ServerProcess.binary.path])
    print(output)
    #expect(status == 0, "\(output)", sourceLocation: sourceLocation)
    #expect(
        output.hasPrefix("SKIP") || output.split(separator: "\n").contains("0 failed"), "\(output)",
        sourceLocation: sourceLocation)
}
