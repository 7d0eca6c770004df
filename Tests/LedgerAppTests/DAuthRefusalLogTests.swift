import Testing

@testable import LedgerApp

/// Knocking cannot fill the log: one DAuth refusal event per address a minute, standing for every
/// refusal held back; an IPv6 /64 is one address; and at most `eventsPerMinuteMax` events a minute
/// across all addresses, the rest held under `*`.
@Suite struct DAuthRefusalLogTests {
    @Test func oneEventPerAddressAMinuteCarriesTheRefusalsHeldBack() async {
        let log = DAuthRefusalLog()
        #expect(await log.refused(ip: "10.0.0.1", kind: .token, nowMs: 0)! == ("10.0.0.1", 1))
        for second in 1...9 { #expect(await log.refused(ip: "10.0.0.1", kind: .token, nowMs: Int64(second) * 1000) == nil) }
        #expect(await log.refused(ip: "10.0.0.2", kind: .address, nowMs: 10_000)! == ("10.0.0.2", 1))
        #expect(await log.refused(ip: "10.0.0.1", kind: .token, nowMs: 60_000)! == ("10.0.0.1", 10))
    }

    @Test func anIPv6SixtyFourIsOneAddress() async {
        let log = DAuthRefusalLog()
        #expect(await log.refused(ip: "2001:db8:1:2::1", kind: .address, nowMs: 0)! == ("2001:db8:1:2::/64", 1))
        #expect(await log.refused(ip: "2001:db8:1:2:ffff:0:0:9", kind: .address, nowMs: 1) == nil)
        #expect(DAuthRefusalLog.key("::1") == "0:0:0:0::/64")
        #expect(DAuthRefusalLog.key("::ffff:10.0.0.1") == "::ffff:10.0.0.1")
    }

    @Test func manyAddressesInOneMinuteWriteAtMostTheCapThenOneOverflow() async {
        let log = DAuthRefusalLog()
        var written: [(String, Int)] = []
        for index in 0..<500 {
            if let event = await log.refused(ip: "10.1.\(index / 256).\(index % 256)", kind: .address, nowMs: Int64(index)) {
                written.append(event)
            }
        }
        #expect(written.count == DAuthRefusalLog.eventsPerMinuteMax + 1)
        #expect(written.last! == (DAuthRefusalLog.overflowKey, 1))
        // The next minute's first overflow event stands for everything held back under `*`.
        for index in 0..<DAuthRefusalLog.eventsPerMinuteMax {
            _ = await log.refused(ip: "10.2.0.\(index)", kind: .address, nowMs: 61_000)
        }
        let next = await log.refused(ip: "10.3.0.1", kind: .address, nowMs: 61_000 + 1)
        #expect(next! == (DAuthRefusalLog.overflowKey, 500 - DAuthRefusalLog.eventsPerMinuteMax - 1 + 1))
    }
}
