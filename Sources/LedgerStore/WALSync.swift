#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the write-ahead log durable for commits that did not sync it themselves. With
/// `synchronous = full` the writer's batches commit with SQLite's `NORMAL` (the WAL's frames are
/// written, not synced) and a batch is answered only once `sync()` has returned: the
/// writer runs its next batch while the disk syncs the last one, where SQLite's `FULL` held the
/// writer for each `fdatasync` (0.7 ms a commit under a keysend load here, a third of the
/// writer's time).
///
/// `fdatasync` of a descriptor of our own: on Linux it flushes the file's dirty pages whichever
/// descriptor wrote them. SQLite keeps one WAL file (the same inode) while any connection is
/// open, and the writer's stays open as long as the ledger; it truncates and rewrites the file
/// in place, never replaces it. Written by hand: GRDB and SQLite offer no call that syncs a
/// WAL without writing to it.
final class WALSync: WALSyncing {
    let path: String
    private let descriptor: Int32

    /// Opens the WAL of the database at `databasePath` (`<path>-wal`), which must exist: the
    /// writer's connection has made it by the time the ledger is open.
    init(databasePath: String) throws {
        path = databasePath + "-wal"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WALSyncError(operation: "open", path: path, code: errno) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Returns once every frame written to the WAL before the call is on the disk.
    package func sync() throws {
        while fdatasync(descriptor) != 0 {
            guard errno == EINTR else { throw WALSyncError(operation: "fdatasync", path: path, code: errno) }
        }
    }
}

/// What the writer calls to make its commits durable before answering them: `WALSync`, or a
/// test's wrapping of it (`Ledger.Options.wrapWALSync`).
package protocol WALSyncing: Sendable {
    func sync() throws
}

/// A WAL that could not be opened or synced, with the system's reason.
struct WALSyncError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let code: Int32

    var description: String { "\(operation) of \(path) failed: \(String(cString: strerror(code))) (errno \(code))" }
}
