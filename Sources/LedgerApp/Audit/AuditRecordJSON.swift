import Foundation
import LedgerCore
import LedgerStore

/// A stored record as queries and exports give it out: the record as reported, plus where the
/// ledger put it (`id`, `seq`, `recorded_at`) and who reported it (`source.id`).
package enum AuditRecordJSON {
    private struct Placement: Encodable {
        var id: String
        var recordedAt: String
        var seq: Int64
        var source: [String: String]

        enum CodingKeys: String, CodingKey {
            case id
            case recordedAt = "recorded_at"
            case seq, source
        }
    }

    /// One JSON object. The stored record is copied, not decoded and re-encoded: the placement's
    /// members are written in front of its own (which are sorted and never empty, since a record
    /// has mandatory fields), so a page or an export of millions costs one small encode per record.
    package static func object(_ row: AuditRow) throws -> Data {
        var placement = try CanonicalJSON.encode(
            Placement(
                id: row.id, recordedAt: RFC3339.string(unixMs: row.recordedAtMs), seq: row.seq,
                source: ["id": row.sourceId]))
        let record = Data(row.recordJSON.utf8)
        guard placement.last == UInt8(ascii: "}"), record.first == UInt8(ascii: "{"), record.count > 2 else {
            throw StoredAuditRecordDamaged(seq: row.seq)
        }
        placement.removeLast()
        placement.append(UInt8(ascii: ","))
        placement.append(record.dropFirst())
        return placement
    }

    /// A page: `{"next_cursor": …, "records": […]}`.
    package static func page(_ rows: [AuditRow], nextCursor: String?) throws -> Data {
        var body = Data(#"{"next_cursor":"#.utf8)
        body.append(nextCursor.map { (try? CanonicalJSON.encode($0)) ?? Data("null".utf8) } ?? Data("null".utf8))
        body.append(contentsOf: #","records":["#.utf8)
        for (index, row) in rows.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(try object(row))
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }
}

/// A stored record that is not a JSON object: the projection was damaged outside the ledger.
package struct StoredAuditRecordDamaged: Error, CustomStringConvertible {
    package var seq: Int64
    package var description: String {
        "the stored audit record at seq \(seq) is not a JSON object; run `grantledger verify`"
    }
}
