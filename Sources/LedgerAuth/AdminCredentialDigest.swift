import Crypto
import Foundation
import LedgerCore

/// The admin credential as the server holds it: its SHA-256 only. A presented bearer matches when
/// its digest does, compared in constant time so the answer's timing says nothing about how close
/// a guess was.
public struct AdminCredentialDigest: Sendable {
    public let sha256: Data

    public init(hex: String) { sha256 = Data(Hex.decode(hex) ?? []) }

    /// The token's bytes hashed where they are, and compared by swift-crypto's `==` of a digest
    /// and bytes (constant time, lengths included): two `Data` copies and a byte-by-byte `zip`
    /// were 4 % of the request threads' samples in a load through the admin credential.
    public func matches(bearer token: some StringProtocol) -> Bool {
        var text = String(token)
        let presented = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return presented == sha256
    }
}
