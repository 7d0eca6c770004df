import Foundation
import LedgerCore
import LedgerWallet
import Testing

@testable import LedgerHTTP

/// A request's body is read as Foundation's `JSONDecoder` reads it, value and error alike, though
/// `TapeJSONDecoder` reads it first (`CanonicalJSON.decode`).
@Suite struct JSONBodyTests {
    /// Bodies a client may send: plain, with explicit nulls, and every form the tape leaves to
    /// Foundation or Foundation refuses (numbers as fractions or exponents, `-0`, out of range,
    /// escaped or repeated keys, a trailing comma, a byte-order mark, text that is not UTF-8).
    static let bodies: [[UInt8]] =
        [
            #"{"amount":1000,"pubkey":"02ab"}"#,
            #" { "amount" : 1000 , "pubkey" : "02ab" , "preimage" : null , "tlv_records" : null } "#,
            #"{"amount":1,"pubkey":"p","tlv_records":[{"type":5482373484,"value":"0a"}],"budget_currency_code":"SAT"}"#,
            #"{"amount":-0,"pubkey":"p"}"#, #"{"amount":1e3,"pubkey":"p"}"#, #"{"amount":1.0,"pubkey":"p"}"#,
            #"{"amount":1.5,"pubkey":"p"}"#, #"{"amount":9223372036854775808,"pubkey":"p"}"#,
            #"{"amount":1e400,"pubkey":"p"}"#, #"{"amount":"1000","pubkey":"p"}"#,
            #"{"\u0061mount":1,"pubkey":"p"}"#, #"{"amount":1,"amount":2,"pubkey":"p"}"#,
            #"{"amount":1,"pubkey":"p",}"#, #"{"amount":1,"pubkey":"p""#, #"{"pubkey":"p"}"#, #"[]"#, #"null"#,
            #"{"amount":1,"pubkey":"\ud800"}"#, #"{"amount":1,"pubkey":"é \" \\ \n"}"#, "",
        ].map { Array($0.utf8) } + [
            [0xEF, 0xBB, 0xBF] + Array(#"{"amount":1,"pubkey":"p"}"#.utf8),
            Array(#"{"amount":1,"pubkey":""#.utf8) + [0xFF] + Array(#""}"#.utf8),
        ]

    /// Both read equal values, or both refused with the same error.
    static func same<T: Decodable & Equatable>(_ type: T.Type, _ data: Data) -> (same: Bool, read: Bool) {
        let ours = Result { try CanonicalJSON.decode(T.self, from: data) }
        let foundation = Result { try JSONDecoder().decode(T.self, from: data) }
        switch (ours, foundation) {
        case (.success(let a), .success(let b)): return (a == b, true)
        case (.failure(let a), .failure(let b)): return ("\(a)" == "\(b)", false)
        default: return (false, false)
        }
    }

    @Test func aBodyIsReadAsFoundationReadsItValueAndError() {
        var read = 0
        for body in Self.bodies {
            let data = Data(body)
            let request = Self.same(PayKeysendRequest.self, data)
            #expect(request.same, "\(String(decoding: body, as: UTF8.self))")
            #expect(Self.same(JSONValue.self, data).same, "\(String(decoding: body, as: UTF8.self))")
            if request.read { read += 1 }
        }
        // The usual bodies are read by the tape, not left to Foundation (the point of it).
        for body in Self.bodies.prefix(3) {
            #expect((try? TapeJSONDecoder.decode(PayKeysendRequest.self, from: Data(body))) != nil)
        }
        // Some bodies are read and some refused: both ways are compared.
        #expect(read >= 4 && Self.bodies.count - read >= 4, "\(read) of \(Self.bodies.count) read")
    }

    /// An object of many members is read by Foundation: the tape finds a member by scanning the
    /// object's, so reading all of them would cost their count squared (a megabyte of
    /// one-number members, billions of comparisons).
    @Test func anObjectOfManyMembersIsLeftToFoundation() throws {
        let members = (0..<20_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let data = Data("{\(members)}".utf8)
        #expect(throws: TapeJSONDecoder.Refused.self) { try TapeJSONDecoder.decode(JSONValue.self, from: data) }
        #expect(throws: TapeJSONDecoder.Refused.self) { try TapeJSONDecoder.decode([String: Int].self, from: data) }
        let value = try CanonicalJSON.decode([String: Int].self, from: data)
        #expect(value.count == 20_000 && value["k19999"] == 19_999)
        // At the bound the tape still reads it.
        let few = Data("{\((0..<64).map { "\"k\($0)\":\($0)" }.joined(separator: ","))}".utf8)
        #expect(try TapeJSONDecoder.decode([String: Int].self, from: few).count == 64)
    }
}
