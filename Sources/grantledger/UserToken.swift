import ArgumentParser
import Crypto
import Foundation
import JWTKit
import LedgerAuth
import LedgerDemo

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
