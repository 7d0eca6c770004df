import Crypto
import Foundation
import Testing

@testable import LedgerDemo
@testable import LedgerCore
import LedgerWallet

@Suite struct Bolt11EncodeTests {
    static let hash = SHA256.hash(data: Data("preimage".utf8)).hexString

    @Test(arguments: [
        (Int64?.none, ""), (1, "10p"), (100, "1n"), (150, "1500p"), (100_000, "1u"), (250_000_000, "2500u"),
        (2_000_000_000, "20m"), (100_000_000_000, "1"), (123_456_789, "1234567890p"),
    ])
    func encodeUsesTheShortestAmountAndParseReadsItBack(amountMsat: Int64?, expectedAmountText: String) throws {
        let text = Bolt11Invoice.encode(
            network: "bcrt", amountMsat: amountMsat, timestamp: 1_700_000_000, paymentHash: Self.hash,
            description: "round trip", expirySec: 600)
        #expect(text.hasPrefix("lnbcrt\(expectedAmountText)1"))
        let invoice = try Bolt11Invoice.parse(text)
        #expect(invoice.network == "bcrt")
        #expect(invoice.networkName == "regtest")
        #expect(invoice.amountMsat == amountMsat)
        #expect(invoice.timestamp == 1_700_000_000)
        #expect(invoice.paymentHash == Self.hash)
        #expect(invoice.description == "round trip")
        #expect(invoice.expirySec == 600)
        #expect(invoice.paymentSecret != nil)
    }

    @Test func encodeIsDeterministicAndOmitsTheDefaultExpiry() throws {
        let make = {
            Bolt11Invoice.encode(
                network: "tb", amountMsat: 5_000, timestamp: 1, paymentHash: Self.hash, description: "ナンセンス",
                expirySec: Bolt11Invoice.defaultExpirySec)
        }
        #expect(make() == make())
        let invoice = try Bolt11Invoice.parse(make())
        #expect(invoice.expirySec == 3600)
        #expect(invoice.description == "ナンセンス")
    }

    @Test func longDescriptionIsCommittedToByItsHash() throws {
        let long = String(repeating: "é", count: 400)  // 800 UTF-8 bytes, more than a d field holds
        let invoice = try Bolt11Invoice.parse(
            Bolt11Invoice.encode(
                network: "bc", amountMsat: 1_000, timestamp: 1, paymentHash: Self.hash, description: long))
        #expect(invoice.description == nil)
        #expect(invoice.descriptionHash == SHA256.hash(data: Data(long.utf8)).hexString)
    }

    @Test func explicitDescriptionHashRoundTrips() throws {
        let descriptionHash = SHA256.hash(data: Data("metadata".utf8)).hexString
        let invoice = try Bolt11Invoice.parse(
            Bolt11Invoice.encode(
                network: "bc", amountMsat: 1_000, timestamp: 1, paymentHash: Self.hash, description: nil,
                descriptionHash: descriptionHash))
        #expect(invoice.descriptionHash == descriptionHash)
    }

    @Test func largestTimestampAndAmountRoundTrip() throws {
        let invoice = try Bolt11Invoice.parse(
            Bolt11Invoice.encode(
                network: "sb", amountMsat: Bolt11Invoice.maxAmountMsat, timestamp: (1 << 35) - 1,
                paymentHash: Self.hash, description: nil))
        #expect(invoice.timestamp == (1 << 35) - 1)
        #expect(invoice.amountMsat == Bolt11Invoice.maxAmountMsat)
    }

    @Test func demoInvoicesCarryASignatureSizedPlaceholder() throws {
        let text = Bolt11Invoice.encode(
            network: "bc", amountMsat: nil, timestamp: 1, paymentHash: Self.hash, description: "x")
        let (_, words) = try Bech32.decode(text, maxLength: Bolt11Invoice.maxLength)
        // timestamp 7 + p 55 + s 55 + d 3+2 + c 4 + 9 6 + signature 104
        #expect(words.count == 7 + 55 + 55 + 5 + 4 + 6 + 104)
    }
}

@Suite struct Bolt11BadInputTests {
    static let valid = Bolt11Invoice.encode(
        network: "bcrt", amountMsat: 10_000, timestamp: 1_700_000_000,
        paymentHash: SHA256.hash(data: Data("x".utf8)).hexString, description: "bad input tests")

    static func reason(_ text: String) -> String? {
        do {
            _ = try Bolt11Invoice.parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func changedCharacterBreaksTheChecksum() {
        var chars = Array(Self.valid)
        let index = chars.count - 20
        chars[index] = chars[index] == "q" ? "p" : "q"
        #expect(Self.reason(String(chars))?.contains("checksum") == true)
    }

    @Test func mixedCaseIsRefused() {
        let mixed = Self.valid.prefix(10).uppercased() + Self.valid.dropFirst(10)
        #expect(Self.reason(mixed)?.contains("mixes upper and lower case") == true)
    }

    @Test func truncatedInvoiceIsRefused() {
        #expect(Self.reason(String(Self.valid.dropLast(10))) != nil)
        #expect(Self.reason(String(Self.valid.prefix(12))) != nil)
        #expect(Self.reason("") != nil)
    }

    @Test func truncatedTaggedFieldIsRefusedEvenWithAValidChecksum() {
        // A p field that claims 52 words but is followed only by the signature.
        let words: [UInt8] =
            Array(repeating: 0, count: 7) + [1, 1, 20] + Array(repeating: 0, count: 10)
            + Array(repeating: 0, count: Bolt11Invoice.signatureWords)
        let text = Bech32.encode(hrp: "lnbcrt", words: words)
        #expect(Self.reason(text)?.contains("runs past the signature") == true)
    }

    @Test func invoiceWithoutAPaymentHashIsRefused() {
        let words: [UInt8] = Array(repeating: 0, count: 7 + Bolt11Invoice.signatureWords)
        #expect(Self.reason(Bech32.encode(hrp: "lnbc", words: words))?.contains("no payment hash") == true)
    }

    @Test(arguments: ["lnxy", "bc", "lnbc0m", "lnbc01u", "lnbc99999999999999999999m", "lnbcm", "lnbc1.5m"])
    func badHumanReadablePartIsRefused(hrp: String) {
        let words: [UInt8] = Array(repeating: 0, count: 7 + Bolt11Invoice.signatureWords)
        #expect(Self.reason(Bech32.encode(hrp: hrp, words: words)) != nil)
    }

    @Test func amountAbove21MillionBitcoinIsRefused() {
        let words: [UInt8] = Array(repeating: 0, count: 7 + Bolt11Invoice.signatureWords)
        #expect(Self.reason(Bech32.encode(hrp: "lnbc21000001", words: words))?.contains("out of range") == true)
    }

    @Test func overlongInputIsRefusedBeforeDecoding() {
        let long = "lnbc1" + String(repeating: "q", count: Bolt11Invoice.maxLength)
        #expect(Self.reason(long)?.contains("longer than 7089") == true)
    }

    @Test func characterOutsideTheAlphabetIsRefused() {
        #expect(Self.reason(Self.valid.replacingOccurrences(of: "q", with: "b"))?.contains("alphabet") == true)
    }

    @Test func invalidUTF8DescriptionIsRefused() {
        let hashField: [UInt8] = [1, 1, 20] + Array(repeating: 0, count: 52)
        let badBytes = Bech32.regroup([0xff, 0xfe], from: 8, to: 5, pad: true)
        let descriptionField: [UInt8] = [13, 0, UInt8(badBytes.count)] + badBytes
        let words =
            Array(repeating: 0, count: 7) + hashField + descriptionField
            + Array(repeating: 0, count: Bolt11Invoice.signatureWords)
        #expect(Self.reason(Bech32.encode(hrp: "lnbc", words: words))?.contains("UTF-8") == true)
    }

    @Test func amountToPayRefusesADisagreementAndAMissingAmount() throws {
        let priced = try Bolt11Invoice.parse(Self.valid)
        #expect(try priced.amountToPay(requestedMsat: nil) == 10_000)
        #expect(try priced.amountToPay(requestedMsat: 10_000) == 10_000)
        #expect(throws: Bolt11Error.self) { try priced.amountToPay(requestedMsat: 9_999) }
        var donation = priced
        donation.amountMsat = nil
        #expect(try donation.amountToPay(requestedMsat: 5) == 5)
        #expect(throws: Bolt11Error.self) { try donation.amountToPay(requestedMsat: nil) }
        #expect(throws: Bolt11Error.self) { try donation.amountToPay(requestedMsat: 0) }
    }
}
