/// Why a BOLT11 invoice was refused: the message names what is wrong, for the caller to fix.
public struct Bolt11Error: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
