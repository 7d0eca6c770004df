import Crypto
import Foundation
import LedgerApp
import LedgerAuth
import LedgerCore
import LedgerStore

/// Makes sure the ledger has an admin credential: `GRANTLEDGER_ADMIN_TOKEN` when set, else the
/// one recorded earlier, else a new one written once to `DATA_DIR/admin-token` (mode 0600).
/// The ledger only ever stores the SHA-256.
enum AdminCredentialSetup {
    struct Result {
        var sha256: String
        var describe: String
    }

    /// `given` is the configured credential and where it came from (`GRANTLEDGER_ADMIN_TOKEN`,
    /// or the config file).
    static func ensure(ledger: Ledger, directory: String, given: (token: String, source: String)?) async throws
        -> Result
    {
        let tokenPath = (directory as NSString).appendingPathComponent("admin-token")
        if let (given, source) = given {
            guard given.count >= 16, given.count <= 512, given.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw CLIError("\(source) must be 16 to 512 visible ASCII characters")
            }
            let digest = sha256Hex(given)
            try await record(digest, ledger: ledger)
            return Result(sha256: digest, describe: "from \(source)")
        }
        if let existing = try await ledger.adminCredentialSha256() {
            let location =
                FileManager.default.fileExists(atPath: tokenPath) ? "in \(tokenPath)" : "set earlier (its file is gone)"
            return Result(sha256: existing, describe: location)
        }
        let token = "glat_" + Base64URL.encode(SecretBytes.make(32))
        guard
            FileManager.default.createFile(
                atPath: tokenPath, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw CLIError("cannot write \(tokenPath)") }
        let digest = sha256Hex(token)
        try await record(digest, ledger: ledger)
        // Shown this once so a first run is usable straight away; afterwards only the file has it.
        return Result(sha256: digest, describe: "\(token) (generated now, saved to \(tokenPath))")
    }

    static func sha256Hex(_ text: String) -> String {
        Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }

    private static func record(_ digest: String, ledger: Ledger) async throws {
        try await ledger.setAdminCredential(
            sha256: digest,
            WriteContext(SystemActor.metadata("setup", action: .update, purpose: "admin credential setup")))
    }
}
