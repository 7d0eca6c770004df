import Foundation

/// Why a Nuts login contract, its text or its duration was refused. The messages are the Nuts
/// node's own (auth v1), without the prefix each caller adds (`invalid contract text: `,
/// `unable to create sign challenge: `, `could not parse validDuration: `), so a surface can
/// answer exactly what the node answers.
public struct ContractError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for the caller to map onto its surface. The node's drawup answers 400 for
    /// `badFormat` and 404 for `notFound`; its sign-session route answers 400 for every kind, and
    /// its verify route reports `invalidPeriod` as `validity: false`. That mapping lives in the
    /// HTTP layer, not here.
    public enum Kind: Sendable, Equatable, Hashable {
        /// The text or value does not have the expected shape (HTTP 400 on drawup).
        case badFormat
        /// No template for this language, type and version (HTTP 404 on drawup).
        case notFound
        /// The contract is well formed but not valid at the time asked about.
        case invalidPeriod
    }

    public let kind: Kind
    public let message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension ContractError {
    static func textTooLong(bytesMax: Int) -> ContractError {
        ContractError(kind: .badFormat, message: "contract text is too long: at most \(bytesMax) bytes")
    }

    static let noPrefix = ContractError(
        kind: .badFormat, message: "could not extract contract version, language and type")

    static func templateNotFound(language: String, type: String, version: String) -> ContractError {
        ContractError(
            kind: .notFound,
            message:
                "could not find contract template for language '\(language)', type '\(type)' and version '\(version)'")
    }

    static let noTemplateMatch = ContractError(
        kind: .badFormat, message: "could not match the contract template regex")

    /// The node's wording: `unable to parse [valid_from]: invalid time string [<text>]`.
    static func badDate(attribute: String, text: String) -> ContractError {
        ContractError(kind: .badFormat, message: "unable to parse [\(attribute)]: invalid time string [\(text)]")
    }

    static let periodReversed = ContractError(
        kind: .invalidPeriod, message: "invalid period: [valid_from] must become before [valid_to]")
    static let notYetValid = ContractError(kind: .invalidPeriod, message: "invalid period: contract is not yet valid")
    static let expired = ContractError(kind: .invalidPeriod, message: "invalid period: contract is expired")
}
