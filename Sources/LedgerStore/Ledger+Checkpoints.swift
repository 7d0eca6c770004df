import Crypto
import Foundation
import GRDB
import LedgerCore

/// Records a checkpoint key's public half in the log, once: a key already recorded records nothing.
public struct RecordCheckpointKey: LedgerCommand {
    public let kid: String
    public let publicJWK: [String: String]

    public init(publicKey: P256.Signing.PublicKey) {
        self.kid = CheckpointJWS.thumbprint(of: publicKey)
        self.publicJWK = CheckpointJWS.publicJWK(of: publicKey)
    }

    public var name: String { "RecordCheckpointKey" }
    public var stream: String { CheckpointKeyAdded.stream }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        // The stream holds one small event per key ever used: reading it is an index range scan.
        let recorded = try Ledger.checkpointKeys(db)
        guard !recorded.contains(where: { $0.kid == kid }) else { return .success([]) }
        return .success([CheckpointKeyAdded(kid: kid, publicJWK: publicJWK, addedAtMs: nowMs)])
    }
}

extension Ledger {
    /// Records the key that signs checkpoints as a `CheckpointKeyAdded` event on `checkpoint-keys`,
    /// unless it is recorded already. True when it was recorded now.
    @discardableResult
    public func recordCheckpointKey(_ publicKey: P256.Signing.PublicKey, _ context: WriteContext) async throws -> Bool {
        switch try await submit(try envelope(RecordCheckpointKey(publicKey: publicKey), context)) {
        case .accepted(let events, _): return !events.isEmpty
        case .rejected(let rejection, _):
            throw LedgerError(code: .storage, message: "the checkpoint key was refused: \(rejection)")
        }
    }

    /// Every checkpoint key the log records, oldest first.
    public func checkpointKeys() throws -> [CheckpointKeyAdded] {
        try database.read(Self.checkpointKeys)
    }

    /// The newest checkpoint, or nil when none was written yet.
    public func latestCheckpoint() throws -> Checkpoint? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT jws FROM checkpoints ORDER BY seq DESC LIMIT 1")
        }.map(Checkpoint.init(jws:))
    }

    /// This ledger's stable id: the hex hash of its first event, which every later event's hash
    /// depends on. Nil while the log is empty.
    public func ledgerId() throws -> String? {
        try database.read(Self.ledgerId)
    }

    /// Signs the chain head as it is committed now and stores the checkpoint. Nil (and nothing
    /// written) when the log is empty or the head is checkpointed already. The head is read from a
    /// snapshot and signed outside any transaction; only the insert takes the write lock.
    @discardableResult
    public func writeCheckpoint(_ signer: CheckpointSigner) async throws -> Checkpoint? {
        let (head, ledgerId, checkpointed) = try await database.read { db in
            (try ChainHead.load(db), try Self.ledgerId(db), try Self.checkpointedSeq(db))
        }
        guard let ledgerId, head.seq > checkpointed else { return nil }
        let recordedAtMs = clock().unixMs
        let checkpoint = try signer.sign(
            CheckpointPayload(
                ledgerId: ledgerId, seq: head.seq, hash: Hex.encode(head.hash),
                recordedAt: RFC3339.string(unixMs: recordedAtMs)))
        let writerMemory = self.writerMemory
        try await database.write { db in
            let changesBefore = db.totalChangesCount
            try db.execute(
                sql: "INSERT OR IGNORE INTO checkpoints (seq, hash, recorded_at_ms, kid, jws) VALUES (?, ?, ?, ?, ?)",
                arguments: [checkpoint.seq, checkpoint.hash, recordedAtMs, signer.kid, checkpoint.jws])
            // About once a second under load: the writer's memory need not be forgotten for it.
            writerMemory.unrelatedWrite(db, changesBefore: changesBefore)
        }
        return checkpoint
    }

    /// The newest checkpoint's seq, 0 when none was written yet.
    public func checkpointedSeq() throws -> Int64 {
        try database.read(Self.checkpointedSeq)
    }

    /// The chain head as the writer commits it, for a service that waits for it to move without
    /// polling the database: the ledger's one watch, brought up to the head as read now (rows
    /// another process appended since the writer's last commit, or before its first). Rows another
    /// process appends later reach it with the writer's next batch, which reads the head afresh.
    package func watchHead() async throws -> HeadWatch {
        headWatch.publish(try await database.read { db in try ChainHead.load(db).seq })
        return headWatch
    }

    static func checkpointKeys(_ db: Database) throws -> [CheckpointKeyAdded] {
        try Row.fetchAll(
            db,
            sql: "SELECT type, type_version, data, recorded_at FROM events WHERE stream IN (?, ?, ?) ORDER BY stream_version",
            arguments: EventKeyStorage.forms(ofStream: CheckpointKeyAdded.stream)
        ).compactMap { row in
            guard let type = EventTypeStorage.name(row[0]), type == CheckpointKeyAdded.type else { return nil }
            let prefix = EventStorageCodec.contextPrefix(stream: CheckpointKeyAdded.stream, recordedAtMs: row[3])
            let data = try row.withUnsafeData(atIndex: 2) { $0.map { RecordedEvent.json($0, prefix: prefix) } ?? Data() }
            return try EventPayload(type: type, typeVersion: row[1], data: data).decode(as: CheckpointKeyAdded.self)
        }
    }

    static func ledgerId(_ db: Database) throws -> String? {
        try Data.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = 1").map { Hex.encode($0) }
    }

    static func checkpointedSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(seq), 0) FROM checkpoints") ?? 0
    }
}
