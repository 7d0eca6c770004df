import Foundation
import Testing

/// Issue 15's read-only store: `tools/read_only.py` puts the real binary's data on a small ext4
/// image (a loop device, which needs root) mounted `errors=remount-ro`, and forces the error a
/// failing disk raises, so the filesystem turns read-only under the running server. Writes then
/// answer 503 with a clear error, reads go on (the audit log's excepted), and after the repair
/// (fsck, mount read-write) every write answered 201 is in the log and `verify` passes. A server,
/// `replay` and `backup` on a read-only filesystem refuse and say why, leaving the ledger as it was.
@Suite struct ReadOnlyTests {
    @Test func onAFilesystemTurnedReadOnlyWritesAnswer503AndNothingAnsweredIsLost() async throws {
        try await expectFaultToolPasses("read_only.py")
    }
}
