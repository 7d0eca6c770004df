import Foundation
import LedgerCore
import Testing

@Suite struct KnownEventsTests {
    @Test func everyTypeNameIsListedOnce() {
        let names = KnownEvents.all.map { $0.type }
        #expect(Set(names).count == names.count, "\(names.sorted())")
    }

    static let revoked = EventPayload(
        type: ConnectionRevoked.type, typeVersion: 1,
        data: Data(#"{"connection_id":"c1","reason":"lost phone","revoked_at_ms":5}"#.utf8))

    @Test func aStoredEventDecodesAsItsOwnType() throws {
        let decoded = try #require(try KnownEvents.decode(Self.revoked) as? ConnectionRevoked)
        #expect(decoded.connectionId == "c1" && decoded.reason == "lost phone" && decoded.revokedAtMs == 5)
        #expect(try EventPayload(decoded) == Self.revoked)
    }

    @Test func aTypeThisBuildDoesNotListIsNotDecoded() throws {
        #expect(try KnownEvents.decode(EventPayload(type: "SomethingElse", typeVersion: 1, data: Data("{}".utf8))) == nil)
    }

    @Test func aNewerVersionIsRefusedAsTheTypeItselfRefusesIt() throws {
        var payload = Self.revoked
        payload.typeVersion = ConnectionRevoked.typeVersion + 1
        #expect(throws: UnknownEventVersion.self) { try KnownEvents.decode(payload) }
    }
}
