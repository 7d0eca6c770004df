import LedgerWallet
import LedgerCore
import Crypto
import Foundation

/// A stand-in for the operator's login system, for `make run` and local trials only: an ES256 key
/// in DATA_DIR/dev-login-key.pem whose public half `serve --dev-login` trusts, and the
/// `user-token` command that signs short-lived user JWTs with it, as seed 000's VASP does.
public enum DevLogin {
    public static let issuer = "grantledger-dev-login"

    public static func keyPath(_ directory: String) -> String {
        (directory as NSString).appendingPathComponent("dev-login-key.pem")
    }

    /// The key, generated (mode 0600) on first use.
    public static func ensureKey(directory: String) throws -> (key: P256.Signing.PrivateKey, path: String, generated: Bool) {
        let path = keyPath(directory)
        if FileManager.default.fileExists(atPath: path) {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            return (try P256.Signing.PrivateKey(pemRepresentation: pem), path, false)
        }
        let key = P256.Signing.PrivateKey()
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
        else { throw DemoError("cannot write \(path)") }
        return (key, path, true)
    }
}

/// A demo set-up step that could not be done, in words for the operator.
public struct DemoError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
