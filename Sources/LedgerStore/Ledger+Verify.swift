import Foundation
import GRDB

public struct VerifyReport: Sendable {
    public var eventCount: Int64
    public var chainBreak: ChainBreak?
    /// Projections whose live rows differ from a fresh replay, by name.
    public var projectionMismatches: [String]
    public var checksums: [String: String]

    public var isIntact: Bool { chainBreak == nil && projectionMismatches.isEmpty }
}

extension Ledger {
    /// Walks the whole chain and replays it into a scratch in-memory database, then compares
    /// that fresh state with the live projections, all within one read snapshot.
    public func verify(progress: (@Sendable (Int64) -> Void)? = nil) throws -> VerifyReport {
        let projections = self.projections
        return try database.read { db in
            let scratch = try DatabaseQueue()
            try Schema.migrator.migrate(scratch)
            var count: Int64 = 0
            let chainBreak = try scratch.write { scratchDb in
                try ChainWalk.walk(db, progress: progress) { event in
                    try projections.apply(event, scratchDb)
                    count += 1
                }
            }
            if let chainBreak {
                return VerifyReport(eventCount: count, chainBreak: chainBreak, projectionMismatches: [], checksums: [:])
            }
            let live = try projections.checksums(db)
            let fresh = try scratch.read(projections.checksums)
            let mismatches = live.keys.filter { live[$0] != fresh[$0] }.sorted()
            return VerifyReport(eventCount: count, chainBreak: nil, projectionMismatches: mismatches, checksums: live)
        }
    }
}
