import GRDB
import LedgerCore
import Synchronization

/// The audit terms' codes the writer has read or drawn, so that a record does not look its eight
/// terms up in `audit_terms` each time: in a keysend load those look-ups were 8 of the 21
/// statements a command ran.
///
/// A code is handed out from memory only while the writer knows it stands:
/// - codes drawn or first read in a command whose savepoint is rolled back are forgotten with it
///   (`commandRolledBack`): a drawn one no longer exists, and the next term would get its number;
/// - a batch whose transaction fails forgets everything (`forgetAll`);
/// - when another connection has committed since the writer's last batch (another process
///   recording an export, a `replay` run against the file), everything is forgotten
///   (`beginBatch`, by SQLite's `PRAGMA data_version`);
/// - writes to the trail on the writer's own connection outside its commands (an in-place
///   replay in this process) call `forgetAll`.
///
/// Only the writer's commands use it; replays code terms with their own memo, and reads look
/// terms up as before.
package final class AuditTermCodes: Sendable {
    /// Terms kept at most; the oldest kept is forgotten first (it is then read again).
    static let capacity = 65_536

    private struct State {
        /// By bytes, as `audit_terms` tells terms apart: "é" and "e" with a combining accent are
        /// equal Strings but two terms (`ByteKey`).
        var codes = BoundedMap<ByteKey, Int64>(capacity: AuditTermCodes.capacity)
        /// Terms kept since the current command began: forgotten if it rolls back.
        var keptInCommand: [ByteKey] = []
        /// `PRAGMA data_version` as the writer's connection last read it.
        var dataVersion: Int64?
    }

    private let state = Mutex(State())

    package init() {}

    /// The term's code: kept, found in `audit_terms`, or drawn now.
    func code(_ term: String, _ db: Database) throws -> Int64 {
        let key = ByteKey(term)
        if let code = state.withLock({ $0.codes[key] }) { return code }
        let code = try AuditTerms.code(term, db)
        state.withLock { state in
            state.codes[key] = code
            state.keptInCommand.append(key)
        }
        return code
    }

    /// At the start of a batch, inside its transaction: forgets every code when a connection
    /// other than this one has committed since the last batch.
    func beginBatch(_ db: Database) throws {
        let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        state.withLock { state in
            if state.dataVersion != version {
                state.codes = BoundedMap(capacity: Self.capacity)
                state.dataVersion = version
            }
            state.keptInCommand.removeAll(keepingCapacity: true)
        }
    }

    /// The command's savepoint was released: what it kept stands with the batch.
    func commandReleased() {
        state.withLock { $0.keptInCommand.removeAll(keepingCapacity: true) }
    }

    /// The command's savepoint was rolled back: the codes it drew no longer exist.
    func commandRolledBack() {
        state.withLock { state in
            for term in state.keptInCommand { state.codes[term] = nil }
            state.keptInCommand.removeAll(keepingCapacity: true)
        }
    }

    /// Nothing kept is vouched for any more: a failed batch, or the trail rewritten in place.
    package func forgetAll() {
        state.withLock { state in
            state.codes = BoundedMap(capacity: Self.capacity)
            state.keptInCommand.removeAll()
            state.dataVersion = nil
        }
    }

    /// How many codes are kept (for tests).
    var keptCount: Int { state.withLock { $0.codes.count } }
}
