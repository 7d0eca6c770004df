/// Failures of the store itself, as opposed to a decider's `Rejection`. A struct with static
/// constructors so that cases can be added without breaking callers.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case shuttingDown = "shutting_down"
        case overloaded
        case idempotencyKeyReused = "idempotency_key_reused"
        case storage
    }

    public let code: Code
    public let message: String

    public static let shuttingDown = LedgerError(code: .shuttingDown, message: "the ledger is shutting down")
    public static func overloaded(queueLength: Int) -> LedgerError {
        LedgerError(
            code: .overloaded, message: "the write queue is full (\(queueLength) commands waiting); retry later")
    }
    public static let idempotencyKeyReused = LedgerError(
        code: .idempotencyKeyReused, message: "this Idempotency-Key was already used for a different request")
    public static func storage(_ error: any Error) -> LedgerError {
        LedgerError(code: .storage, message: "storage failure: \(error)")
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
