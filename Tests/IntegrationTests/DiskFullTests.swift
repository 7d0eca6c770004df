import Foundation
import Testing

/// Issue 15's full disk: `tools/disk_full.py` puts the real binary's data on a small tmpfs (it
/// mounts one, which needs root) and fills it. Writes then answer 503 with a clear error, reads go
/// on (the audit log's excepted: a read of it needs its own record), writing resumes by itself once
/// space returns, and the log holds exactly the writes answered 201; `verify` passes. `backup`
/// and `replay` on the full disk fail and leave the ledger as it was, and a backup that runs out
/// of room part-way through its copy leaves no partial file.
@Suite struct DiskFullTests {
    @Test func onAFullDiskWritesAnswer503ReadsGoOnAndWritingResumesByItself() async throws {
        try await expectFaultToolPasses("disk_full.py")
    }
}
