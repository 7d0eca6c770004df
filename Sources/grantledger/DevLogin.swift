import ArgumentParser
import Crypto
import Foundation
import JWTKit
import LedgerAuth

/// A stand-in for the operator's login system, for `make run` and local trials only: an ES256 key
/// in DATA_DIR/dev-login-key.pem whose public half `serve --dev-login` trusts, and the
/// `user-token` command that signs short-lived user JWTs with it, as seed 000's VASP does.
enum DevLogin {
    static let issuer = "grantledger-dev-login"

    static func keyPath(_ directory: String) -> String {
        (directory as NSString).appendingPathComponent("dev-login-key.pem")
    }

    /// The key, generated (mode 0600) on first use.
    static func ensureKey(directory: String) throws -> (key: P256.Signing.PrivateKey, path: String, generated: Bool) {
        let path = keyPath(directory)
        if FileManager.default.fileExists(atPath: path) {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            return (try P256.Signing.PrivateKey(pemRepresentation: pem), path, false)
        }
        let key = P256.Signing.PrivateKey()
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CLIError("cannot write \(path)") }
        return (key, path, true)
    }
}

struct UserToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user-token",
        abstract: "Print a short-lived user JWT signed with the dev login key (for `serve --dev-login` only).")

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The user's id (`sub`).")
    var sub: String

    @Option(help: "The user's UMA address (`address`), e.g. $alice@localhost.")
    var address: String?

    @Option(help: "Seconds until the token expires (default 600, as seed 000).")
    var ttl: Int = 600

    func run() async throws {
        guard (1...86_400).contains(ttl) else { throw ValidationError("--ttl must be 1 to 86400 seconds") }
        let path = DevLogin.keyPath(data.directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no dev login key at \(path); start `grantledger serve --dev-login` first")
        }
        let key = try P256.Signing.PrivateKey(pemRepresentation: try String(contentsOfFile: path, encoding: .utf8))
        let keys = await JWTKeyCollection().add(ecdsa: try ES256PrivateKey(backing: key))
        let token = try await keys.sign(
            UserTokenClaims(
                subject: sub, expiresAt: Date().addingTimeInterval(TimeInterval(ttl)), issuer: DevLogin.issuer,
                audience: DevLogin.issuer, address: address))
        print(token)
    }
}
