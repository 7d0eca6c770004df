import Foundation
import GRDB
import LedgerCore

/// A command whose decision is a pure function of state loaded in the writer: `load` reads the
/// projections it needs (index look-ups), `decide` is the domain's rule over them.
struct LoadDecideCommand<State: Sendable>: LedgerCommand {
    let name: String
    let stream: String
    let load: @Sendable (Database) throws -> State
    let decide: @Sendable (State, Int64) -> Result<[any DomainEvent], Rejection>

    func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        decide(try load(db), nowMs)
    }
}

extension Ledger {
    func write<State: Sendable>(
        _ name: String, _ stream: String, load: @escaping @Sendable (Database) throws -> State,
        decide: @escaping @Sendable (State, Int64) -> Result<[any DomainEvent], Rejection>, _ context: WriteContext
    ) async throws -> CommandOutcome {
        try await submit(try envelope(LoadDecideCommand(name: name, stream: stream, load: load, decide: decide), context))
    }
}

/// What a decision inside the writer answers besides its events (set once, read after the commit).
final class AnswerBox<Answer: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Answer?
    var value: Answer? { lock.withLock { stored } }
    func set(_ answer: Answer) { lock.withLock { stored = answer } }
}
