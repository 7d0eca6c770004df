import Foundation
import GRDB

extension Ledger {
    /// Copies the whole database (log, projections, checkpoints, triggers) to a new file as of one
    /// moment, with `VACUUM INTO`: a read of one snapshot, so a running server's writer is not
    /// held up, and the copy is compacted and needs no WAL file beside it. Answers the copy's head.
    public func backup(to path: String) throws -> Int64 {
        let headSeq = try eventCount()
        try database.writeWithoutTransaction { db in
            // VACUUM INTO refuses an existing file, which is what a backup wants too.
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
        // The copy may hold a batch the writer committed and has not synced yet (this process's
        // or a server's on the same file). Every batch in it was committed before the copy read
        // it, so a sync now puts them all on the disk: the copy holds nothing a power cut could
        // take back from the ledger, whose seqs would then be other events'.
        try writer.syncWAL()
        return try Self.headSeq(ofFile: path) ?? headSeq
    }

    /// The newest seq in a ledger file, read without migrating or changing it.
    public static func headSeq(ofFile path: String) throws -> Int64? {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM events") }
    }
}
