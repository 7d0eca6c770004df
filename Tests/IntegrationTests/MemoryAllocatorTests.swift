import Foundation
import Testing

/// The `grantledger` executable links Debian's mimalloc ahead of the C library (Package.swift,
/// CMimalloc), so every allocation in the server is mimalloc's; if the link order changed and the
/// C library's malloc came first, the binary would still run, slower, and only this would say so.
@Suite struct MemoryAllocatorTests {
    @Test func theServerRunsOnMimallocAsItsMalloc() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess(dataDirectory: directory)
        defer { server.stop() }
        let printed = try #require(await server.printed(containing: "  allocator:"), "no allocator line in the banner")
        let line = try #require(printed.split(separator: "\n").first { $0.hasPrefix("  allocator:") })
        // mimalloc's own check of a block from the process's malloc, reported as "mimalloc 2.0.9".
        #expect(line.range(of: #"^  allocator: +mimalloc \d+\.\d+\.\d+$"#, options: .regularExpression) != nil, "\(line)")
    }
}
