import Crypto
import Foundation
import LedgerAuth
import LedgerCore

/// Opaque secrets (client secrets, codes, refresh tokens, device codes): 256 random bits,
/// base64url. Only their SHA-256 is stored or logged.
public enum OAuthSecrets {
    public static func make(bytes: Int = 32) -> String {
        Base64URL.encode(SecretBytes.make(bytes))
    }

    public static func sha256Hex(_ secret: some StringProtocol) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    /// RFC 7636 §4.2: BASE64URL(SHA256(ASCII(verifier))).
    public static func s256(_ verifier: some StringProtocol) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// RFC 7636 §4.1: a verifier or challenge is 43 to 128 unreserved characters.
    public static func isPKCEString(_ value: String) -> Bool {
        (43...128).contains(value.utf8.count)
            && value.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"):
                    true
                default: false
                }
            }
    }

    /// Equal digests, compared in constant time.
    public static func digestsMatch(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        return left.count == right.count && zip(left, right).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    }

    /// RFC 8628 §6.1: eight letters from an alphabet without vowels or look-alikes (20^8 ≈ 2^34.5),
    /// shown as XXXX-XXXX. Entry is forgiving: case, dashes and spaces are ignored.
    public static let userCodeAlphabet = Array("BCDFGHJKLMNPQRSTVWXZ")

    public static func makeUserCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<8).map { _ in userCodeAlphabet[Int.random(in: 0..<userCodeAlphabet.count, using: &generator)]
        }
        return String(letters[0..<4]) + "-" + String(letters[4..<8])
    }

    public static func normalizeUserCode(_ entered: String) -> String? {
        let letters = entered.uppercased().filter { $0 != "-" && $0 != " " }
        guard letters.count == 8, letters.allSatisfy(userCodeAlphabet.contains) else { return nil }
        return letters
    }
}
