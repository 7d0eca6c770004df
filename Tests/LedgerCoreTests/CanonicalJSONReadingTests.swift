import Foundation
import Testing

@testable import LedgerCore

/// The types that read themselves off the tape (`CanonicalJSONReading`) stand in for Foundation's
/// decoder on every replayed event: where a reader answers, its value is Foundation's; where
/// Foundation refuses, the reader refuses; and `CanonicalJSON.decode` answers as Foundation does
/// either way. The texts are the log's own, bent one member at a time.
@Suite struct CanonicalJSONReadingTests {
    static let foundation = JSONDecoder()

    enum Kind: String, CustomTestStringConvertible {
        case metadata, reserved, settled, released, denied, corrected
        var testDescription: String { rawValue }
    }

    /// A text, the type it is read as, and whether the reader answers it itself (false: it leaves
    /// the text to Foundation, which reads or refuses it).
    static let cases: [(kind: Kind, text: String, readerAnswers: Bool)] = [
        (.metadata, StoredFixtures.meta, true),
        // Null optionals read as absent; members the type does not know are passed over.
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"purpose":null,"request_id":"q","source":{"ip":null,"service_id":"s"},"subject":null,"trace_id":null}"#, true),
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r","extra":[1,{"a":null}]},"extra":"x","request_id":"q","source":{"service_id":"s"}}"#, true),
        // Members in another order, whitespace, escapes in values.
        (.metadata, #" { "trace_id" : "t" , "source" : { "service_id" : "s\u00e9\n" } , "request_id" : "q\"" , "actor" : { "role" : "r" , "id" : "u" } , "action" : "C" } "#, true),
        // Foundation refuses: a member missing, null where a value must be, another kind, no such case.
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"source":{"service_id":"s"}}"#, false),
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"request_id":null,"source":{"service_id":"s"}}"#, false),
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"purpose":7,"request_id":"q","source":{"service_id":"s"}}"#, false),
        (.metadata, #"{"action":"X","actor":{"id":"u","role":"r"},"request_id":"q","source":{"service_id":"s"}}"#, false),
        (.metadata, #"{"action":"R","actor":{"id":"u"},"request_id":"q","source":{"service_id":"s"}}"#, false),
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"request_id":"q","source":{"service_id":"s"},"subject":[]}"#, false),
        (.metadata, #"["action"]"#, false),
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"request_id":"q","source":null}"#, false),
        // Keys the tape leaves to Foundation: escaped (naming a member), outside ASCII, repeated in a nested object.
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"request\u005fid":"q","source":{"service_id":"s"}}"#, false),
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"request_id":"q","source":{"service_id":"s"},"é":1}"#, false),
        (.metadata, #"{"action":"R","actor":{"id":"u","id":"v","role":"r"},"request_id":"q","source":{"service_id":"s"}}"#, false),
        // Foundation's to read: a repeated key.
        (.metadata, #"{"action":"R","actor":{"id":"u","role":"r"},"request_id":"q","request_id":"p","source":{"service_id":"s"}}"#, false),
        (.reserved, StoredFixtures.spendReserved, true),
        // A rate is reduced as its `init` reduces it; a cycle's end may be null.
        (.reserved, #"{"amount_msat":1,"connection_id":"c","cycle":{"end_ms":null,"start_ms":5},"expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","rate":{"currency":"USD","msat":10,"units":4},"reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, true),
        (.reserved, #"{"amount_msat":-9223372036854775808,"connection_id":"c","expires_at_ms":9223372036854775807,"fee_reserve_msat":-1,"held_units":0,"method":"m","reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, true),
        // Integers Foundation reads its own way or refuses: fractions, exponents, -0, past Int64.
        (.reserved, #"{"amount_msat":1.0,"connection_id":"c","expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, false),
        (.reserved, #"{"amount_msat":1e3,"connection_id":"c","expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, false),
        (.reserved, #"{"amount_msat":-0,"connection_id":"c","expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, false),
        (.reserved, #"{"amount_msat":9223372036854775808,"connection_id":"c","expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, false),
        (.reserved, #"{"amount_msat":"1","connection_id":"c","expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, false),
        // A rate its `init` refuses, a cycle without its start.
        (.reserved, #"{"amount_msat":1,"connection_id":"c","expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","rate":{"currency":"USD","msat":0,"units":4},"reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, false),
        (.reserved, #"{"amount_msat":1,"connection_id":"c","cycle":{"end_ms":7},"expires_at_ms":3,"fee_reserve_msat":0,"held_units":1,"method":"m","reserved_at_ms":2,"spend_id":"s","user_id":"u"}"#, false),
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","fee_msat":0,"provisional":true,"released_hold_units":3,"settled_at_ms":4,"spend_id":"s"}"#, true),
        (.settled, #"{"amount_msat":1,"budget_anchor_ms":null,"charged_units":2,"connection_id":"c","fee_msat":0,"provisional":null,"rate":null,"released_hold_units":3,"settled_at_ms":4,"spend_id":"s"}"#, true),
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","fee_msat":0,"provisional":false,"released_hold_units":3,"settled_at_ms":4,"spend_id":"s"}"#, true),
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","fee_msat":0,"provisional":"true","released_hold_units":3,"settled_at_ms":4,"spend_id":"s"}"#, false),
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","cycle":5,"fee_msat":0,"released_hold_units":3,"settled_at_ms":4,"spend_id":"s"}"#, false),
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","fee_msat":0,"rate":"x","released_hold_units":3,"settled_at_ms":4,"spend_id":"s"}"#, false),
        // More members than the reader walks (64): Foundation's, which reads it.
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","fee_msat":0,"released_hold_units":3,"settled_at_ms":4,"spend_id":"s","#
            + (0..<60).map { #""x\#($0)":\#($0)"# }.joined(separator: ",") + "}", false),
        // The rest of a spend's events: a release, a refusal, a correction.
        (.released, #"{"budget_anchor_ms":1,"connection_id":"c","cycle":{"start_ms":1},"reason":"expired","released_at_ms":5,"released_hold_units":3,"spend_id":"s"}"#, true),
        (.released, #"{"connection_id":"c","reason":"failed","released_at_ms":5,"released_hold_units":3,"spend_id":"s","cycle":null}"#, true),
        (.released, #"{"connection_id":"c","reason":"lost","released_at_ms":5,"released_hold_units":3,"spend_id":"s"}"#, false),
        (.denied, #"{"amount_msat":5,"code":"QUOTA_EXCEEDED","connection_id":"c","denied_at_ms":9,"limit_units":10,"message":"over \"budget\" \u00e9","method":"pay_invoice","requested_units":6,"spend_id":"s","used_units":null}"#, true),
        (.denied, #"{"amount_msat":5,"code":"quota_exceeded","connection_id":"c","denied_at_ms":9,"message":"m","method":"pay_invoice","spend_id":"s"}"#, false),
        (.corrected, #"{"amount_msat":0,"charged_units":0,"connection_id":"c","corrected_at_ms":7,"fee_msat":0,"previous_amount_msat":5,"previous_charged_units":6,"previous_fee_msat":1,"rate":{"currency":"EUR","msat":6,"units":9},"spend_id":"s"}"#, true),
        (.corrected, #"{"amount_msat":0,"charged_units":0,"connection_id":"c","corrected_at_ms":7,"fee_msat":0,"previous_amount_msat":5,"previous_charged_units":6,"spend_id":"s"}"#, false),
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","fee_msat":0,"provisional":1,"released_hold_units":3,"settled_at_ms":4,"spend_id":"s"}"#, false),
        (.settled, #"{"amount_msat":1,"charged_units":2,"connection_id":"c","fee_msat":0,"released_hold_units":3,"spend_id":"s"}"#, false),
    ]

    @Test(arguments: cases)
    func aTextIsReadAsFoundationReadsItOrLeftToFoundation(_ input: (kind: Kind, text: String, readerAnswers: Bool)) {
        switch input.kind {
        case .metadata: Self.check(EventMetadata.self, input.text, readerAnswers: input.readerAnswers)
        case .reserved: Self.check(SpendReserved.self, input.text, readerAnswers: input.readerAnswers)
        case .settled: Self.check(SpendSettled.self, input.text, readerAnswers: input.readerAnswers)
        case .released: Self.check(SpendReleased.self, input.text, readerAnswers: input.readerAnswers)
        case .denied: Self.check(SpendDenied.self, input.text, readerAnswers: input.readerAnswers)
        case .corrected: Self.check(SpendCorrected.self, input.text, readerAnswers: input.readerAnswers)
        }
    }

    /// The reader's answer (or refusal) and `CanonicalJSON.decode`'s, against Foundation's.
    static func check<T: CanonicalJSONReading & Equatable>(_: T.Type, _ text: String, readerAnswers: Bool) {
        let data = Data(text.utf8)
        let foundation = try? Self.foundation.decode(T.self, from: data)
        let read = try? CanonicalJSONObjectReader.read(T.self, from: data)
        #expect((read != nil) == readerAnswers, "the reader \(read == nil ? "refused" : "read") \(text)")
        if let read { #expect(read == foundation) }
        #expect((try? CanonicalJSON.decode(T.self, from: data)) == foundation)
        if foundation == nil { #expect(throws: (any Error).self) { try CanonicalJSON.decode(T.self, from: data) } }
    }

    /// The table of event types hands a payment's events to their readers, and they come out as
    /// Foundation reads them; an event of a version newer than this build is still refused.
    @Test func aStoredPaymentEventDecodesAsItsOwnType() throws {
        let payload = EventPayload(
            type: SpendReserved.type, typeVersion: SpendReserved.typeVersion, data: Data(StoredFixtures.spendReserved.utf8))
        let typed = try #require(try KnownEvents.decode(payload) as? SpendReserved)
        #expect(typed == (try Self.foundation.decode(SpendReserved.self, from: payload.data)))
        var newer = payload
        newer.typeVersion = SpendReserved.typeVersion + 1
        #expect(throws: UnknownEventVersion.self) { try KnownEvents.decode(newer) }
    }
}
