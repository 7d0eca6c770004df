import Foundation
import LedgerTestSupport
import PropertyBased
import Testing

@testable import LedgerCore

/// A payment's two events write their canonical JSON by hand (`CanonicalJSONWriting`) and read it
/// back by hand (`CanonicalJSONReading`): the bytes must be Foundation's, since they are hashed
/// into the log, and the values read Foundation's, since every replay reads them back.
@Suite struct SpendEventsJSONTests {
    static func written(_ value: some CanonicalJSONWriting) -> String {
        var bytes: [UInt8] = []
        value.appendCanonicalJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func foundationWrites(_ value: some Encodable) throws -> String {
        String(decoding: try EventMetadataJSONTests.foundation.encode(value), as: UTF8.self)
    }

    /// Integers at their extremes and around zero, and ordinary ones.
    static let integers = Gen.oneOf(
        Gen.int64(in: Int64.min...Int64.max), Gen.int64(in: -2...2), Gen.int64(in: 1_700_000_000_000...1_900_000_000_000))
    static let texts = Gen.int(in: 0...(TrickyTexts.pieces.count - 1)).array(of: 0...5).map(TrickyTexts.text)

    static func rate(_ units: Int64, _ shape: Int) -> ConversionRate? {
        shape & 1 == 0 ? nil : try? ConversionRate(currency: "USD", msat: 1 + Int64(units.magnitude % 1_000), units: 1)
    }

    static func cycle(_ start: Int64, _ end: Int64, _ shape: Int) -> BudgetCycle? {
        shape & 2 == 0 ? nil : BudgetCycle(startMs: start, endMs: shape & 4 == 0 ? nil : end)
    }

    @Test func anyReservationIsWrittenAsFoundationWritesIt() async {
        await propertyCheck(
            count: 1_000, input: Self.texts, Self.texts, Self.integers, Self.integers, Gen.int(in: 0...63)
        ) { text, other, a, b, shape in
            let reserved = SpendReserved(
                spendId: text, connectionId: other, userId: text + other, method: other, amountMsat: a,
                feeReserveMsat: b, paymentHash: shape & 8 == 0 ? nil : other,
                budgetCurrency: shape & 16 == 0 ? nil : text, heldUnits: a &+ b, rate: Self.rate(a, shape),
                budgetAnchorMs: shape & 32 == 0 ? nil : b, cycle: Self.cycle(a, b, shape), expiresAtMs: b,
                reservedAtMs: a)
            let foundation = try Self.foundationWrites(reserved)
            #expect(Self.written(reserved) == foundation)
            #expect(String(decoding: try EventPayload(reserved).data, as: UTF8.self) == foundation)
            try Self.expectReadBack(reserved, from: foundation)
        }
    }

    @Test func anySettleIsWrittenAsFoundationWritesIt() async {
        await propertyCheck(
            count: 1_000, input: Self.texts, Self.integers, Self.integers, Gen.int(in: 0...255)
        ) { text, a, b, shape in
            let settled = SpendSettled(
                spendId: text, connectionId: text + "c", amountMsat: a, feeMsat: b, releasedHoldUnits: a &- b,
                chargedUnits: b, rate: Self.rate(b, shape),
                provisional: shape & 64 == 0 ? nil : shape & 128 == 0, budgetAnchorMs: shape & 32 == 0 ? nil : a,
                cycle: Self.cycle(b, a, shape), settledAtMs: a)
            let foundation = try Self.foundationWrites(settled)
            #expect(Self.written(settled) == foundation)
            #expect(String(decoding: try EventPayload(settled).data, as: UTF8.self) == foundation)
            try Self.expectReadBack(settled, from: foundation)
        }
    }

    /// Read by its own reader (`CanonicalJSONReading`) as Foundation reads it.
    static func expectReadBack<T: CanonicalJSONReading & CanonicalJSONWriting & Equatable>(
        _ value: T, from text: String
    ) throws {
        let data = Data(text.utf8)
        let read = try CanonicalJSONObjectReader.read(T.self, from: data)
        #expect(read == value)
        #expect(read == (try JSONDecoder().decode(T.self, from: data)))
        // Byte for byte: `==` on texts would pass canonically equivalent ones.
        #expect(Array(Self.written(read).utf8) == Array(text.utf8))
    }

    /// A release, a refusal and a correction (written through `Encodable`) read back by their own
    /// readers as Foundation reads them.
    @Test func theRestOfASpendsEventsReadAsFoundationReadsThem() async {
        await propertyCheck(
            count: 500, input: Self.texts, Self.integers, Self.integers, Gen.int(in: 0...255)
        ) { text, a, b, shape in
            let released = SpendReleased(
                spendId: text, connectionId: text + "c", releasedHoldUnits: a, budgetAnchorMs: shape & 32 == 0 ? nil : b,
                cycle: Self.cycle(a, b, shape), reason: SpendReleaseReason.allCases[shape % 3], releasedAtMs: b)
            let denied = SpendDenied(
                spendId: text, connectionId: "c", method: text, amountMsat: a,
                code: [.quotaExceeded, .restricted, .unauthorized][shape % 3], message: text + text,
                requestedUnits: shape & 8 == 0 ? nil : a, usedUnits: shape & 16 == 0 ? nil : b,
                limitUnits: shape & 32 == 0 ? nil : a &+ b, deniedAtMs: b)
            let corrected = SpendCorrected(
                spendId: text, connectionId: text, previousChargedUnits: a, chargedUnits: b, amountMsat: b,
                feeMsat: a, previousAmountMsat: a &- b, previousFeeMsat: 0, rate: Self.rate(a, shape),
                budgetAnchorMs: shape & 32 == 0 ? nil : a, cycle: Self.cycle(b, a, shape), correctedAtMs: a)
            try Self.expectRead(released)
            try Self.expectRead(denied)
            try Self.expectRead(corrected)
        }
    }

    static func expectRead<T: CanonicalJSONReading & Encodable & Equatable>(_ value: T) throws {
        let data = try EventMetadataJSONTests.foundation.encode(value)
        let read = try CanonicalJSONObjectReader.read(T.self, from: data)
        #expect(read == value)
        #expect(read == (try JSONDecoder().decode(T.self, from: data)))
        #expect(try EventMetadataJSONTests.foundation.encode(read) == data)
    }

    @Test func theLogsOwnReservationIsWrittenBackByteForByte() throws {
        let reserved = try JSONDecoder().decode(SpendReserved.self, from: Data(StoredFixtures.spendReserved.utf8))
        #expect(Self.written(reserved) == StoredFixtures.spendReserved)
    }
}
