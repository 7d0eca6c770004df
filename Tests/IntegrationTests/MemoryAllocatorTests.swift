import Foundation
import LedgerTestSupport
import Testing

/// The `grantledger` executable links Debian's mimalloc ahead of the C library (Package.swift,
/// CMimalloc), so every allocation in the server is mimalloc's; if the link order changed and the
/// C library's malloc came first, the binary would still run, slower, and only this would say so.
@Suite struct MemoryAllocatorTests {
    /// Linux only: the Makefile installs Debian's libmimalloc-dev, and only ELF's loader lets a
    /// linked library's malloc stand in for the C library's.
    @Test(.enabled(if: runsOnLinux)) func theServerRunsOnMimallocAsItsMalloc() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await ServerProcess(dataDirectory: directory)
        defer { server.stop() }
        let printed = try #require(await server.printed(containing: "  allocator:"), "no allocator line in the banner")
        let line = try #require(printed.split(separator: "\n").first { $0.hasPrefix("  allocator:") })
        // The malloc the loader bound for the process is mimalloc's, reported as "mimalloc 2.0.9",
        // with the delay set when the program is loaded (GET /health was 8 % slower at 2.0's
        // 25 ms), or the one this environment gives mimalloc (the server inherits it).
        let delayMs = ProcessInfo.processInfo.environment["MIMALLOC_DECOMMIT_DELAY"] ?? "1000"
        #expect(
            line.range(
                of: #"^  allocator: +mimalloc \d+\.\d+\.\d+; empty pages returned to the system after "#
                    + NSRegularExpression.escapedPattern(for: delayMs) + " ms$",
                options: .regularExpression) != nil, "\(line)")
    }
}
