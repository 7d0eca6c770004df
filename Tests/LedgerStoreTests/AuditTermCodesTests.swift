import Foundation
import GRDB
import LedgerCore
import LedgerTestSupport
import Testing

@testable import LedgerStore

/// An event whose payload cannot be made: the command that decides it fails after the events
/// before it were appended and applied, and its savepoint takes them back.
private struct UnencodableEvent: DomainEvent {
    struct Refused: Error {}
    static let type = "test.unencodable"
    static let typeVersion = 1
    func encode(to encoder: any Encoder) throws { throw Refused() }
}

/// Grants a connection, then fails on a second event: the grant, its audit record and any term
/// code the record drew are rolled back with the command's savepoint.
private struct GrantThenFail: LedgerCommand {
    let grant: ConnectionCommandHandler
    var name: String { "GrantThenFail" }
    var stream: String { grant.stream }
    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        try grant.decide(db, nowMs: nowMs).map { $0 + [UnencodableEvent()] }
    }
}

/// `AuditTermCodes`: the writer's memory of the trail's term codes hands out only codes that stand.
@Suite struct AuditTermCodesTests {
    static func metadata(actor: String) -> EventMetadata {
        EventMetadata(
            actor: .init(id: actor, role: "admin"), subject: .init(id: "user-1", idType: "user"), action: .create,
            purpose: "test", source: .init(serviceId: "tests", ip: "127.0.0.1"), requestId: "req-\(actor)")
    }

    static func code(of term: String, _ path: String) throws -> Int64? {
        try DatabaseQueue(path: path).read { db in
            try Int64.fetchOne(db, sql: "SELECT code FROM audit_terms WHERE term = ?", arguments: [term])
        }
    }

    @Test func aTermDrawnInARolledBackCommandIsDrawnAgainNotHandedOutFromMemory() async throws {
        let test = try TestLedger()
        let failing = GrantThenFail(grant: ConnectionCommandHandler(try test.grantCommand("c-rolled-back")))
        await #expect(throws: UnencodableEvent.Refused.self) {
            try await test.ledger.submit(
                try CommandEnvelope(failing, metadata: Self.metadata(actor: "actor-rolled-back")))
        }
        #expect(try Self.code(of: "actor-rolled-back", test.path) == nil)

        // The next new term takes the number the rolled-back one had drawn.
        try await test.ledger.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(try test.grantCommand("c-next")), metadata: Self.metadata(actor: "actor-next"))
        )
        // The rolled-back actor comes back: its record must hold a code of its own.
        try await test.ledger.submit(
            try CommandEnvelope(
                ConnectionCommandHandler(try test.grantCommand("c-again")),
                metadata: Self.metadata(actor: "actor-rolled-back")))

        let next = try #require(try Self.code(of: "actor-next", test.path))
        let again = try #require(try Self.code(of: "actor-rolled-back", test.path))
        #expect(next != again)
        let users = try await DatabaseQueue(path: test.path).read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT u.term FROM audit_trail t JOIN audit_terms u ON u.code = t.user_term ORDER BY t.seq
                    """)
        }
        #expect(users == ["actor-next", "actor-rolled-back"])
        // The trail equals what a replay (which codes terms its own way) builds.
        #expect(try test.ledger.verify().isIntact)
    }

    @Test func aCommitByAnotherConnectionForgetsEveryCode() throws {
        let test = try TestLedger()
        let codes = AuditTermCodes()
        let writer = try DatabaseQueue(path: test.path)
        let first = try writer.write { db in
            try codes.beginBatch(db)
            return try codes.code("alice", db)
        }
        #expect(codes.keptCount == 1)
        // Another connection renumbers the terms, as a replay by another process may.
        try DatabaseQueue(path: test.path).write { db in
            try db.execute(sql: "DELETE FROM audit_terms")
            try db.execute(
                sql: "INSERT INTO audit_terms (code, term) VALUES (?, 'bob'), (?, 'alice')",
                arguments: [first, first + 1])
        }
        let after = try writer.write { db in
            try codes.beginBatch(db)
            return try codes.code("alice", db)
        }
        #expect(after == first + 1)
    }

    @Test func aBatchOnTheSameConnectionKeepsTheCodesAndReadsNothing() throws {
        let test = try TestLedger()
        let codes = AuditTermCodes()
        let writer = try DatabaseQueue(path: test.path)
        let first = try writer.write { db in
            try codes.beginBatch(db)
            return try codes.code("alice", db)
        }
        let kept = try writer.write { db in
            try codes.beginBatch(db)
            // Gone from the table behind the memory's back on this same connection (which only an
            // in-place replay does, and it calls forgetAll): the code still comes from memory.
            try db.execute(sql: "DELETE FROM audit_terms")
            return try codes.code("alice", db)
        }
        #expect(kept == first)
        codes.forgetAll()
        #expect(codes.keptCount == 0)
    }

    @Test func aRolledBackCommandForgetsTermsItFoundAsWellAsDrew() throws {
        let test = try TestLedger()
        let codes = AuditTermCodes()
        let writer = try DatabaseQueue(path: test.path)
        try writer.write { db in
            try codes.beginBatch(db)
            _ = try codes.code("kept", db)
            codes.commandReleased()
            #expect(throws: UnencodableEvent.Refused.self) {
                try CommandSavepoint.run(db) {
                    _ = try codes.code("drawn", db)
                    throw UnencodableEvent.Refused()
                }
            }
            codes.commandRolledBack()
            #expect(codes.keptCount == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_terms WHERE term = 'drawn'") == 0)
        }
    }
}

extension AuditTermCodesTests {
    /// Swift calls these pairs equal (canonical equivalence); SQLite, comparing bytes, keeps two
    /// terms, and so must the memory.
    @Test(arguments: [("Jos\u{E9}", "Jose\u{301}"), ("\u{212A}", "K")])
    func termsEqualAsStringsButNotAsBytesKeepTheirOwnCodes(first: String, second: String) throws {
        let test = try TestLedger()
        let codes = AuditTermCodes()
        let writer = try DatabaseQueue(path: test.path)
        let (firstCode, secondCode) = try writer.write { db in
            try codes.beginBatch(db)
            return (try codes.code(first, db), try codes.code(second, db))
        }
        #expect(firstCode != secondCode)
        #expect(try Self.code(of: first, test.path) == firstCode)
        #expect(try Self.code(of: second, test.path) == secondCode)
    }
}
