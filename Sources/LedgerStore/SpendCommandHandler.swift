import GRDB
import LedgerCore

/// Runs a spend command in the writer: loads the spend, its connection and the usage of the cycle
/// concerned (at most three primary-key look-ups, whatever the log's size) and asks `SpendDecider`.
public struct SpendCommandHandler: LedgerCommand {
    public let command: SpendCommand

    public init(_ command: SpendCommand) { self.command = command }

    public var name: String { command.name }
    public var stream: String { Spend.stream(command.spendId) }

    public func decide(_ db: Database, nowMs: Int64) throws -> Result<[any DomainEvent], Rejection> {
        try decide(
            db, nowMs: nowMs, streamIsEmpty: false, connection: { try ConnectionsProjection.fetch(id: $0, db) },
            usage: { try SpendsProjection.usage(connectionId: $0, anchorMs: $1, cycleStartMs: $2, db) ?? .zero })
    }

    /// As the writer runs it: the connection as `WriterMemory` keeps it, the spend as it keeps a
    /// held one (a settle's read of its row was a fiftieth of a keysend payment's instructions),
    /// and the spend not looked for when the writer has just read its stream's version as 0. A
    /// spend's row is made only by an event of its own stream (`SpendReserved` or `SpendDenied`),
    /// so an empty stream has none; a new spend's look-up missed in both stored forms of its id,
    /// two statements per reserve. The usage of the spend's cycle, as the batch's earlier commands
    /// left it, is the memory's too: those commands' changes are written as the batch ends.
    func decide(_ db: Database, nowMs: Int64, memory: WriterMemory, streamVersion: Int64) throws
        -> Result<[any DomainEvent], Rejection>
    {
        try decide(
            db, nowMs: nowMs, streamIsEmpty: streamVersion == 0, heldSpend: memory.heldSpend(id:),
            connection: { try memory.connection(id: $0, db) },
            usage: { try memory.usage(connectionId: $0, anchorMs: $1, cycleStartMs: $2, db) })
    }

    private func decide(
        _ db: Database, nowMs: Int64, streamIsEmpty: Bool, heldSpend: (String) -> Spend? = { _ in nil },
        connection readConnection: (String) throws -> Connection?,
        usage readUsage: (_ connectionId: String, _ anchorMs: Int64, _ cycleStartMs: Int64) throws -> BudgetUsage
    ) throws -> Result<[any DomainEvent], Rejection> {
        let spend: Spend?
        if streamIsEmpty {
            spend = nil
        } else if let held = heldSpend(command.spendId) {
            #if DEBUG
                // Debug builds (every test that settles through the writer) hold it to the row.
                let row = try SpendsProjection.fetch(id: command.spendId, db)
                assert(row == held, "the writer kept \(held) for the spend whose row is \(String(describing: row))")
            #endif
            spend = held
        } else {
            spend = try SpendsProjection.fetch(id: command.spendId, db)
        }
        let connectionId: String
        if case .reserve(let reserve) = command {
            connectionId = reserve.connectionId
        } else if let spend {
            connectionId = spend.connectionId
        } else {
            return .failure(Rejection(.notFound, "no spend with id \(command.spendId)"))
        }
        let connection = try readConnection(connectionId)
        var usage = BudgetUsage.zero
        if case .reserve = command, let connection {
            if let (anchorMs, cycle) = SpendDecider.cycleForReservation(connection, nowMs: nowMs) {
                usage = try readUsage(connection.id, anchorMs, cycle.startMs)
            }
        } else if let spend, let anchor = spend.budgetAnchorMs, let cycle = spend.cycle {
            usage = try readUsage(spend.connectionId, anchor, cycle.startMs)
        }
        let state = SpendState(connection: connection, spend: spend, usage: usage)
        return SpendDecider.decide(state, command, nowMs: nowMs).map { $0.map(\.domainEvent) }
    }
}
