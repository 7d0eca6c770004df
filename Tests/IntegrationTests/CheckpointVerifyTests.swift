import Crypto
import Foundation
import GRDB
import Testing

@testable import LedgerStore

/// `grantledger verify` against signed checkpoints, on ledgers written by the real server and then
/// tampered with the way someone with the file (but without the checkpoint key) could.
@Suite(.serialized) struct CheckpointVerifyTests {
    /// Four grants on a fresh server, stopped gracefully. seq 1 is the admin credential, seq 2 the
    /// checkpoint key, seq 3…6 grant "App 0"…"App 3"; the shutdown checkpoint is at seq 6.
    func history() async throws -> String {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory)
        for index in 0..<4 {
            let (status, _) = try await runCurlLike(
                "POST", "\(server.baseURL)/admin/connections",
                body: #"{"user_id":"user-1","name":"App \#(index)","scopes":["get_info"]}"#)
            #expect(status == 201)
        }
        #expect(await server.stop() == 0)
        return directory
    }

    func database(_ directory: String) throws -> DatabaseQueue {
        try DatabaseQueue(path: directory + "/ledger.sqlite")
    }

    func verify(_ directory: String, checkpoint: String? = nil) async throws -> (status: Int32, output: String) {
        try await runCLI(["verify", "--data-dir", directory] + (checkpoint.map { ["--checkpoint", $0] } ?? []))
    }

    @Test func aCleanLedgerWithCheckpointsVerifiesAndTheLastOneIsSignedAtShutdown() async throws {
        let directory = try ServerProcess.temporaryDataDirectory()
        let server = try await ServerProcess(dataDirectory: directory)
        let (status, _) = try await runCurlLike(
            "POST", "\(server.baseURL)/admin/connections", body: #"{"user_id":"u","name":"n","scopes":["get_info"]}"#)
        #expect(status == 201)
        // Within a second of the head moving, while the server runs: seq 3, the grant.
        var checkpointed: Int64 = 0
        for _ in 0..<40 where checkpointed < 3 {
            try await Task.sleep(for: .milliseconds(100))
            checkpointed = try await database(directory).read { db in
                try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(seq), 0) FROM checkpoints") ?? 0
            }
        }
        #expect(checkpointed == 3)
        let (second, _) = try await runCurlLike(
            "POST", "\(server.baseURL)/admin/connections", body: #"{"user_id":"u","name":"m","scopes":["get_info"]}"#)
        #expect(second == 201)
        #expect(await server.stop() == 0)

        let keyFiles = try FileManager.default.contentsOfDirectory(atPath: directory + "/keys")
            .filter { $0.hasPrefix("checkpoint-es256-") && $0.hasSuffix(".pem") }
        #expect(keyFiles.count == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/keys/" + keyFiles[0])[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)

        // A restart records the key no second time.
        let restarted = try await ServerProcess(dataDirectory: directory)
        #expect(await restarted.stop() == 0)
        let (keyEvents, newest) = try await database(directory).read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE type IN (?, ?)", arguments: StatementArguments(EventTypeStorage.storedForms(ofType: "CheckpointKeyAdded"))) ?? 0,
                try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM checkpoints") ?? 0
            )
        }
        #expect(keyEvents == 1)
        #expect(newest == 4, "the shutdown checkpoint covers the second grant")

        let result = try await verify(directory)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK: 4 events, hash chain intact, append-only triggers in place, "))
        #expect(result.output.contains("stored checkpoints match (newest at seq 4, "), "\(result.output)")

        let kept = try keepLatestCheckpoint(directory)
        let withFile = try await verify(directory, checkpoint: kept)
        #expect(withFile.status == 0, "\(withFile.output)")
        #expect(withFile.output.contains("checkpoint in \(kept) matches: seq 4"), "\(withFile.output)")
    }

    /// (a) Rows rewritten from seq 4 on with every hash recomputed: the chain adds up again, only
    /// the checkpoints signed before the rewrite no longer match.
    @Test func aLogRewrittenWithRecomputedHashesFailsVerifyOnItsCheckpoints() async throws {
        let directory = try await history()
        try await rewrite(directory, fromSeq: 4) { $0.replacingOccurrences(of: "App 1", with: "App X") }
        let replay = try await runCLI(["replay", "--data-dir", directory])
        #expect(replay.status == 0, "\(replay.output)")

        let firstPastTheRewrite = try await database(directory).read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM checkpoints WHERE seq >= 4")
        }
        #expect(firstPastTheRewrite != nil)
        let failed = try await verify(directory)
        #expect(failed.status == 1)
        #expect(
            failed.output.contains(
                "FAILED: stored checkpoint at seq \(firstPastTheRewrite ?? 0) does not match the log: the event at seq \(firstPastTheRewrite ?? 0) has hash"
            ), "\(failed.output)")
        #expect(failed.output.contains("the log was rewritten at or before seq"))
        #expect(!failed.output.contains("hash chain broken"))
        #expect(!failed.output.contains("projections differ"))

        // Without its checkpoints the recomputed chain would pass: they are what caught it.
        try await database(directory).write { db in try db.execute(sql: "DELETE FROM checkpoints") }
        let unchecked = try await verify(directory)
        #expect(unchecked.status == 0, "\(unchecked.output)")
        #expect(unchecked.output.contains("no stored checkpoints"))
    }

    /// (b) The tail cut off below a checkpoint kept elsewhere, the stored checkpoints past the cut
    /// deleted too: only the kept one shows it.
    @Test func aLogCutBackBelowAKeptCheckpointFailsVerify() async throws {
        let directory = try await history()
        let kept = try keepLatestCheckpoint(directory)
        try await database(directory).write { db in
            let trigger = try #require(
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_delete'"))
            try db.execute(sql: "DROP TRIGGER events_refuse_delete")
            try db.execute(sql: "DELETE FROM events WHERE seq > 4")
            try db.execute(sql: "DELETE FROM checkpoints WHERE seq > 4")
            try db.execute(sql: trigger)
        }
        #expect(try await runCLI(["replay", "--data-dir", directory]).status == 0)
        let alone = try await verify(directory)
        #expect(alone.status == 0, "without the kept checkpoint the cut does not show: \(alone.output)")

        let failed = try await verify(directory, checkpoint: kept)
        #expect(failed.status == 1)
        #expect(
            failed.output.contains(
                "FAILED: the checkpoint in \(kept) (seq 6) does not match the log: it is beyond the log's head at seq 4: the log was cut back"
            ), "\(failed.output)")
    }

    /// (c) The append-only triggers dropped, nothing else touched.
    @Test func aDatabaseWhoseAppendOnlyTriggersWereDroppedFailsVerify() async throws {
        let directory = try await history()
        try await database(directory).write { db in
            for name in ["events_refuse_update", "events_refuse_delete", "events_chain_order"] {
                try db.execute(sql: "DROP TRIGGER \(name)")
            }
        }
        let failed = try await verify(directory)
        #expect(failed.status == 1)
        for name in ["events_chain_order", "events_refuse_delete", "events_refuse_update"] {
            #expect(
                failed.output.contains("FAILED: trigger \(name) is missing: the log is no longer append-only"),
                "\(failed.output)")
        }
        #expect(!failed.output.contains("checkpoint"), "the chain and its checkpoints are intact")
    }

    @Test func aCheckpointWhoseSignatureDoesNotVerifyFails() async throws {
        let directory = try await history()
        let kept = try keepLatestCheckpoint(directory)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kept))) as? [String: Any])
        let forged = flippingTheSignature(of: try #require(json["jws"] as? String))
        json["jws"] = forged
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: kept))
        let file = try await verify(directory, checkpoint: kept)
        #expect(file.status == 1)
        #expect(
            file.output.contains("(seq 6) does not match the log: the ES256 signature does not verify with key"),
            "\(file.output)")

        try await database(directory).write { db in
            try db.execute(sql: "UPDATE checkpoints SET jws = ? WHERE seq = 6", arguments: [forged])
        }
        let stored = try await verify(directory)
        #expect(stored.status == 1)
        #expect(
            stored.output.contains(
                "FAILED: stored checkpoint at seq 6 does not match the log: the ES256 signature does not verify"),
            "\(stored.output)")
    }

    @Test func aCheckpointSignedByAKeyTheLogDoesNotRecordFails() async throws {
        let directory = try await history()
        let kept = try keepLatestCheckpoint(directory)
        let genuine = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kept))) as? [String: Any])
        // The same statement (ledger, seq, hash), signed by a key of the forger's own.
        let stranger = P256.Signing.PrivateKey()
        let header = base64URL(Data(#"{"alg":"ES256","kid":"stranger","typ":"checkpoint+jwt"}"#.utf8))
        let payload = try #require((genuine["jws"] as? String)?.split(separator: ".")[1])
        let signature = try stranger.signature(for: Data("\(header).\(payload)".utf8))
        var forged = genuine
        forged["jws"] = "\(header).\(payload).\(base64URL(signature.rawRepresentation))"
        try JSONSerialization.data(withJSONObject: forged).write(to: URL(fileURLWithPath: kept))
        let result = try await verify(directory, checkpoint: kept)
        #expect(result.status == 1)
        #expect(
            result.output.contains("it is signed by stranger, which the log does not record as a checkpoint key"),
            "\(result.output)")
    }

    // MARK: Tampering

    /// Changes `data` of the row at `fromSeq` and recomputes every hash from there on (the
    /// documented chain: SHA-256 over prev_hash ‖ the length-prefixed columns, `data` and `meta`
    /// as their JSON whether stored compact or not, `event_id` and `stream` as their text), then puts the trigger back exactly as it was.
    func rewrite(_ directory: String, fromSeq: Int64, change: @escaping @Sendable (String) -> String) async throws {
        try await database(directory).write { db in
            let trigger = try #require(
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events_refuse_update'"))
            try db.execute(sql: "DROP TRIGGER events_refuse_update")
            var previous = try #require(
                try Data.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [fromSeq - 1]))
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, event_id, idempotency_key, stream, stream_version, type, type_version, data, meta,
                           recorded_at
                    FROM events WHERE seq >= ? ORDER BY seq
                    """, arguments: [fromSeq])
            for row in rows {
                let seq: Int64 = row["seq"]
                let stream = try #require(EventKeyStorage.stream(row["stream"]))
                let prefix = EventStorageCodec.contextPrefix(stream: stream, recordedAtMs: row["recorded_at"])
                let storedData = RecordedEvent.json(row["data"], prefix: prefix)
                let stored = String(decoding: storedData, as: UTF8.self)
                // Kept as text: a compact `meta` may copy from the `data` it was stored beside.
                let meta = String(decoding: RecordedEvent.json(row["meta"], prefix: prefix, previous: storedData), as: UTF8.self)
                let data = seq == fromSeq ? change(stored) : stored
                var hasher = SHA256()
                hasher.update(data: previous)
                hasher.int64(seq)
                // Keys as their text, whichever form the row keeps them in (EventKeyStorage).
                hasher.bytes(try #require(EventKeyStorage.eventId(row["event_id"])))
                if let key = row["idempotency_key"] as String? {
                    hasher.update(data: [1])
                    hasher.bytes(key)
                } else {
                    hasher.update(data: [0])
                }
                hasher.bytes(stream)
                hasher.int64(row["stream_version"])
                hasher.bytes(try #require(EventTypeStorage.name(row["type"])))
                hasher.int64(row["type_version"])
                hasher.bytes(data)
                hasher.bytes(meta)
                hasher.int64(row["recorded_at"])
                let hash = Data(hasher.finalize())
                try db.execute(
                    sql: "UPDATE events SET data = ?, meta = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    arguments: [data, meta, previous, hash, seq])
                previous = hash
            }
            try db.execute(sql: trigger)
        }
    }

    /// The newest stored checkpoint as GET /audit/checkpoints/latest answers it, saved to a file
    /// outside the data directory's database.
    func keepLatestCheckpoint(_ directory: String) throws -> String {
        let jws = try #require(
            try database(directory).read { db in
                try String.fetchOne(db, sql: "SELECT jws FROM checkpoints ORDER BY seq DESC LIMIT 1")
            })
        let payloadPart = String(jws.split(separator: ".")[1])
        let payload = try #require(base64URLDecode(payloadPart))
        var json = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        json["jws"] = jws
        let path = directory + "/kept-checkpoint.json"
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }

    func flippingTheSignature(of jws: String) -> String {
        let parts = jws.split(separator: ".").map(String.init)
        var signature = base64URLDecode(parts[2])!
        signature[signature.startIndex] ^= 0x01
        return "\(parts[0]).\(parts[1]).\(base64URL(signature))"
    }
}

private func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

private func base64URLDecode(_ text: String) -> Data? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    return Data(base64Encoded: base64)
}

extension SHA256 {
    fileprivate mutating func int64(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { update(bufferPointer: $0) }
    }

    fileprivate mutating func bytes(_ text: String) {
        let bytes = Data(text.utf8)
        withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { update(bufferPointer: $0) }
        update(data: bytes)
    }
}
