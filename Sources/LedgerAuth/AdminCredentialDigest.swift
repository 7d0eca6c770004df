import Crypto
import Foundation
import LedgerCore

/// The admin credential as the server holds it: its SHA-256 only. A presented bearer matches when
/// its digest does, compared in constant time so the answer's timing says nothing about how close
/// a guess was.
public struct AdminCredentialDigest: Sendable {
    public let sha256: Data

    public init(hex: String) { sha256 = Data(Hex.decode(hex) ?? []) }

    public func matches(bearer token: some StringProtocol) -> Bool {
        let presented = Data(SHA256.hash(data: Data(token.utf8)))
        return sha256.count == presented.count && zip(sha256, presented).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    }
}
