import Crypto
import Foundation
import Testing

@testable import LedgerCore

/// The examples of BOLT #11 ("Examples" and "Examples of Invalid Invoices"), read field by field.
/// Their signatures are real but not checked here (no secp256k1), so only the decoding is proven.
@Suite struct Bolt11SpecVectorTests {
    static let specPaymentHash = "0001020304050607080900010203040506070809000102030405060708090102"
    static let specTimestamp: Int64 = 1_496_314_658

    static let donation =
        "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq8rkx3yf5tcsyz3d73gafnh3cax9rn449d9p5uxz9ezhhypd0elx87sjle52x86fux2ypatgddc6k63n7erqz25le42c4u4ecky03ylcqca784w"
    static let coffee =
        "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp"
    static let nonsense =
        "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny"
    static let hashedList =
        "lnbc20m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqscc6gd6ql3jrc5yzme8v4ntcewwz5cnw92tz0pc8qcuufvq7khhr8wpald05e92xw006sq94mg8v2ndf4sefvf9sygkshp5zfem29trqq2yxxz7"
    static let testnetFallback =
        "lntb20m1pvjluezhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfpp3x9et2e20v6pu37c5d9vax37wxq72un98kmzzhznpurw9sgl2v0nklu2g4d0keph5t7tj9tcqd8rexnd07ux4uv2cjvcqwaxgj7v4uwn5wmypjd5n69z2xm3xgksg28nwht7f6zspwp3f9t"
    static let routeHints =
        "lnbc20m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqsfpp3qjmp7lwpagxun9pygexvgpjdc4jdj85fr9yq20q82gphp2nflc7jtzrcazrra7wwgzxqc8u7754cdlpfrmccae92qgzqvzq2ps8pqqqqqqpqqqqq9qqqvpeuqafqxu92d8lr6fvg0r5gv0heeeqgcrqlnm6jhphu9y00rrhy4grqszsvpcgpy9qqqqqqgqqqqq7qqzqj9n4evl6mr5aj9f58zp6fyjzup6ywn3x6sk8akg5v4tgn2q8g4fhx05wf6juaxu9760yp46454gpg5mtzgerlzezqcqvjnhjh8z3g2qqdhhwkj"
    static let picoAmount =
        "lnbc9678785340p1pwmna7lpp5gc3xfm08u9qy06djf8dfflhugl6p7lgza6dsjxq454gxhj9t7a0sd8dgfkx7cmtwd68yetpd5s9xar0wfjn5gpc8qhrsdfq24f5ggrxdaezqsnvda3kkum5wfjkzmfqf3jkgem9wgsyuctwdus9xgrcyqcjcgpzgfskx6eqf9hzqnteypzxz7fzypfhg6trddjhygrcyqezcgpzfysywmm5ypxxjemgw3hxjmn8yptk7untd9hxwg3q2d6xjcmtv4ezq7pqxgsxzmnyyqcjqmt0wfjjq6t5v4khxxqyjw5qcqp2rzjq0gxwkzc8w6323m55m4jyxcjwmy7stt9hwkwe2qxmy8zpsgg7jcuwz87fcqqeuqqqyqqqqlgqqqqn3qq9qn07ytgrxxzad9hc4xt3mawjjt8znfv8xzscs7007v9gh9j569lencxa8xeujzkxs0uamak9aln6ez02uunw6rd2ht2sqe4hz8thcdagpleym0j"
    static let coffeeBeans =
        "lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqpqsq67gye39hfg3zd8rgc80k32tvy9xk2xunwm5lzexnvpx6fd77en8qaq424dxgt56cag2dpt359k3ssyhetktkpqh24jqnjyw6uqd08sgptq44qu"
    static let coffeeBeansWithIgnoredFields =
        "lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqpqsq2qrqqqfppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqpp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhpnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqspnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnp5qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnpkqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq2jxxfsnucm4jf4zwtznpaxphce606fvhvje5x7d4gw7n73994hgs7nteqvenq8a4ml8aqtchv5d9pf7l558889hp4yyrqv6a7zpq9fgpskqhza"

    static let chocolateList =
        "One piece of chocolate cake, one icecream cone, one pickle, one slice of swiss cheese, one slice of salami, one lollypop, one piece of cherry pie, one sausage, one cupcake, and one slice of watermelon"

    @Test func donationInvoiceHasNoAmountAndTheDefaultExpiry() throws {
        let invoice = try Bolt11Invoice.parse(Self.donation)
        #expect(invoice.network == "bc")
        #expect(invoice.networkName == "mainnet")
        #expect(invoice.amountMsat == nil)
        #expect(invoice.timestamp == Self.specTimestamp)
        #expect(invoice.paymentHash == Self.specPaymentHash)
        #expect(invoice.description == "Please consider supporting this project")
        #expect(invoice.descriptionHash == nil)
        #expect(invoice.expirySec == 3600)
    }

    @Test func twentyFiveHundredMicroBitcoinIsTwoHundredFiftyMillionMsat() throws {
        let invoice = try Bolt11Invoice.parse(Self.coffee)
        // 2500 µBTC = 0.0025 BTC = 250,000 sat = 250,000,000 msat.
        #expect(invoice.amountMsat == 250_000_000)
        #expect(invoice.description == "1 cup coffee")
        #expect(invoice.expirySec == 60)
        #expect(invoice.expiresAt == Self.specTimestamp + 60)
        #expect(invoice.paymentHash == Self.specPaymentHash)
    }

    @Test func descriptionIsDecodedAsUTF8() throws {
        let invoice = try Bolt11Invoice.parse(Self.nonsense)
        #expect(invoice.description == "ナンセンス 1杯")
        #expect(invoice.amountMsat == 250_000_000)
    }

    @Test func twentyMilliBitcoinWithAHashedDescription() throws {
        let invoice = try Bolt11Invoice.parse(Self.hashedList)
        #expect(invoice.amountMsat == 2_000_000_000)
        #expect(invoice.description == nil)
        #expect(invoice.descriptionHash == SHA256.hash(data: Data(Self.chocolateList.utf8)).hexString)
        #expect(invoice.paymentHash == Self.specPaymentHash)
    }

    @Test func testnetInvoiceWithAFallbackAddressSkipsTheFallback() throws {
        let invoice = try Bolt11Invoice.parse(Self.testnetFallback)
        #expect(invoice.network == "tb")
        #expect(invoice.networkName == "testnet")
        #expect(invoice.amountMsat == 2_000_000_000)
        #expect(invoice.paymentHash == Self.specPaymentHash)
        #expect(invoice.descriptionHash == SHA256.hash(data: Data(Self.chocolateList.utf8)).hexString)
    }

    @Test func routeHintsAreSkipped() throws {
        let invoice = try Bolt11Invoice.parse(Self.routeHints)
        #expect(invoice.amountMsat == 2_000_000_000)
        #expect(invoice.paymentHash == Self.specPaymentHash)
    }

    @Test func picoBitcoinAmountIsATenthOfAMsat() throws {
        let invoice = try Bolt11Invoice.parse(Self.picoAmount)
        #expect(invoice.amountMsat == 967_878_534)
        #expect(invoice.timestamp == 1_572_468_703)
        #expect(invoice.paymentHash == "462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f")
        #expect(invoice.expirySec == 604_800)
        #expect(
            invoice.description
                == #"Blockstream Store: 88.85 USD for Blockstream Ledger Nano S x 1, "Back In My Day" Sticker x 2, "I Got Lightning Working" Sticker x 2 and 1 more items"#
        )
    }

    @Test func paymentSecretIsRead() throws {
        let invoice = try Bolt11Invoice.parse(Self.coffeeBeans)
        #expect(invoice.amountMsat == 2_500_000_000)
        #expect(invoice.description == "coffee beans")
        #expect(invoice.paymentSecret == String(repeating: "11", count: 32))
    }

    @Test func upperCaseInvoiceReadsTheSameAsLowerCase() throws {
        let upper = try Bolt11Invoice.parse(Self.coffeeBeans.uppercased())
        #expect(upper == (try Bolt11Invoice.parse(Self.coffeeBeans)))
    }

    @Test func fieldsOfUnknownTypeOrWrongLengthAreSkipped() throws {
        let invoice = try Bolt11Invoice.parse(Self.coffeeBeansWithIgnoredFields)
        // The wrong-length p, h and s fields come after the good ones and must not replace them.
        #expect(invoice.paymentHash == Self.specPaymentHash)
        #expect(invoice.descriptionHash == nil)
        #expect(invoice.paymentSecret == String(repeating: "11", count: 32))
        #expect(invoice.amountMsat == 2_500_000_000)
    }

    @Test func lightningURIPrefixIsAccepted() throws {
        #expect(try Bolt11Invoice.parse("lightning:" + Self.coffee).amountMsat == 250_000_000)
    }

    @Test(arguments: [
        // Bech32 checksum is invalid.
        (
            "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrnt",
            "checksum"
        ),
        // Malformed bech32 string (no 1).
        (
            "pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
            "separator"
        ),
        // Malformed bech32 string (mixed case).
        (
            "LNBC2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny",
            "mixes upper and lower case"
        ),
        // String is too short (no room for a signature).
        (
            "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6na6hlh",
            "too short"
        ),
        // Invalid multiplier.
        (
            "lnbc2500x1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpujr6jxr9gq9pv6g46y7d20jfkegkg4gljz2ea2a3m9lmvvr95tq2s0kvu70u3axgelz3kyvtp2ywwt0y8hkx2869zq5dll9nelr83zzqqpgl2zg",
            "unknown multiplier 'x'"
        ),
        // Invalid sub-millisatoshi precision.
        (
            "lnbc2500000001p1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu7hqtk93pkf7sw55rdv4k9z2vj050rxdr6za9ekfs3nlt5lr89jqpdmxsmlj9urqumg0h9wzpqecw7th56tdms40p2ny9q4ddvjsedzcplva53s",
            "whole number of msat"
        ),
    ])
    func specInvalidInvoicesAreRefusedWithTheReason(invoice: String, reason: String) {
        #expect {
            _ = try Bolt11Invoice.parse(invoice)
        } throws: { error in
            guard let error = error as? Bolt11Error else { return false }
            return error.message.contains(reason)
        }
    }
}
