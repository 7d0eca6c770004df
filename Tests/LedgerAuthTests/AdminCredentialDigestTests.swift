import Crypto
import Foundation
import LedgerAuth
import LedgerCore
import Testing

/// The admin credential is held as its SHA-256: only the token itself matches.
@Suite struct AdminCredentialDigestTests {
    static let token = "admin-token-0123456789abcdef0123456789abcdef"
    static let digest = AdminCredentialDigest(
        hex: SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined())

    @Test(arguments: [
        (token, true),
        (String(token.dropLast()), false),
        (token + "0", false),
        (token.uppercased(), false),
        ("", false),
        ("admin-token-é", false),
    ])
    func onlyTheTokenItselfMatches(presented: String, matches: Bool) {
        #expect(Self.digest.matches(bearer: presented) == matches)
    }

    @Test func aTokenCutFromALongerHeaderMatches() {
        let header = "Bearer \(Self.token)"
        #expect(Self.digest.matches(bearer: header.dropFirst("Bearer ".count)))
    }

    /// A digest read from a damaged hex is empty: nothing matches it, the empty token included.
    @Test func aDigestFromDamagedHexMatchesNothing() {
        let damaged = AdminCredentialDigest(hex: "not hex")
        #expect(damaged.sha256.isEmpty)
        #expect(!damaged.matches(bearer: ""))
        #expect(!damaged.matches(bearer: "not hex"))
    }
}
