import Foundation
import LedgerCore

// `Profile [count=200000] codec`: the log's canonical JSON written by `CanonicalJSONEncoder` and
// by Foundation's `JSONEncoder` (sorted keys, slashes unescaped), in turns in one run: a payment's
// reservation and its envelope's metadata as a payment ledger's log holds them, each encoded
// `count` times per turn; and the same texts decoded by `TapeJSONDecoder` and by Foundation's
// `JSONDecoder`. Prints each of seven turns' nanoseconds per encoding and per decoding and their
// ratios, then the median ratios.
func runCodec(count: Int) throws {
    let reserved = try JSONDecoder().decode(SpendReserved.self, from: Data(codecReservedText.utf8))
    let metadata = try JSONDecoder().decode(EventMetadata.self, from: Data(codecMetadataText.utf8))
    let foundation = JSONEncoder()
    foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Both must write the stored bytes, or the comparison means nothing.
    let oursText = try CanonicalJSONEncoder.encode(reserved), theirsText = try foundation.encode(metadata)
    precondition(oursText == Data(codecReservedText.utf8))
    precondition(theirsText == Data(codecMetadataText.utf8))

    func time(_ body: () throws -> Int) rethrows -> Double {
        let started = DispatchTime.now().uptimeNanoseconds
        var bytes = 0
        for _ in 0..<count { bytes &+= try body() }
        precondition(bytes > 0)
        return Double(DispatchTime.now().uptimeNanoseconds - started) / Double(count * 2)
    }
    // CODEC_ONLY=ours: only this encoder, for a profile of it alone.
    if ProcessInfo.processInfo.environment["CODEC_ONLY"] == "ours" {
        let ours = try time { try CanonicalJSONEncoder.encode(reserved).count + CanonicalJSONEncoder.encode(metadata).count }
        return print(String(format: "CanonicalJSONEncoder %.0f ns per encoding", ours))
    }
    var ratios: [Double] = []
    var readRatios: [Double] = []
    let reservedData = Data(codecReservedText.utf8), metadataData = Data(codecMetadataText.utf8)
    let decoder = JSONDecoder()
    for turn in 1...7 {
        let ours = try time { try CanonicalJSONEncoder.encode(reserved).count + CanonicalJSONEncoder.encode(metadata).count }
        let theirs = try time { try foundation.encode(reserved).count + foundation.encode(metadata).count }
        print(
            String(
                format: "turn %d: CanonicalJSONEncoder %.0f ns, Foundation %.0f ns per encoding: %.2f x as fast",
                turn, ours, theirs, theirs / ours))
        ratios.append(theirs / ours)
        let read = try time {
            try TapeJSONDecoder.decode(SpendReserved.self, from: reservedData).amountMsat > 0
                && TapeJSONDecoder.decode(EventMetadata.self, from: metadataData).action == metadata.action ? 1 : 0
        }
        let readByFoundation = try time {
            try decoder.decode(SpendReserved.self, from: reservedData).amountMsat > 0
                && decoder.decode(EventMetadata.self, from: metadataData).action == metadata.action ? 1 : 0
        }
        print(
            String(
                format: "        TapeJSONDecoder %.0f ns, Foundation %.0f ns per decoding: %.2f x as fast",
                read, readByFoundation, readByFoundation / read))
        readRatios.append(readByFoundation / read)
    }
    print(String(format: "median: encoding %.2f x as fast", ratios.sorted()[ratios.count / 2]))
    print(String(format: "median: decoding %.2f x as fast", readRatios.sorted()[readRatios.count / 2]))
}

private let codecReservedText =
    #"{"amount_msat":1000,"budget_anchor_ms":1796091368871,"budget_currency":"SAT","connection_id":"01a22f63-55a6-792e-a0ba-88d2d93940c4","cycle":{"start_ms":1796091368871},"expires_at_ms":1796091488894,"fee_reserve_msat":0,"held_units":1000,"method":"pay_keysend","reserved_at_ms":1796091368894,"spend_id":"01a22f63-55be-7efc-9d5b-084f8d192eaf","user_id":"soak-payer"}"#
private let codecMetadataText =
    #"{"action":"E","actor":{"id":"connection:01a22f63-55a6-792e-a0ba-88d2d93940c4","role":"app"},"on_behalf_of":"soak-payer","request_id":"694ce87b-e369-4966-bdcb-432369b6e1d0","source":{"ip":"127.0.0.1","service_id":"grantledger"},"subject":{"id":"soak-payer","id_type":"user"}}"#
